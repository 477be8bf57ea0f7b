/* The beat template (beat_template.c): known answers on synthetic beat
 * trains, the ownership split of the RR interval, the too-few-beats
 * fallback, argument checks, and the detector path on a real record. */
#include "eo_test.h"

#include <math.h>
#include <stdlib.h>

#include "ecgopt/denoise.h"
#include "ecgopt/qrs.h"

enum { N = 2000, RR = 200, NB = 10 };

/* a beat shape: a narrow "QRS" at offset 0 and a wide "T" at +60 */
static double shape(long d)
{
    return exp(-0.5 * (double)(d * d) / 9.0) + 0.3 * exp(-0.5 * (double)((d - 60) * (d - 60)) / 200.0);
}

/* beats at 100, 300, ..., 1900; p = the shape around the owning beat */
static void beat_train(double *p, long *beats)
{
    for (int k = 0; k < NB; k++)
        beats[k] = 100 + (long)k * RR;
    for (long i = 0; i < N; i++) {
        int j = 0;
        while (j + 1 < NB && (double)i >= (double)beats[j] + 0.62 * RR)
            j++;
        p[i] = shape(i - beats[j]);
    }
}

/* Noise on one beat only: the median over 9 beats gives back the clean
 * shape there exactly; away from it the template equals the signal. */
TEST(median_removes_one_noisy_beat)
{
    static double p[N], t[N], clean[N];
    long beats[NB];
    beat_train(clean, beats);
    beat_train(p, beats);
    for (long i = 900; i < 1100; i++) /* the beat at 900 and its neighbourhood */
        p[i] += 0.5 * sin(0.37 * (double)i);
    eo_error err;
    CHECK_OK(eo_denoise_beat_template_at(p, N, 360.0, beats, NB, 4, EO_TEMPLATE_ALL, t, NULL, &err), &err);
    double emax = 0, pmax = 0;
    for (long i = 900; i < 1000; i++) {
        emax = fmax(emax, fabs(t[i] - clean[i]));
        pmax = fmax(pmax, fabs(p[i] - clean[i]));
    }
    CHECK(pmax > 0.4);
    CHECK_CLOSE(emax, 0.0, 0, 1e-12);
    /* far from the noisy stretch every beat agrees: t = p */
    for (long i = 1300; i < 1700; i++)
        CHECK_CLOSE(t[i], p[i], 0, 1e-12);
}

/* Sample R + 0.62 RR belongs to the next beat: its value comes from
 * offsets before the next beats' R, not after the earlier ones'. */
TEST(rr_split_assigns_p_to_the_next_beat)
{
    static double p[N], t[N];
    long beats[NB];
    beat_train(p, beats);
    /* mark the offsets so that the owner is visible: odd beats' values
     * after R are shifted, before R not */
    for (long i = 0; i < N; i++)
        p[i] = (double)i;
    eo_error err;
    CHECK_OK(eo_denoise_beat_template_at(p, N, 360.0, beats, NB, 2, EO_TEMPLATE_ALL, t, NULL, &err), &err);
    /* a ramp is its own template at every sample whose neighbours all
     * lie in the signal: median of i + k RR over k = -2..2 is i */
    CHECK_CLOSE(t[1000], 1000.0, 0, 1e-12);
    /* sample 500 + 124 = 624 (0.62 x 200 after the beat at 500) is owned by
     * 700: offsets -76 around 300 500 700 900 1100 -> median 624 */
    CHECK_CLOSE(t[624], 624.0, 0, 1e-12);
    /* at the start, sample 10 belongs to beat 100 (offset -90): beats 100
     * 300 500 give 10 210 410 -> median 210 (fewer neighbours before) */
    CHECK_CLOSE(t[10], 210.0, 0, 1e-12);
}

/* A 1.2-s gap without beats (a pause, a flat line): samples more than 1.5 s
 * after or 0.8 s before their beat's R keep the signal itself; nearer
 * ones get the median as usual.  On a ramp the values are known. */
