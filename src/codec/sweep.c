/* Rate-distortion points: encode in memory, decode, score.  What the
 * compress and demo reports draw (docs/codec.md metric definitions: CR
 * counts every bit of the file, PRDN is the PRD with each signal's mean
 * removed). */
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/alloc.h"
#include "ecgopt/codec.h"

eo_status eo_codec_measure(const eo_wfdb_record *rec, const eo_codec_options *o,
                           eo_codec_stats *cs, eo_fidelity *fid, eo_error *err)
{
    if (!rec || !o || !cs || !fid || rec->n_signals <= 0)
        return eo_error_set(err, EO_STATUS_USAGE, "codec measure: needs a record with signals");
    unsigned char *buf = NULL;
    size_t len = 0;
    eo_ecgz *z = NULL;
    int ns = rec->n_signals;
    int32_t **dec = eo_calloc((size_t)ns, sizeof *dec);
    if (!dec)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "codec measure: out of memory");
    eo_status st = eo_codec_encode(rec, o, &buf, &len, cs, err);
    if (!st)
        st = eo_ecgz_open_mem(buf, len, "measure.ecgz", &z, err);
    if (!st && o->mode == EO_CODEC_AE && o->ae_model && !o->embed_model)
        st = eo_ecgz_set_ae_model(z, o->ae_model, err);
    for (int s = 0; s < ns && !st; s++)
        if (!(dec[s] = eo_malloc(sizeof(int32_t) * (size_t)(rec->n_samples ? rec->n_samples : 1))))
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "codec measure: out of memory (%ld samples)",
                              rec->n_samples);
    if (!st)
        st = eo_ecgz_read(z, 0, rec->n_samples, dec, err);
    if (!st)
        st = eo_codec_fidelity(rec, dec, 0, rec->n_samples, fid, err);
    for (int s = 0; s < ns; s++)
        free(dec[s]);
    free(dec);
    eo_ecgz_close(z);
    free(buf);
    return st;
}

void eo_codec_setting_label(const eo_codec_options *o, char *buf, size_t n)
{
    if (!buf || n == 0)
        return;
    buf[0] = 0;
    if (!o)
        return;
    if (o->mode == EO_CODEC_BOUNDED)
        snprintf(buf, n, "max error %d adu", o->max_error_adu);
    else if (o->mode == EO_CODEC_WAVELET && o->wavelet_step > 0)
        snprintf(buf, n, "step %g adu", o->wavelet_step);
    else if (o->mode == EO_CODEC_WAVELET)
        snprintf(buf, n, "target PRDN %g %%", o->target_prdn);
    else if (o->mode == EO_CODEC_AE)
        snprintf(buf, n, "latent step %g", o->ae_step);
}

static eo_status add_point(const eo_wfdb_record *rec, const eo_codec_options *o, eo_codec_rd *out, int max,
                           int *n, eo_error *err)
{
    if (*n >= max)
        return EO_STATUS_OK;
    eo_codec_stats cs;
    eo_fidelity f;
    eo_status st = eo_codec_measure(rec, o, &cs, &f, err);
    if (st)
        return st;
    eo_codec_rd *p = &out[(*n)++];
    p->mode = o->mode;
    p->setting = o->mode == EO_CODEC_BOUNDED ? o->max_error_adu : o->mode == EO_CODEC_WAVELET ? o->target_prdn : 0;
    eo_codec_setting_label(o, p->label, sizeof p->label);
    p->cr = cs.cr;
    p->prdn = f.prdn;
    return EO_STATUS_OK;
}

eo_status eo_codec_sweep(const eo_wfdb_record *rec, const eo_codec_options *base, eo_codec_rd *out,
                         int max, int *n, eo_error *err)
{
    if (!rec || !base || !out || !n || max <= 0)
        return eo_error_set(err, EO_STATUS_USAGE, "codec sweep: needs a record, options and room for points");
    *n = 0;
    static const int bounds[] = {1, 2, 4, 8, 16};
    static const double prdns[] = {1, 2, 4, 8, 15};
    eo_codec_options o = *base;
    o.progress = NULL;
    o.mode = EO_CODEC_LOSSLESS;
    eo_status st = add_point(rec, &o, out, max, n, err);
    for (int i = 0; i < 5 && !st && base->mode == EO_CODEC_BOUNDED; i++) {
        o = *base;
        o.progress = NULL;
        o.max_error_adu = bounds[i];
        st = add_point(rec, &o, out, max, n, err);
    }
    for (int i = 0; i < 5 && !st && base->mode == EO_CODEC_WAVELET; i++) {
        o = *base;
        o.progress = NULL;
        o.wavelet_step = 0;
        o.target_prdn = prdns[i];
        st = add_point(rec, &o, out, max, n, err);
    }
    return st;
}
