/* Denoising methods: SNR gains on a synthetic ECG with baseline wander and
 * high-frequency noise, the IAOA-VMD report (search budget, mode actions),
 * search consistency with the MEE objective, determinism, bad input. */
#include "eo_test.h"

#include <stdlib.h>

#include "ecgopt/denoise.h"
#include "ecgopt/metrics.h"
#include "ecgopt/rng.h"

#define FS 250.0
#define N 1500 /* 6 s */

/* A beat train of Gaussian P, QRS and T waves at 75 bpm. */
static void clean_ecg(double *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / FS, v = 0;
        for (int b = -1; b < 10; b++) {
            double c = 0.4 + 0.8 * b;
            double d;
            d = t - (c - 0.16);
            v += 0.12 * exp(-d * d / (2 * 0.02 * 0.02));
            d = t - c;
            v += 1.0 * exp(-d * d / (2 * 0.012 * 0.012));
            d = t - (c + 0.25);
            v += 0.25 * exp(-d * d / (2 * 0.04 * 0.04));
        }
        x[i] = v;
    }
}

static void noisy_ecg(const double *clean, double *x, size_t n, double bw_amp, double hf_amp,
                      uint64_t seed)
{
    eo_rng r;
    eo_rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / FS;
        x[i] = clean[i] + bw_amp * sin(2 * M_PI * 0.3 * t + 0.5) + hf_amp * eo_rng_normal(&r) +
               0.5 * hf_amp * sin(2 * M_PI * 90.0 * t);
    }
}

/* SNR after removing the mean difference (no method promises the DC). */
static double snr_ac(const double *clean, const double *y, size_t n)
{
    double md = 0, num = 0, den = 0, mc = 0;
    for (size_t i = 0; i < n; i++) {
        md += y[i] - clean[i];
        mc += clean[i];
    }
    md /= n;
    mc /= n;
    for (size_t i = 0; i < n; i++) {
        double e = y[i] - clean[i] - md;
        num += (clean[i] - mc) * (clean[i] - mc);
        den += e * e;
    }
    return 10 * log10(num / den);
}

static double clean_[N], noisy_[N], out_[N];

TEST(methods_improve_snr)
{
    clean_ecg(clean_, N);
    noisy_ecg(clean_, noisy_, N, 0.4, 0.08, 3);
    double in = snr_ac(clean_, noisy_, N);
    eo_denoise_options o;
    eo_error err;
    const char *names[] = {"bandpass", "wavelet", "median", "vmd", "iaoa-vmd"};
    /* minimum gains (dB) each method must reach on this signal: the median
     * only removes wander; the wavelet method (too short for its level-8
     * approximation band at 250 Hz) removes the median baseline and shrinks
     * the bands above 10 Hz */
    const double min_gain[] = {6.0, 6.0, 3.0, 6.0, 6.0};
    for (int m = 0; m < 5; m++) {
        eo_denoise_defaults(&o);
        CHECK_OK(eo_denoise_method_parse(names[m], &o.method, &err), &err);
        CHECK(strcmp(eo_denoise_method_name(o.method), names[m]) == 0);
        o.population = 4;
        o.iterations = 3;
        eo_denoise_report rep;
        CHECK_OK(eo_denoise(noisy_, N, FS, &o, out_, &rep, &err), &err);
        double gain = snr_ac(clean_, out_, N) - in;
        CHECK_MSG(gain >= min_gain[m], "%s: gain %.2f dB < %.1f", names[m], gain, min_gain[m]);
        printf("     %s: input %.2f dB, gain %.2f dB\n", names[m], in, gain);
    }
    /* universal-threshold wavelet shrinkage removes nearly all of pure
     * white noise (Donoho & Johnstone: P(max |noise coef| > t) -> 0) */
    eo_rng r;
    eo_rng_seed(&r, 12);
    double ein = 0, eout = 0;
    for (size_t i = 0; i < N; i++) {
        noisy_[i] = 0.1 * eo_rng_normal(&r);
        ein += noisy_[i] * noisy_[i];
    }
    eo_denoise_defaults(&o);
    o.method = EO_DENOISE_WAVELET;
    o.wavelet_baseline_hz = 0; /* PyWavelets' recipe: every detail band shrunk */
    o.wavelet_min_hz = 0;
    CHECK_OK(eo_denoise(noisy_, N, FS, &o, out_, NULL, &err), &err);
    for (size_t i = 0; i < N; i++)
        eout += out_[i] * out_[i];
    CHECK_MSG(eout < 0.1 * ein, "wavelet on white noise kept %.1f%% of the energy", 100 * eout / ein);
}

