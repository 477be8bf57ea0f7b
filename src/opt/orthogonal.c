/* Orthogonal arrays L_M(Q^K) for prime Q and the factor analysis used by
 * OLCPA's orthogonal learning (He et al. 2023, Biomimetics 8(3):268, sec. 3.1,
 * eq. 14; construction of Leung & Wang 2001). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "orthogonal.h"

static int is_prime(int q)
{
    if (q < 2)
        return 0;
    for (int d = 2; d * d <= q; d++)
        if (q % d == 0)
            return 0;
    return 1;
}

eo_status eo_oa_build(int q, int j, int **oa, int *m, int *k, eo_error *err)
{
    *oa = NULL;
    if (!is_prime(q) || q > 97)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "orthogonal array: Q = %d must be a prime <= 97", q);
    if (j < 1)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "orthogonal array: J = %d must be >= 1",
                            j);
    long long M = 1;
    for (int i = 0; i < j; i++) {
        M *= q;
        if (M > 100000)
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "orthogonal array: Q^J = %d^%d is too large", q, j);
    }
    int K = (int)((M - 1) / (q - 1));
    int *a = calloc((size_t)M * K, sizeof(int));
    if (!a)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "orthogonal array: out of memory");
    /* basic columns: column index b_kk = (Q^(kk-1) - 1)/(Q - 1) (0-based),
     * a[i][b] = floor(i / Q^(J-kk)) mod Q */
    long long qp = 1;
    for (int kk = 1; kk <= j; kk++) {
        int b = (int)((qp - 1) / (q - 1));
        long long div = 1;
        for (int t = 0; t < j - kk; t++)
            div *= q;
        for (long long i = 0; i < M; i++)
            a[i * K + b] = (int)((i / div) % q);
        qp *= q;
    }
    /* non-basic columns: a[i][b + (s)(Q-1) + t] = (a[i][s] * t + a[i][b]) mod Q */
    qp = q;
    for (int kk = 2; kk <= j; kk++) {
        int b = (int)((qp - 1) / (q - 1));
        for (int s = 0; s < b; s++)
            for (int t = 1; t <= q - 1; t++) {
                int col = b + s * (q - 1) + t;
                for (long long i = 0; i < M; i++)
                    a[i * K + col] = (a[i * K + s] * t + a[i * K + b]) % q;
            }
        qp *= q;
    }
    *oa = a;
    *m = (int)M;
    *k = K;
    return EO_STATUS_OK;
}

int eo_oa_check(const int *oa, int m, int k, int q)
{
    if (m % (q * q) != 0)
        return 0;
    int want = m / (q * q);
    int *cnt = malloc(sizeof(int) * (size_t)q * q);
    if (!cnt)
        return 0;
    int ok = 1;
    for (int c1 = 0; c1 < k && ok; c1++)
        for (int c2 = c1 + 1; c2 < k && ok; c2++) {
            memset(cnt, 0, sizeof(int) * (size_t)q * q);
            for (int i = 0; i < m; i++) {
                int u = oa[i * k + c1], v = oa[i * k + c2];
                if (u < 0 || u >= q || v < 0 || v >= q) {
                    ok = 0;
                    break;
                }
                cnt[u * q + v]++;
            }
            for (int t = 0; t < q * q && ok; t++)
                ok = cnt[t] == want;
        }
    free(cnt);
    return ok;
}

void eo_oa_factor_analysis(const int *oa, int m, int k, int q, const double *f, int *best)
{
    for (int c = 0; c < k; c++) {
        double bm = INFINITY;
        int bl = 0;
        for (int l = 0; l < q; l++) {
            double s = 0;
            int n = 0;
            for (int i = 0; i < m; i++)
                if (oa[i * k + c] == l) {
                    /* a failed trial (inf) counts as a very bad one, not as
                     * inf, so one failure does not blank a whole level */
                    s += isfinite(f[i]) ? f[i] : 1e300 / m;
                    n++;
                }
            double mean = n ? s / n : INFINITY;
            if (mean < bm) {
                bm = mean;
                bl = l;
            }
        }
        best[c] = bl;
    }
}
