/* ECGSYN: heart rate, HRV spectrum, annotations on peaks, ectopic beats,
 * noise, determinism, bad options. */
#include "eo_test.h"

#include <stdlib.h>

#include "ecgopt/rng.h"
#include "ecgopt/synth.h"

static double mean_rr(const eo_synth *s, double *sd)
{
    double m = 0, v = 0;
    size_t n = s->n_beats - 1;
    for (size_t i = 0; i < n; i++)
        m += (double)(s->r_peak[i + 1] - s->r_peak[i]) / s->fs_hz;
    m /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = (double)(s->r_peak[i + 1] - s->r_peak[i]) / s->fs_hz - m;
        v += d * d;
    }
    if (sd)
        *sd = sqrt(v / (double)n);
    return m;
}

TEST(heart_rate_and_length)
{
    eo_synth_options o;
    eo_synth_defaults(&o);
    o.hr_mean_bpm = 72;
    o.seconds = 60;
    o.fs_hz = 250;
    eo_rng r;
    eo_rng_seed(&r, 1);
    eo_synth *s = NULL;
    eo_error err;
    CHECK_OK(eo_synth_generate(&o, &r, &s, &err), &err);
    if (!s)
        return;
    CHECK_EQ_INT(s->n, 15000);
    CHECK(s->n_beats >= 70 && s->n_beats <= 74);
    CHECK_CLOSE(mean_rr(s, NULL), 60.0 / 72, 0.02, 0.0);
    /* scaled to -0.4..1.2 mV, R peaks are the local maxima near 1.2 mV */
    double mn = 1e9, mx = -1e9;
    for (size_t i = 0; i < s->n; i++) {
        mn = fmin(mn, s->ecg_mv[i]);
        mx = fmax(mx, s->ecg_mv[i]);
    }
    CHECK_CLOSE(mn, -0.4, 0, 1e-12);
    CHECK_CLOSE(mx, 1.2, 0, 1e-12);
    for (size_t b = 0; b < s->n_beats; b++) {
        long p = s->r_peak[b];
        CHECK(s->beat_code[b] == 1);
        CHECK(s->ecg_mv[p] > 0.8);
        if (p > 0 && p + 1 < (long)s->n)
            CHECK(s->ecg_mv[p] >= s->ecg_mv[p - 1] && s->ecg_mv[p] >= s->ecg_mv[p + 1]);
    }
    eo_synth_destroy(s);
    eo_synth_destroy(NULL);
}

TEST(hrv_std_follows_option)
{
    eo_synth_options o;
    eo_synth_defaults(&o);
    o.seconds = 300;
    o.fs_hz = 128;
    o.hr_std_bpm = 4;
    o.oversample = 4;
    eo_rng r;
    eo_rng_seed(&r, 3);
    eo_synth *s = NULL;
    eo_error err;
    CHECK_OK(eo_synth_generate(&o, &r, &s, &err), &err);
    if (!s)
        return;
    double sd = 0;
    double m = mean_rr(s, &sd);
    CHECK_CLOSE(m, 1.0, 0.03, 0.0);
    /* rrstd = 60 hrstd / hr^2 = 0.0667 s; beat sampling and the finite
     * record make it approximate */
    CHECK_MSG(sd > 0.04 && sd < 0.09, "RR sd %g s", sd);
    eo_synth_destroy(s);
}

TEST(rr_spectrum_lf_hf_ratio)
{
    /* eq. (2): |RR(f)|^2 follows the bimodal spectrum, so the band powers
     * 0.04-0.15 Hz and 0.15-0.4 Hz are in the LF/HF ratio */
    const size_t n = 1024;
    const double sf = 2.0;
    double *rr = malloc(n * sizeof *rr);
    double ratios[2] = {0.5, 2.0};
    for (int c = 0; c < 2; c++) {
        eo_synth_options o;
        eo_synth_defaults(&o);
        o.lf_hf_ratio = ratios[c];
        o.hr_std_bpm = 3;
        eo_rng r;
        eo_rng_seed(&r, 11 + c);
        eo_error err;
        CHECK_OK(eo_synth_rr_process(&o, &r, sf, n, rr, &err), &err);
        double mean = 0, var = 0;
        for (size_t i = 0; i < n; i++)
            mean += rr[i];
        mean /= n;
        for (size_t i = 0; i < n; i++)
            var += (rr[i] - mean) * (rr[i] - mean);
        CHECK_CLOSE(mean, 1.0, 1e-9, 0);
        CHECK_CLOSE(sqrt(var / n), 60.0 * 3 / 3600.0, 1e-9, 0);
        double lf = 0, hf = 0;
        for (size_t k = 1; k < n / 2; k++) {
            double f = k * sf / n, re = 0, im = 0;
            for (size_t i = 0; i < n; i++) {
                re += (rr[i] - mean) * cos(2 * M_PI * k * i / n);
                im -= (rr[i] - mean) * sin(2 * M_PI * k * i / n);
            }
            double p = re * re + im * im;
            if (f >= 0.04 && f < 0.15)
                lf += p;
            else if (f >= 0.15 && f < 0.4)
                hf += p;
        }
        CHECK_CLOSE(lf / hf, ratios[c], 0.02, 0);
    }
    free(rr);
}

