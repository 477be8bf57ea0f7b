/* dsp wavelets against PyWavelets 1.1.1 (tests/fixtures/dsp/gen_fixtures.py):
 * dwt/idwt (n = 7, shorter than most filters), wavedec/waverec (n = 101 odd
 * and 128, level min(3, max)), swt/iswt (n = 64, level 3) for haar, db1-20,
 * sym2-20, coif1-5 and every biorN.M, in modes symmetric, periodization and
 * zero; thresholding, SURE/minimax, the peer's denoise; bad input. */
#include "eo_test.h"

#include "dsp_fixture.h"
#include "ecgopt/dsp.h"

static fx_file F;
static const char *modes[3] = {"symmetric", "periodization", "zero"};
static const double TOL = 1e-10;

static int n_wavelets(const char **names, int cap)
{
    static char buf[64][16];
    int k = 0;
    names[k++] = "haar";
    for (int i = 1; i <= 20; i++) snprintf(buf[k], 16, "db%d", i), names[k] = buf[k], k++;
    for (int i = 2; i <= 20; i++) snprintf(buf[k], 16, "sym%d", i), names[k] = buf[k], k++;
    for (int i = 1; i <= 5; i++) snprintf(buf[k], 16, "coif%d", i), names[k] = buf[k], k++;
    const char *bior[] = {"bior1.1", "bior1.3", "bior1.5", "bior2.2", "bior2.4", "bior2.6",
                          "bior2.8", "bior3.1", "bior3.3", "bior3.5", "bior3.7", "bior3.9",
                          "bior4.4", "bior5.5", "bior6.8"};
    for (int i = 0; i < 15 && k < cap; i++) names[k++] = bior[i];
    return k;
}

TEST(filter_bank_table)
{
    const eo_wavelet *w;
    eo_error err;
    CHECK_OK(eo_wavelet_get("bior4.4", &w, &err), &err);
    CHECK_EQ_INT(w->len, 10); /* CDF 9/7, zero-padded to 10 taps as in pywt */
    CHECK_OK(eo_wavelet_get("db4", &w, &err), &err);
    CHECK_EQ_INT(w->len, 8);
    /* orthonormal: sum h = sqrt 2, sum h^2 = 1, rec_lo = reversed dec_lo */
    double s = 0, s2 = 0;
    for (int i = 0; i < 8; i++) s += w->dec_lo[i], s2 += w->dec_lo[i] * w->dec_lo[i];
    CHECK_CLOSE(s, sqrt(2.0), 1e-14, 0);
    CHECK_CLOSE(s2, 1.0, 1e-14, 0);
    CHECK(w->rec_lo[0] == w->dec_lo[7]);
    CHECK_EQ_INT(eo_wavelet_get("db21", &w, &err), EO_STATUS_NOT_FOUND);
    CHECK(strstr(err.msg, "db21") != NULL);
    eo_wavelet_mode m;
    CHECK_OK(eo_wavelet_mode_parse("periodization", &m, &err), &err);
    CHECK_EQ_INT(m, EO_WMODE_PERIODIZATION);
    CHECK_EQ_INT(eo_wavelet_mode_parse("smooth", &m, &err), EO_STATUS_USAGE);
    CHECK_EQ_INT(eo_dwt_max_level(1000, 8), 7);
    CHECK_EQ_INT(eo_dwt_max_level(6, 8), 0);
    CHECK_EQ_INT(eo_dwt_coeff_len(101, 8, EO_WMODE_SYMMETRIC), 54);
    CHECK_EQ_INT(eo_dwt_coeff_len(101, 8, EO_WMODE_PERIODIZATION), 51);
}

