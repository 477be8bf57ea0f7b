/* ecgopt train — train a beat classifier (the compression task is added by
 * the codec module).  Everything but argument parsing and printing is in the
 * library: beats.h (datasets, splits), ml.h (models, EC57 scoring). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/beats.h"
#include "ecgopt/ec57.h"
#include "ecgopt/json.h"
#include "ecgopt/ml.h"
#include "ecgopt/wfdb.h"

/* Signal 0 of a noise record (e.g. NSTDB's em, ma, bw) in mV, as floats. */
static eo_status load_noise(const char *base, float **out, size_t *n, eo_error *err)
{
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    eo_wfdb_record *r = NULL;
    double *d = NULL;
    eo_status st = eo_wfdb_record_load(base, &ro, &r, err);
    if (st)
        return st;
    if (r->n_samples < 1) {
        eo_wfdb_record_free(r);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: noise record has no samples", base);
    }
    d = malloc((size_t)r->n_samples * sizeof *d);
    *out = malloc((size_t)r->n_samples * sizeof **out);
    if (!d || !*out) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: %ld noise samples", base, r->n_samples);
    } else {
        st = eo_wfdb_record_physical(r, 0, 0, r->n_samples, d, err);
        for (long i = 0; !st && i < r->n_samples; i++)
            (*out)[i] = (float)d[i];
        *n = (size_t)r->n_samples;
    }
    if (st) {
        free(*out);
        *out = NULL;
    }
    free(d);
    eo_wfdb_record_free(r);
    return st;
}

static void help(void)
{
    printf(
        "usage: ecgopt train --task classify --model NAME -o MODEL [options]\n\n"
        "Train an arrhythmia beat classifier on MIT-BIH (found with --data).\n"
        "  --model NAME        gbm (XGBoost on RR + morphology features; default), mlp, cnn,\n"
        "                      lstm, cnnlstm, rescnn, cnn9 (docs/classification.md)\n"
        "  --spec SPEC         network spec replacing the model's built-in one (nn.h grammar)\n"
        "  --labels SET        aami (N S V F Q; default), nlrav (N L R A V), nsvq (N S V Q)\n"
        "  --split S           ds1ds2 (de Chazal inter-patient; default): train DS1, validation\n"
        "                      carved from DS1 by record, test DS2;\n"
        "                      intra: random stratified 70/15/15 of the 44 records' beats\n"
        "                      (INTRA-PATIENT: optimistic, reported as such);\n"
        "                      kfold: patient-wise folds (--folds K --fold I)\n"
        "  --val-records N     DS1 records held out for validation (4)\n"
        "  --folds K --fold I  k-fold split: test fold I of K (5, 0)\n"
        "  --epochs N --batch N --lr X --l2 X      network training (10, 64, 1e-3, 1e-4)\n"
        "  --class-weight P    class weights (n/(k n_c))^P, 0 off (1)\n"
        "  --oversample F      repeat minority classes up to F x the largest (0 off)\n"
        "  --augment           oversampled copies get noise, scaling and time stretch\n"
        "  --augment-noise REC also add real noise from record REC (e.g. an NSTDB record\n"
        "                      path such as DATA/nstdb/ma; signal 0) to the copies; implies --augment\n"
        "  --augment-snr DB    beat-to-noise power ratio of that noise (12)\n"
        "  --focal G           focal loss with gamma G (networks; 0 off)\n"
        "  --rounds N --depth N --eta X            boosting (150, 4, 0.1)\n"
        "  --waveform          gbm: add the down-sampled beat to the features (intra-patient)\n"
        "  --lead NAME         signal (MLII); --lead2 NAME adds a second lead\n"
        "  --window N          fixed N-sample window centred on R (256, 360); default\n"
        "                      0.25 s before and 0.45 s after R\n"
        "  --norm none|beat|record  amplitude normalisation (gbm: none, networks: beat)\n"
        "  --align-ms MS       move each beat to the largest |x| within +-MS of its mark (0 off)\n"
        "  --baseline          median-filter baseline removal (200 + 600 ms) before the band-pass\n"
        "  --test              score the trained model on the test part (EC57 way for\n"
        "                      ds1ds2/kfold); --detector also with ecgopt's QRS detector\n"
        "  common: --data DIR --seed N --threads N --json --quiet --progress\n\n"
        "example: ecgopt train --task classify --model gbm --split ds1ds2 --test -o gbm.model\n"
        "         ecgopt classify --model gbm.model 100 -o 100.cls\n"
        "exit codes: 0 ok, 1 usage, 2 bad input, 3 internal\n");
}

