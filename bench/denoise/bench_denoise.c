/* Denoising benchmark (bench/denoise/denoise.sh): every eo_denoise method on
 * clean MIT-BIH MLII segments + scaled NSTDB bw/ma noise and on the NSTDB
 * 118e / 119e records, against the SciPy band-pass and PyWavelets peers
 * run by denoise_prep.py on the same inputs.
 *
 * usage: bench_denoise DIR [METHODS]   (DIR from denoise_prep.py)
 * Metrics per case, on mean-removed signals (no method promises the DC):
 * SNR improvement (dB), RMSE (mV), PRDN (%), max |error| (mV), and the QRS
 * detector's Se / +P against the reference beats (150 ms match window).
 * Prints a table per noise type and input SNR, then lines ending in
 * ratio=<ecgopt/peer>. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/denoise.h"
#include "ecgopt/metrics.h"
#include "ecgopt/qrs.h"
#include "ecgopt/util.h"

#define MAXC 512
#define NM 6

typedef struct bcase {
    int id, snr;
    char noise[8], rec[16];
    size_t n;
    double fs;
    double peer_bp, peer_wv, peer_tbp, peer_twv, in_snr;
} bcase;

typedef struct acc {
    double dsnr, rmse, prdn, maxe, secs;
    long tp, fn, fp;
    int n;
    long long evals;
} acc;

static void *load(const char *dir, int id, const char *what, size_t *bytes)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/case_%d.%s", dir, id, what);
    unsigned char *d = NULL;
    eo_error err;
    if (eo_read_file(p, &d, bytes, &err)) {
        fprintf(stderr, "bench_denoise: %s\n", err.msg);
        exit(2);
    }
    return d;
}

static void demean(double *x, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        x[i] -= m;
}

/* beat-by-beat match, 150 ms window, each reference beat used once */
static void match(const long *ref, size_t nr, const long *det, size_t nd, long win, long *tp,
                  long *fn, long *fp)
{
    size_t j = 0, t = 0;
    for (size_t i = 0; i < nr; i++) {
        while (j < nd && det[j] < ref[i] - win)
            j++;
        if (j < nd && labs(det[j] - ref[i]) <= win) {
            t++;
            j++;
        }
    }
    *tp += (long)t;
    *fn += (long)(nr - t);
    *fp += (long)(nd - t);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_denoise DIR [METHOD,...]\n");
        return 1;
    }
    const char *dir = argv[1];
    /* the five eo_denoise methods, plus IAOA-VMD with baseline correction of
     * the lowest mode instead of its removal (lowest_correct = 1) */
    const char *methods[NM] = {"bandpass", "wavelet", "median", "vmd", "iaoa-vmd", "iaoa-vmd-bc"};
    int use[NM] = {1, 1, 1, 1, 1, 1};
    if (argc > 2) {
        for (int m = 0; m < NM; m++) {
            use[m] = 0;
            char list[256];
            snprintf(list, sizeof list, "%s", argv[2]);
            for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ","))
                if (strcmp(tok, methods[m]) == 0)
                    use[m] = 1;
        }
    }
    static bcase cs[MAXC];
    int nc = 0;
    char p[4200];
    snprintf(p, sizeof p, "%s/index.txt", dir);
    FILE *f = fopen(p, "r");
    snprintf(p, sizeof p, "%s/peer.txt", dir);
    FILE *g = fopen(p, "r");
    if (!f || !g) {
        fprintf(stderr, "bench_denoise: %s: index.txt/peer.txt missing (run denoise_prep.py)\n", dir);
        return 2;
    }
    while (nc < MAXC && fscanf(f, "%d %7s %d %15s %zu %lf", &cs[nc].id, cs[nc].noise, &cs[nc].snr,
                               cs[nc].rec, &cs[nc].n, &cs[nc].fs) == 6) {
        int id;
        if (fscanf(g, "%d %lf %lf %lf %lf %lf", &id, &cs[nc].peer_bp, &cs[nc].peer_wv,
                   &cs[nc].peer_tbp, &cs[nc].peer_twv, &cs[nc].in_snr) != 6 || id != cs[nc].id) {
            fprintf(stderr, "bench_denoise: peer.txt does not match index.txt at case %d\n", nc);
            return 2;
        }
        nc++;
    }
    fclose(f);
    fclose(g);

    /* groups: (noise, snr) in first-seen order */
    char gname[64][16];
    int gsnr[64], ng = 0, grp[MAXC];
    for (int c = 0; c < nc; c++) {
        int k;
        for (k = 0; k < ng; k++)
            if (strcmp(gname[k], cs[c].noise) == 0 && gsnr[k] == cs[c].snr)
                break;
        if (k == ng && ng < 64) {
            snprintf(gname[ng], sizeof gname[ng], "%s", cs[c].noise);
            gsnr[ng++] = cs[c].snr;
        }
        grp[c] = k;
    }
    static acc A[64][NM + 1]; /* NM = input (no denoising) */
    static double peer[64][5];
    memset(A, 0, sizeof A);
    memset(peer, 0, sizeof peer);
    double t_all = eo_time_now();
    for (int c = 0; c < nc; c++) {
        size_t nb = 0, na = 0;
        double *clean = load(dir, cs[c].id, "clean.f64", &nb);
        double *noisy = load(dir, cs[c].id, "noisy.f64", &nb);
        long long *ann = load(dir, cs[c].id, "ann.i64", &na);
        size_t n = nb / sizeof(double), nr = na / sizeof(long long);
        long *ref = malloc((nr + 1) * sizeof *ref);
        for (size_t i = 0; i < nr; i++)
            ref[i] = (long)ann[i];
        double *y = malloc(n * sizeof *y), *cm = malloc(n * sizeof *cm);
        memcpy(cm, clean, n * sizeof *cm);
        demean(cm, n);
        int gi = grp[c];
        peer[gi][0] += cs[c].peer_bp;
        peer[gi][1] += cs[c].peer_wv;
        peer[gi][2] += cs[c].peer_tbp;
        peer[gi][3] += cs[c].peer_twv;
        peer[gi][4] += cs[c].in_snr;
        for (int m = 0; m <= NM; m++) {
            if (m < NM && !use[m])
                continue;
            eo_error err;
            eo_denoise_report rep;
            memset(&rep, 0, sizeof rep);
            double t0 = eo_time_now();
            if (m < NM) {
                eo_denoise_options o;
                eo_denoise_defaults(&o);
                o.lowest_correct = m == 5;
                /* this benchmark is the earlier one (docs/denoise.md): its wavelet
                 * column is PyWavelets' recipe, compared with the peer; its
                 * iaoa-vmd column the paper's rule (lowest mode always removed) */
                o.wavelet_baseline_hz = 0;
                o.wavelet_min_hz = 0;
                o.lowest_max_hz = INFINITY;
                eo_denoise_method_parse(m == 5 ? "iaoa-vmd" : methods[m], &o.method, &err);
                if (eo_denoise(noisy, n, cs[c].fs, &o, y, &rep, &err)) {
                    fprintf(stderr, "bench_denoise: case %d %s: %s\n", cs[c].id, methods[m], err.msg);
                    return 3;
                }
            } else {
                memcpy(y, noisy, n * sizeof *y);
            }
            double dt = eo_time_now() - t0;
            demean(y, n);
            eo_fidelity fd = eo_fidelity_of(cm, y, n, 0.0);
            acc *a = &A[gi][m];
            a->dsnr += fd.snr_db; /* minus the input SNR below */
            a->rmse += fd.rmse;
            a->prdn += fd.prdn;
            a->maxe += fd.max_abs_error;
            a->secs += dt;
            a->evals += rep.vmd_evals;
            a->n++;
            eo_qrs_options qo;
            eo_qrs_defaults(&qo, cs[c].fs);
            long *det = NULL;
            size_t nd = 0;
            if (eo_qrs_detect(y, n, &qo, &det, &nd, &err) == EO_STATUS_OK)
                match(ref, nr, det, nd, (long)llround(0.15 * cs[c].fs), &a->tp, &a->fn, &a->fp);
            free(det);
        }
        for (int m = 0; m < NM; m++) /* improvement = output SNR - input SNR */
            if (use[m])
                A[gi][m].dsnr -= cs[c].in_snr;
        free(clean);
        free(noisy);
        free(ann);
        free(ref);
        free(y);
        free(cm);
        fprintf(stderr, "\rcase %d/%d", c + 1, nc);
    }
    fprintf(stderr, "\n");
    printf("# %d cases, %.1f s total; metrics on mean-removed signals, means over the records\n",
           nc, eo_time_now() - t_all);
    printf("# %-5s %4s %7s | %-11s %7s %7s %7s %7s %6s %6s %7s\n", "noise", "snr", "in_dB",
           "method", "dSNR", "RMSE", "PRDN%", "maxerr", "Se%", "+P%", "s/case");
    for (int k = 0; k < ng; k++) {
        int cnt = A[k][NM].n;
        for (int m = 0; m <= NM; m++) {
            acc *a = &A[k][m];
            if (!a->n)
                continue;
            printf("  %-5s %4d %7.2f | %-11s %7.2f %7.4f %7.2f %7.4f %6.2f %6.2f %7.3f\n", gname[k],
                   gsnr[k], peer[k][4] / cnt, m < NM ? methods[m] : "(input)",
                   m < NM ? a->dsnr / a->n : 0.0, a->rmse / a->n, a->prdn / a->n, a->maxe / a->n,
                   100.0 * a->tp / fmax(1, a->tp + a->fn), 100.0 * a->tp / fmax(1, a->tp + a->fp),
                   a->secs / a->n);
        }
        printf("  %-5s %4d %7.2f | %-9s %7.2f   (SciPy sosfiltfilt)\n", gname[k], gsnr[k],
               peer[k][4] / cnt, "peer-bp", peer[k][0] / cnt);
        printf("  %-5s %4d %7.2f | %-9s %7.2f   (PyWavelets)\n", gname[k], gsnr[k], peer[k][4] / cnt,
               "peer-wav", peer[k][1] / cnt);
    }
    /* ratio lines: IAOA-VMD's SNR gain over the SciPy band-pass's, and the
     * ecgopt band-pass / wavelet against their peers (should be 1) */
    for (int k = 0; k < ng; k++) {
        int cnt = A[k][NM].n;
        double pb = peer[k][0] / cnt, pw = peer[k][1] / cnt;
        if (use[4] && A[k][4].n)
            printf("denoise %s snr=%d iaoa-vmd dSNR=%.2f dB vs scipy-bandpass %.2f dB (evals/case %.0f) "
                   "ratio=%.3f\n",
                   gname[k], gsnr[k], A[k][4].dsnr / A[k][4].n, pb,
                   (double)A[k][4].evals / A[k][4].n, (A[k][4].dsnr / A[k][4].n) / pb);
        if (use[5] && A[k][5].n)
            printf("denoise %s snr=%d iaoa-vmd-bc dSNR=%.2f dB vs scipy-bandpass %.2f dB ratio=%.3f\n",
                   gname[k], gsnr[k], A[k][5].dsnr / A[k][5].n, pb, (A[k][5].dsnr / A[k][5].n) / pb);
        if (use[0] && A[k][0].n)
            printf("denoise %s snr=%d bandpass dSNR=%.2f dB vs scipy %.2f dB ratio=%.3f\n", gname[k],
                   gsnr[k], A[k][0].dsnr / A[k][0].n, pb, (A[k][0].dsnr / A[k][0].n) / pb);
        if (use[1] && A[k][1].n)
            printf("denoise %s snr=%d wavelet dSNR=%.3f dB vs pywt %.3f dB ratio=%.3f\n", gname[k],
                   gsnr[k], A[k][1].dsnr / A[k][1].n, pw, (A[k][1].dsnr / A[k][1].n) / pw);
    }
    double tb = 0, tpb = 0;
    int nb_ = 0;
    for (int k = 0; k < ng; k++) {
        tb += A[k][0].secs;
        nb_ += A[k][0].n;
        tpb += peer[k][2];
    }
    if (use[0] && nb_)
        printf("denoise bandpass time per 10-s case %.3g s vs scipy %.3g s ratio=%.3f\n", tb / nb_,
               tpb / nb_, tb / tpb);
    return 0;
}
