/* What the lossless bar's reference method can reach under ecgopt's CR
 * definition.  The bar (CR >= 3.5 against 11 bits) cites Bannajak
 * et al. 2023: fixed low-order linear prediction (they find order 2 best)
 * + a modified Golomb-Rice code.  This benchmark measures that method
 * family on the same samples, and generous upper bounds on it:
 *   - adaptive Golomb-Rice (JPEG-LS k rule, ITU-T T.87 A.5.1, counters
 *     halved at 64) on the residual of x[n-1] (order 1) and of
 *     2x[n-1] - x[n-2] (order 2);
 *   - an oracle Golomb-Rice: for every block of 64 samples the best of
 *     {order 1, order 2} x {k = 0..15} chosen in hindsight with no side
 *     information charged (no real GR coder can do better);
 *   - the zeroth-order entropy of the order-1/order-2 residual of each
 *     signal (an ideal static coder with its table for free).
 * For each it prints the pooled CR = bits_per_sample_original x samples /
 * bits, and the mean of the per-signal CRs, against 11 bits (the issue's
 * definition), 12 bits (format 212 storage) and 16 bits.
 *   bench_gr_bound DATA_DIR REC... */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/wfdb.h"

#define NMETH 5
static const char *const meth_name[NMETH] = {
    "adaptive GR, order 1", "adaptive GR, order 2", "oracle GR per 64 samples (best of order 1/2, k)",
    "zeroth-order entropy, order 1", "zeroth-order entropy, order 2"};

static unsigned zigzag(long e)
{
    return e >= 0 ? (unsigned)(2 * e) : (unsigned)(-2 * e - 1);
}

/* GR code length of m with parameter k; escape-free (a long unary run is
 * what the adaptive k prevents; the count is exact either way). */
static double gr_len(unsigned m, int k)
{
    return (double)(m >> k) + 1.0 + (double)k;
}

static double adaptive_gr(const long *e, long n)
{
    long A = 4, N = 1;
    double bits = 0;
    for (long i = 0; i < n; i++) {
        int k = 0;
        while ((N << k) < A && k < 24)
            k++;
        bits += gr_len(zigzag(e[i]), k);
        A += labs(e[i]);
        if (++N >= 64) {
            A = (A + 1) / 2;
            N /= 2;
        }
    }
    return bits;
}

static double oracle_gr(const long *e1, const long *e2, long n)
{
    double bits = 0;
    for (long b = 0; b < n; b += 64) {
        long m = n - b < 64 ? n - b : 64;
        double best = 1e300;
        for (int p = 0; p < 2; p++) {
            const long *e = p ? e2 : e1;
            for (int k = 0; k < 16; k++) {
                double s = 0;
                for (long i = 0; i < m; i++)
                    s += gr_len(zigzag(e[b + i]), k);
                if (s < best)
                    best = s;
            }
        }
        bits += best;
    }
    return bits;
}

static double entropy_bits(const long *e, long n)
{
    enum { OFF = 8192, SZ = 2 * OFF + 1 };
    long *h = calloc(SZ, sizeof *h);
    if (!h)
        return NAN;
    for (long i = 0; i < n; i++) {
        long v = e[i] + OFF;
        h[v < 0 ? 0 : v >= SZ ? SZ - 1 : v]++;
    }
    double bits = 0;
    for (long v = 0; v < SZ; v++)
        if (h[v])
            bits -= (double)h[v] * log2((double)h[v] / (double)n);
    free(h);
    return bits;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_gr_bound DATA_DIR REC...\n");
        return 1;
    }
    static const int orig_bits[3] = {11, 12, 16};
    double tot_bits[NMETH] = {0}, mean_cr11[NMETH] = {0}, tot_samples = 0;
    int nsig = 0;
    for (int a = 2; a < argc; a++) {
        char base[4200];
        snprintf(base, sizeof base, "%s/%s", argv[1], argv[a]);
        eo_wfdb_record *rec;
        eo_error err;
        eo_wfdb_read_options ro;
        eo_wfdb_read_defaults(&ro);
        if (eo_wfdb_record_load(base, &ro, &rec, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 2;
        }
        long n = rec->n_samples;
        long *e1 = malloc(sizeof(long) * (size_t)(n ? n : 1));
        long *e2 = malloc(sizeof(long) * (size_t)(n ? n : 1));
        if (!e1 || !e2) {
            fprintf(stderr, "bench_gr_bound: out of memory\n");
            return 2;
        }
        for (int s = 0; s < rec->n_signals; s++) {
            const int32_t *x = rec->adu[s];
            for (long i = 0; i < n; i++) {
                long x1 = i >= 1 ? x[i - 1] : 0, x2 = i >= 2 ? x[i - 2] : x1;
                e1[i] = (long)x[i] - x1;
                e2[i] = (long)x[i] - (2 * x1 - x2);
            }
            double b[NMETH] = {adaptive_gr(e1, n), adaptive_gr(e2, n), oracle_gr(e1, e2, n),
                               entropy_bits(e1, n), entropy_bits(e2, n)};
            printf("record %s signal %d", argv[a], s);
            for (int m = 0; m < NMETH; m++) {
                tot_bits[m] += b[m];
                mean_cr11[m] += 11.0 * (double)n / b[m];
                printf(" cr11_%d=%.4f", m, 11.0 * (double)n / b[m]);
            }
            printf("\n");
            tot_samples += (double)n;
            nsig++;
        }
        free(e1);
        free(e2);
        eo_wfdb_record_destroy(rec);
    }
    printf("%d signals, %.0f samples\n", nsig, tot_samples);
    for (int m = 0; m < NMETH; m++) {
        printf("%-48s bit/sample=%.4f", meth_name[m], tot_bits[m] / tot_samples);
        for (int j = 0; j < 3; j++)
            printf(" cr_vs_%d_bits=%.4f", orig_bits[j], orig_bits[j] * tot_samples / tot_bits[m]);
        printf(" mean_per_signal_cr_vs_11=%.4f\n", mean_cr11[m] / nsig);
    }
    return 0;
}