static void print_ec57(eo_json *j, const char *key, const char *title, const eo_ec57_result *g)
{
    eo_ec57_stats s;
    eo_ec57_class_metrics m;
    eo_ec57_stats_of(g, &s);
    eo_ec57_class_metrics_of(g, &m);
    if (j) {
        eo_json_key(j, key);
        eo_json_obj_begin(j);
        eo_json_kv_num(j, "veb_se", s.veb_se);
        eo_json_kv_num(j, "veb_ppv", s.veb_ppv);
        eo_json_kv_num(j, "veb_fpr", s.veb_fpr);
        eo_json_kv_num(j, "sveb_se", s.sveb_se);
        eo_json_kv_num(j, "sveb_ppv", s.sveb_ppv);
        eo_json_kv_num(j, "qrs_se", s.qrs_se);
        eo_json_kv_num(j, "qrs_ppv", s.qrs_ppv);
        eo_json_kv_num(j, "accuracy", 100 * m.accuracy);
        eo_json_kv_int(j, "matched", m.total);
        eo_json_obj_end(j);
    } else {
        printf("%s: VEB Se %.2f%% +P %.2f%% FPR %.2f%%  SVEB Se %.2f%% +P %.2f%%  accuracy %.2f%% "
               "(%ld matched beats; QRS Se %.2f%% +P %.2f%%)\n",
               title, s.veb_se, s.veb_ppv, s.veb_fpr, s.sveb_se, s.sveb_ppv, 100 * m.accuracy,
               m.total, s.qrs_se, s.qrs_ppv);
    }
}

/* `--task compress` belongs to the codec (cmd_train_compress.c): hand it the
 * arguments without the --task option. */
static int task_is_compress(int *argc, char **argv)
{
    for (int i = 1; i < *argc; i++) {
        int two = !strcmp(argv[i], "--task") && i + 1 < *argc && !strcmp(argv[i + 1], "compress");
        int one = !strcmp(argv[i], "--task=compress");
        if (two || one) {
            int k = two ? 2 : 1;
            for (int j = i; j + k <= *argc; j++)
                argv[j] = argv[j + k];
            *argc -= k;
            return 1;
        }
    }
    return 0;
}

