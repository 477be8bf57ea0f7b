/* Codec benchmark: for each record, compress + decompress in memory in the
 * given mode, check the round trip (bit-exact for lossless, bound for
 * bounded), print per-record CR/PRDN and the pooled figures and times.
 *   bench_codec [--mode lossless|bounded|wavelet] [--max-error E]
 *               [--target-prdn P] [--step S] [--level L] [--block-seconds S]
 *               [--signals all|0] [--threads N] [--coder plain|mix]
 *               [--model M.eom [--ae-step S]] [--raw DIR] DATA_DIR REC...
 * --model: ae mode (--ae-step S fixed latent step; none: --target-prdn per
 * record, the step search counted in the encode time).
 * --raw DIR also writes each record's samples as 16-bit little-endian
 * interleaved raw (for the flac peer). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ecgopt/codec.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    eo_codec_options o;
    eo_codec_defaults(&o);
    const char *raw = NULL;
    eo_codec_ae *ae = NULL;
    int only0 = 0, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        eo_error e;
        if (!strcmp(argv[i], "--mode") && i + 1 < argc) {
            if (eo_codec_mode_parse(argv[++i], &o.mode, &e)) {
                fprintf(stderr, "%s\n", e.msg);
                return 1;
            }
        } else if (!strcmp(argv[i], "--max-error") && i + 1 < argc) {
            o.max_error_adu = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--target-prdn") && i + 1 < argc) {
            o.target_prdn = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--step") && i + 1 < argc) {
            o.wavelet_step = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--coder") && i + 1 < argc) {
            o.coder = !strcmp(argv[++i], "mix") ? EO_CODEC_CODER_MIX : EO_CODEC_CODER_PLAIN;
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            o.threads = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--level") && i + 1 < argc) {
            o.wavelet_level = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--block-seconds") && i + 1 < argc) {
            o.block_seconds = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--signals") && i + 1 < argc) {
            only0 = !strcmp(argv[++i], "0");
        } else if (!strcmp(argv[i], "--model") && i + 1 < argc) {
            if (eo_codec_ae_load(argv[++i], &ae, &e)) {
                fprintf(stderr, "%s\n", e.msg);
                return 1;
            }
            o.mode = EO_CODEC_AE;
            o.ae_model = ae;
        } else if (!strcmp(argv[i], "--ae-step") && i + 1 < argc) {
            o.ae_step = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--raw") && i + 1 < argc) {
            raw = argv[++i];
        } else {
            fprintf(stderr, "bench_codec: unknown option %s\n", argv[i]);
            return 1;
        }
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: bench_codec [options] DATA_DIR REC...\n");
        return 1;
    }
    const char *dir = argv[i++];
    double enc_cpu = 0, dec_cpu = 0, t_wall0 = eo_time_now();
    double total_bits_in = 0, total_bytes = 0, prdn_sum = 0;
    eo_fidelity pooled;
    eo_fidelity_init(&pooled);
    double pooled_err2 = 0, pooled_var = 0;
    int nrec = 0, bad = 0;
    for (; i < argc; i++) {
        char base[4200];
        snprintf(base, sizeof base, "%s/%s", dir, argv[i]);
        eo_wfdb_record *rec;
        eo_error err;
        eo_wfdb_read_options ro;
        eo_wfdb_read_defaults(&ro);
        if (eo_wfdb_record_load(base, &ro, &rec, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 2;
        }
        if (only0 && rec->n_signals > 1) {
            for (int s = 1; s < rec->n_signals; s++)
                free(rec->adu[s]);
            rec->n_signals = 1;
            rec->header->n_signals = 1;
        }
        if (raw) {
            char p[4300];
            snprintf(p, sizeof p, "%s/%s.raw", raw, argv[i]);
            FILE *f = fopen(p, "wb");
            if (!f) {
                perror(p);
                return 2;
            }
            for (long k = 0; k < rec->n_samples; k++)
                for (int s = 0; s < rec->n_signals; s++) {
                    int16_t v = (int16_t)rec->adu[s][k];
                    fwrite(&v, 2, 1, f);
                }
            fclose(f);
        }
        unsigned char *buf;
        size_t len;
        eo_codec_stats cs;
        double t0 = cpu_now();
        if (eo_codec_encode(rec, &o, &buf, &len, &cs, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 3;
        }
        double t1 = cpu_now();
        eo_ecgz *z;
        eo_wfdb_record *dec;
        if (eo_ecgz_open_mem(buf, len, argv[i], &z, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 3;
        }
        eo_ecgz_set_threads(z, o.threads);
        if (ae && eo_ecgz_set_ae_model(z, ae, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 3;
        }
        if (eo_ecgz_to_record(z, &dec, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 3;
        }
        double t2 = cpu_now();
        enc_cpu += t1 - t0;
        dec_cpu += t2 - t1;
        eo_fidelity f;
        eo_codec_fidelity(rec, dec->adu, 0, rec->n_samples, &f, &err);
        int ok = 1;
        if (o.mode == EO_CODEC_LOSSLESS && f.max_abs_error != 0)
            ok = 0;
        if (o.mode == EO_CODEC_BOUNDED && f.max_abs_error > o.max_error_adu)
            ok = 0;
        bad += !ok;
        eo_fidelity_merge(&pooled, &f);
        /* pooled PRDN with each record's (and lead's) own mean */
        pooled_err2 += f.sum_err2;
        if (f.prdn > 0)
            pooled_var += f.sum_err2 / (f.prdn * f.prdn / 1e4);
        prdn_sum += f.prdn;
        double bits_in = 11.0 * (double)rec->n_samples * rec->n_signals;
        total_bits_in += bits_in;
        total_bytes += (double)len;
        printf("record %s signals=%d bytes=%zu cr=%.3f bps=%.4f prd=%.3f prdn=%.3f maxe=%.0f%s\n",
               argv[i], rec->n_signals, len, bits_in / (8.0 * (double)len),
               8.0 * (double)len / ((double)rec->n_samples * rec->n_signals), f.prd, f.prdn,
               f.max_abs_error, ok ? "" : " ROUNDTRIP-FAILED");
        nrec++;
        free(buf);
        eo_ecgz_close(z);
        eo_wfdb_record_destroy(dec);
        eo_wfdb_record_destroy(rec);
    }
    eo_fidelity_finish(&pooled);
    printf("total mode=%s records=%d cr=%.4f mean_prdn=%.3f pooled_prdn=%.3f maxe=%.0f "
           "encode_cpu_s=%.3f decode_cpu_s=%.3f wall_s=%.3f roundtrip_failures=%d\n",
           eo_codec_mode_name(o.mode), nrec, total_bits_in / (8.0 * total_bytes),
           nrec ? prdn_sum / nrec : 0,
           pooled_var > 0 ? 100.0 * sqrt(pooled_err2 / pooled_var) : 0.0,
           pooled.max_abs_error, enc_cpu, dec_cpu,
           eo_time_now() - t_wall0, bad);
    eo_codec_ae_destroy(ae);
    return bad ? 4 : 0;
}
