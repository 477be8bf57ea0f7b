/* Morphology-aware denoising benchmark (bench/denoise/denoise_morph.sh,
 * docs/denoise.md "Benchmark: morphology, SNR, electrode motion").
 *
 * usage: bench_denoise_morph MODE [METHODS] [--model FILE.eom] [--data DIR] [--segments N] [--val] [--val-noise-tail F] [--by-record] [--val-records A,B] [--val-em-like S] [--noise-scale F] [--input-gain G]
 *   MODE beats : DeepFilter-style beat benchmark (Romero et al. 2021): DS2
 *                records, 20-s segments with NSTDB bw or ma noise of channel
 *                1 (the learned model saw channel 0 only) at a random
 *                amplitude (noise peak = U(0.2, 2) x ECG peak, as DeepFilter's
 *                data preparation), per-beat SSD, MAD, PRD, DeepFilter's PRD,
 *                cosine, ST (J+60 ms) and T-peak amplitude errors; with
 *                --val the DS1 validation records 122 230 and noise channel 0
 *                instead (model selection; never DS2 or channel 1)
 *        snr   : whole-segment SNR improvement at -6..24 dB, bw / ma channel 1,
 *                10 DS2 records, 10 s from 1:00; QRS Se / +P; with --val
 *                the validation records and channel 0 instead
 *   --val-em-like S (with --val, beats and snr): an em-like third noise,
 *                bw channel 0 read S times faster (an electrode-motion proxy
 *                for selection; the real test is the em mode)
 *        em    : NSTDB 118e_6 118e00 118e06 119e_6 119e00 119e06 (whole
 *                records, MLII) against clean 118 / 119: everything passes
 *                the same zero-phase order-2 0.5 Hz high-pass, SNR over the
 *                noisy stretches only (from 5:00, 2 min noisy, 2 min clean
 *                alternating); QRS Se / +P on the whole record
 *        speed : the learned model on a whole 30-min two-lead record (100)
 *   METHODS: comma list of bandpass wavelet median vmd iaoa-vmd-bc fir-df
 *            iir-df learned (default all).
 * Lines end in ratio=<...> where a comparison is made. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ecgopt/beats.h"
#include "ecgopt/denoise.h"
#include "ecgopt/qrs.h"
#include "ecgopt/resample.h"
#include "ecgopt/wfdb.h"
#include "ecgopt/rng.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

#define NM 8
static const char *const mnames[NM] = {"bandpass", "wavelet", "median", "vmd",
                                       "iaoa-vmd-bc", "fir-df", "iir-df", "learned"};
static const double FS = 360.0;
static const char *data_dir = EO_BENCH_DATA_DIR;
static eo_denoise_model *model;
/* --val: the beat benchmark on DS1's held-out validation records (122, 230:
 * never trained on) with the training noise channel 0, for model selection
 * without touching DS2 or channel 1 */
static int beats_val;
static const char *val_recs[22] = {"122", "230"};
/* --val-records A,B,...: other DS1 records for --val (e.g. training records
 * with the held-out noise tail, to see AF and PVC-rich patients; the model
 * has seen their clean ECG, so only a comparison of models trained on the
 * same records means anything), or records of another database named with
 * their folder (svdb/800: patients no model was trained on, resampled
 * here from 128 Hz to 360 Hz with their beats) */
static int n_val_recs = 2;
static double val_noise_tail;
/* --by-record: the beat benchmark's mean SSD per record too */
static int by_record;
/* --val-em-like S: with --val, a third noise, an electrode-motion proxy:
 * NSTDB bw channel 0 read S times faster, which moves its wander into
 * electrode motion's 0.5-5 Hz band (the training's em-like noise; the real
 * em record is not in the data and 118e/119e are test records) */
static double val_em_speed;
/* --noise-scale F (beats): the noise amplitude times F (0: the clean
 * segment itself, so the SSD is what a method does to a clean signal);
 * --input-gain G (beats): the noisy segment times G before the method and
 * its output divided by G (how a learned model depends on the amplitude) */
static double noise_scale = 1, input_gain = 1;
static const char *const noise_names[3] = {"nstdb/bw", "nstdb/ma", "nstdb/em-like"};

static double *load(const char *rec, const char *lead, int fallback, size_t *n);