TEST(iaoa_vmd_report)
{
    clean_ecg(clean_, N);
    noisy_ecg(clean_, noisy_, N, 0.4, 0.08, 4);
    eo_denoise_options o;
    eo_denoise_defaults(&o);
    CHECK_EQ_INT(o.method, EO_DENOISE_LEARNED); /* the default; this test is IAOA-VMD's */
    o.method = EO_DENOISE_IAOA_VMD;
    o.population = 4;
    o.iterations = 3;
    o.search_seconds = 4.0;
    eo_denoise_report rep;
    eo_error err;
    CHECK_OK(eo_denoise(noisy_, N, FS, &o, out_, &rep, &err), &err);
    CHECK(rep.K >= 2 && rep.K <= 12);
    CHECK(rep.alpha >= 100 && rep.alpha <= 10000);
    CHECK_EQ_INT(rep.vmd_evals, 4 * 3 + 1);
    CHECK(rep.vmd_iterations >= 1 && rep.vmd_iterations <= 500);
    CHECK(rep.mee > 0 && rep.mee < log(4.0 * FS) + 1e-9);
    CHECK_EQ_INT(rep.action[0], rep.center_hz[0] < 0.5 ? EO_MODE_BASELINE : EO_MODE_CORRECTED);
    for (int k = 1; k < rep.K; k++) {
        CHECK(rep.center_hz[k] >= rep.center_hz[k - 1]);
        CHECK_EQ_INT(rep.action[k], rep.center_hz[k] > 50.0 ? EO_MODE_DROPPED : EO_MODE_KEPT);
    }
    /* the same seed gives the same result */
    double again[N];
    eo_denoise_report rep2;
    CHECK_OK(eo_denoise(noisy_, N, FS, &o, again, &rep2, &err), &err);
    CHECK(memcmp(again, out_, sizeof again) == 0);
    CHECK_EQ_INT(rep2.K, rep.K);
    /* the search window's MEE at the chosen point is what the search reported */
    size_t w = (size_t)(4.0 * FS), off = (N - w) / 2;
    int K = 0;
    double alpha = 0, mee = 0, mee2 = 0;
    long long evals = 0;
    CHECK_OK(eo_denoise_search_vmd(noisy_ + off, w, FS, &o, &K, &alpha, &mee, &evals, &err), &err);
    CHECK_EQ_INT(evals, 12);
    CHECK_EQ_INT(K, rep.K);
    CHECK_CLOSE(alpha, rep.alpha, 1e-12, 0);
    eo_vmd *v = NULL;
    eo_vmd_options vo = o.vmd; /* the search's VMD settings */
    vo.max_iter = o.search_max_iter;
    vo.tol = o.search_tol;
    CHECK_OK(eo_vmd_create(&v, w, &vo, &err), &err);
    CHECK_OK(eo_vmd_mee_objective(v, noisy_ + off, FS, K, alpha, &mee2, &err), &err);
    CHECK_CLOSE(mee2, mee, 1e-12, 0);
    eo_vmd_destroy(v);
}

