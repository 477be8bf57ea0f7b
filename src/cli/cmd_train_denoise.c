/* ecgopt train --task denoise: train the learned denoiser (the library's
 * eo_denoise_train; docs/denoise.md "Learned denoiser") and save the model. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/denoise.h"
#include "ecgopt/json.h"
#include "ecgopt/util.h"

static const eo_cli_spec SPEC = {
    "train --task denoise -o MODEL.eom [options]",
    "Train the learned denoiser: a dilated convolutional network that removes the noise\n"
    "left after a zero-phase 0.5 Hz high-pass (--pre highpass, default) or a 200+600 ms\n"
    "median baseline (--pre median), given that signal and its beat template (the median\n"
    "over neighbouring beats, --template, --template-select).  Clean ECG: MIT-BIH DS1\n"
    "MLII without 118 and 119 (122 and 230 for validation); noise: NSTDB bw and ma,\n"
    "channel 0 only (its last 20 % for validation only, --noise-holdout), and\n"
    "electrode-motion-like noise (bw played 3-10x faster), at random SNR -6..18 dB; then\n"
    "stage 2 with DeepFilter's amplitudes.  The defaults take about 16 minutes on 2 cores.\n"
    "With --ensemble A.eom,B.eom nothing is trained: the models are written to -o as one\n"
    "ensemble file whose noise estimate is the mean of theirs (the committed model is one).\n",
    NULL,
    "nice ecgopt train --task denoise -o F.eom --seed 1 --threads 2\n"
    "(then H.eom and --ensemble H.eom,F.eom: docs/denoise.md, the committed model)\n",
    NULL};

/* --ensemble A,B,...: the members' files as one ensemble at c->out (never
 * over one of them: that would lose a member) */
static int write_ensemble(eo_cli *c, const char *list)
{
    char buf[4096];
    const char *members[EO_DENOISE_ENSEMBLE_MAX];
    int n = 0;
    if (strlen(list) >= sizeof buf)
        return eo_cli_usage(c, "--ensemble: the list is too long");
    strcpy(buf, list);
    for (char *s = buf, *e; s; s = e) {
        if ((e = strchr(s, ',')))
            *e++ = 0;
        if (!*s)
            return eo_cli_usage(c, "--ensemble %s: an empty name", list);
        if (n == EO_DENOISE_ENSEMBLE_MAX)
            return eo_cli_usage(c, "--ensemble: at most %d models", EO_DENOISE_ENSEMBLE_MAX);
        members[n++] = s;
    }
    if (n < 2)
        return eo_cli_usage(c, "--ensemble %s: name two models or more", list);
    for (int k = 0; k < n; k++)
        if (eo_same_file(c->out, members[k]))
            return eo_cli_usage(c, "-o %s is the member %s: write the ensemble elsewhere", c->out,
                                members[k]);
    eo_error err;
    if (eo_cli_output(c, c->out, &err) || eo_denoise_ensemble_write(members, n, c->out, &err))
        return eo_cli_fail(c, &err);
    if (c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "model", c->out);
        eo_json_kv_int(&j, "members", n);
        eo_json_obj_end(&j);
        printf("\n");
    } else if (!c->quiet)
        printf("%s: an ensemble of %d models\n", c->out, n);
    return 0;
}

