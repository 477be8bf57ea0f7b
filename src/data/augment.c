/* Beat augmentation: Gaussian noise, amplitude scaling, time stretch about
 * the R peak, and real noise from the MIT-BIH Noise Stress Test Database
 * (Moody, Muldrow & Mark 1984) added at a chosen SNR.  Used to enlarge the
 * minority classes during training; every draw comes from the caller's rng. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/beats.h"

void eo_augment_defaults(eo_augment_options *o)
{
    memset(o, 0, sizeof *o);
    o->scale_lo = o->scale_hi = 1.0;
    o->stretch_lo = o->stretch_hi = 1.0;
    o->noise_snr_db = 24.0;
}

static double power_demeaned(const double *x, size_t n)
{
    double m = 0, p = 0;
    for (size_t i = 0; i < n; i++)
        m += x[i] / (double)n;
    for (size_t i = 0; i < n; i++)
        p += (x[i] - m) * (x[i] - m);
    return n ? p / (double)n : 0;
}

double eo_noise_gain_at_snr(const double *signal, const double *noise, size_t n, double snr_db)
{
    double ps = power_demeaned(signal, n), pn = power_demeaned(noise, n);
    return pn > 0 ? sqrt(ps / (pn * pow(10.0, snr_db / 10.0))) : 0;
}

eo_status eo_augment_beat(float *x, int len, int before, const eo_augment_options *o, eo_rng *rng,
                          eo_error *err)
{
    if (!x || !o || !rng)
        return eo_error_set(err, EO_STATUS_USAGE, "augment: NULL argument");
    if (len < 2 || before < 0 || before >= len)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "augment: window %d samples, R at %d",
                            len, before);
    if (!(o->noise_sd >= 0) || !(o->scale_lo > 0) || o->scale_hi < o->scale_lo ||
        !(o->stretch_lo > 0) || o->stretch_hi < o->stretch_lo)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "augment: noise sd %g, scale [%g, %g], stretch [%g, %g]", o->noise_sd,
                            o->scale_lo, o->scale_hi, o->stretch_lo, o->stretch_hi);
    if (o->noise && o->noise_len < (size_t)len)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "augment: noise record of %zu samples is shorter than a beat (%d)",
                            o->noise_len, len);
    if (o->stretch_hi > o->stretch_lo || o->stretch_lo != 1.0) {
        double s = o->stretch_hi > o->stretch_lo ? eo_rng_range(rng, o->stretch_lo, o->stretch_hi)
                                                 : o->stretch_lo;
        float *tmp = malloc((size_t)len * sizeof *tmp);
        if (!tmp)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "augment: %d samples", len);
        /* output sample i shows input time before + (i - before)/s: the beat
         * widens for s > 1 while R stays put; edges repeat the end samples */
        for (int i = 0; i < len; i++) {
            double t = before + (i - before) / s;
            if (t <= 0)
                tmp[i] = x[0];
            else if (t >= len - 1)
                tmp[i] = x[len - 1];
            else {
                int k = (int)t;
                double f = t - k;
                tmp[i] = (float)((1 - f) * x[k] + f * x[k + 1]);
            }
        }
        memcpy(x, tmp, (size_t)len * sizeof *x);
        free(tmp);
    }
    if (o->scale_hi > o->scale_lo || o->scale_lo != 1.0) {
        double a = o->scale_hi > o->scale_lo ? eo_rng_range(rng, o->scale_lo, o->scale_hi)
                                             : o->scale_lo;
        for (int i = 0; i < len; i++)
            x[i] = (float)(x[i] * a);
    }
    if (o->noise) {
        double ps = 0, pn = 0;
        size_t off = (size_t)eo_rng_below(rng, o->noise_len - (size_t)len + 1);
        double mean = 0;
        for (int i = 0; i < len; i++) {
            ps += (double)x[i] * x[i];
            mean += o->noise[off + (size_t)i];
        }
        mean /= len;
        for (int i = 0; i < len; i++) {
            double d = o->noise[off + (size_t)i] - mean;
            pn += d * d;
        }
        if (pn > 0 && ps > 0) {
            /* SNR = 10 log10(Ps / (g^2 Pn)) as NSTDB's nst tool defines it */
            double g = sqrt(ps / (pn * pow(10.0, o->noise_snr_db / 10.0)));
            for (int i = 0; i < len; i++)
                x[i] = (float)(x[i] + g * (o->noise[off + (size_t)i] - mean));
        }
    }
    if (o->noise_sd > 0)
        for (int i = 0; i < len; i++)
            x[i] = (float)(x[i] + o->noise_sd * eo_rng_normal(rng));
    return EO_STATUS_OK;
}
