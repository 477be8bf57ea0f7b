/* ecgopt train --task compress: train the codec's autoencoder (ae mode) on
 * the MLII lead of DS1 records (never the DS2 records it is measured on);
 * the work is eo_codec_ae_train_named (ecgopt/codec_run.h). */
#include <string.h>

#include "cli.h"
#include "ecgopt/codec_run.h"
#include "ecgopt/util.h"

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

static void print_result(const eo_cli *c, const eo_codec_ae *ae, const eo_codec_ae_options *o, int n, double secs)
{
    if (c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "model", c->out);
        eo_codec_ae_json(&j, ae);
        eo_json_kv_int(&j, "records", n);
        eo_json_kv_int(&j, "segments", o->max_segments);
        eo_json_kv_int(&j, "epochs", o->epochs);
        eo_json_kv_num(&j, "seconds", secs);
        eo_json_obj_end(&j);
        printf("\n");
    } else if (!c->quiet) {
        uint8_t h[32];
        char hex[65];
        eo_codec_ae_hash(ae, h);
        eo_codec_hash_hex(h, 32, hex);
        printf("%s: autoencoder, segment %d, latent %d (paper CR %.1f), %zu bytes, sha256 %s, "
               "%d records, %d segments x %d epochs, %.1f s\n",
               c->out, eo_codec_ae_segment(ae), eo_codec_ae_latent(ae),
               (double)eo_codec_ae_segment(ae) / eo_codec_ae_latent(ae), eo_codec_ae_model_bytes(ae), hex, n,
               o->max_segments, o->epochs, secs);
    }
}

int eo_cmd_train_compress(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "train", &argc, argv))
        return c.rc;
    eo_codec_ae_options o;
    eo_codec_ae_defaults(&o);
    const char *task = NULL, *pools = NULL, *records = NULL;
    int no_attention = 0;
    const eo_cli_opt opts[] = {
        {"--task", EO_OPT_STR, &task, 0, 0, "compress", "the task (this command trains compress)", NULL},
        {"--segment", EO_OPT_INT, &o.segment, 1, 1e7, "N", "segment length in samples: 720, 512 or 256 (default 720)", NULL},
        {"--latent-channels", EO_OPT_INT, &o.latent_channels, 1, 1e7, "C", "latent channels (default 24)", NULL},
        {"--pools", EO_OPT_STR, &pools, 0, 0, "P1,P2,P3", "the three pooling sizes (default by segment)", NULL},
        {"--lambda", EO_OPT_DOUBLE, &o.lambda, 0, 1e6, "L", "rate-distortion weight: MSE + L x bits/sample (default 4e-3; 0: the paper's MSE-only model)", NULL},
        {"--filters", EO_OPT_INT, &o.filters, 1, 1e7, "F", "convolution filters (default 16)", NULL},
        {"--segments", EO_OPT_INT, &o.max_segments, 1, 1e7, "N", "random training segments (default 60000)", NULL},
        {"--epochs", EO_OPT_INT, &o.epochs, 1, 1e7, "E", "epochs (default 15)", NULL},
        {"--lr", EO_OPT_DOUBLE, &o.lr, 1e-12, 10, "LR", "learning rate (default 0.002)", NULL},
        {"--records", EO_OPT_STR, &records, 0, 0, "R1,R2,...", "training records (default: MIT-BIH DS1)", NULL},
        {"--no-attention", EO_OPT_FLAG, &no_attention, 0, 0, NULL, "no squeeze-excitation attention after the bottleneck (Table I's other arm; needs --lambda > 0)", NULL},
        {"--context", EO_OPT_FLAG, &o.context, 0, 0, NULL, "entropy model with a context model (each latent's density scaled by those coded around it; needs --lambda > 0)", NULL},
        EO_OPT_TABLE_END};
    int rc = eo_cli_help_or_parse(&c, &SPEC, opts, argc, argv, NULL, 0, NULL, "argument");
    if (rc >= 0)
        return rc;
    eo_error err;
    if (task && strcmp(task, "compress") != 0)
        return eo_cli_usage(&c, "--task %s: this command trains --task compress", task);
    if (pools && eo_codec_ae_pools_parse(pools, &o, &err))
        return eo_cli_usage(&c, "%s", err.msg);
    if (!c.out)
        return eo_cli_usage(&c, "needs -o MODEL.eom");
    if (eo_cli_output(&c, c.out, &err))
        return eo_cli_fail(&c, &err);
    o.attention = !no_attention;
    o.seed = c.seed;
    o.threads = c.threads > 0 ? c.threads : 1;
    if (c.progress && !c.quiet && !c.json) {
        o.progress = eo_cli_progress;
        o.progress_user = &c;
    }
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = c.verify;
    eo_codec_ae *ae = NULL;
    int n = 0;
    double t0 = eo_time_now();
    eo_status st = eo_codec_ae_train_named(c.data_dir, records, &ro, &o, &ae, &n, &err);
    eo_cli_progress_end(&c);
    double secs = eo_time_now() - t0;
    if (!st)
        st = eo_codec_ae_save(ae, c.out, &err);
    if (!st)
        print_result(&c, ae, &o, n, secs);
    eo_codec_ae_destroy(ae);
    return st ? eo_cli_fail(&c, &err) : 0;
}