/* noise nz (0 bw, 1 ma, 2 em-like) of the channel the mode uses */
static double *load_noise(int nz, int channel, size_t *nn)
{
    double *noise = load(nz == 2 ? noise_names[0] : noise_names[nz], NULL, channel, nn);
    if (nz != 2)
        return noise;
    size_t m = (size_t)((double)(*nn - 2) / val_em_speed);
    double *e = malloc(m * sizeof *e);
    if (!e) {
        fprintf(stderr, "bench_denoise_morph: out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < m; i++) {
        double t = val_em_speed * (double)i, f = t - floor(t);
        size_t k = (size_t)t;
        e[i] = (1 - f) * noise[k] + f * noise[k + 1];
    }
    free(noise);
    *nn = m;
    return e;
}

static void die(const char *what, const eo_error *err)
{
    fprintf(stderr, "bench_denoise_morph: %s: %s\n", what, err->msg);
    exit(2);
}

/* ---- DeepFilter's classical filters (its digitalFilters code): FIR
 * high-pass 0.67 Hz, Kaiser window from kaiserord(ripple (round(60)+1)/4.5 dB,
 * width 0.07 Hz), then the same design as a 150 Hz low-pass, each applied
 * forward and backward; IIR Butterworth order 4 high-pass 0.67 Hz and
 * low-pass 150 Hz with filtfilt. */
static double i0(double x)
{
    double s = 1, t = 1;
    for (int k = 1; k < 60; k++) {
        t *= (x / (2 * k)) * (x / (2 * k));
        s += t;
    }
    return s;
}

static double *fir_design(double fc_hz, int highpass, int *ntaps)
{
    double nyq = FS / 2, width = 0.07 / nyq, A = (round(-20 * log10(0.001)) + 1) / 4.5;
    /* scipy.signal.kaiserord */
    double beta = A > 50 ? 0.1102 * (A - 8.7) : A > 21 ? 0.5842 * pow(A - 21, 0.4) + 0.07886 * (A - 21) : 0;
    int N = (int)ceil((A - 7.95) / 2.285 / (M_PI * width) + 1);
    if (highpass && N % 2 == 0)
        N++; /* a high-pass FIR needs an odd length (firwin) */
    double *h = malloc((size_t)N * sizeof *h), c = fc_hz / nyq, s = 0;
    double alpha = 0.5 * (N - 1);
    for (int i = 0; i < N; i++) {
        double m = i - alpha, r = (i - alpha) / alpha;
        double win = i0(beta * sqrt(fmax(0, 1 - r * r))) / i0(beta);
        /* firwin: lowpass c sinc(c m); highpass delta - lowpass */
        double lp = c * (fabs(m) < 1e-12 ? 1.0 : sin(M_PI * c * m) / (M_PI * c * m));
        h[i] = (highpass ? ((fabs(m) < 1e-12 ? 1.0 : 0.0) - lp) : lp) * win;
    }
    /* firwin scales for unit gain at 0 (low-pass) or at Nyquist (high-pass) */
    for (int i = 0; i < N; i++)
        s += highpass ? h[i] * ((i % 2) ? -1 : 1) * (((N - 1) / 2 % 2) ? -1 : 1) : h[i];
    for (int i = 0; i < N; i++)
        h[i] /= s;
    *ntaps = N;
    return h;
}

/* scipy filtfilt(h, 1, x): odd extension of 3 N samples each side */
static void fir_filtfilt(const double *h, int N, const double *x, size_t n, double *y)
{
    size_t pad = (size_t)3 * (size_t)N;
    if (pad >= n)
        pad = n - 1;
    size_t L = n + 2 * pad;
    double *e = malloc(L * sizeof *e), *f = malloc(L * sizeof *f);
    for (size_t i = 0; i < pad; i++) {
        e[i] = 2 * x[0] - x[pad - i];
        e[pad + n + i] = 2 * x[n - 1] - x[n - 2 - i];
    }
    memcpy(e + pad, x, n * sizeof *x);
    for (int pass = 0; pass < 2; pass++) {
        /* causal FIR with lfilter_zi-like steady start: start from e[0] */
        for (size_t i = 0; i < L; i++) {
            double s = 0;
            for (int k = 0; k < N; k++)
                s += h[k] * (i >= (size_t)k ? e[i - (size_t)k] : e[0]);
            f[i] = s;
        }
        for (size_t i = 0; i < L; i++)
            e[i] = f[L - 1 - i];
    }
    memcpy(y, e + pad, n * sizeof *y);
    free(e);
    free(f);
}

static void run_fir(const double *x, size_t n, double *y)
{
    static double *hh, *hl;
    static int nh, nl;
    if (!hh) {
        hh = fir_design(0.67, 1, &nh);
        hl = fir_design(150.0, 0, &nl);
    }
    double *t = malloc(n * sizeof *t);
    fir_filtfilt(hh, nh, x, n, t);
    fir_filtfilt(hl, nl, t, n, y);
    free(t);
}

static void run_iir(const double *x, size_t n, double *y)
{
    double b[9], a[9];
    int nc = 0;
    eo_error err;
    double *t = malloc(n * sizeof *t);
    if (eo_butter_ba(4, EO_FILTER_HIGHPASS, 0.67, 0, FS, b, a, &nc, &err) ||
        eo_filtfilt_ba(b, nc, a, nc, x, n, t, &err) ||
        eo_butter_ba(4, EO_FILTER_LOWPASS, 150.0, 0, FS, b, a, &nc, &err) ||
        eo_filtfilt_ba(b, nc, a, nc, t, n, y, &err))
        die("iir", &err);
    free(t);
}

/* Method m on x[0..n) into y; returns seconds */
static double run_method(int m, const double *x, size_t n, double *y)
{
    double t0 = eo_time_now();
    eo_error err;
    if (m == 5) {
        run_fir(x, n, y);
    } else if (m == 6) {
        run_iir(x, n, y);
    } else {
        eo_denoise_options o;
        eo_denoise_defaults(&o);
        static const eo_denoise_method meth[] = {EO_DENOISE_BANDPASS, EO_DENOISE_WAVELET,
                                                 EO_DENOISE_MEDIAN,   EO_DENOISE_VMD,
                                                 EO_DENOISE_IAOA_VMD, 0,
                                                 0,                   EO_DENOISE_LEARNED};
        o.method = meth[m];
        o.lowest_correct = m == 4; /* IAOA-VMD with the corrected lowest mode */
        o.model = model;
        if (eo_denoise(x, n, FS, &o, y, NULL, &err))
            die(mnames[m], &err);
    }
    return eo_time_now() - t0;
}

/* ---- data */
/* A record at another rate (--val-records svdb/800: 128 Hz, other
 * patients, for validation only) is resampled to FS; beats_of moves its
 * beats to the same grid. */
static double record_fs(const char *rec)
{
    char base[4096], path[4200];
    eo_error err;
    if (eo_data_find_record(data_dir, rec, "hea", base, sizeof base, &err))
        die(rec, &err);
    snprintf(path, sizeof path, "%s.hea", base);
    eo_wfdb_header *h = NULL;
    if (eo_wfdb_header_read(path, &h, &err))
        die(path, &err);
    double fs = h->fs_hz;
    eo_wfdb_header_destroy(h);
    return fs;
}

static double *load(const char *rec, const char *lead, int fallback, size_t *n)
{
    double *x = NULL, fs = 0;
    eo_error err;
    if (eo_denoise_load_lead(data_dir, rec, lead, fallback, &x, n, &fs, &err))
        die(rec, &err);
    if (fabs(fs - FS) > 1e-9) {
        double *y = NULL;
        size_t m = 0;
        if (eo_resample(x, *n, fs, FS, &y, &m, &err))
            die(rec, &err);
        free(x);
        x = y;
        *n = m;
    }
    return x;
}

static long *beats_of(const char *rec, size_t *nb)
{
    char base[4096], path[4200];
    eo_error err;
    if (eo_data_find_record(data_dir, rec, "atr", base, sizeof base, &err))
        die(rec, &err);
    snprintf(path, sizeof path, "%s.atr", base);
    eo_annotation_set *a = NULL;
    if (eo_annot_read(path, &a, &err))
        die(path, &err);
    long *b = malloc((a->n + 1) * sizeof *b);
    size_t k = 0;
    const double ratio = FS / record_fs(rec);
    for (size_t i = 0; i < a->n; i++)
        if (eo_annot_is_beat(a->items[i].code))
            b[k++] = lround((double)a->items[i].sample * ratio);
    eo_annot_set_destroy(a);
    *nb = k;
    return b;
}

static double *hp(const double *x, size_t n)
{
    double *y = malloc(n * sizeof *y);
    eo_error err;
    if (eo_denoise_highpass_ref(x, n, FS, y, &err))
        die("high-pass", &err);
    return y;
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

static void qrs_score(const double *y, size_t n, const long *ref, size_t nr, long off, long *tp,
                      long *fn, long *fp)
{
    eo_qrs_options qo;
    eo_qrs_defaults(&qo, FS);
    long *det = NULL;
    size_t nd = 0;
    eo_error err;
    if (eo_qrs_detect(y, n, &qo, &det, &nd, &err))
        die("qrs", &err);
    long *r = malloc((nr + 1) * sizeof *r);
    size_t k = 0;
    for (size_t i = 0; i < nr; i++)
        if (ref[i] >= off && ref[i] < off + (long)n)
            r[k++] = ref[i] - off;
    match(r, k, det, nd, (long)(0.15 * FS), tp, fn, fp);
    free(r);
    free(det);
}

static int parse_methods(const char *s, int *use)
{
    int any = 0;
    for (int m = 0; m < NM; m++) {
        use[m] = !s;
        if (s) {
            char list[512];
            snprintf(list, sizeof list, "%s", s);
            for (char *t = strtok(list, ","); t; t = strtok(NULL, ","))
                if (!strcmp(t, mnames[m]))
                    use[m] = 1;
        }
        any |= use[m];
    }
    return any;
}

/* ---- beats mode */
typedef struct bacc {
    double ssd, mad, prd, prd_df_n, prd_df_d, cos, st, t;
    long n;
} bacc;

static void mode_beats(const int *use, int per_record)
{
    const int SEG = (int)(20 * FS), W0 = (int)(0.25 * FS), W1 = (int)(0.45 * FS);
    const char *const *noises = noise_names;
    const int n_noise = beats_val && val_em_speed > 0 ? 3 : 2;
    double ysum[3] = {0, 0, 0};
    long ycount[3] = {0, 0, 0};
    /* DeepFilter's PRD needs the global mean of the clean beats: pass 1
     * collects it per noise (same beats in both passes: the rng is reseeded) */
    static bacc acc[3][NM + 1];
    memset(acc, 0, sizeof acc);
    static double rssd[3][22][NM + 1]; /* per record (at most 22) */
    static long rn[3][22][NM + 1];
    memset(rssd, 0, sizeof rssd);
    memset(rn, 0, sizeof rn);
    double secs[NM] = {0};
    for (int pass = 0; pass < 2; pass++)
        for (int nz = 0; nz < n_noise; nz++) {
            size_t nn = 0;
            /* channel 1: test noise; channel 0 for --val */
            double *noise = load_noise(nz, beats_val ? 0 : 1, &nn);
            const int nrec = beats_val ? n_val_recs : 22;
            eo_rng rng;
            /* em-like takes ma's amplitude draws (as when it was first measured) */
            eo_rng_seed(&rng, 20211 + (uint64_t)(nz == 2 ? 1 : nz));
            double gmean = ycount[nz] ? ysum[nz] / ycount[nz] : 0;
            for (int r = 0; r < nrec; r++) {
                char rec[32];
                /* a name with a folder (svdb/800) is taken as it is */
                const char *vr = beats_val ? val_recs[r] : eo_split_ds2[r];
                snprintf(rec, sizeof rec, strchr(vr, '/') ? "%s" : "mitdb/%s", vr);
                size_t n = 0, nb = 0;
                double *x = load(rec, "MLII", 0, &n);
                long *b = beats_of(rec, &nb);
                for (int s = 0; s < per_record; s++) {
                    size_t off = (size_t)((double)(n - (size_t)SEG - 1) * (s + 0.5) / per_record);
                    double *c = hp(x + off, (size_t)SEG);
                    double *z = malloc((size_t)SEG * sizeof *z), *y = malloc((size_t)SEG * sizeof *y);
                    /* --val-noise-tail F: the noise from the last F of the
                     * record only (what --noise-holdout F kept from training) */
                    size_t nlo = beats_val && val_noise_tail > 0
                                     ? (size_t)((1 - val_noise_tail) * (double)nn) : 0;
                    size_t no = nlo + (size_t)eo_rng_below(&rng, (uint64_t)(nn - nlo - (size_t)SEG));
                    double cm = 0, nm = 0, cpk = 0, npk = 0;
                    for (int i = 0; i < SEG; i++) {
                        cm += c[i];
                        nm += noise[no + (size_t)i];
                    }
                    cm /= SEG;
                    nm /= SEG;
                    for (int i = 0; i < SEG; i++) {
                        cpk = fmax(cpk, fabs(c[i] - cm));
                        npk = fmax(npk, fabs(noise[no + (size_t)i] - nm));
                    }
                    double a = eo_rng_range(&rng, 0.2, 2.0) * cpk / (npk > 0 ? npk : 1) * noise_scale;
                    for (int i = 0; i < SEG; i++)
                        z[i] = x[off + (size_t)i] + a * (noise[no + (size_t)i] - nm);
                    /* the beats of this segment, away from its ends */
                    long lo = (long)off + (long)FS, hi = (long)off + SEG - (long)FS;
                    for (int m = -1; m < NM; m++) {
                        if (m >= 0 && !use[m])
                            continue;
                        if (pass == 0 && m >= 0)
                            break;
                        if (m < 0)
                            memcpy(y, z, (size_t)SEG * sizeof *y);
                        else {
                            for (int i = 0; i < SEG; i++)
                                z[i] *= input_gain;
                            secs[m] += run_method(m, z, (size_t)SEG, y);
                            for (int i = 0; i < SEG; i++) {
                                z[i] /= input_gain;
                                y[i] /= input_gain;
                            }
                        }
                        const char *dump = getenv("EO_BENCH_DUMP");
                        if (dump && pass == 1) {
                            /* EO_BENCH_DUMP=DIR: the clean reference and each
                             * method's output, float64, appended per segment */
                            char fn[4200];
                            snprintf(fn, sizeof fn, "%s/nz%d_m%d.f64", dump, nz, m);
                            FILE *f = fopen(fn, "ab");
                            if (f) {
                                if (m < 0)
                                    fwrite(c, sizeof *c, (size_t)SEG, f);
                                fwrite(y, sizeof *y, (size_t)SEG, f);
                                fclose(f);
                            }
                        }
                        bacc *A = &acc[nz][m + 1];
                        for (size_t k = 0; k < nb; k++) {
                            if (b[k] - W0 < lo || b[k] + W1 > hi)
                                continue;
                            long R = b[k] - (long)off, s0 = R - W0;
                            int L = W0 + W1;
                            const double *xr = c + s0, *yr = y + s0;
                            double mx = 0, my = 0;
                            for (int i = 0; i < L; i++) {
                                mx += xr[i];
                                my += yr[i];
                            }
                            mx /= L;
                            my /= L;
                            if (pass == 0) {
                                for (int i = 0; i < L; i++)
                                    ysum[nz] += xr[i] - mx;
                                ycount[nz] += L;
                                continue;
                            }
                            double ssd = 0, mad = 0, xx = 0, yy = 0, xy = 0, dd = 0;
                            for (int i = 0; i < L; i++) {
                                double u = xr[i] - mx, v = yr[i] - my, d = v - u;
                                ssd += d * d;
                                mad = fmax(mad, fabs(d));
                                xx += u * u;
                                yy += v * v;
                                xy += u * v;
                                dd += (v - gmean) * (v - gmean);
                            }
                            /* iso: PR segment R-100..R-60 ms; J: first sample
                             * 20-120 ms after R where the clean slope falls
                             * below 10% of its QRS maximum; ST at J+60 ms; T
                             * peak: largest |clean - iso| from J+80 ms to the
                             * window's end */
                            int i0 = W0 - (int)(0.10 * FS), i1 = W0 - (int)(0.06 * FS);
                            double isx = 0, isy = 0;
                            for (int i = i0; i < i1; i++) {
                                isx += xr[i];
                                isy += yr[i];
                            }
                            isx /= (i1 - i0);
                            isy /= (i1 - i0);
                            double smax = 0;
                            for (int i = W0 - (int)(0.06 * FS); i < W0 + (int)(0.12 * FS); i++)
                                smax = fmax(smax, fabs(xr[i + 1] - xr[i - 1]));
                            int J = W0 + (int)(0.08 * FS);
                            for (int i = W0 + (int)(0.02 * FS); i < W0 + (int)(0.12 * FS); i++)
                                if (fabs(xr[i + 1] - xr[i - 1]) < 0.1 * smax) {
                                    J = i;
                                    break;
                                }
                            int st = J + (int)(0.06 * FS), tp = J + (int)(0.08 * FS);
                            for (int i = tp; i < L; i++)
                                if (fabs(xr[i] - isx) > fabs(xr[tp] - isx))
                                    tp = i;
                            A->ssd += ssd;
                            A->mad += mad;
                            A->prd += xx > 0 ? 100 * sqrt(ssd / xx) : 0;
                            A->prd_df_n += dd > 0 ? 100 * sqrt(ssd / dd) : 0;
                            A->cos += (xx > 0 && yy > 0) ? xy / sqrt(xx * yy) : 0;
                            A->st += 1000 * fabs((yr[st] - isy) - (xr[st] - isx));
                            A->t += 1000 * fabs((yr[tp] - isy) - (xr[tp] - isx));
                            A->n++;
                            rssd[nz][r][m + 1] += ssd;
                            rn[nz][r][m + 1]++;
                        }
                    }
                    free(c);
                    free(z);
                    free(y);
                }
                free(x);
                free(b);
            }
            free(noise);
        }
    for (int nz = 0; nz < n_noise; nz++) {
        char which[512] = "DS2";
        if (beats_val) {
            int at = snprintf(which, sizeof which, "DS1 validation");
            for (int r = 0; r < n_val_recs && at < (int)sizeof which - 8; r++)
                at += snprintf(which + at, sizeof which - (size_t)at, " %s", val_recs[r]);
        }
        printf("\nbeats, %s channel %d, %s (%d x 20-s segments per record), amplitude U(0.2,2) x "
               "ECG peak; %ld beats (means per beat)\n",
               noises[nz] + 6, beats_val ? 0 : 1, which,
               per_record, acc[nz][0].n);
        printf("%-12s %9s %8s %8s %9s %7s %8s %8s\n", "method", "SSD(mV2)", "MAD(mV)", "PRD(%)",
               "PRD-DF(%)", "cos", "ST(uV)", "T(uV)");
        double best = INFINITY;
        int bi = -1;
        for (int m = -1; m < NM; m++) {
            if (m >= 0 && !use[m])
                continue;
            bacc *A = &acc[nz][m + 1];
            double k = A->n ? (double)A->n : 1;
            printf("%-12s %9.3f %8.3f %8.1f %9.1f %7.3f %8.1f %8.1f\n", m < 0 ? "(noisy)" : mnames[m],
                   A->ssd / k, A->mad / k, A->prd / k, A->prd_df_n / k, A->cos / k, A->st / k,
                   A->t / k);
            if (m >= 0 && m != 7 && A->ssd / k < best) {
                best = A->ssd / k;
                bi = m;
            }
        }
        if (use[7] && bi >= 0) {
            double k = acc[nz][8].n ? (double)acc[nz][8].n : 1;
            printf("%s: learned SSD / best classical (%s) SSD ratio=%.3f\n", noises[nz] + 6,
                   mnames[bi], acc[nz][8].ssd / k / best);
        }
        if (by_record && use[7] && bi >= 0) {
            printf("per record (mean SSD, mV^2): record beats noisy %s learned ratio\n", mnames[bi]);
            for (int r = 0; r < (beats_val ? n_val_recs : 22); r++) {
                long k = rn[nz][r][0] ? rn[nz][r][0] : 1;
                double b = rssd[nz][r][bi + 1] / (double)k, l = rssd[nz][r][8] / (double)k;
                printf("  %-6s %5ld %8.3f %8.3f %8.3f %6.3f\n", beats_val ? val_recs[r] : eo_split_ds2[r],
                       rn[nz][r][0], rssd[nz][r][0] / (double)k, b, l, b > 0 ? l / b : 0);
            }
        }
    }
    printf("\nseconds per method (both noises):");
    for (int m = 0; m < NM; m++)
        if (use[m])
            printf(" %s %.1f", mnames[m], secs[m]);
    printf("\n");
}

/* ---- SNR mode */
/* SNR of y against the reference c over [E, n-E), y's mean removed there */
static double snr_ac_db(const double *c, const double *y, size_t n, size_t E)
{
    double m = 0, s = 0, e = 0;
    for (size_t i = E; i < n - E; i++)
        m += y[i] - c[i];
    m /= (double)(n - 2 * E);
    for (size_t i = E; i < n - E; i++) {
        s += c[i] * c[i];
        e += (y[i] - m - c[i]) * (y[i] - m - c[i]);
    }
    return 10 * log10(s / e);
}

static void mode_snr(const int *use)
{
    static const char *const test_recs[10] = {"100", "103", "105", "111", "113",
                                              "117", "121", "123", "200", "202"};
    /* --val: the DS1 validation records (or --val-records), noise channel 0
     * from its held-out tail (--val-noise-tail), for model selection */
    const char *const *recs = beats_val ? val_recs : test_recs;
    const int nrec = beats_val ? n_val_recs : 10, n_noise = beats_val && val_em_speed > 0 ? 3 : 2;
    const int SEG = (int)(10 * FS), E = (int)FS;
    const int snrs[6] = {-6, 0, 6, 12, 18, 24};
    const char *const *noises = noise_names;
    printf("\nSNR improvement (dB), %s records", beats_val ? "DS1 validation" : "DS2");
    for (int r = 0; r < nrec; r++)
        printf(" %s", recs[r]);
    printf(", 10 s from 1:00,\nnoise channel %d%s scaled to the nominal waveform SNR (clean after "
           "the 0.5 Hz high-pass vs the\nmean-removed noise); reference: the high-passed clean "
           "segment, noisy and output mean-removed;\nSNR over the segment minus 1 s each end\n",
           beats_val ? 0 : 1, beats_val && val_noise_tail > 0 ? " (held-out tail)" : "");
    printf("%-5s %4s %7s", "noise", "SNR", "in");
    for (int m = 0; m < NM; m++)
        if (use[m])
            printf(" %11s", mnames[m]);
    printf("\n");
    long tp[3][NM + 1] = {{0}}, fn[3][NM + 1] = {{0}}, fp[3][NM + 1] = {{0}};
    double gain_low[3][NM] = {{0}};
    for (int nz = 0; nz < n_noise; nz++) {
        size_t nn = 0;
        double *noise = load_noise(nz, beats_val ? 0 : 1, &nn);
        size_t nlo = beats_val && val_noise_tail > 0 ? (size_t)((1 - val_noise_tail) * (double)nn) : 0;
        for (int si = 0; si < 6; si++) {
            double g[NM] = {0}, gin = 0;
            for (int r = 0; r < nrec; r++) {
                char rec[32];
                snprintf(rec, sizeof rec, "mitdb/%s", recs[r]);
                size_t n = 0, nb = 0;
                double *x = load(rec, "MLII", 0, &n);
                long *b = beats_of(rec, &nb);
                size_t off = (size_t)(60 * FS);
                size_t no = (size_t)(r * 150 * FS + si * 11 * FS); /* distinct stretches */
                if (beats_val)
                    no = nlo + no % (nn - nlo - (size_t)SEG);
                double *c = hp(x + off, (size_t)SEG), *z = malloc((size_t)SEG * sizeof *z),
                       *y = malloc((size_t)SEG * sizeof *y);
                double pc = 0, pn = 0, nm = 0;
                for (int i = 0; i < SEG; i++)
                    nm += noise[no + (size_t)i];
                nm /= SEG;
                for (int i = 0; i < SEG; i++) {
                    pc += c[i] * c[i];
                    pn += (noise[no + (size_t)i] - nm) * (noise[no + (size_t)i] - nm);
                }
                double a = sqrt(pc / pn * pow(10.0, -snrs[si] / 10.0));
                for (int i = 0; i < SEG; i++)
                    z[i] = x[off + (size_t)i] + a * (noise[no + (size_t)i] - nm);
                double in = snr_ac_db(c, z, (size_t)SEG, (size_t)E);
                gin += in;
                qrs_score(z, (size_t)SEG, b, nb, (long)off, &tp[nz][0], &fn[nz][0], &fp[nz][0]);
                for (int m = 0; m < NM; m++) {
                    if (!use[m])
                        continue;
                    run_method(m, z, (size_t)SEG, y);
                    g[m] += snr_ac_db(c, y, (size_t)SEG, (size_t)E) - in;
                    if (snrs[si] <= 6)
                        qrs_score(y, (size_t)SEG, b, nb, (long)off, &tp[nz][m + 1], &fn[nz][m + 1],
                                  &fp[nz][m + 1]);
                }
                free(c);
                free(z);
                free(y);
                free(x);
                free(b);
            }
            printf("%-5s %4d %7.2f", noises[nz] + 6, snrs[si], gin / nrec);
            for (int m = 0; m < NM; m++)
                if (use[m]) {
                    printf(" %11.2f", g[m] / nrec);
                    if (snrs[si] <= 6)
                        gain_low[nz][m] += g[m] / nrec / 3;
                }
            printf("\n");
            fflush(stdout);
        }
        free(noise);
    }
    printf("\nQRS Se / +P (%%) at nominal -6, 0, 6 dB pooled (noisy input first):\n");
    for (int nz = 0; nz < n_noise; nz++) {
        printf("%-5s noisy %.1f/%.1f", noises[nz] + 6, 100.0 * tp[nz][0] / (tp[nz][0] + fn[nz][0]),
               100.0 * tp[nz][0] / (tp[nz][0] + fp[nz][0]));
        for (int m = 0; m < NM; m++)
            if (use[m])
                printf("  %s %.1f/%.1f", mnames[m], 100.0 * tp[nz][m + 1] / (tp[nz][m + 1] + fn[nz][m + 1]),
                       100.0 * tp[nz][m + 1] / (tp[nz][m + 1] + fp[nz][m + 1]));
        printf("\n");
    }
    if (use[7] && use[4]) {
        double d = 0;
        for (int nz = 0; nz < 2; nz++)
            d += (gain_low[nz][7] - gain_low[nz][4]) / 2;
        printf("bw/ma at -6,0,6 dB: learned - iaoa-vmd-bc mean gain difference %.2f dB "
               "ratio=%.3f\n",
               d, (gain_low[0][7] + gain_low[1][7]) / (gain_low[0][4] + gain_low[1][4]));
    }
}

/* ---- em mode */
static void mode_em(const int *use)
{
    static const char *const recs[6] = {"118e_6", "118e00", "118e06", "119e_6", "119e00", "119e06"};
    printf("\nelectrode motion: NSTDB records vs clean MLII, whole records; all signals through "
           "the zero-phase\norder-2 0.5 Hz high-pass; SNR over the noisy stretches (from 5:00, 2 "
           "min noisy / 2 min clean)\n");
    printf("%-7s %7s", "record", "in");
    for (int m = 0; m < NM; m++)
        if (use[m])
            printf(" %11s", mnames[m]);
    printf("   (improvement dB; then QRS Se/+P %%, seconds)\n");
    double sum[NM] = {0};
    int worse[NM] = {0};
    for (int r = 0; r < 6; r++) {
        char nrec[32], crec[32];
        snprintf(nrec, sizeof nrec, "nstdb/%s", recs[r]);
        snprintf(crec, sizeof crec, "mitdb/%.3s", recs[r]);
        size_t n = 0, nc = 0, nb = 0;
        double *z = load(nrec, "MLII", 0, &n), *x = load(crec, "MLII", 0, &nc);
        if (nc < n)
            n = nc;
        long *b = beats_of(nrec, &nb);
        double *c = hp(x, n), *zh = hp(z, n), *y = malloc(n * sizeof *y);
        char *mask = calloc(n, 1);
        for (size_t i = (size_t)(300 * FS); i < n; i++)
            mask[i] = ((size_t)((double)i / FS - 300) / 120) % 2 == 0;
        double s = 0, e = 0;
        for (size_t i = 0; i < n; i++)
            if (mask[i]) {
                s += c[i] * c[i];
                e += (zh[i] - c[i]) * (zh[i] - c[i]);
            }
        double in = 10 * log10(s / e), gains[NM] = {0}, se[NM], pp[NM], sec[NM];
        for (int m = 0; m < NM; m++) {
            if (!use[m])
                continue;
            sec[m] = run_method(m, z, n, y);
            double *yh = hp(y, n);
            e = 0;
            for (size_t i = 0; i < n; i++)
                if (mask[i])
                    e += (yh[i] - c[i]) * (yh[i] - c[i]);
            gains[m] = 10 * log10(s / e) - in;
            sum[m] += gains[m];
            long tp = 0, fn = 0, fp = 0;
            qrs_score(y, n, b, nb, 0, &tp, &fn, &fp);
            se[m] = 100.0 * tp / (tp + fn);
            pp[m] = 100.0 * tp / (tp + fp);
            free(yh);
        }
        if (use[4])
            for (int m = 0; m < NM; m++)
                if (use[m] && gains[m] <= gains[4] && m != 4)
                    worse[m]++;
        printf("%-7s %7.2f", recs[r], in);
        for (int m = 0; m < NM; m++)
            if (use[m])
                printf(" %11.2f", gains[m]);
        printf("  |");
        for (int m = 0; m < NM; m++)
            if (use[m])
                printf(" %.1f/%.1f %.1fs", se[m], pp[m], sec[m]);
        printf("\n");
        fflush(stdout);
        free(mask);
        free(c);
        free(zh);
        free(y);
        free(z);
        free(x);
        free(b);
    }
    printf("%-7s %7s", "mean", "");
    for (int m = 0; m < NM; m++)
        if (use[m])
            printf(" %11.2f", sum[m] / 6);
    printf("\n");
    if (use[4] && use[7])
        printf("em: learned mean %.2f dB, records not better than iaoa-vmd-bc: %d of 6 "
               "ratio=%.3f\n",
               sum[7] / 6, worse[7], sum[7] / sum[4]);
}

/* ---- speed mode */
static void mode_speed(void)
{
    size_t n0 = 0, n1 = 0;
    double *a = load("mitdb/100", NULL, 0, &n0), *b = load("mitdb/100", NULL, 1, &n1);
    double *y = malloc(n0 * sizeof *y);
    eo_error err;
    double best = INFINITY, cpu_best = INFINITY;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = eo_time_now();
        struct timespec c0, c1;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        if (eo_denoise_model_apply(model, a, n0, FS, NULL, y, &err) ||
            eo_denoise_model_apply(model, b, n1, FS, NULL, y, &err))
            die("learned", &err);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        best = fmin(best, eo_time_now() - t0);
        cpu_best = fmin(cpu_best, (double)(c1.tv_sec - c0.tv_sec) + 1e-9 * (double)(c1.tv_nsec - c0.tv_nsec));
    }
    double t0 = eo_time_now();
    run_method(2, a, n0, y);
    run_method(2, b, n1, y);
    double tmed = eo_time_now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double load[3] = {0, 0, 0};
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
            load[0] = -1;
        fclose(f);
    }
    printf("\nlearned model on mitdb/100, 2 leads x %zu samples (30 min), 2 threads: best of 3 "
           "%.2f s wall, %.2f s CPU (all threads; median method alone %.2f s wall); peak RSS "
           "%.0f MB (whole process, both leads loaded); load average %.1f ratio=%.3f (wall / 3 s "
           "bar)\n",
           n0, best, cpu_best, tmed, ru.ru_maxrss / 1024.0, load[0], best / 3.0);
    free(a);
    free(b);
    free(y);
}

