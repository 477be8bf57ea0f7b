/* ECGSYN — McSharry et al. (2003) dynamical ECG model; see synth.h. */
#include "ecgopt/synth.h"

#include "ecgopt/dsp.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RR_SF_HZ 4.0 /* tachogram sampling rate; above 2x the HF peak, as the
                      * authors' 1 Hz (ecgsyn.m) with room for wider spectra */

void eo_synth_defaults(eo_synth_options *o)
{
    static const double th[EO_SYNTH_WAVES] = {-70, -15, 0, 15, 100};
    static const double a[EO_SYNTH_WAVES] = {1.2, -5, 30, -7.5, 0.75};
    static const double b[EO_SYNTH_WAVES] = {0.25, 0.1, 0.1, 0.1, 0.4};
    memset(o, 0, sizeof *o);
    o->fs_hz = 360.0;
    o->seconds = 10.0;
    o->hr_mean_bpm = 60.0;
    o->hr_std_bpm = 1.0;
    o->lf_hz = 0.1;
    o->hf_hz = 0.25;
    o->lf_std_hz = 0.01;
    o->hf_std_hz = 0.01;
    o->lf_hf_ratio = 0.5;
    memcpy(o->theta_deg, th, sizeof th);
    memcpy(o->a, a, sizeof a);
    memcpy(o->b, b, sizeof b);
    o->resp_hz = 0.25;
    o->resp_amp = 0.005;
    o->min_mv = -0.4;
    o->max_mv = 1.2;
    o->noise_mv = 0.0;
    o->ectopic_prob = 0.0;
    o->ectopic_prematurity = 0.65;
    o->oversample = 0;
}

#define RANGE(field, lo, hi)                                                                   \
    do {                                                                                       \
        if (!(o->field >= (lo) && o->field <= (hi)))                                           \
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "synth: " #field " = %g is outside %g..%g", \
                                o->field, (double)(lo), (double)(hi));                         \
    } while (0)

static eo_status check(const eo_synth_options *o, eo_error *err)
{
    if (!o)
        return eo_error_set(err, EO_STATUS_USAGE, "synth: options are NULL");
    RANGE(fs_hz, 50, 10000);
    RANGE(seconds, 1e-3, 86400);
    RANGE(hr_mean_bpm, 20, 250);
    RANGE(hr_std_bpm, 0, 50);
    RANGE(lf_hz, 0.0, 1.0);
    RANGE(hf_hz, 0.0, 1.0);
    RANGE(lf_std_hz, 1e-4, 0.5);
    RANGE(hf_std_hz, 1e-4, 0.5);
    RANGE(lf_hf_ratio, 1e-3, 1e3);
    RANGE(resp_hz, 0.0, 5.0);
    RANGE(resp_amp, -10, 10);
    RANGE(noise_mv, 0, 100);
    RANGE(ectopic_prob, 0, 0.5);
    RANGE(ectopic_prematurity, 0.4, 0.95);
    if (!(o->max_mv > o->min_mv) || !isfinite(o->max_mv) || !isfinite(o->min_mv))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "synth: max_mv = %g must exceed min_mv = %g",
                            o->max_mv, o->min_mv);
    for (int i = 0; i < EO_SYNTH_WAVES; i++) {
        static const char *nm = "PQRST";
        if (!(o->b[i] > 0 && o->b[i] < 10))
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "synth: width b of wave %c = %g must be in (0, 10) rad",
                                nm[i], o->b[i]);
        if (!isfinite(o->a[i]) || fabs(o->a[i]) > 1e3)
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "synth: amplitude a of wave %c = %g is out of range",
                                nm[i], o->a[i]);
        if (!(o->theta_deg[i] > -180 && o->theta_deg[i] < 180))
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "synth: angle of wave %c = %g deg must be in (-180, 180)",
                                nm[i], o->theta_deg[i]);
    }
    if (o->oversample < 0 || o->oversample > 64)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "synth: oversample = %d is outside 0..64", o->oversample);
    return EO_STATUS_OK;
}