TEST(deterministic_and_noise)
{
    eo_synth_options o;
    eo_synth_defaults(&o);
    o.seconds = 8;
    eo_rng r;
    eo_synth *a = NULL, *b = NULL, *c = NULL;
    eo_error err;
    eo_rng_seed(&r, 5);
    CHECK_OK(eo_synth_generate(&o, &r, &a, &err), &err);
    eo_rng_seed(&r, 5);
    CHECK_OK(eo_synth_generate(&o, &r, &b, &err), &err);
    o.noise_mv = 0.05;
    eo_rng_seed(&r, 5);
    CHECK_OK(eo_synth_generate(&o, &r, &c, &err), &err);
    if (!a || !b || !c)
        return;
    CHECK(a->n == b->n && memcmp(a->ecg_mv, b->ecg_mv, a->n * sizeof(double)) == 0);
    CHECK(a->n_beats == b->n_beats);
    /* the noise is added after the same clean signal and annotations */
    CHECK(c->n_beats == a->n_beats);
    double v = 0, m = 0;
    for (size_t i = 0; i < a->n; i++)
        m += c->ecg_mv[i] - a->ecg_mv[i];
    m /= a->n;
    for (size_t i = 0; i < a->n; i++)
        v += (c->ecg_mv[i] - a->ecg_mv[i] - m) * (c->ecg_mv[i] - a->ecg_mv[i] - m);
    CHECK_CLOSE(sqrt(v / a->n), 0.05, 0.08, 0);
    eo_synth_destroy(a);
    eo_synth_destroy(b);
    eo_synth_destroy(c);
}

TEST(ectopic_beats_premature_and_annotated)
{
    eo_synth_options o;
    eo_synth_defaults(&o);
    o.seconds = 120;
    o.hr_std_bpm = 0.5;
    o.ectopic_prob = 0.15;
    eo_rng r;
    eo_rng_seed(&r, 9);
    eo_synth *s = NULL;
    eo_error err;
    CHECK_OK(eo_synth_generate(&o, &r, &s, &err), &err);
    if (!s)
        return;
    size_t nv = 0, premature = 0, paused = 0;
    for (size_t b = 1; b + 1 < s->n_beats; b++) {
        if (s->beat_code[b] != 5)
            continue;
        nv++;
        double before = (double)(s->r_peak[b] - s->r_peak[b - 1]) / s->fs_hz;
        double after = (double)(s->r_peak[b + 1] - s->r_peak[b]) / s->fs_hz;
        premature += before < 0.8;
        paused += after > 1.2;
    }
    CHECK_MSG(nv >= 8 && nv <= 30, "%zu ectopic beats of %zu", nv, s->n_beats);
    CHECK(premature >= nv - 1);
    CHECK(paused >= nv - 1);
    eo_synth_destroy(s);
}

TEST(bad_options)
{
    eo_synth_options o;
    eo_rng r;
    eo_rng_seed(&r, 1);
    eo_synth *s = NULL;
    eo_error err;
    eo_synth_defaults(&o);
    o.fs_hz = 0;
    CHECK_EQ_INT(eo_synth_generate(&o, &r, &s, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "fs_hz") != NULL);
    eo_synth_defaults(&o);
    o.hr_mean_bpm = NAN;
    CHECK_EQ_INT(eo_synth_generate(&o, &r, &s, &err), EO_STATUS_OUT_OF_RANGE);
    eo_synth_defaults(&o);
    o.hr_mean_bpm = 400;
    CHECK_EQ_INT(eo_synth_generate(&o, &r, &s, &err), EO_STATUS_OUT_OF_RANGE);
    eo_synth_defaults(&o);
    o.seconds = -1;
    CHECK_EQ_INT(eo_synth_generate(&o, &r, &s, &err), EO_STATUS_OUT_OF_RANGE);
    eo_synth_defaults(&o);
    o.b[2] = 0;
    CHECK_EQ_INT(eo_synth_generate(&o, &r, &s, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "wave R") != NULL);
    eo_synth_defaults(&o);
    CHECK_EQ_INT(eo_synth_generate(&o, NULL, &s, &err), EO_STATUS_USAGE);
    CHECK(s == NULL);
    double rr[8];
    CHECK_EQ_INT(eo_synth_rr_process(&o, &r, 1.0, 7, rr, &err), EO_STATUS_OUT_OF_RANGE);
}

int main(void)
{
    RUN(heart_rate_and_length);
    RUN(hrv_std_follows_option);
    RUN(rr_spectrum_lf_hf_ratio);
    RUN(deterministic_and_noise);
    RUN(ectopic_beats_premature_and_annotated);
    RUN(bad_options);
    TEST_END();
}
