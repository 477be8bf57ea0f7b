/* Writes a report with every section of the report module on synthetic
 * data chosen to stress the layout (tall QRS complexes, beats close enough
 * for their labels to collide, bigeminy, long legend labels, short VMD
 * panels, many categories): the small stand-in for `ecgopt demo` that
 * tests/report/layout_check.sh opens in headless Chromium.
 * usage: report_layout_fixture OUT.html */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/report.h"

#define FS 360.0 /* N below is FS x SECONDS */
#define SECONDS 30
#define N (360 * SECONDS)

/* a Gaussian bump of height a (mV) and width w (s) at t0 */
static double bump(double t, double t0, double a, double w)
{
    double d = (t - t0) / w;
    return a * exp(-0.5 * d * d);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: report_layout_fixture OUT.html\n");
        return 2;
    }
    static double ecg[N], den[N], rec[N], errv[N];
    static long beats[64];
    static unsigned char normal[64];
    static eo_strip_mark marks[128];
    static const char *lab[4] = {"N", "V", "N/V", "-/+"};
    size_t nb = 0, nm = 0;
    /* bigeminy: N at 0.9 s steps, a tall V 0.45 s after each second N */
    for (double t = 0.5; t < SECONDS - 0.5 && nb < 60; t += 0.9) {
        int v = nb % 2 == 1;
        beats[nb] = (long)(t * FS);
        normal[nb] = (unsigned char)!v;
        nb++;
    }
    for (size_t i = 0; i < N; i++) {
        double t = (double)i / FS, x = 0.1 * sin(2 * M_PI * 0.3 * t);
        for (size_t b = 0; b < nb; b++) {
            double tb = (double)beats[b] / FS;
            if (fabs(t - tb) > 0.6)
                continue;
            if (normal[b])
                x += bump(t, tb - 0.16, 0.15, 0.02) + bump(t, tb, 2.2, 0.012) + bump(t, tb + 0.25, 0.35, 0.04);
            else
                x += bump(t, tb, -4.5, 0.03) + bump(t, tb + 0.05, 1.5, 0.02);
        }
        ecg[i] = x;
        den[i] = x * 0.97;
        rec[i] = x + 0.02 * sin(i * 0.7);
        errv[i] = ecg[i] - rec[i];
    }
    for (size_t b = 0; b < nb; b++) {
        marks[nm++] = (eo_strip_mark){beats[b], normal[b] ? "N" : "V", normal[b] ? "N" : (b % 4 == 1 ? "N" : "V")};
        if (b % 5 == 0) /* an extra detection 0.12 s later: labels collide */
            marks[nm++] = (eo_strip_mark){beats[b] + (long)(0.12 * FS), "-", "+"};
    }
    (void)lab;
    eo_error err;
    eo_status st = EO_STATUS_OK;
    eo_report *r = eo_report_create("ecgopt report layout fixture");
    if (!r)
        return 1;
    eo_strip_trace tr[4] = {{"original", ecg, N}, {"VMD-denoised", den, N}, {"reconstructed", rec, N},
                            {"error", errv, N}};
    eo_strip_options so;
    eo_strip_defaults(&so, FS);
    if (!st)
        st = eo_report_ecg_zoom(r, "fixture", &so, 20, 2, tr, 4, marks, nm, &err);
    /* classification */
    static const char *cls[7] = {"N", "S", "V", "F", "Q", "O", "X"};
    long cm[49] = {0};
    for (int i = 0; i < 49; i++)
        cm[i] = (i % 8 == 0) ? 12000 / (i + 1) : i % 3;
    eo_report_ec57_row rows[3] = {{"QRS", 3000, 2, 1, 99.93, 99.97, NAN},
                                  {"VEB", 800, 30, 5, 96.39, 99.38, 0.12},
                                  {"SVEB", 7, 0, 1, 100, 87.5, 0.03}};
    if (!st)
        st = eo_report_add_classification(r, "Beat classification", cls, 7, cm, 5, rows, 3, &err);
    /* denoising: long method names for the legend */
    static const char *noises[2] = {"baseline wander (NSTDB bw)", "muscle artefact (NSTDB ma)"};
    double snr_in[5] = {-6, 0, 6, 12, 18}, out[8][5];
    eo_report_curve dc[8];
    int of[8];
    static const char *methods[4] = {"band-pass 0.5-40 Hz", "wavelet db4", "median 200/600 ms", "VMD (tuned K, alpha)"};
    for (int k = 0; k < 8; k++) {
        for (int i = 0; i < 5; i++)
            out[k][i] = snr_in[i] + 6 - k % 4 + 0.1 * i;
        dc[k] = (eo_report_curve){methods[k % 4], snr_in, out[k], 5};
        of[k] = k / 4;
    }
    if (!st)
        st = eo_report_add_denoising(r, noises, 2, dc, of, 8, &err);
    /* VMD: K = 5 modes of the first 10 s */
    size_t nv = (size_t)(10 * FS);
    double *modes = malloc(sizeof(double) * 5 * nv), fc[5] = {0.3, 4.1, 11.8, 24.5, 61.0};
    static const char *fate[5] = {"baseline, corrected", "kept", "kept", "kept", "dropped (high frequency)"};
    if (!modes)
        return 1;
    for (int k = 0; k < 5; k++)
        for (size_t i = 0; i < nv; i++)
            modes[(size_t)k * nv + i] = ecg[i] / 5 + 0.05 * sin(2 * M_PI * fc[k] * (double)i / FS);
    if (!st)
        st = eo_report_add_vmd_modes(r, "VMD modes (K = 5)", FS, ecg, nv, modes, 5, fc, fate, 0, nv, &err);
    free(modes);
    /* compression: lossless, bounded and wavelet sweeps, one chosen */
    eo_report_rd_point rd[11] = {{"lossless", NULL, 2.93, 0, 0},
                                 {"bounded", "max error 1 adu", 4.72, 0.79, 0},
                                 {"bounded", "max error 2 adu", 5.95, 1.37, 0},
                                 {"bounded", "max error 4 adu", 7.64, 2.53, 1},
                                 {"bounded", "max error 8 adu", 9.80, 4.92, 0},
                                 {"bounded", "max error 16 adu", 13.04, 9.65, 0},
                                 {"wavelet", "target PRDN 1 %", 4.92, 0.98, 0},
                                 {"wavelet", "target PRDN 2 %", 9.08, 1.96, 0},
                                 {"wavelet", "target PRDN 4 %", 14.65, 3.91, 0},
                                 {"wavelet", "target PRDN 8 %", 24.63, 7.82, 0},
                                 {"wavelet", "target PRDN 15 %", 37.36, 14.67, 0}};
    if (!st)
        st = eo_report_add_rate_distortion(r, NULL, "shown in the strips", rd, 11, &err);
    /* RR: the bigeminy list with classes and a "detector" copy without */
    eo_report_rr_series rr[2] = {{"reference", beats, normal, nb}, {"detected", beats, NULL, nb}};
    if (!st)
        st = eo_report_add_rr(r, "RR intervals", FS, rr, 2, &err);
    /* convergence of 5 optimisers over decades */
    double conv[5][48];
    eo_report_curve cc[5];
    static const char *opt[5] = {"IAOA", "AOA", "GWO", "PSO", "random search"};
    for (int k = 0; k < 5; k++) {
        for (int i = 0; i < 48; i++)
            conv[k][i] = 1000.0 / (1 + i * (k + 1)) + 0.01;
        cc[k] = (eo_report_curve){opt[k], NULL, conv[k], 48};
    }
    if (!st)
        st = eo_report_add_convergence(r, "Convergence", "best fitness", cc, 5, 1, &err);
    /* a study's trials */
    double vals[40 * 2], fit[40];
    for (int t = 0; t < 40; t++) {
        vals[t * 2] = 2 + t % 11;
        vals[t * 2 + 1] = 100 * pow(100, (t % 7) / 6.0);
        fit[t] = t == 5 ? NAN : 7 + 0.1 * (t % 11) + 0.01 * (t % 7);
    }
    static const char *pn[2] = {"K", "alpha"};
    if (!st)
        st = eo_report_add_study(r, "Study", pn, 2, vals, fit, 40, &err);
    /* many categories */
    static const char *codes[14] = {"N", "L", "R", "A", "a", "J", "S", "V", "F", "[", "!", "]", "e", "j"};
    long counts[14];
    for (int i = 0; i < 14; i++)
        counts[i] = 2000 / (i + 1);
    if (!st)
        st = eo_report_add_counts(r, "Annotations by code", "annotations-by-code", codes, counts, 14, &err);
    eo_report_episode ep[4] = {{"(N", 0, 3000}, {"(B", 3000, 5000}, {"(T", 5000, 5200}, {"(N", 5200, (long)N}};
    if (!st)
        st = eo_report_add_episodes(r, "Rhythm episodes", FS, (long)N, ep, 4, &err);
    double e[12], tl[12], vl[12], ta[12], va[12];
    for (int i = 0; i < 12; i++) {
        e[i] = i + 1;
        tl[i] = 1.0 / (i + 1);
        vl[i] = 1.2 / (i + 1) + 0.1;
        ta[i] = 60 + 3 * i;
        va[i] = 58 + 2.5 * i;
    }
    if (!st)
        st = eo_report_add_training_x(r, "Training", "boosting round", "accuracy (%)", e, 12, tl, vl, ta, va, &err);
    if (!st)
        st = eo_report_write(r, argv[1], &err);
    eo_report_destroy(r);
    if (st) {
        fprintf(stderr, "report_layout_fixture: %s\n", err.msg);
        return 1;
    }
    return 0;
}