eo_status eo_synth_rr_process(const eo_synth_options *o, eo_rng *rng, double sf_hz, size_t n,
                              double *rr_s, eo_error *err)
{
    eo_status st = check(o, err);
    if (st)
        return st;
    if (!rng || !rr_s)
        return eo_error_set(err, EO_STATUS_USAGE, "synth: rr process: NULL rng or output");
    if (n < 4 || n % 2 || n > ((size_t)1 << 26))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "synth: rr process length %zu must be even and 4..2^26", n);
    if (!(sf_hz > 0) || !isfinite(sf_hz))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "synth: rr process rate %g Hz must be > 0", sf_hz);
    const double rrmean = 60.0 / o->hr_mean_bpm;
    const double rrstd = 60.0 * o->hr_std_bpm / (o->hr_mean_bpm * o->hr_mean_bpm);
    size_t nb = n / 2 + 1;
    fftw_complex *sp = fftw_malloc(nb * sizeof *sp);
    double *x = fftw_malloc(n * sizeof *x);
    if (!sp || !x) {
        fftw_free(sp);
        fftw_free(x);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "synth: out of memory for a %zu-sample tachogram", n);
    }
    eo_fftw_plan_lock(); /* FFTW's planner is not thread-safe (dsp.h) */
    fftw_plan p = fftw_plan_dft_c2r_1d((int)n, sp, x, FFTW_ESTIMATE);
    eo_fftw_plan_unlock();
    if (!p) {
        fftw_free(sp);
        fftw_free(x);
        return eo_error_set(err, EO_STATUS_INTERNAL, "synth: FFTW could not plan %zu points", n);
    }
    /* eq. (2): S(f) = sig1 G(f; f1, c1) + sig2 G(f; f2, c2) with sig1/sig2 =
     * LF/HF ratio; amplitude sqrt(S), uniformly random phase; DC and Nyquist
     * zero (their weight is exp(-50) for the defaults). */
    const double w1 = 2 * M_PI * o->lf_hz, w2 = 2 * M_PI * o->hf_hz;
    const double c1 = 2 * M_PI * o->lf_std_hz, c2 = 2 * M_PI * o->hf_std_hz;
    const double sig1 = o->lf_hf_ratio, sig2 = 1.0;
    const double df = sf_hz / (double)n;
    for (size_t i = 0; i < nb; i++) {
        double w = 2 * M_PI * df * (double)i, d1 = w - w1, d2 = w - w2;
        double hw = sig1 * exp(-0.5 * d1 * d1 / (c1 * c1)) / sqrt(2 * M_PI * c1 * c1) +
                    sig2 * exp(-0.5 * d2 * d2 / (c2 * c2)) / sqrt(2 * M_PI * c2 * c2);
        double amp = sqrt(hw), ph = 2 * M_PI * eo_rng_uniform(rng);
        sp[i][0] = (i == 0 || i == nb - 1) ? 0.0 : amp * cos(ph);
        sp[i][1] = (i == 0 || i == nb - 1) ? 0.0 : amp * sin(ph);
    }
    fftw_execute(p);
    double mean = 0, var = 0;
    for (size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        var += (x[i] - mean) * (x[i] - mean);
    double sd = sqrt(var / (double)n);
    double ratio = sd > 0 ? rrstd / sd : 0.0;
    for (size_t i = 0; i < n; i++)
        rr_s[i] = rrmean + (x[i] - mean) * ratio;
    eo_fftw_plan_lock();
    fftw_destroy_plan(p);
    eo_fftw_plan_unlock();
    fftw_free(sp);
    fftw_free(x);
    return EO_STATUS_OK;
}

void eo_synth_destroy(eo_synth *s)
{
    if (!s)
        return;
    free(s->ecg_mv);
    free(s->r_peak);
    free(s->beat_code);
    free(s);
}

typedef struct wave_set {
    double th[EO_SYNTH_WAVES], a[EO_SYNTH_WAVES], b[EO_SYNTH_WAVES];
} wave_set;

typedef struct model {
    const double *beat_t; /* R time of beat k (interval k = [t_k, t_k+1)) */
    const double *beat_w; /* angular speed in interval k */
    const unsigned char *ectopic;
    size_t n_beats;
    wave_set normal, pvc;
    double resp_w, resp_amp;
} model;

static size_t interval_of(const model *m, double t, size_t hint)
{
    size_t k = hint;
    while (k + 1 < m->n_beats && m->beat_t[k + 1] <= t)
        k++;
    while (k > 0 && m->beat_t[k] > t)
        k--;
    return k;
}

/* eq. (3) */
static void deriv(const model *m, double t, size_t k, const double s[3], double d[3])
{
    double th = atan2(s[1], s[0]);
    double a0 = 1.0 - sqrt(s[0] * s[0] + s[1] * s[1]);
    double w = m->beat_w[k];
    d[0] = a0 * s[0] - w * s[1];
    d[1] = a0 * s[1] + w * s[0];
    /* after this interval's R (theta >= 0) the waves are beat k's; before
     * the next R (theta < 0) they are beat k+1's */
    size_t beat = th >= 0 ? k : k + 1;
    const wave_set *ws = (beat < m->n_beats && m->ectopic[beat]) ? &m->pvc : &m->normal;
    double z0 = m->resp_amp * sin(m->resp_w * t);
    double dz = 0;
    for (int i = 0; i < EO_SYNTH_WAVES; i++) {
        double dt = fmod(th - ws->th[i], 2 * M_PI); /* rem() of ecgsyn */
        dz -= ws->a[i] * dt * exp(-0.5 * dt * dt / (ws->b[i] * ws->b[i]));
    }
    d[2] = dz - (s[2] - z0);
}