int eo_cmd_train_denoise(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "train", &argc, argv))
        return c.rc;
    eo_denoise_train_options o;
    eo_denoise_train_defaults(&o);
    const char *pre = "highpass", *tsel = "all", *init_path = NULL, *ensemble = NULL;
    int margin = o.margin;
    o.margin = 0; /* still 0 after parsing: --margin not given */
    const eo_cli_opt opts[] = {
        {"--epochs", EO_OPT_INT, &o.epochs, 1, 1000, "N", "epochs (8)", NULL},
        {"--windows", EO_OPT_INT, &o.n_train, 1, 1000000, "N", "training windows (48000)", NULL},
        {"--val-windows", EO_OPT_INT, &o.n_val, 1, 100000, "N", "validation windows (1000)", NULL},
        {"--window", EO_OPT_INT, &o.window, 1, 65536, "N", "window length in samples (1024)", NULL},
        {"--batch", EO_OPT_INT, &o.batch, 1, 4096, "N", "mini-batch (32)", NULL},
        {"--lr", EO_OPT_DOUBLE, &o.lr, 1e-9, 0.999999, "X", "Adam learning rate (2e-3, cosine schedule)", NULL},
        {"--spec", EO_OPT_STR, &o.spec, 0, 0, "SPEC", "another network (nn.h grammar, 1 x L -> 1 x L); needs --margin", NULL},
        {"--margin", EO_OPT_INT, &o.margin, 1, 16384, "N", "that network's receptive-field half width in samples", NULL},
        {"--pre", EO_OPT_STR, &pre, 0, 0, "MODE", "highpass or median: what the network cleans up after (highpass)", NULL},
        {"--stage2-epochs", EO_OPT_INT, &o.ft_epochs, 0, 1000, "N", "stage 2 epochs, DeepFilter's amplitudes (6; 0 = none)", NULL},
        {"--stage2-windows", EO_OPT_INT, &o.ft_windows, 1, 1000000, "N", "stage 2 training windows (24000)", NULL},
        {"--stage2-lr", EO_OPT_DOUBLE, &o.ft_lr, 1e-9, 0.999999, "X", "stage 2 Adam learning rate (1e-3, cosine)", NULL},
        {"--stage2-peak", EO_OPT_DOUBLE, &o.ft_peak_frac, 0, 1, "F", "share of stage 2 windows with DeepFilter's amplitudes, the rest the mix (0.5)", NULL},
        {"--stage2-em", EO_OPT_DOUBLE, &o.peak_em, 0, 1, "F", "share of those windows with the em-like noise instead of bw or ma (0)", NULL},
        {"--noise-stretch", EO_OPT_DOUBLE, &o.noise_stretch, 0, 4, "S", "read bw / ma noise at a log-uniform speed in [1/S, S] (1 = off)", NULL},
        {"--template", EO_OPT_INT, &o.template_side, 0, 16, "K", "second input: the beat template over K beats each side (16; 0 = none)", NULL},
        {"--template-select", EO_OPT_STR, &tsel, 0, 0, "S", "all neighbours or similar (those whose QRS is like this one's) (all)", NULL},
        {"--template-spread", EO_OPT_FLAG, &o.template_spread, 0, 0, NULL, "third input: the template's spread (median absolute deviation of its beats)", NULL},
        {"--init", EO_OPT_STR, &init_path, 0, 0, "MODEL", "skip stage 1: start stage 2 from this network (same spec; e.g. a --stage2-epochs 0 run)", NULL},
        {"--ensemble", EO_OPT_STR, &ensemble, 0, 0, "A,B,...", "train nothing: write these models as one ensemble (their mean noise estimate)", NULL},
        {"--noise-holdout", EO_OPT_DOUBLE, &o.noise_holdout, 0, 0.5, "F", "keep the last F of each noise record for validation only (0.2)", NULL},
        EO_OPT_TABLE_END};
    int rc = eo_cli_help_or_parse(&c, &SPEC, opts, argc, argv, NULL, 0, NULL, "argument");
    if (rc >= 0)
        return rc;
    if (strcmp(pre, "highpass") && strcmp(pre, "median"))
        return eo_cli_usage(&c, "--pre %s: use highpass or median", pre);
    if ((o.template_select = eo_template_select_parse(tsel)) < 0)
        return eo_cli_usage(&c, "--template-select %s: use similar or all", tsel);
    o.pre = strcmp(pre, "median") ? EO_DENOISE_PRE_HIGHPASS : EO_DENOISE_PRE_MEDIAN;
    if (!c.out)
        return eo_cli_usage(&c, "needs -o MODEL.eom");
    if (ensemble)
        return write_ensemble(&c, ensemble);
    if (o.spec != eo_denoise_default_spec() && !o.margin)
        return eo_cli_usage(&c, "--spec needs --margin (the network's receptive-field half width)");
    o.margin = o.margin ? o.margin : margin;
    o.data_dir = c.data_dir;
    o.seed = c.seed;
    o.threads = c.threads > 0 ? c.threads : 2;
    if (c.progress && !c.quiet && !c.json) {
        o.progress = eo_cli_progress;
        o.progress_user = &c;
    }
    eo_nn *nn = NULL, *init = NULL;
    eo_denoise_train_report rep;
    eo_error err;
    eo_status st = init_path ? eo_nn_load(init_path, &init, &err) : EO_STATUS_OK;
    o.init = init;
    if (!st)
        st = eo_denoise_train(&o, &nn, &rep, &err);
    eo_nn_destroy(init);
    eo_cli_progress_end(&c);
    if (!st)
        st = eo_nn_save(nn, c.out, &err);
    eo_nn_destroy(nn);
    if (st)
        return eo_cli_fail(&c, &err);
    eo_json j;
    eo_json_init(&j, stdout);
    if (c.json)
        eo_denoise_train_report_json(&j, &rep, c.out);
    else if (!c.quiet)
        printf("%s: %zu parameters, %d epochs (best %d), validation MSE %.5f mV^2 (median baseline alone %.5f), "
               "%.1f s", c.out, rep.params, rep.epochs_run, rep.best_epoch, rep.best_val_loss, rep.val_loss_median,
               rep.seconds);
    if (c.json || !c.quiet)
        printf("\n");
    return 0;
}