TEST(vmd_mode_rules)
{
    /* 3 Hz + 20 Hz + 100 Hz tones and 0.2 Hz drift: with K = 4 the 100 Hz mode
     * is dropped, the drift mode removed, 3 Hz and 20 Hz kept */
    double x[N], want[N];
    for (size_t i = 0; i < N; i++) {
        double t = i / FS;
        want[i] = sin(2 * M_PI * 3 * t) + 0.5 * sin(2 * M_PI * 20 * t);
        x[i] = want[i] + 2.0 * sin(2 * M_PI * 0.2 * t) + 0.3 * sin(2 * M_PI * 100 * t);
    }
    eo_denoise_options o;
    eo_denoise_defaults(&o);
    o.method = EO_DENOISE_VMD;
    o.vmd.K = 4;
    o.denoise_modes = 0;
    eo_denoise_report rep;
    eo_error err;
    CHECK_OK(eo_denoise(x, N, FS, &o, out_, &rep, &err), &err);
    CHECK_EQ_INT(rep.K, 4);
    CHECK_EQ_INT(rep.vmd_evals, 1);
    CHECK_CLOSE(rep.center_hz[1], 3.0, 0.05, 0);
    CHECK_CLOSE(rep.center_hz[2], 20.0, 0.02, 0);
    CHECK_CLOSE(rep.center_hz[3], 100.0, 0.02, 0);
    CHECK_EQ_INT(rep.action[0], EO_MODE_BASELINE);
    CHECK_EQ_INT(rep.action[1], EO_MODE_KEPT);
    CHECK_EQ_INT(rep.action[2], EO_MODE_KEPT);
    CHECK_EQ_INT(rep.action[3], EO_MODE_DROPPED);
    double snr = eo_snr_db(want + N / 10, out_ + N / 10, N - N / 5);
    CHECK_MSG(snr > 20.0, "SNR %.2f dB", snr);
    /* a lowest mode centred above lowest_max_hz is corrected, not removed */
    o.lowest_max_hz = 0.1;
    CHECK_OK(eo_denoise(x, N, FS, &o, out_, &rep, &err), &err);
    CHECK_EQ_INT(rep.action[0], EO_MODE_CORRECTED);
    o.remove_lowest = 0;
    CHECK_OK(eo_denoise(x, N, FS, &o, out_, &rep, &err), &err);
    CHECK_EQ_INT(rep.action[0], EO_MODE_KEPT);
    o.remove_lowest = 1;
    /* baseline correction of the lowest mode instead of removal: the drift
     * goes, the tones stay */
    o.lowest_max_hz = INFINITY;
    o.lowest_correct = 1;
    CHECK_OK(eo_denoise(x, N, FS, &o, out_, &rep, &err), &err);
    CHECK_EQ_INT(rep.action[0], EO_MODE_CORRECTED);
    snr = eo_snr_db(want + N / 10, out_ + N / 10, N - N / 5);
    CHECK_MSG(snr > 10.0, "corrected lowest mode: SNR %.2f dB", snr);
    o.lowest_correct = 0;
    /* drop_above_hz is an option */
    o.drop_above_hz = 150;
    CHECK_OK(eo_denoise(x, N, FS, &o, out_, &rep, &err), &err);
    CHECK_EQ_INT(rep.action[3], EO_MODE_KEPT);
}

/* issue 16: a lowest VMD mode at 1.13 Hz (T waves, ST on mitdb/233) must
 * not be discarded by the defaults; no mode centred between 0.5 Hz and
 * drop_above_hz is ever discarded, and the paper's rule is opt-in. */
TEST(defaults_never_discard_ecg_modes)
{
    double x[N], low[N];
    for (size_t i = 0; i < N; i++) {
        double t = i / FS;
        low[i] = sin(2 * M_PI * 1.13 * t);
        x[i] = low[i] + 0.5 * sin(2 * M_PI * 8 * t) + 0.3 * sin(2 * M_PI * 25 * t);
    }
    eo_denoise_options o;
    eo_denoise_defaults(&o);
    CHECK_CLOSE(o.lowest_max_hz, 0.5, 0, 0);
    o.method = EO_DENOISE_VMD;
    o.vmd.K = 3;
    o.denoise_modes = 0;
    eo_denoise_report rep;
    eo_error err;
    CHECK_OK(eo_denoise(x, N, FS, &o, out_, &rep, &err), &err);
    CHECK_CLOSE(rep.center_hz[0], 1.13, 0.1, 0);
    CHECK_EQ_INT(rep.action[0], EO_MODE_CORRECTED);
    for (int k = 0; k < rep.K; k++)
        if (rep.center_hz[k] > 0.5 && rep.center_hz[k] <= o.drop_above_hz)
            CHECK_MSG(rep.action[k] == EO_MODE_KEPT || rep.action[k] == EO_MODE_CORRECTED,
                      "mode %d at %.2f Hz discarded", k, rep.center_hz[k]);
    /* the 1.13 Hz component is still in the output: projection */
    double dot = 0, ll = 0;
    for (size_t i = N / 10; i < N - N / 10; i++) {
        dot += out_[i] * low[i];
        ll += low[i] * low[i];
    }
    /* (the 600 ms median of a pure 1.13 Hz sine takes about half of it;
     * removing the mode takes all of it) */
    CHECK_MSG(dot / ll > 0.3, "1.13 Hz component kept at %.2f of its amplitude", dot / ll);
    /* the paper's rule (always remove the lowest mode) only when asked */
    o.lowest_max_hz = INFINITY;
    CHECK_OK(eo_denoise(x, N, FS, &o, out_, &rep, &err), &err);
    CHECK_EQ_INT(rep.action[0], EO_MODE_BASELINE);
}

/* The wavelet method's defaults remove wander and noise on a signal long
 * enough for its 0.5 Hz approximation band (level 9 at 360 Hz). */