eo_status eo_synth_generate(const eo_synth_options *o, eo_rng *rng, eo_synth **out, eo_error *err)
{
    if (!out)
        return eo_error_set(err, EO_STATUS_USAGE, "synth: output pointer is NULL");
    *out = NULL;
    eo_status st = check(o, err);
    if (st)
        return st;
    if (!rng)
        return eo_error_set(err, EO_STATUS_USAGE, "synth: an eo_rng is required");
    const double fs = o->fs_hz;
    int q = o->oversample > 0 ? o->oversample : (int)ceil(500.0 / fs);
    if (q < 1)
        q = 1;
    const double sfint = q * fs, dt = 1.0 / sfint;
    const double rrmean = 60.0 / o->hr_mean_bpm;
    /* one beat of warm-up, so the initial z transient is not in the output */
    const double skip = rrmean;
    const double total = skip + o->seconds;
    const size_t n_out = (size_t)floor(o->seconds * fs + 0.5);
    if (n_out < 2)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "synth: %g s at %g Hz is fewer than 2 samples",
                            o->seconds, fs);

    /* tachogram long enough for the record plus margin */
    size_t nrr = 4;
    while ((double)nrr < (total + 4 * rrmean + 8) * RR_SF_HZ)
        nrr *= 2;
    double *rr = malloc(nrr * sizeof *rr);
    size_t cap = (size_t)(total / (0.1 * rrmean)) + 16; /* RR >= 0.4 * 0.3 rrmean below */
    double *bt = malloc(cap * sizeof *bt), *bw = malloc(cap * sizeof *bw);
    unsigned char *ect = calloc(cap, 1);
    eo_synth *s = calloc(1, sizeof *s);
    double *zint = NULL;
    if (!rr || !bt || !bw || !ect || !s) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "synth: out of memory");
        goto fail;
    }
    st = eo_synth_rr_process(o, rng, RR_SF_HZ, nrr, rr, err);
    if (st)
        goto fail;

    /* beat schedule: R_0 = 0; RR_k read from the tachogram at R_k (linear
     * interpolation); an ectopic beat k+1 shortens RR_k and lengthens RR_k+1
     * so that the pair spans 2 RR (full compensatory pause). */
    size_t nb = 0;
    double t = 0.0, pending_pause = 0.0;
    while (t <= total + 2 * rrmean && nb + 2 < cap) {
        double pos = t * RR_SF_HZ;
        size_t i0 = (size_t)pos;
        if (i0 + 1 >= nrr)
            i0 = nrr - 2;
        double fr = pos - (double)i0;
        double r = rr[i0] * (1 - fr) + rr[i0 + 1] * fr;
        if (r < 0.3 * rrmean)
            r = 0.3 * rrmean; /* a large hr_std must not stop the heart */
        double this_rr = r;
        if (pending_pause > 0) {
            this_rr = pending_pause;
            pending_pause = 0;
        } else if (nb > 0 && o->ectopic_prob > 0 && !ect[nb] &&
                   eo_rng_uniform(rng) < o->ectopic_prob) {
            this_rr = o->ectopic_prematurity * r;
            ect[nb + 1] = 1;
            pending_pause = (2.0 - o->ectopic_prematurity) * r;
        }
        bt[nb] = t;
        bw[nb] = 2 * M_PI / this_rr;
        nb++;
        t += this_rr;
    }
    bt[nb] = t; /* closing R time for the last interval */
    bw[nb] = bw[nb - 1];

    /* waves at this heart rate (ecgsyn.c): widths x sqrt(hr/60), angles of
     * Q,S x sqrt(hr/60) and of P,T x (hr/60)^(1/4) */
    model m;
    memset(&m, 0, sizeof m);
    m.beat_t = bt;
    m.beat_w = bw;
    m.ectopic = ect;
    m.n_beats = nb + 1;
    m.resp_w = 2 * M_PI * o->resp_hz;
    m.resp_amp = o->resp_amp;
    double hf = sqrt(o->hr_mean_bpm / 60.0), hf2 = sqrt(hf);
    const double tf[EO_SYNTH_WAVES] = {hf2, hf, 1.0, hf, hf2};
    for (int i = 0; i < EO_SYNTH_WAVES; i++) {
        m.normal.th[i] = o->theta_deg[i] * M_PI / 180.0 * tf[i];
        m.normal.a[i] = o->a[i];
        m.normal.b[i] = o->b[i] * hf;
    }
    m.pvc = m.normal;
    m.pvc.a[EO_SYNTH_P] = 0.0;
    for (int i = EO_SYNTH_Q; i <= EO_SYNTH_S; i++) {
        m.pvc.b[i] *= 2.5;
        m.pvc.a[i] *= 0.5;
    }
    m.pvc.a[EO_SYNTH_T] = -2.0 * o->a[EO_SYNTH_T];

    /* RK4 at the internal rate, keeping every q-th z */
    const size_t skip_steps = (size_t)llround(skip * sfint);
    const size_t steps = skip_steps + n_out * (size_t)q;
    zint = malloc(n_out * sizeof *zint);
    if (!zint) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "synth: out of memory for %zu samples", n_out);
        goto fail;
    }
    double y[3] = {1.0, 0.0, 0.04};
    size_t k = 0;
    for (size_t i = 0; i < steps; i++) {
        double ti = (double)i * dt;
        if (i >= skip_steps && (i - skip_steps) % (size_t)q == 0)
            zint[(i - skip_steps) / (size_t)q] = y[2];
        double k1[3], k2[3], k3[3], k4[3], yt[3];
        size_t ka = interval_of(&m, ti, k), kb = interval_of(&m, ti + 0.5 * dt, ka),
               kc = interval_of(&m, ti + dt, kb);
        k = ka;
        deriv(&m, ti, ka, y, k1);
        for (int j = 0; j < 3; j++)
            yt[j] = y[j] + 0.5 * dt * k1[j];
        deriv(&m, ti + 0.5 * dt, kb, yt, k2);
        for (int j = 0; j < 3; j++)
            yt[j] = y[j] + 0.5 * dt * k2[j];
        deriv(&m, ti + 0.5 * dt, kb, yt, k3);
        for (int j = 0; j < 3; j++)
            yt[j] = y[j] + dt * k3[j];
        deriv(&m, ti + dt, kc, yt, k4);
        for (int j = 0; j < 3; j++)
            y[j] += dt / 6.0 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
        if (!isfinite(y[2])) {
            st = eo_error_set(err, EO_STATUS_NUMERIC, "synth: integration diverged at t = %.3f s (check a, b)", ti);
            goto fail;
        }
    }

    /* scale z to [min_mv, max_mv] (ecgsyn: -0.4..1.2 mV) */
    double zmin = zint[0], zmax = zint[0];
    for (size_t i = 1; i < n_out; i++) {
        zmin = fmin(zmin, zint[i]);
        zmax = fmax(zmax, zint[i]);
    }
    double sc = zmax > zmin ? (o->max_mv - o->min_mv) / (zmax - zmin) : 0.0;
    for (size_t i = 0; i < n_out; i++)
        zint[i] = (zint[i] - zmin) * sc + o->min_mv;

    /* R annotations: refine each scheduled R time inside the output to the z
     * maximum within +-60 ms */
    s->r_peak = malloc((nb + 1) * sizeof *s->r_peak);
    s->beat_code = malloc((nb + 1) * sizeof *s->beat_code);
    if (!s->r_peak || !s->beat_code) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "synth: out of memory");
        goto fail;
    }
    long half = (long)llround(0.06 * fs);
    size_t na = 0;
    for (size_t b = 0; b < nb; b++) {
        long c = (long)llround((bt[b] - skip) * fs);
        if (c < 0 || c >= (long)n_out)
            continue;
        long lo = c - half < 0 ? 0 : c - half, hi = c + half >= (long)n_out ? (long)n_out - 1 : c + half;
        long best = c;
        for (long i = lo; i <= hi; i++)
            if (zint[i] > zint[best])
                best = i;
        if (na > 0 && best <= s->r_peak[na - 1])
            continue;
        s->r_peak[na] = best;
        s->beat_code[na] = ect[b] ? 5 : 1;
        na++;
    }
    s->n_beats = na;
    for (size_t i = 0; i < n_out && o->noise_mv > 0; i++)
        zint[i] += o->noise_mv * eo_rng_normal(rng);
    s->fs_hz = fs;
    s->n = n_out;
    s->ecg_mv = zint;
    zint = NULL;
    free(rr);
    free(bt);
    free(bw);
    free(ect);
    *out = s;
    return EO_STATUS_OK;
fail:
    free(rr);
    free(bt);
    free(bw);
    free(ect);
    free(zint);
    eo_synth_destroy(s);
    return st;
}
