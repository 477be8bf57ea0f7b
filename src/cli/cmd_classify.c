/* ecgopt classify — label the beats of a record with a trained model and
 * write them as a WFDB annotation file (ml.h: eo_classify_record). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/detect.h"
#include "ecgopt/json.h"
#include "ecgopt/ml.h"

static void help(void)
{
    printf("usage: ecgopt classify --model MODEL RECORD [--beats atr|detector] [-o ANNFILE]\n\n"
           "Classify every beat of RECORD with a model from `ecgopt train` and write a WFDB\n"
           "annotation file with the predicted labels at the beats (AAMI classes as N A V F Q;\n"
           "nlrav as N L R A V).  The record is prepared exactly as the model's training data\n"
           "(lead, window, band-pass; all stored in the model file).\n"
           "  --model MODEL       model file\n"
           "  --beats atr         beat positions from the reference annotations (default)\n"
           "  --beats detector    beat positions from ecgopt's QRS detector\n"
           "  -o ANNFILE          output (default RECORD.cls next to the record)\n"
           "  common: --data DIR --json --quiet --no-verify\n\n"
           "example: ecgopt classify --model gbm.model 100 --beats detector -o /tmp/100.cls\n"
           "         ecgopt evaluate --ref atr --test cls --test-dir /tmp 100\n"
           "exit codes: 0 ok, 1 usage, 2 bad input (missing lead, other sampling rate), 3 internal\n");
}

int eo_cmd_classify(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "classify", &argc, argv))
        return 1;
    if (c.help) {
        help();
        return 0;
    }
    const char *model_path = NULL, *beats = "atr", *record = NULL;
    int rc = 0;
    for (int i = 1; i < argc && !rc; i++) {
        int r;
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--model", &model_path)) != 0)
            rc = r < 0;
        else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--beats", &beats)) != 0)
            rc = r < 0;
        else if (argv[i][0] == '-' && argv[i][1])
            rc = eo_cli_usage(&c, "unknown option %s", argv[i]);
        else if (record)
            rc = eo_cli_usage(&c, "one RECORD at a time (got %s and %s)", record, argv[i]);
        else
            record = argv[i];
    }
    if (rc)
        return rc;
    if (!model_path)
        return eo_cli_usage(&c, "missing --model MODEL");
    if (!record)
        return eo_cli_usage(&c, "missing RECORD");
    int use_det = !strcmp(beats, "detector");
    if (!use_det && strcmp(beats, "atr"))
        return eo_cli_usage(&c, "--beats must be atr or detector, got '%s'", beats);
    eo_error err;
    eo_classifier *m = NULL;
    eo_annotation_set *det = NULL, *out = NULL;
    char base[4096], path[4200];
    eo_status st = eo_classifier_load(model_path, &m, &err);
    if (!st)
        st = eo_data_find_record(c.data_dir, record, "hea", base, sizeof base, &err);
    double t0 = eo_time_now();
    if (!st && use_det) {
        eo_beats_options how;
        eo_classifier_beats_options(m, &how);
        eo_wfdb_read_options ro;
        eo_wfdb_read_defaults(&ro);
        ro.verify = c.verify;
        st = eo_detect_record(base, how.leads[0], NULL, &ro, NULL, NULL, &det, NULL, &err);
    }
    if (!st)
        st = eo_classify_record(m, base, det, &out, &err);
    if (!st) {
        if (c.out)
            snprintf(path, sizeof path, "%s", c.out);
        else
            snprintf(path, sizeof path, "%s.cls", base);
        st = eo_annot_write(path, out, &err);
    }
    if (st) {
        eo_annot_set_free(det);
        eo_annot_set_free(out);
        eo_classifier_destroy(m);
        return eo_cli_fail(&c, &err);
    }
    long counts[EO_LABELS_MAX_CLASSES] = {0}, unclassified = 0;
    eo_label_set ls = eo_classifier_labels(m);
    int k = eo_label_set_n_classes(ls);
    for (size_t i = 0; i < out->n; i++) {
        int cls = eo_label_of_code(ls, out->items[i].code);
        if (cls >= 0 && cls < k)
            counts[cls]++;
        else
            unclassified++;
    }
    double secs = eo_time_now() - t0;
    if (c.json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "record", record);
        eo_json_kv_str(&j, "model", eo_classifier_model(m));
        eo_json_kv_str(&j, "labels", eo_label_set_name(ls));
        eo_json_kv_str(&j, "beats", beats);
        eo_json_kv_int(&j, "n_beats", (long long)out->n);
        eo_json_key(&j, "counts");
        eo_json_obj_begin(&j);
        for (int q = 0; q < k; q++)
            eo_json_kv_int(&j, eo_label_class_name(ls, q), counts[q]);
        eo_json_obj_end(&j);
        eo_json_kv_int(&j, "unclassified_edge_beats", unclassified);
        eo_json_kv_num(&j, "seconds", secs);
        eo_json_kv_str(&j, "output", path);
        eo_json_obj_end(&j);
        printf("\n");
    } else if (!c.quiet) {
        printf("%s: %zu beats (%s) ->", record, out->n, beats);
        for (int q = 0; q < k; q++)
            printf(" %s %ld", eo_label_class_name(ls, q), counts[q]);
        printf("; written to %s (%.2f s)\n", path, secs);
    }
    eo_annot_set_free(det);
    eo_annot_set_free(out);
    eo_classifier_destroy(m);
    return 0;
}
