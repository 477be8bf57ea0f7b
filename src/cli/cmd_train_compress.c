/* ecgopt train --task compress: train the codec's autoencoder (ae mode) on
 * the MLII lead of DS1 records (never the DS2 records it is measured on). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_record.h"
#include "ecgopt/beats.h"
#include "ecgopt/codec.h"
#include "ecgopt/json.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

int eo_cmd_train_compress(int argc, char **argv);

static const eo_cli_spec SPEC = {
    "train --task compress -o MODEL.eom [--segment 720|512|256]\n"
    "           [--latent-channels C] [--pools P1,P2,P3] [--filters F] [--segments N]\n"
    "           [--epochs E] [--lr LR] [--records R1,R2,...]",
    "Trains the autoencoder of the codec's ae mode (docs/codec.md) on N random\n"
    "segments of the MLII lead of the records (default: the 22 DS1 records of\n"
    "MIT-BIH, so DS2 records stay unseen).  Latent size per segment =\n"
    "C x segment/(P1 P2 P3): pools 4,5,6 at 720 (segment/120), 4,4,4 at 512,\n"
    "4,4,2 at 256 unless --pools says otherwise (3,4,2 at 720: 30 latent\n"
    "positions, finer in time).  Defaults: 720, C=4, F=16, N=6000, E=8, LR=0.002.\n",
    NULL,
    "ecgopt train --task compress -o ae.eom --epochs 8 --segments 6000\n"
    "ecgopt compress mitdb/100 -o 100.ecgz --model ae.eom --evaluate\n",
    NULL};

/* Parse argv into *o and *records (help printed when asked).  Returns -1 to
 * go on, or the exit code. */
static int parse_args(eo_cli *c, int argc, char **argv, eo_codec_ae_options *o, const char **records)
{
    const char *task = NULL, *pools = NULL;
    *records = NULL;
    const eo_cli_opt opts[] = {
        {"--task", EO_OPT_STR, &task, 0, 0, "compress", "the task (this command trains compress)", NULL},
        {"--segment", EO_OPT_INT, &o->segment, 1, 1e7, "N", "segment length in samples: 720, 512 or 256 (default 720)", NULL},
        {"--latent-channels", EO_OPT_INT, &o->latent_channels, 1, 1e7, "C", "latent channels (default 4)", NULL},
        {"--pools", EO_OPT_STR, &pools, 0, 0, "P1,P2,P3", "the three pooling sizes (default by segment)", NULL},
        {"--lambda", EO_OPT_DOUBLE, &o->lambda, 0, 1e6, "L", "rate-distortion weight: MSE + L x bits/sample (default 1e-3; 0: the paper's MSE-only model)", NULL},
        {"--filters", EO_OPT_INT, &o->filters, 1, 1e7, "F", "convolution filters (default 16)", NULL},
        {"--segments", EO_OPT_INT, &o->max_segments, 1, 1e7, "N", "random training segments (default 6000)", NULL},
        {"--epochs", EO_OPT_INT, &o->epochs, 1, 1e7, "E", "epochs (default 8)", NULL},
        {"--lr", EO_OPT_DOUBLE, &o->lr, 1e-12, 10, "LR", "learning rate (default 0.002)", NULL},
        {"--records", EO_OPT_STR, records, 0, 0, "R1,R2,...", "training records (default: MIT-BIH DS1)", NULL},
        EO_OPT_TABLE_END};
    int rc = eo_cli_help_or_parse(c, &SPEC, opts, argc, argv, NULL, 0, NULL, "argument");
    if (rc >= 0)
        return rc;
    if (task && strcmp(task, "compress") != 0)
        return eo_cli_usage(c, "--task %s: this command trains --task compress", task);
    char tail;
    if (pools && sscanf(pools, "%d,%d,%d%c", &o->pools[0], &o->pools[1], &o->pools[2], &tail) != 3)
        return eo_cli_usage(c, "--pools %s: expected three sizes, e.g. 3,4,2", pools);
    return -1;
}

int eo_cmd_train_compress(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "train", &argc, argv))
        return c.rc;
    eo_codec_ae_options o;
    eo_codec_ae_defaults(&o);
    const char *records = NULL;
    int prc = parse_args(&c, argc, argv, &o, &records);
    if (prc >= 0)
        return prc;
    if (!c.out)
        return eo_cli_usage(&c, "needs -o MODEL.eom");
    {
        eo_error e;
        if (eo_cli_output(&c, c.out, &e))
            return eo_cli_fail(&c, &e);
    }
    o.seed = c.seed;
    o.threads = c.threads > 0 ? c.threads : 1;
    /* record list */
    char *list = NULL;
    const char *names[256];
    int n = 0;
    if (records) {
        list = strdup(records);
        if (!list)
            return 3;
        for (char *t = strtok(list, ","); t && n < 256; t = strtok(NULL, ","))
            names[n++] = t;
    } else {
        for (int i = 0; i < 22; i++)
            names[n++] = eo_split_ds1[i];
    }
    eo_wfdb_record **recs = calloc((size_t)(n ? n : 1), sizeof *recs);
    eo_error err;
    eo_status st = recs ? EO_STATUS_OK
                        : eo_error_set(&err, EO_STATUS_NO_MEMORY, "train: out of memory");
    for (int i = 0; i < n && !st; i++) {
        char base[4096];
        st = eo_data_find_record(c.data_dir, names[i], "hea", base, sizeof base, &err);
        if (!st)
            st = eo_cli_record_load(&c, base, &recs[i], &err);
    }
    eo_codec_ae *ae = NULL;
    double t0 = eo_time_now();
    if (!st) {
        if (c.progress && !c.quiet && !c.json) {
            o.progress = eo_cli_progress;
            o.progress_user = &c;
        }
        st = eo_codec_ae_train((const eo_wfdb_record *const *)recs, n, &o, &ae, &err);
        eo_cli_progress_end(&c);
    }
    double secs = eo_time_now() - t0;
    if (!st)
        st = eo_codec_ae_save(ae, c.out, &err);
    for (int i = 0; i < n && recs; i++)
        eo_wfdb_record_destroy(recs[i]);
    free(recs);
    free(list);
    if (st) {
        eo_codec_ae_destroy(ae);
        return eo_cli_fail(&c, &err);
    }
    uint8_t h[32];
    char hex[65];
    eo_codec_ae_hash(ae, h);
    eo_codec_hash_hex(h, 32, hex);
    if (c.json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "model", c.out);
        eo_json_kv_str(&j, "sha256", hex);
        eo_json_kv_int(&j, "model_bytes", (long long)eo_codec_ae_model_bytes(ae));
        eo_json_kv_int(&j, "segment", eo_codec_ae_segment(ae));
        eo_json_kv_int(&j, "latent", eo_codec_ae_latent(ae));
        eo_json_kv_int(&j, "records", n);
        eo_json_kv_int(&j, "segments", o.max_segments);
        eo_json_kv_int(&j, "epochs", o.epochs);
        eo_json_kv_num(&j, "seconds", secs);
        eo_json_obj_end(&j);
        printf("\n");
    } else if (!c.quiet) {
        printf("%s: autoencoder, segment %d, latent %d (paper CR %.1f), %zu bytes, sha256 %s, "
               "%d records, %d segments x %d epochs, %.1f s\n",
               c.out, eo_codec_ae_segment(ae), eo_codec_ae_latent(ae),
               (double)eo_codec_ae_segment(ae) / eo_codec_ae_latent(ae),
               eo_codec_ae_model_bytes(ae), hex, n, o.max_segments, o.epochs, secs);
    }
    eo_codec_ae_destroy(ae);
    return 0;
}