TEST(wavelet_defaults_remove_noise)
{
    enum { L = 7200 }; /* 20 s at 360 Hz */
    static double c[L], z[L], y[L];
    eo_rng r;
    eo_rng_seed(&r, 5);
    for (size_t i = 0; i < L; i++) {
        double t = i / 360.0, v = 0;
        double ph = fmod(t, 0.8) - 0.4;
        v = 1.0 * exp(-ph * ph / (2 * 0.012 * 0.012)) +
            0.25 * exp(-(ph - 0.25) * (ph - 0.25) / (2 * 0.04 * 0.04)) +
            0.12 * exp(-(ph + 0.16) * (ph + 0.16) / (2 * 0.02 * 0.02));
        c[i] = v;
        z[i] = v + 0.5 * sin(2 * M_PI * 0.15 * t) + 0.3 * sin(2 * M_PI * 0.33 * t + 1) +
               0.05 * eo_rng_normal(&r);
    }
    eo_denoise_options o;
    eo_denoise_defaults(&o);
    o.method = EO_DENOISE_WAVELET;
    eo_error err;
    CHECK_OK(eo_denoise(z, L, 360.0, &o, y, NULL, &err), &err);
    double gain = snr_ac(c, y, L) - snr_ac(c, z, L);
    printf("     wavelet defaults: gain %.2f dB\n", gain);
    CHECK_MSG(gain > 8.0, "wavelet gain %.2f dB", gain);
}

TEST(bad_input)
{
    double x[64], y[64];
    for (int i = 0; i < 64; i++)
        x[i] = sin(0.2 * i);
    eo_denoise_options o;
    eo_denoise_defaults(&o);
    eo_error err;
    eo_denoise_method m;
    CHECK_EQ_INT(eo_denoise_method_parse("kalman", &m, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "kalman") != NULL);
    x[7] = NAN;
    CHECK_EQ_INT(eo_denoise(x, 64, FS, &o, y, NULL, &err), EO_STATUS_NUMERIC);
    CHECK(strstr(err.msg, "samples 7-7 ") != NULL);
    x[8] = x[9] = NAN; /* a stretch: its whole range is named */
    CHECK_EQ_INT(eo_denoise(x, 64, FS, &o, y, NULL, &err), EO_STATUS_NUMERIC);
    CHECK(strstr(err.msg, "samples 7-9 ") != NULL);
    x[8] = x[9] = 0;
    x[7] = INFINITY;
    o.method = EO_DENOISE_BANDPASS;
    CHECK_EQ_INT(eo_denoise(x, 64, FS, &o, y, NULL, &err), EO_STATUS_NUMERIC);
    x[7] = 0;
    CHECK_EQ_INT(eo_denoise(x, 8, FS, &o, y, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "too short") != NULL);
    CHECK_EQ_INT(eo_denoise(x, 64, 0.0, &o, y, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    /* 40 Hz cut-off above the 30 Hz Nyquist of fs = 60 */
    CHECK(eo_denoise(x, 64, 60.0, &o, y, NULL, &err) != EO_STATUS_OK);
    /* K larger than the signal supports */
    o.method = EO_DENOISE_VMD;
    o.vmd.K = 40;
    CHECK_EQ_INT(eo_denoise(x, 64, FS, &o, y, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "supports") != NULL);
    o.vmd.K = 3;
    o.vmd.alpha = -1;
    CHECK_EQ_INT(eo_denoise(x, 64, FS, &o, y, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "alpha") != NULL);
    eo_denoise_defaults(&o);
    o.method = EO_DENOISE_IAOA_VMD;
    o.k_max = 40; /* 2*40 >= 64 */
    CHECK_EQ_INT(eo_denoise(x, 64, FS, &o, y, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    eo_denoise_defaults(&o);
    o.method = EO_DENOISE_IAOA_VMD;
    o.alpha_min = 0;
    CHECK_EQ_INT(eo_denoise(x, 64, FS, &o, y, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    eo_denoise_defaults(&o);
    o.method = EO_DENOISE_IAOA_VMD;
    o.optimizer = "no-such-optimizer";
    o.k_max = 6;
    CHECK(eo_denoise(x, 64, FS, &o, y, NULL, &err) != EO_STATUS_OK);
    CHECK(err.msg[0] != 0);
}

int main(void)
{
    RUN(methods_improve_snr);
    RUN(iaoa_vmd_report);
    RUN(vmd_mode_rules);
    RUN(defaults_never_discard_ecg_modes);
    RUN(wavelet_defaults_remove_noise);
    RUN(bad_input);
    TEST_END();
}
