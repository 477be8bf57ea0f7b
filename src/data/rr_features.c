/* RR-interval features of a beat sequence.
 *
 * de Chazal, O'Dwyer & Reilly, "Automatic classification of heartbeats using
 * ECG morphology and heartbeat interval features", IEEE TBME 51(7) 2004,
 * section II-C: pre-RR, post-RR, average RR and local average RR.  The
 * average is taken over the beat list of the record (the paper averages over
 * a 5-minute window around the beat; a 30-minute MIT-BIH record is close to
 * stationary in rate and the record mean is what a detector-fed classifier
 * can compute too).  The local average is the mean pre-RR of the beat and the
 * local_beats beats before it (paper: 10 beats, causal).  The ratios are the
 * normalisation that lets a premature supraventricular beat (short pre-RR
 * relative to this patient's rhythm, compensatory pause after) be recognised
 * in a patient the classifier never saw. */
#include <math.h>
#include <stdlib.h>

#include "ecgopt/beats.h"

eo_status eo_rr_features(const long *samples, size_t n, double fs_hz, int local_beats, float *out,
                         eo_error *err)
{
    if (!samples || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "rr features: NULL argument");
    if (n < 2)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "rr features: %zu beat(s); at least 2 are needed for an RR interval", n);
    if (!(fs_hz > 0) || !isfinite(fs_hz))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "rr features: sampling rate %g Hz", fs_hz);
    if (local_beats < 1)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "rr features: local_beats %d < 1",
                            local_beats);
    for (size_t i = 1; i < n; i++)
        if (samples[i] <= samples[i - 1])
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "rr features: beat %zu at sample %ld is not after beat %zu at %ld",
                                i, samples[i], i - 1, samples[i - 1]);
    double record = (double)(samples[n - 1] - samples[0]) / (double)(n - 1) / fs_hz;
    /* running sum of pre-RR over the last local_beats+1 beats */
    double win_sum = 0.0;
    size_t win_n = 0;
    for (size_t i = 0; i < n; i++) {
        double pre = (i > 0) ? (double)(samples[i] - samples[i - 1]) / fs_hz
                             : (double)(samples[1] - samples[0]) / fs_hz;
        double post = (i + 1 < n) ? (double)(samples[i + 1] - samples[i]) / fs_hz : pre;
        win_sum += pre;
        win_n++;
        if (win_n > (size_t)local_beats + 1) {
            size_t j = i - (size_t)local_beats - 1; /* beat leaving the window */
            double old = (j > 0) ? (double)(samples[j] - samples[j - 1]) / fs_hz
                                 : (double)(samples[1] - samples[0]) / fs_hz;
            win_sum -= old;
            win_n--;
        }
        double local = win_sum / (double)win_n;
        float *o = out + i * EO_RR_N_FEATURES;
        o[EO_RR_PRE] = (float)pre;
        o[EO_RR_POST] = (float)post;
        o[EO_RR_LOCAL] = (float)local;
        o[EO_RR_RECORD] = (float)record;
        o[EO_RR_PRE_LOCAL] = (float)(pre / local);
        o[EO_RR_POST_LOCAL] = (float)(post / local);
        o[EO_RR_PRE_RECORD] = (float)(pre / record);
        o[EO_RR_POST_PRE] = (float)(post / pre);
        o[EO_RR_LOCAL_RECORD] = (float)(local / record);
    }
    return EO_STATUS_OK;
}