TEST(dwt_idwt_short_signal_all_wavelets_modes)
{
    const char *names[64];
    int nw = n_wavelets(names, 64);
    const fx_rec *x = fx_get(&F, "x7");
    if (!x) {
        CHECK(0);
        return;
    }
    eo_error err;
    int checked = 0;
    for (int i = 0; i < nw; i++) {
        const eo_wavelet *w;
        CHECK_OK(eo_wavelet_get(names[i], &w, &err), &err);
        for (int m = 0; m < 3; m++) {
            char k[96];
            snprintf(k, sizeof k, "dwt_%s_%s_7", names[i], modes[m]);
            const fx_rec *r = fx_get(&F, k);
            snprintf(k, sizeof k, "idwt_%s_%s_7", names[i], modes[m]);
            const fx_rec *ri = fx_get(&F, k);
            CHECK(r && ri);
            if (!r || !ri) continue;
            size_t nc = eo_dwt_coeff_len(7, w->len, (eo_wavelet_mode)m);
            CHECK_EQ_INT(2 * nc, r->n);
            if (2 * nc != r->n) continue;
            double c[128], y[256];
            CHECK_OK(eo_dwt(x->v, 7, w, (eo_wavelet_mode)m, c, c + nc, &err), &err);
            double e = fx_relerr(c, r->v, r->n);
            CHECK_MSG(e < TOL, "%s %s dwt: rel err %g", names[i], modes[m], e);
            CHECK_OK(eo_idwt(r->v, r->v + nc, nc, w, (eo_wavelet_mode)m, y, &err), &err);
            e = fx_relerr(y, ri->v, ri->n);
            CHECK_MSG(e < TOL, "%s %s idwt: rel err %g", names[i], modes[m], e);
            checked++;
        }
    }
    CHECK_EQ_INT(checked, 60 * 3);
}

TEST(wavedec_waverec_all_wavelets_modes)
{
    const char *names[64];
    int nw = n_wavelets(names, 64);
    eo_error err;
    int checked = 0;
    size_t ns[2] = {101, 128};
    for (int t = 0; t < 2; t++) {
        size_t n = ns[t];
        char k[96];
        snprintf(k, sizeof k, "x%zu", n);
        const fx_rec *x = fx_get(&F, k);
        CHECK(x != NULL);
        if (!x) continue;
        for (int i = 0; i < nw; i++) {
            const eo_wavelet *w;
            CHECK_OK(eo_wavelet_get(names[i], &w, &err), &err);
            for (int m = 0; m < 3; m++) {
                snprintf(k, sizeof k, "wavedec_%s_%s_%zu_lens", names[i], modes[m], n);
                const fx_rec *rl = fx_get(&F, k);
                snprintf(k, sizeof k, "wavedec_%s_%s_%zu", names[i], modes[m], n);
                const fx_rec *rc = fx_get(&F, k);
                snprintf(k, sizeof k, "waverec_%s_%s_%zu", names[i], modes[m], n);
                const fx_rec *rr = fx_get(&F, k);
                CHECK(rl && rc && rr);
                if (!rl || !rc || !rr) continue;
                int level = (int)rl->n - 1;
                eo_wavecoefs *c = NULL;
                CHECK_OK(eo_wavedec(x->v, n, w, (eo_wavelet_mode)m, level, &c, &err), &err);
                if (!c) continue;
                size_t off = 0;
                int lens_ok = 1;
                double emax = 0;
                for (int b = 0; b <= level; b++) {
                    lens_ok &= c->len[b] == (size_t)rl->v[b];
                    if (!lens_ok) break;
                    double e = fx_relerr(c->band[b], rc->v + off, c->len[b]);
                    if (e > emax) emax = e;
                    off += c->len[b];
                }
                CHECK_MSG(lens_ok, "%s %s n=%zu: band lengths differ", names[i], modes[m], n);
                CHECK_MSG(emax < TOL, "%s %s n=%zu wavedec: rel err %g", names[i], modes[m], n, emax);
                double *y = NULL;
                size_t ny = 0;
                CHECK_OK(eo_waverec(c, w, (eo_wavelet_mode)m, &y, &ny, &err), &err);
                CHECK_EQ_INT(ny, rr->n);
                if (y && ny == rr->n) {
                    double e = fx_relerr(y, rr->v, ny);
                    CHECK_MSG(e < TOL, "%s %s n=%zu waverec: rel err %g", names[i], modes[m], n, e);
                    /* and it is (nearly) the input back, except for the
                     * zero mode of non-orthogonal edges: check PR in
                     * symmetric and periodization */
                    if (m != 2) {
                        double pr = fx_relerr(y, x->v, n);
                        CHECK_MSG(pr < 1e-9, "%s %s n=%zu: reconstruction err %g", names[i],
                                  modes[m], n, pr);
                    }
                }
                free(y);
                eo_wavecoefs_destroy(c);
                checked++;
            }
        }
    }
    CHECK_EQ_INT(checked, 2 * 60 * 3);
}

