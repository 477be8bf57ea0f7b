/* Demo stage 5: compression.  Lossless, bounded-error and CDF 9/7 wavelet
 * modes at several rates, every byte of the .ecgz file counted; one wavelet
 * reconstruction is kept for the strips. */
#include <stdlib.h>

#include "demo_internal.h"
#include "ecgopt/codec.h"

static eo_status encode_point(eo_demo *d, const eo_wfdb_record *crop, const eo_codec_options *o, int curve,
                              int want_recon, eo_error *err)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    eo_codec_stats cs;
    eo_ecgz *z = NULL;
    int32_t *dec[8] = {0};
    eo_status st = eo_codec_encode(crop, o, &buf, &len, &cs, err);
    if (!st)
        st = eo_ecgz_open_mem(buf, len, "demo.ecgz", &z, err);
    for (int s = 0; s < crop->n_signals && !st; s++)
        if (!(dec[s] = malloc(sizeof(int32_t) * (size_t)crop->n_samples)))
            st = eo_demo_no_memory(err);
    if (!st)
        st = eo_ecgz_read(z, 0, crop->n_samples, dec, err);
    eo_fidelity fid;
    if (!st)
        st = eo_codec_fidelity(crop, dec, 0, crop->n_samples, &fid, err);
    if (!st) {
        int k = d->r.rd_n[curve]++;
        d->r.rd_cr[curve][k] = cs.cr;
        d->r.rd_prdn[curve][k] = fid.prdn;
        eo_codec_setting_label(o, d->r.rd_set[curve][k], sizeof d->r.rd_set[curve][k]);
        if (want_recon) {
            d->r.rd_shown = curve * EO_DEMO_MAX_RD + k;
            const eo_wfdb_signal_info *si = &crop->header->signals[d->sig];
            for (long i = 0; i < d->wn; i++) {
                d->recon[i] = eo_wfdb_adu_to_mv(si, dec[d->sig][d->w0 + i]);
                d->errtr[i] = d->x[i] - d->recon[i];
            }
        }
    }
    for (int s = 0; s < 8; s++)
        free(dec[s]);
    eo_ecgz_close(z);
    free(buf);
    return st;
}

eo_status eo_demo_compress(eo_demo *d, eo_error *err)
{
    /* --quick compresses the first 5 minutes; otherwise the whole record */
    eo_wfdb_record crop = *d->rec;
    if (d->rec->n_signals > 8)
        crop.n_signals = 8;
    if (d->o.quick && crop.n_samples > (long)(300 * d->fs))
        crop.n_samples = (long)(300 * d->fs);
    if (crop.n_signals != crop.header->n_signals)
        return eo_error_set(err, EO_STATUS_UNSUPPORTED, "%s: demo compresses at most 8 signals", d->base_path);
    double t0 = eo_time_now();
    d->r.rd_name[0] = "lossless";
    d->r.rd_name[1] = "bounded";
    d->r.rd_name[2] = "wavelet"; /* CDF 9/7 */
    d->r.rd_shown = -1;
    static const int bounds_full[] = {1, 2, 4, 8, 16}, bounds_quick[] = {2, 8};
    static const double prdn_full[] = {1, 2, 4, 8, 15}, prdn_quick[] = {2, 5, 10};
    int nb = d->o.quick ? 2 : 5, np = d->o.quick ? 3 : 5;
    int total = 1 + nb + np, done = 0;
    eo_codec_options o;
    eo_codec_defaults(&o);
    o.mode = EO_CODEC_LOSSLESS;
    eo_status st = encode_point(d, &crop, &o, 0, 0, err);
    eo_demo_progress(d, ++done, total, NULL);
    for (int i = 0; i < nb && !st; i++) {
        eo_codec_defaults(&o);
        o.mode = EO_CODEC_BOUNDED;
        o.max_error_adu = d->o.quick ? bounds_quick[i] : bounds_full[i];
        st = encode_point(d, &crop, &o, 1, 0, err);
        eo_demo_progress(d, ++done, total, NULL);
    }
    for (int i = 0; i < np && !st; i++) {
        eo_codec_defaults(&o);
        o.mode = EO_CODEC_WAVELET;
        o.target_prdn = d->o.quick ? prdn_quick[i] : prdn_full[i];
        /* the strip shows the 5 % (quick) / 4 % reconstruction */
        st = encode_point(d, &crop, &o, 2, o.target_prdn == (d->o.quick ? 5.0 : 4.0), err);
        eo_demo_progress(d, ++done, total, NULL);
    }
    d->r.compress_seconds = eo_time_now() - t0;
    return st;
}
