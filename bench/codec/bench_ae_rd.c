/* Rate-distortion of the autoencoder mode on the 22 DS2 records (MLII lead,
 * all 650000 samples), beside the wavelet baseline at the same PRDN.
 *
 *   bench_ae_rd MODEL.eom MITDB_DIR [records=A,B,...] [seconds=N] STEP|pPRDN [STEP|pPRDN...]
 *
 * records= replaces the DS2 list (e.g. DS1 records held out of a training
 * run, for model selection without DS2); seconds= keeps the first N
 * seconds of each record.
 *
 * pPRDN (e.g. p5): the AE chooses its step per record for that target
 * PRDN (eo_codec_options.ae_step = 0, as `compress --target-prdn`).
 *
 * For each step: every DS2 record's MLII lead coded as a one-signal .ecgz
 * (every byte counted, headers included; the model is NOT counted, its size
 * is printed once), decoded, PRDN per record; then the wavelet coder with
 * its target PRDN set to the AE's pooled PRDN on that record.  Prints one
 * row per step: mean CR, CR of the summed bytes, mean PRDN, the paper's CR
 * (segment / latent) and the wavelet's mean CR at the same PRDN;
 * ratio = AE CR / wavelet CR (> 1: the AE wins). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ecgopt/codec.h"
#include "ecgopt/util.h"

static const char *const ds2[22] = {"100", "103", "105", "111", "113", "117", "121", "123",
                                    "200", "202", "210", "212", "213", "214", "219", "221",
                                    "222", "228", "231", "232", "233", "234"};

static int code(const eo_wfdb_record *r, const eo_codec_options *o, const eo_codec_ae *ae,
                double *cr, double *prdn, size_t *bytes, double *step)
{
    unsigned char *buf;
    size_t len;
    eo_codec_stats cs;
    eo_error err;
    eo_ecgz *z = NULL;
    eo_wfdb_record *d = NULL;
    eo_fidelity f;
    if (eo_codec_encode(r, o, &buf, &len, &cs, &err) ||
        eo_ecgz_open_mem(buf, len, "x.ecgz", &z, &err) ||
        (ae && eo_ecgz_set_ae_model(z, ae, &err)) || eo_ecgz_to_record(z, &d, &err) ||
        eo_codec_fidelity(r, d->adu, 0, r->n_samples, &f, &err)) {
        fprintf(stderr, "bench_ae_rd: %s\n", err.msg);
        return -1;
    }
    *cr = cs.cr;
    *step = cs.wavelet_step;
    *prdn = f.prdn;
    *bytes = len;
    free(buf);
    eo_ecgz_close(z);
    eo_wfdb_record_destroy(d);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_ae_rd MODEL.eom MITDB_DIR STEP [STEP...]\n");
        return 1;
    }
    eo_error err;
    eo_codec_ae *ae = NULL;
    if (eo_codec_ae_load(argv[1], &ae, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    int seg = eo_codec_ae_segment(ae), lat = eo_codec_ae_latent(ae);
    printf("model %s: segment %d, latent %d, paper CR %.1f, %zu bytes (not in CR)\n", argv[1],
           seg, lat, (double)seg / lat, eo_codec_ae_model_bytes(ae));
    const char *names[64];
    int nrec = 22, a0 = 3;
    long keep = 0;
    char list[1024] = "";
    for (int i = 0; i < 22; i++)
        names[i] = ds2[i];
    for (; a0 < argc && strchr(argv[a0], '='); a0++) {
        if (!strncmp(argv[a0], "records=", 8)) {
            snprintf(list, sizeof list, "%s", argv[a0] + 8);
            nrec = 0;
            for (char *t = strtok(list, ","); t && nrec < 64; t = strtok(NULL, ","))
                names[nrec++] = t;
        } else if (!strncmp(argv[a0], "seconds=", 8)) {
            keep = atol(argv[a0] + 8);
        } else {
            fprintf(stderr, "bench_ae_rd: unknown option %s\n", argv[a0]);
            return 1;
        }
    }
    eo_wfdb_record *recs[64];
    eo_wfdb_record views[64];
    eo_wfdb_header heads[64];
    int32_t *adu1[64][1];
    for (int i = 0; i < nrec; i++) {
        char base[4096];
        snprintf(base, sizeof base, "%s/%s", argv[2], names[i]);
        eo_wfdb_read_options ro;
        eo_wfdb_read_defaults(&ro);
        if (eo_wfdb_record_load(base, &ro, &recs[i], &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 2;
        }
        /* a one-signal view of the MLII lead */
        int s = 0;
        for (int k = 0; k < recs[i]->n_signals; k++)
            if (strcmp(recs[i]->header->signals[k].description, "MLII") == 0)
                s = k;
        heads[i] = *recs[i]->header;
        heads[i].signals = &recs[i]->header->signals[s];
        heads[i].n_signals = 1;
        views[i] = *recs[i];
        views[i].header = &heads[i];
        views[i].n_signals = 1;
        adu1[i][0] = recs[i]->adu[s];
        views[i].adu = adu1[i];
        if (keep > 0 && views[i].n_samples > (long)(keep * views[i].fs_hz))
            views[i].n_samples = (long)(keep * views[i].fs_hz);
    }
    printf("%-6s %9s %9s %9s %9s %12s %9s\n", "step", "meanCR", "pooledCR", "meanPRDN", "paperCR",
           "waveletCR", "wavPRDN");
    for (int a = a0; a < argc; a++) {
        int target = argv[a][0] == 'p';
        double step = atof(argv[a] + target);
        double scr = 0, sp = 0, wcr = 0, wp = 0, bits = 0, bytes = 0, est = 0, used;
        for (int i = 0; i < nrec; i++) {
            eo_codec_options o;
            eo_codec_defaults(&o);
            o.mode = EO_CODEC_AE;
            o.ae_model = ae;
            o.ae_step = target ? 0 : step;
            o.target_prdn = target ? step : o.target_prdn;
            double cr, p, wc, wpr;
            size_t n, wn;
            if (code(&views[i], &o, ae, &cr, &p, &n, &used))
                return 3;
            double mb, tb;
            if (eo_codec_ae_is_rd(ae, NULL, NULL)) {
                if (eo_codec_ae_estimate(ae, &views[i], (long)llround(60 * views[i].fs_hz), used,
                                         &mb, &tb, &err)) {
                    fprintf(stderr, "%s\n", err.msg);
                    return 3;
                }
                est += mb;
            }
            eo_codec_options w;
            eo_codec_defaults(&w);
            w.mode = EO_CODEC_WAVELET;
            w.target_prdn = p < 99 ? p : 99;
            if (code(&views[i], &w, NULL, &wc, &wpr, &wn, &used))
                return 3;
            scr += cr;
            sp += p;
            wcr += wc;
            wp += wpr;
            bits += 11.0 * (double)views[i].n_samples;
            bytes += (double)n;
            fprintf(stderr, "  %s %g: AE CR %.2f PRDN %.2f | wavelet CR %.2f PRDN %.2f\n",
                    names[i], step, cr, p, wc, wpr);
        }
        printf("%s%-5g %9.2f %9.2f %9.2f %9.1f %12.2f %9.2f  est/file=%.4f  ratio=%.3f\n",
               target ? "p" : "", step, scr / nrec,
               bits / (8 * bytes), sp / nrec, (double)seg / lat, wcr / nrec, wp / nrec, est > 0 ? est / (8 * bytes) : NAN,
               scr / wcr);
        fflush(stdout);
    }
    for (int i = 0; i < nrec; i++)
        eo_wfdb_record_destroy(recs[i]);
    eo_codec_ae_destroy(ae);
    return 0;
}