TEST(swt_iswt_all_wavelets)
{
    const char *names[64];
    int nw = n_wavelets(names, 64);
    const fx_rec *x128 = fx_get(&F, "x128");
    if (!x128) {
        CHECK(0);
        return;
    }
    eo_error err;
    const size_t n = 64;
    const int level = 3;
    double ca[3 * 64], cd[3 * 64], y[64], out[6 * 64];
    for (int i = 0; i < nw; i++) {
        const eo_wavelet *w;
        CHECK_OK(eo_wavelet_get(names[i], &w, &err), &err);
        char k[64];
        snprintf(k, sizeof k, "swt_%s", names[i]);
        const fx_rec *r = fx_get(&F, k);
        snprintf(k, sizeof k, "iswt_%s", names[i]);
        const fx_rec *ri = fx_get(&F, k);
        CHECK(r && ri && r->n == 6 * n);
        if (!r || !ri || r->n != 6 * n) continue;
        CHECK_OK(eo_swt(x128->v, n, w, level, ca, cd, &err), &err);
        for (int l = 0; l < level; l++) {
            memcpy(out + (2 * l) * n, ca + l * n, n * sizeof(double));
            memcpy(out + (2 * l + 1) * n, cd + l * n, n * sizeof(double));
        }
        double e = fx_relerr(out, r->v, r->n);
        CHECK_MSG(e < TOL, "%s swt: rel err %g", names[i], e);
        CHECK_OK(eo_iswt(ca, cd, n, level, w, y, &err), &err);
        e = fx_relerr(y, ri->v, n);
        CHECK_MSG(e < TOL, "%s iswt: rel err %g", names[i], e);
    }
}

TEST(thresholds)
{
    const fx_rec *v = fx_get(&F, "thr_in");
    if (!v) {
        CHECK(0);
        return;
    }
    const char *m[3] = {"soft", "hard", "garrote"};
    for (int i = 0; i < 3; i++) {
        char k[32];
        snprintf(k, sizeof k, "thr_%s", m[i]);
        const fx_rec *r = fx_get(&F, k);
        CHECK(r != NULL);
        if (!r) continue;
        double t[64];
        memcpy(t, v->v, v->n * sizeof(double));
        eo_threshold(t, v->n, 1.1, (eo_threshold_mode)i);
        CHECK_MSG(fx_relerr(t, r->v, v->n) < 1e-15, "%s", m[i]);
    }
    const fx_rec *s = fx_get(&F, "sure_thr_sigma0.8");
    CHECK(s != NULL);
    if (s) CHECK_CLOSE(eo_threshold_value(EO_THRULE_SURE, v->v, v->n, v->n, 0.8), s->v[0], 1e-14, 0);
    CHECK_CLOSE(eo_threshold_value(EO_THRULE_UNIVERSAL, NULL, 0, 1000, 2.0),
                2.0 * sqrt(2 * log(1000.0)), 1e-15, 0);
    CHECK_CLOSE(eo_threshold_value(EO_THRULE_MINIMAX, NULL, 0, 1024, 1.0), 0.3936 + 0.1829 * 10,
                1e-15, 0);
    CHECK_EQ_INT(eo_threshold_value(EO_THRULE_MINIMAX, NULL, 0, 32, 1.0), 0);
    double d[4] = {-1, 2, -3, 4};
    CHECK_CLOSE(eo_mad_sigma(d, 4), 2.5 / 0.6745, 1e-15, 0);
    /* selection-based median equals the sorted median, with ties, odd/even */
    double r[301], srt[301];
    unsigned st = 12345;
    for (int n = 1; n <= 301; n += 25) {
        for (int i = 0; i < n; i++) {
            st = st * 1103515245u + 12345u;
            r[i] = (double)((st >> 16) % 17) - 8.0; /* many ties */
            srt[i] = fabs(r[i]);
        }
        for (int i = 1; i < n; i++) /* insertion sort */
            for (int j = i; j > 0 && srt[j - 1] > srt[j]; j--) {
                double t = srt[j];
                srt[j] = srt[j - 1];
                srt[j - 1] = t;
            }
        double med = (n & 1) ? srt[n / 2] : 0.5 * (srt[n / 2 - 1] + srt[n / 2]);
        CHECK_CLOSE(eo_mad_sigma(r, (size_t)n), med / 0.6745, 1e-15, 0);
    }
    for (int n = 2; n <= 300; n += 37) {
        for (int i = 0; i < n; i++) {
            st = st * 1103515245u + 12345u;
            r[i] = (double)((st >> 16) % 17) - 8.0;
            srt[i] = fabs(r[i]);
        }
        for (int i = 1; i < n; i++)
            for (int j = i; j > 0 && srt[j - 1] > srt[j]; j--) {
                double t = srt[j];
                srt[j] = srt[j - 1];
                srt[j - 1] = t;
            }
        CHECK_CLOSE(eo_mad_sigma(r, (size_t)n), 0.5 * (srt[n / 2 - 1] + srt[n / 2]) / 0.6745, 1e-15, 0);
    }
}

