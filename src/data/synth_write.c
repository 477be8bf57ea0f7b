/* A synthetic ECGSYN record (synth.c) written as a WFDB record with its
 * ground-truth beats as the reference annotator (.atr), so every command
 * and test can use it like a PhysioNet record. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/synth.h"
#include "ecgopt/wfdb.h"

eo_status eo_synth_write(const eo_synth *s, const char *dir, const char *name, int format,
                         const char *description, eo_error *err)
{
    eo_wfdb_signal_info like;
    memset(&like, 0, sizeof like);
    double lo, hi;
    if (format == 16) {
        like.gain = 1000;
        like.baseline = 0;
        lo = -32767, hi = 32767;
    } else if (format == 212) {
        /* MIT-BIH's own layout: 200 adu/mV around 1024 on an 11-bit ADC */
        like.gain = 200;
        like.baseline = 1024;
        like.adc_resolution = 11;
        like.adc_zero = 1024;
        lo = -2048, hi = 2047;
    } else {
        return eo_error_set(err, EO_STATUS_USAGE, "%s/%s: synthetic records are written in format 16 or 212, not %d",
                            dir, name, format);
    }
    like.gain_given = 1;
    like.baseline_given = 1;
    like.format = format;
    snprintf(like.units, sizeof like.units, "mV");
    snprintf(like.description, sizeof like.description, "%s", description ? description : "ECGSYN");
    int32_t *adu = malloc((s->n ? s->n : 1) * sizeof *adu);
    eo_annotation_set *ann = eo_annot_set_new();
    eo_status st = EO_STATUS_OK;
    if (!adu || !ann) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s/%s: out of memory", dir, name);
        goto done;
    }
    for (size_t i = 0; i < s->n; i++) {
        double a = floor(s->ecg_mv[i] * like.gain + 0.5) + like.baseline;
        adu[i] = (int32_t)(a > hi ? hi : a < lo ? lo : a);
    }
    int32_t *chans[1] = {adu};
    st = eo_wfdb_record_write(dir, name, format, s->fs_hz, 1, (long)s->n, chans, &like, err);
    for (size_t b = 0; !st && b < s->n_beats; b++) {
        eo_annotation a;
        memset(&a, 0, sizeof a);
        a.sample = s->r_peak[b];
        a.code = s->beat_code[b];
        st = eo_annot_set_push(ann, &a, err);
    }
    if (!st) {
        char atr[4400];
        snprintf(atr, sizeof atr, "%s/%s.atr", dir, name);
        st = eo_annot_write(atr, ann, err);
    }
done:
    free(adu);
    eo_annot_set_destroy(ann);
    return st;
}