int main(int argc, char **argv)
{
    const char *mode = NULL, *methods = NULL, *model_path = NULL;
    int per_record = 3;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--by-record"))
            by_record = 1;
        else if (!strcmp(argv[i], "--val-records") && i + 1 < argc) {
            static char list[512];
            snprintf(list, sizeof list, "%s", argv[++i]);
            n_val_recs = 0;
            for (char *t = strtok(list, ","); t && n_val_recs < 22; t = strtok(NULL, ","))
                val_recs[n_val_recs++] = t;
            beats_val = 1;
        }
        else if (!strcmp(argv[i], "--model") && i + 1 < argc)
            model_path = argv[++i];
        else if (!strcmp(argv[i], "--data") && i + 1 < argc)
            data_dir = argv[++i];
        else if (!strcmp(argv[i], "--val-noise-tail") && i + 1 < argc)
            val_noise_tail = atof(argv[++i]);
        else if (!strcmp(argv[i], "--val"))
            beats_val = 1;
        else if (!strcmp(argv[i], "--noise-scale") && i + 1 < argc)
            noise_scale = atof(argv[++i]);
        else if (!strcmp(argv[i], "--input-gain") && i + 1 < argc)
            input_gain = atof(argv[++i]);
        else if (!strcmp(argv[i], "--val-em-like") && i + 1 < argc) {
            val_em_speed = atof(argv[++i]);
            if (!(val_em_speed >= 1 && val_em_speed <= 20)) {
                fprintf(stderr, "bench_denoise_morph: --val-em-like wants a speed-up of 1-20\n");
                return 1;
            }
        }
        else if (!strcmp(argv[i], "--segments") && i + 1 < argc)
            per_record = atoi(argv[++i]);
        else if (!mode)
            mode = argv[i];
        else
            methods = argv[i];
    }
    int use[NM];
    if (!mode || !parse_methods(methods, use) || per_record < 1 || !(noise_scale >= 0) ||
        !(input_gain > 0)) {
        fprintf(stderr, "usage: bench_denoise_morph beats|snr|em|speed [METHODS] [--model F] "
                        "[--data DIR] [--segments N] [--val]\n");
        return 1;
    }
    eo_error err;
    if ((model_path ? eo_denoise_model_load(model_path, &model, &err)
                    : eo_denoise_model_default(&model, &err)) != EO_STATUS_OK) {
        if (use[7] || !strcmp(mode, "speed"))
            die("model", &err);
    }
    eo_denoise_model_set_threads(model, 2);
    if (!strcmp(mode, "beats"))
        mode_beats(use, per_record);
    else if (!strcmp(mode, "snr"))
        mode_snr(use);
    else if (!strcmp(mode, "em"))
        mode_em(use);
    else if (!strcmp(mode, "speed"))
        mode_speed();
    else {
        fprintf(stderr, "bench_denoise_morph: unknown mode '%s'\n", mode);
        return 1;
    }
    eo_denoise_model_destroy(model);
    return 0;
}