TEST(wavelet_denoise_matches_peer_recipe)
{
    const fx_rec *x = fx_get(&F, "denoise_x"), *r = fx_get(&F, "denoise_y");
    CHECK(x && r);
    if (!x || !r) return;
    eo_error err;
    eo_wavelet_denoise_options o;
    eo_wavelet_denoise_defaults(&o);
    double *y = malloc(x->n * sizeof *y);
    CHECK_OK(eo_wavelet_denoise(x->v, x->n, &o, y, &err), &err);
    double e = fx_relerr(y, r->v, x->n);
    CHECK_MSG(e < TOL, "rel err %g", e);
    /* in place, other rules run and stay finite and change the signal */
    memcpy(y, x->v, x->n * sizeof *y);
    o.rule = EO_THRULE_SURE;
    o.sigma_per_level = 1;
    o.thresh_mode = EO_THRESH_GARROTE;
    CHECK_OK(eo_wavelet_denoise(y, x->n, &o, y, &err), &err);
    double diff = 0;
    for (size_t i = 0; i < x->n; i++) diff += fabs(y[i] - x->v[i]);
    CHECK(diff > 0 && isfinite(diff));
    free(y);
}

TEST(wavelet_bad_input)
{
    eo_error err;
    const eo_wavelet *w;
    CHECK_OK(eo_wavelet_get("db4", &w, &err), &err);
    double x[64], ca[64], cd[64];
    for (int i = 0; i < 64; i++) x[i] = i;
    eo_wavecoefs *c = NULL;
    CHECK_EQ_INT(eo_wavedec(x, 64, w, EO_WMODE_SYMMETRIC, 5, &c, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "too deep") != NULL);
    CHECK(c == NULL);
    CHECK_EQ_INT(eo_wavedec(x, 5, w, EO_WMODE_SYMMETRIC, 0, &c, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_swt(x, 60, w, 3, ca, cd, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_dwt(x, 0, w, EO_WMODE_ZERO, ca, cd, &err), EO_STATUS_USAGE);
    x[3] = NAN;
    CHECK_EQ_INT(eo_wavedec(x, 64, w, EO_WMODE_SYMMETRIC, 2, &c, &err), EO_STATUS_NUMERIC);
    CHECK_EQ_INT(eo_dwt(x, 64, w, EO_WMODE_ZERO, ca, cd, &err), EO_STATUS_NUMERIC);
    CHECK_EQ_INT(eo_swt(x, 64, w, 2, ca, cd, &err), EO_STATUS_NUMERIC);
    eo_wavelet_denoise_options o;
    eo_wavelet_denoise_defaults(&o);
    CHECK_EQ_INT(eo_wavelet_denoise(x, 64, &o, ca, &err), EO_STATUS_NUMERIC);
    x[3] = 0;
    CHECK_EQ_INT(eo_wavelet_denoise(x, 10, &o, ca, &err), EO_STATUS_USAGE);
    o.wavelet = "nope";
    CHECK_EQ_INT(eo_wavelet_denoise(x, 64, &o, ca, &err), EO_STATUS_NOT_FOUND);
    eo_wavecoefs_destroy(NULL);
}

int main(void)
{
    if (fx_load("wavelets.bin", &F)) {
        fprintf(stderr, "cannot load wavelets.bin\n");
        return 1;
    }
    RUN(filter_bank_table);
    RUN(dwt_idwt_short_signal_all_wavelets_modes);
    RUN(wavedec_waverec_all_wavelets_modes);
    RUN(swt_iswt_all_wavelets);
    RUN(thresholds);
    RUN(wavelet_denoise_matches_peer_recipe);
    RUN(wavelet_bad_input);
    fx_free(&F);
    TEST_END();
}