int eo_cmd_train(int argc, char **argv)
{
    if (task_is_compress(&argc, argv))
        return eo_cmd_train_compress(argc, argv);
    eo_cli c;
    if (eo_cli_common(&c, "train", &argc, argv))
        return 1;
    if (c.help) {
        help();
        return 0;
    }
    eo_classifier_options co;
    eo_classifier_defaults(&co);
    eo_beats_options bo;
    eo_beats_defaults(&bo);
    const char *task = "classify", *split = "ds1ds2", *v = NULL, *norm = NULL, *noise_rec = NULL;
    long val_records = 4, folds = 5, fold = 0;
    int test = 0, detector = 0, rc = 0;
    for (int i = 1; i < argc && !rc; i++) {
        int r;
        long l = 0;

        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--task", &task)) != 0) {
            rc = r < 0;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--model", &v)) != 0) {
            rc = r < 0;
            if (!rc)
                snprintf(co.model, sizeof co.model, "%s", v);
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--spec", &co.spec)) != 0) {
            rc = r < 0;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--labels", &v)) != 0) {
            eo_error e;
            rc = r < 0 || (eo_label_set_parse(v, &bo.labels, &e) ? eo_cli_usage(&c, "%s", e.msg) : 0);
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--split", &split)) != 0) {
            rc = r < 0;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--val-records", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_long(&c, "--val-records", v, &val_records);
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--folds", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_long(&c, "--folds", v, &folds);
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--fold", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_long(&c, "--fold", v, &fold);
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--epochs", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_long(&c, "--epochs", v, &l);
            co.epochs = (int)l;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--batch", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_long(&c, "--batch", v, &l);
            co.batch = (int)l;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--lr", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_double(&c, "--lr", v, &co.lr);
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--l2", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_double(&c, "--l2", v, &co.l2);
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--class-weight", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_double(&c, "--class-weight", v, &co.class_weight_power);
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--oversample", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_double(&c, "--oversample", v, &co.oversample);
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--focal", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_double(&c, "--focal", v, &co.focal_gamma);
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--rounds", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_long(&c, "--rounds", v, &l);
            co.gbm_rounds = (int)l;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--depth", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_long(&c, "--depth", v, &l);
            co.gbm_depth = (int)l;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--eta", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_double(&c, "--eta", v, &co.gbm_eta);
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--lead", &v)) != 0) {
            rc = r < 0;
            if (!rc)
                snprintf(bo.leads[0], sizeof bo.leads[0], "%s", v);
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--lead2", &v)) != 0) {
            rc = r < 0;
            if (!rc)
                snprintf(bo.leads[1], sizeof bo.leads[1], "%s", v);
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--window", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_long(&c, "--window", v, &l);
            if (!rc && (l < 16 || l > 4096))
                rc = eo_cli_usage(&c, "--window %ld: use 16..4096 samples", l);
            bo.window_samples = (int)l;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--norm", &norm)) != 0) {
            rc = r < 0;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--align-ms", &v)) != 0) {
            double ms = 0;
            rc = r < 0 || eo_cli_parse_double(&c, "--align-ms", v, &ms);
            if (!rc && (ms < 0 || ms > 200))
                rc = eo_cli_usage(&c, "--align-ms %g: use 0..200", ms);
            bo.align_s = ms / 1000.0;
        } else if (!strcmp(argv[i], "--augment")) {
            co.augment = 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--augment-noise", &noise_rec)) != 0) {
            rc = r < 0;
            co.augment = 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--augment-snr", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_double(&c, "--augment-snr", v, &co.augment_snr_db);
            if (!rc && !(co.augment_snr_db >= -20 && co.augment_snr_db <= 60))
                rc = eo_cli_usage(&c, "--augment-snr %g: use -20..60 dB", co.augment_snr_db);
        } else if (!strcmp(argv[i], "--waveform")) {
            co.gbm_waveform = 1;
        } else if (!strcmp(argv[i], "--baseline")) {
            bo.baseline_median = 1;
        } else if (!strcmp(argv[i], "--test")) {
            test = 1;
        } else if (!strcmp(argv[i], "--detector")) {
            detector = test = 1;
        } else {
            rc = eo_cli_usage(&c, "unknown argument %s", argv[i]);
        }

    }
    if (rc)
        return rc;
    eo_error err;
    if (!strcmp(task, "compress")) {
        eo_error_set(&err, EO_STATUS_UNSUPPORTED,
                     "train: --task compress is not available yet (the codec module adds it)");
        return eo_cli_fail(&c, &err);
    }
    if (strcmp(task, "classify"))
        return eo_cli_usage(&c, "--task must be classify or compress, got '%s'", task);
    if (!eo_classifier_model_known(co.model))
        return eo_cli_usage(&c, "--model '%s' is unknown (gbm mlp cnn lstm cnnlstm rescnn cnn9)",
                            co.model);
    if (!c.out)
        return eo_cli_usage(&c, "missing -o MODEL (where the trained model is written)");
    int is_nn = strcmp(co.model, "gbm") != 0;
    if (!norm)
        bo.norm = is_nn ? EO_NORM_BEAT : EO_NORM_NONE;
    else if (!strcmp(norm, "none"))
        bo.norm = EO_NORM_NONE;
    else if (!strcmp(norm, "beat"))
        bo.norm = EO_NORM_BEAT;
    else if (!strcmp(norm, "record"))
        bo.norm = EO_NORM_RECORD;
    else
        return eo_cli_usage(&c, "--norm must be none, beat or record, got '%s'", norm);
    int mode = !strcmp(split, "ds1ds2") ? 0 : !strcmp(split, "intra") ? 1 : !strcmp(split, "kfold") ? 2 : -1;
    if (mode < 0)
        return eo_cli_usage(&c, "--split must be ds1ds2, intra or kfold, got '%s'", split);
    if (mode == 2 && (folds < 2 || fold < 0 || fold >= folds))
        return eo_cli_usage(&c, "--folds %ld --fold %ld: need K >= 2 and 0 <= I < K", folds, fold);
    co.seed = c.seed;
    co.threads = c.threads;

    eo_rng rng;
    eo_rng_seed(&rng, c.seed);
    const char *const *recs = eo_split_ds1;
    int n_recs = 22;
    if (mode != 0)
        n_recs = eo_split_mitdb_records(&recs);
    eo_beats *all = NULL, *part_b[3] = {NULL, NULL, NULL};
    eo_classifier *model = NULL;
    int *part = NULL, *pred = NULL;
    size_t *idx = NULL;
    const char *test_recs[44];
    int n_test_recs = 0;
    float *noise = NULL;
    size_t noise_len = 0;
    eo_status st = EO_STATUS_OK;
    if (noise_rec) {
        if (co.oversample <= 0)
            return eo_cli_usage(&c, "--augment-noise needs --oversample F (the noise goes on the copies)");
        st = load_noise(noise_rec, &noise, &noise_len, &err);
        if (st)
            goto fail;
        co.augment_noise = noise;
        co.augment_noise_len = noise_len;
    }
    st = eo_beats_load(c.data_dir, recs, n_recs, &bo,
                                 c.progress ? eo_cli_progress : NULL, &c, &all, &err);
    eo_cli_progress_end(&c);
    if (st)
        goto fail;
    part = malloc(all->n * sizeof *part);
    idx = malloc(all->n * sizeof *idx);
    if (!part || !idx) {
        st = eo_error_set(&err, EO_STATUS_NO_MEMORY, "train: %zu beats", all->n);
        goto fail;
    }
    if (mode == 0) {
        st = eo_split_records_val(all, (int)val_records, &rng, part, &err);
        for (int r = 0; r < 22; r++)
            test_recs[n_test_recs++] = eo_split_ds2[r];
    } else if (mode == 1) {
        st = eo_split_stratified(all->y, all->n, 0.70, 0.15, &rng, part, &err);
    } else {
        st = eo_split_kfold(all, (int)folds, &rng, part, &err);
        if (!st) {
            for (int r = 0; r < all->n_records; r++) {
                int f = -1;
                for (size_t i = 0; i < all->n && f < 0; i++)
                    if (all->record[i] == r)
                        f = part[i];
                if (f == fold)
                    test_recs[n_test_recs++] = recs[r];
            }
            for (size_t i = 0; i < all->n; i++)
                part[i] = part[i] == fold ? EO_PART_TEST : EO_PART_TRAIN;
        }
    }
    if (st)
        goto fail;
    for (int p = 0; p < 3; p++) {
        size_t m = 0;
        for (size_t i = 0; i < all->n; i++)
            if (part[i] == p)
                idx[m++] = i;
        st = eo_beats_subset(all, idx, m, &part_b[p], &err);
        if (st)
            goto fail;
    }
    if (part_b[0]->n == 0) {
        st = eo_error_set(&err, EO_STATUS_USAGE, "train: the training split is empty");
        goto fail;
    }
    eo_cli_info(&c, "split %s%s: %zu training, %zu validation, %zu test beats\n", split,
                mode == 1 ? " (INTRA-PATIENT)" : "", part_b[0]->n, part_b[1]->n,
                mode == 0 ? 0 : part_b[2]->n);
    st = eo_classifier_train(&co, &bo, part_b[0], part_b[1]->n ? part_b[1] : NULL,
                             c.progress ? eo_cli_progress : NULL, &c, &model, &err);
    eo_cli_progress_end(&c);
    if (st)
        goto fail;
    st = eo_classifier_save(model, c.out, &err);
    if (st)
        goto fail;
    eo_json j, *jp = NULL;
    if (c.json) {
        eo_json_init(&j, stdout);
        jp = &j;
        eo_json_obj_begin(jp);
        eo_json_kv_str(jp, "model", co.model);
        eo_json_kv_str(jp, "labels", eo_label_set_name(bo.labels));
        eo_json_kv_str(jp, "split", mode == 1 ? "intra-patient" : split);
        eo_json_kv_int(jp, "train_beats", (long long)part_b[0]->n);
        eo_json_kv_int(jp, "val_beats", (long long)part_b[1]->n);
        eo_json_kv_num(jp, "train_seconds", eo_classifier_train_seconds(model));
        eo_json_kv_str(jp, "output", c.out);
    } else if (!c.quiet) {
        printf("model %s (%s labels, split %s) trained on %zu beats in %.1f s -> %s\n", co.model,
               eo_label_set_name(bo.labels), mode == 1 ? "intra-patient" : split, part_b[0]->n,
               eo_classifier_train_seconds(model), c.out);
    }
    if (test && mode == 1) {
        int k = eo_label_set_n_classes(bo.labels);
        pred = malloc((part_b[2]->n + 1) * sizeof *pred);
        if (!pred) {
            st = eo_error_set(&err, EO_STATUS_NO_MEMORY, "train: predictions");
            goto fail;
        }
        st = eo_classifier_predict(model, part_b[2], pred, NULL, &err);
        if (st)
            goto fail;
        long cm[EO_LABELS_MAX_CLASSES * EO_LABELS_MAX_CLASSES], ok = 0;
        eo_confusion(part_b[2]->y, pred, part_b[2]->n, k, cm);
        for (int q = 0; q < k; q++)
            ok += cm[q * k + q];
        double acc = part_b[2]->n ? 100.0 * ok / part_b[2]->n : NAN;
        if (jp) {
            eo_json_key(jp, "intra_patient_test");
            eo_json_obj_begin(jp);
            eo_json_kv_int(jp, "beats", (long long)part_b[2]->n);
            eo_json_kv_num(jp, "accuracy", acc);
            eo_json_obj_end(jp);
        } else {
            printf("INTRA-PATIENT test (%zu beats, random 15%% of all 44 records): accuracy %.2f%%\n",
                   part_b[2]->n, acc);
        }
    } else if (test) {
        eo_ec57_result g;
        st = eo_classifier_evaluate(model, c.data_dir, test_recs, n_test_recs, 0,
                                    c.progress ? eo_cli_progress : NULL, &c, &g, NULL, &err);
        eo_cli_progress_end(&c);
        if (st)
            goto fail;
        print_ec57(jp, "test_reference_beats",
                   mode == 0 ? "DS2 (reference beats)" : "test fold (reference beats)", &g);
        if (detector) {
            st = eo_classifier_evaluate(model, c.data_dir, test_recs, n_test_recs, 1,
                                        c.progress ? eo_cli_progress : NULL, &c, &g, NULL, &err);
            eo_cli_progress_end(&c);
            if (st)
                goto fail;
            print_ec57(jp, "test_detector",
                       mode == 0 ? "DS2 (ecgopt detector)" : "test fold (ecgopt detector)", &g);
        }
    }
    if (jp) {
        eo_json_obj_end(jp);
        printf("\n");
    }
    free(pred);
    free(part);
    free(idx);
    free(noise);
    for (int p = 0; p < 3; p++)
        eo_beats_free(part_b[p]);
    eo_beats_free(all);
    eo_classifier_destroy(model);
    return 0;
fail:
    free(pred);
    free(part);
    free(idx);
    free(noise);
    for (int p = 0; p < 3; p++)
        eo_beats_free(part_b[p]);
    eo_beats_free(all);
    eo_classifier_destroy(model);
    return eo_cli_fail(&c, &err);
}
