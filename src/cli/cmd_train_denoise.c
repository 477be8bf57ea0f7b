/* ecgopt train --task denoise: train the learned denoiser (the library's
 * eo_denoise_train; docs/denoise.md "Learned denoiser") and save the model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/denoise.h"
#include "ecgopt/json.h"

static void usage(void)
{
    printf("usage: ecgopt train --task denoise -o MODEL.eom [--epochs N] [--windows N]\n"
           "                    [--val-windows N] [--window N] [--batch N] [--lr X] [--spec SPEC\n"
           "                    --margin N] [--pre highpass|median] [--seed N] [--threads N]\n\n"
           "Train the learned denoiser: a dilated convolutional network that removes the noise\n"
           "left after a zero-phase 0.5 Hz high-pass (--pre highpass, default) or a 200+600 ms\n"
           "median baseline (--pre median).  Clean ECG: MIT-BIH DS1 MLII without 118\n"
           "and 119 (122 and 230 for validation); noise: NSTDB bw and ma, channel 0 only, and\n"
           "electrode-motion-like noise (bw played 3-10x faster), at random SNR -6..18 dB.\n"
           "  --epochs N (8)  --windows N (12000 training windows)  --val-windows N (1000)\n"
           "  --window N (1024 samples)  --batch N (32)  --lr X (2e-3, cosine schedule)\n"
           "  --spec SPEC --margin N   another network (nn.h grammar, 1 x L -> 1 x L) and its\n"
           "                           receptive-field half width in samples\n"
           "example (the committed models/denoise-dcnn.eom):\n"
           "  nice ecgopt train --task denoise -o models/denoise-dcnn.eom --seed 1 --threads 2\n");
}

int eo_cmd_train_denoise(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "train", &argc, argv))
        return 1;
    if (c.help) {
        usage();
        return 0;
    }
    eo_denoise_train_options o;
    eo_denoise_train_defaults(&o);
    int margin_set = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        int r;
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--spec", &v)) != 0) {
            if (r < 0)
                return 1;
            o.spec = v;
            continue;
        }
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--pre", &v)) != 0) {
            if (r < 0)
                return 1;
            if (!strcmp(v, "highpass"))
                o.pre = EO_DENOISE_PRE_HIGHPASS;
            else if (!strcmp(v, "median"))
                o.pre = EO_DENOISE_PRE_MEDIAN;
            else
                return eo_cli_usage(&c, "--pre %s: use highpass or median", v);
            continue;
        }
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--lr", &v)) != 0) {
            if (r < 0 || eo_cli_parse_double(&c, "--lr", v, 1e-9, 0.999999, &o.lr))
                return 1;
            continue;
        }
        static const char *const names[] = {"--epochs", "--windows", "--val-windows",
                                            "--window", "--batch",   "--margin"};
        int *dst[] = {&o.epochs, &o.n_train, &o.n_val, &o.window, &o.batch, &o.margin};
        const long hi[] = {1000, 1000000, 100000, 65536, 4096, 16384};
        int hit = 0;
        for (int q = 0; q < 6 && !hit; q++) {
            if ((r = eo_cli_take_value(&c, argc, argv, &i, names[q], &v)) != 0) {
                long l;
                if (r < 0 || eo_cli_parse_long(&c, names[q], v, 1, hi[q], &l))
                    return 1;
                *dst[q] = (int)l;
                margin_set |= q == 5;
                hit = 1;
            }
        }
        if (hit)
            continue;
        return eo_cli_usage(&c, "unknown argument '%s'", argv[i]);
    }
    if (!c.out)
        return eo_cli_usage(&c, "needs -o MODEL.eom");
    if (o.spec != eo_denoise_default_spec() && !margin_set)
        return eo_cli_usage(&c, "--spec needs --margin (the network's receptive-field half width)");
    o.data_dir = c.data_dir;
    o.seed = c.seed;
    o.threads = c.threads > 0 ? c.threads : 2;
    if (c.progress && !c.quiet && !c.json) {
        o.progress = eo_cli_progress;
        o.progress_user = &c;
    }
    eo_nn *nn = NULL;
    eo_denoise_train_report rep;
    eo_error err;
    eo_status st = eo_denoise_train(&o, &nn, &rep, &err);
    eo_cli_progress_end(&c);
    if (!st)
        st = eo_nn_save(nn, c.out, &err);
    eo_nn_destroy(nn);
    if (st)
        return eo_cli_fail(&c, &err);
    if (c.json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "model", c.out);
        eo_json_kv_int(&j, "params", (long long)rep.params);
        eo_json_kv_int(&j, "epochs_run", rep.epochs_run);
        eo_json_kv_int(&j, "best_epoch", rep.best_epoch);
        eo_json_kv_num(&j, "val_mse", rep.best_val_loss);
        eo_json_kv_num(&j, "val_mse_median_only", rep.val_loss_median);
        eo_json_kv_num(&j, "seconds", rep.seconds);
        eo_json_obj_end(&j);
        printf("\n");
    } else if (!c.quiet) {
        printf("%s: %zu parameters, %d epochs (best %d), validation MSE %.5f mV^2 (median "
               "baseline alone %.5f), %.1f s\n",
               c.out, rep.params, rep.epochs_run, rep.best_epoch, rep.best_val_loss,
               rep.val_loss_median, rep.seconds);
    }
    return 0;
}