TEST(long_gaps_keep_the_signal)
{
    static double p[N], t[N];
    long beats[5] = {100, 300, 500, 700, 1900};
    for (long i = 0; i < N; i++)
        p[i] = (double)i;
    eo_error err;
    CHECK_OK(eo_denoise_beat_template_at(p, N, 360.0, beats, 5, 2, EO_TEMPLATE_ALL, t, NULL, &err), &err);
    /* 1000: beat 700's, 300 samples after it: 500+300 700+300 300+300 (1900+300
     * is past the end) -> median 800 */
    CHECK_CLOSE(t[1000], 800.0, 0, 1e-12);
    /* 1300: 600 samples (1.67 s) after 700, beyond the reach: the signal */
    CHECK_CLOSE(t[1300], 1300.0, 0, 1e-12);
    /* 1500: beat 1900's, 400 samples (1.1 s) before it: the signal */
    CHECK_CLOSE(t[1500], 1500.0, 0, 1e-12);
    /* 1700: 200 samples before 1900: 500-200 700-200 1900-200 -> 500 */
    CHECK_CLOSE(t[1700], 500.0, 0, 1e-12);
}

TEST(too_few_beats_and_bad_arguments)
{
    static double p[N], t[N];
    long beats[2] = {500, 900};
    for (long i = 0; i < N; i++)
        p[i] = sin(0.01 * (double)i);
    eo_error err;
    CHECK_OK(eo_denoise_beat_template_at(p, N, 360.0, beats, 2, 4, EO_TEMPLATE_ALL, t, NULL, &err), &err);
    for (long i = 0; i < N; i++)
        CHECK_CLOSE(t[i], p[i], 0, 0);
    CHECK_EQ_INT(eo_denoise_beat_template_at(p, N, 360.0, beats, 2, 0, EO_TEMPLATE_ALL, t, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_denoise_beat_template_at(p, N, 360.0, beats, 2, 17, EO_TEMPLATE_ALL, t, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_denoise_beat_template_at(NULL, N, 360.0, beats, 2, 4, EO_TEMPLATE_ALL, t, NULL, &err), EO_STATUS_USAGE);
    CHECK_EQ_INT(eo_denoise_beat_template_at(p, N, 360.0, NULL, 2, 4, EO_TEMPLATE_ALL, t, NULL, &err), EO_STATUS_USAGE);
    /* a flat line has no beats: the template is the line */
    for (long i = 0; i < N; i++)
        p[i] = 0.25;
    CHECK_OK(eo_denoise_beat_template(p, N, 360.0, 4, EO_TEMPLATE_ALL, t, NULL, &err), &err);
    for (long i = 0; i < N; i++)
        CHECK_CLOSE(t[i], 0.25, 0, 0);
}

/* On a real record (MIT-BIH 100, 60 s of MLII, 0.5 Hz high-pass) the
 * template of a clean signal is close to it: the median of 9 regular
 * beats is the beat. */
TEST(template_of_a_clean_record_is_close_to_it)
{
    double *x = NULL, fs = 0;
    size_t n = 0;
    eo_error err;
    if (eo_denoise_load_lead(EO_TEST_DATA_DIR, "mitdb/100", "MLII", 0, &x, &n, &fs, &err)) {
        printf("     skipped: %s\n", err.msg);
        return;
    }
    enum { M = 60 * 360 };
    static double h[M], t[M];
    CHECK_OK(eo_denoise_highpass_ref(x, M, fs, h, &err), &err);
    CHECK_OK(eo_denoise_beat_template(h, M, fs, 4, EO_TEMPLATE_ALL, t, NULL, &err), &err);
    double e = 0, s = 0;
    for (size_t i = 360; i < M - 360; i++) {
        e += (t[i] - h[i]) * (t[i] - h[i]);
        s += h[i] * h[i];
    }
    double prd = 100 * sqrt(e / s);
    printf("     record 100, 60 s: template PRD %.1f %%\n", prd);
    CHECK_MSG(prd < 25 && prd > 0.5, "template PRD %.2f %%", prd);
    free(x);
}

/* The same stretch with NSTDB ma (channel 0) added at 0 dB: the template
 * (beats found by the detector on the noisy signal and aligned on each
 * other) keeps the ECG and drops most of the noise; the detector's beats
 * without the alignment give a worse template (their jitter smears the
 * QRS).  When written: input PRD 61.2 %, template 27.1 %, unaligned 31.8 %. */
TEST(template_of_a_noisy_record_drops_the_noise)
{
    double *x = NULL, *nz = NULL, fs = 0;
    size_t n = 0, nn = 0;
    eo_error err;
    if (eo_denoise_load_lead(EO_TEST_DATA_DIR, "mitdb/100", "MLII", 0, &x, &n, &fs, &err) ||
        eo_denoise_load_lead(EO_TEST_DATA_DIR, "nstdb/ma", NULL, 0, &nz, &nn, &fs, &err)) {
        printf("     skipped: %s\n", err.msg);
        free(x);
        return;
    }
    enum { M = 60 * 360 };
    static double h[M], z[M], hz[M], t[M];
    CHECK_OK(eo_denoise_highpass_ref(x, M, fs, h, &err), &err);
    double ph = 0, pn = 0;
    for (size_t i = 0; i < M; i++) {
        ph += h[i] * h[i];
        pn += nz[i] * nz[i];
    }
    for (size_t i = 0; i < M; i++)
        z[i] = x[i] + sqrt(ph / pn) * nz[i];
    CHECK_OK(eo_denoise_highpass_ref(z, M, fs, hz, &err), &err);
    CHECK_OK(eo_denoise_beat_template(hz, M, fs, 8, EO_TEMPLATE_ALL, t, NULL, &err), &err);
    static double tu[M];
    eo_qrs_options qo;
    eo_qrs_defaults(&qo, fs);
    long *beats = NULL;
    size_t nb = 0;
    CHECK_OK(eo_qrs_detect(hz, M, &qo, &beats, &nb, &err), &err);
    CHECK_OK(eo_denoise_beat_template_at(hz, M, fs, beats, nb, 8, EO_TEMPLATE_ALL, tu, NULL, &err), &err);
    free(beats);
    double et = 0, ez = 0, eu = 0, s = 0;
    for (size_t i = 360; i < M - 360; i++) {
        et += (t[i] - h[i]) * (t[i] - h[i]);
        eu += (tu[i] - h[i]) * (tu[i] - h[i]);
        ez += (hz[i] - h[i]) * (hz[i] - h[i]);
        s += h[i] * h[i];
    }
    double prd_t = 100 * sqrt(et / s), prd_z = 100 * sqrt(ez / s), prd_u = 100 * sqrt(eu / s);
    printf("     record 100 + ma 0 dB, 60 s: noisy PRD %.1f %%, template PRD %.1f %% (unaligned %.1f %%)\n",
           prd_z, prd_t, prd_u);
    CHECK_MSG(prd_z > 55 && prd_z < 70, "noisy PRD %.1f %%", prd_z);
    CHECK_MSG(prd_t < 0.5 * prd_z, "template PRD %.1f %% against the input's %.1f %%", prd_t, prd_z);
    CHECK_MSG(prd_t < 0.9 * prd_u, "aligned template PRD %.1f %%, unaligned %.1f %%", prd_t, prd_u);
    free(x);
    free(nz);
}

/* Beats 1, 3, 5 and 7 are wide inverted "PVCs".  The template of all 4
 * neighbours each side gives beat 5 a normal beat's shape (the median of 5
 * normal and 4 PVC values); the template of similar beats gives each beat
 * its own kind (here exactly the signal) wherever 4 beats of that kind are
 * within reach (a kind with fewer, like a lone PVC, is treated as all). */
static double pvc_shape(long d)
{
    return -0.8 * exp(-0.5 * (double)(d * d) / 100.0) + 0.4 * exp(-0.5 * (double)((d - 70) * (d - 70)) / 300.0);
}

TEST(similar_beats_give_an_ectopic_beat_its_own_template)
{
    static double p[N], t[N];
    long beats[NB];
    beat_train(p, beats);
    for (long i = 0; i < N; i++) {
        int j = 0;
        while (j + 1 < NB && (double)i >= (double)beats[j] + 0.62 * RR)
            j++;
        if (j % 2 && j < 8)
            p[i] = pvc_shape(i - beats[j]);
    }
    eo_error err;
    CHECK_OK(eo_denoise_beat_template_at(p, N, 360.0, beats, NB, 4, EO_TEMPLATE_ALL, t, NULL, &err), &err);
    /* all: the PVC of beat 5 (R at 1100) gets a mixed template */
    double eall = 0, esim = 0;
    for (long i = 1100 - 40; i < 1100 + 100; i++)
        eall = fmax(eall, fabs(t[i] - p[i]));
    CHECK(eall > 0.5);
    CHECK_OK(eo_denoise_beat_template_at(p, N, 360.0, beats, NB, 4, EO_TEMPLATE_SIMILAR, t, NULL, &err), &err);
    /* away from the cross-fades at the RR splits (+-18 samples around
     * R + 124 and R - 76) every beat has its own kind */
    for (int k = 4; k <= 6; k++)
        for (long i = beats[k] - 55; i < beats[k] + 105; i++)
            esim = fmax(esim, fabs(t[i] - p[i]));
    CHECK_CLOSE(esim, 0.0, 0, 1e-12);
    CHECK_EQ_INT(eo_denoise_beat_template_at(p, N, 360.0, beats, NB, 4, 2, t, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(eo_template_select_parse("similar") == EO_TEMPLATE_SIMILAR &&
          eo_template_select_parse("all") == EO_TEMPLATE_ALL && eo_template_select_parse("x") < 0);
}

/* The spread: beats scaled by 1, 1.1, 1.2, 1, 1.1, ... around beat 4 (all 9
 * of j-4 .. j+4): the median is 1.1 x shape, the absolute deviations are
 * 0 (3 beats) and 0.1 x shape (6 beats), so the spread is 0.1 x |shape|
 * at every offset away from the cross-fades; identical beats: 0. */
TEST(spread_is_the_median_absolute_deviation)
{
    static double p[N], t[N], sp[N];
    long beats[NB];
    beat_train(p, beats);
    eo_error err;
    CHECK_OK(eo_denoise_beat_template_at(p, N, 360.0, beats, NB, 4, EO_TEMPLATE_ALL, t, sp, &err), &err);
    double smax = 0;
    for (long i = 0; i < N; i++)
        smax = fmax(smax, fabs(sp[i]));
    CHECK_CLOSE(smax, 0.0, 0, 1e-15);
    for (long i = 0; i < N; i++) {
        int j = 0;
        while (j + 1 < NB && (double)i >= (double)beats[j] + 0.62 * RR)
            j++;
        p[i] *= 1.0 + 0.1 * (j % 3);
    }
    CHECK_OK(eo_denoise_beat_template_at(p, N, 360.0, beats, NB, 4, EO_TEMPLATE_ALL, t, sp, &err), &err);
    for (long i = beats[4] - 55; i < beats[4] + 105; i++) {
        CHECK_CLOSE(t[i], 1.1 * shape(i - beats[4]), 0, 1e-12);
        CHECK_CLOSE(sp[i], 0.1 * fabs(shape(i - beats[4])), 0, 1e-12);
    }
    /* no template (fewer than 3 beats): t = p, spread 0 */
    CHECK_OK(eo_denoise_beat_template_at(p, N, 360.0, beats, 2, 4, EO_TEMPLATE_ALL, t, sp, &err), &err);
    smax = 0;
    for (long i = 0; i < N; i++)
        smax = fmax(smax, fabs(sp[i]));
    CHECK_CLOSE(smax, 0.0, 0, 0);
}

int main(void)
{
    RUN(median_removes_one_noisy_beat);
    RUN(rr_split_assigns_p_to_the_next_beat);
    RUN(spread_is_the_median_absolute_deviation);
    RUN(similar_beats_give_an_ectopic_beat_its_own_template);
    RUN(long_gaps_keep_the_signal);
    RUN(too_few_beats_and_bad_arguments);
    RUN(template_of_a_clean_record_is_close_to_it);
    RUN(template_of_a_noisy_record_drops_the_noise);
    TEST_END();
}
