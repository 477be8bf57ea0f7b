/* eo_train_run and its helpers (include/ecgopt/train.h).
 * The known answers of run_matches_cli are what `ecgopt train --train
 * mitdb:119+208+233 --val-records 1 --rounds 5 --threads 1 --json --report
 * r.html -o m.model` printed before the run moved into the library (the
 * CLI of main at b2d0840): the same split, validation matrix, history,
 * loss and accuracy per part. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/train.h"
#include "eo_test.h"

static int have_mitdb(void)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/mitdb/119.hea", eo_test_data_dir());
    FILE *f = fopen(p, "r");
    if (f)
        fclose(f);
    return f != NULL;
}

typedef struct notes {
    char text[2048];
} notes;

static void take_note(void *user, const char *msg)
{
    notes *n = user;
    size_t l = strlen(n->text);
    snprintf(n->text + l, sizeof n->text - l, "%s\n", msg);
}

static char *json_of(const eo_train_options *o, const eo_train_result *r)
{
    static char buf[16384];
    FILE *fp = tmpfile();
    if (!fp)
        return NULL;
    eo_json j;
    eo_json_init(&j, fp);
    eo_json_obj_begin(&j);
    eo_train_result_json(&j, o, r);
    eo_json_obj_end(&j);
    rewind(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = 0;
    fclose(fp);
    return buf;
}

TEST(run_matches_cli)
{
    if (!have_mitdb())
        SKIP("MIT-BIH not found");
    eo_train_options o;
    eo_train_defaults(&o);
    notes nt = {""};
    o.data_dir = eo_test_data_dir();
    o.train = "mitdb:119+208+233";
    o.beats.leads[0][0] = 0; /* --train without --lead: the fallback order */
    o.val_records = 1;
    o.classifier.gbm_rounds = 5;
    o.classifier.threads = 1;
    o.evaluate_parts = 1;
    o.note = take_note;
    o.note_user = &nt;
    eo_train_result r;
    eo_error err;
    CHECK_OK(eo_train_run(&o, &r, &err), &err);
    if (!r.model) {
        eo_train_result_free(&r);
        return;
    }
    CHECK_MSG(strstr(nt.text, "--train mitdb:119+208+233: 3 records, resampled to 360 Hz where needed, lead by "
                              "the fallback order") != NULL, "%s", nt.text);
    CHECK_MSG(strstr(nt.text, "split ds1ds2: 6030 training, 1987 validation, 0 test beats") != NULL, "%s", nt.text);
    CHECK_EQ_INT((long)r.parts[0]->n, 6030);
    CHECK_EQ_INT((long)r.parts[1]->n, 1987);
    CHECK_EQ_INT((long)r.parts[2]->n, 0);
    /* beats per class of the training part: N S V F Q */
    static const long want[5] = {3814, 9, 1822, 383, 2};
    for (int q = 0; q < 5; q++)
        CHECK_EQ_INT((long)eo_beats_count(r.parts[0], q), want[q]);
    /* validation = record 119, scored the EC57 way */
    CHECK_EQ_INT(r.val_scored, 1);
    CHECK_EQ_INT(r.val_ec57.m[0][0], 1541);
    CHECK_EQ_INT(r.val_ec57.m[0][1], 2);
    CHECK_EQ_INT(r.val_ec57.m[2][2], 444);
    /* five boosting rounds of history, XGBoost's own figures */
    CHECK_EQ_INT((long)r.n_history, 5);
    if (r.n_history == 5) {
        CHECK_CLOSE(r.history[4].train_loss, 0.83939475598026869, 1e-9, 0);
        CHECK_CLOSE(r.history[4].val_loss, 0.88217404360260021, 1e-9, 0);
        CHECK_CLOSE(100 * r.history[0].train_acc, 97.993366500829183, 1e-9, 0);
    }
    /* the final model on each part (the report's table: 0.8394 98.84, 0.8822 99.90) */
    CHECK_CLOSE(r.loss[0], 0.8394, 0, 5e-5);
    CHECK_CLOSE(r.accuracy[0], 98.84, 0, 5e-3);
    CHECK_CLOSE(r.loss[1], 0.8822, 0, 5e-5);
    CHECK_CLOSE(r.accuracy[1], 99.90, 0, 5e-3);
    CHECK(isnan(r.loss[2]));
    const char *js = json_of(&o, &r);
    CHECK(js && strstr(js, "\"train_beats\":6030,\"val_beats\":1987,\"val_records\":[\""));
    CHECK(js && strstr(js, "/119\"],\"train_seconds\":"));
    CHECK(js && strstr(js, "\"matrix\":[[1541,2,0,0,0,0,0],[0,0,0,0,0,0,0],[0,0,444,0,0,0,0],"));
    eo_report *rep = NULL;
    CHECK_OK(eo_train_report(&o, &r, &rep, &err), &err);
    const char *body = rep ? eo_report_body(rep) : "";
    CHECK(strstr(body, "<td>training</td><td>3814</td><td>9</td><td>1822</td><td>383</td><td>2</td><td>6030</td>"));
    CHECK(strstr(body, "<td>training</td><td>0.8394</td><td>98.84</td>"));
    CHECK(strstr(body, "<td>validation</td><td>0.8822</td><td>99.90</td>"));
    CHECK(strstr(body, "5 boosting rounds"));
    eo_report_destroy(rep);
    eo_train_result_free(&r);
    CHECK(r.model == NULL && r.all == NULL);
}

/* history columns and record membership on a hand-made result */
TEST(history_and_parts_by_hand)
{
    eo_train_result r;
    memset(&r, 0, sizeof r);
    eo_classifier_epoch h[3] = {{1, 3, 1.0, 1.5, 0.5, 0.25}, {2, 3, 0.5, 1.0, 0.75, 0.5}, {3, 3, 0.25, NAN, 1, NAN}};
    r.history = h;
    r.n_history = 3;
    double *d = NULL;
    eo_error err;
    CHECK_OK(eo_train_history_columns(&r, &d, &err), &err);
    if (d) {
        static const double want[15] = {1, 2, 3, 1.0, 0.5, 0.25, 1.5, 1.0, NAN, 50, 75, 100, 25, 50, NAN};
        for (int i = 0; i < 15; i++)
            CHECK_MSG(isnan(want[i]) ? isnan(d[i]) : d[i] == want[i], "column value %d: %g", i, d[i]);
        free(d);
    }
    int rec[5] = {0, 0, 1, 2, 2}, part[5] = {EO_PART_TRAIN, EO_PART_TRAIN, EO_PART_VAL, EO_PART_TEST, EO_PART_TEST};
    eo_beats b;
    memset(&b, 0, sizeof b);
    b.n = 5;
    b.record = rec;
    b.n_records = 3;
    r.all = &b;
    r.part = part;
    CHECK(eo_train_record_in_part(&r, 0, EO_PART_TRAIN) && !eo_train_record_in_part(&r, 0, EO_PART_VAL));
    CHECK(eo_train_record_in_part(&r, 1, EO_PART_VAL) && !eo_train_record_in_part(&r, 1, EO_PART_TEST));
    CHECK(eo_train_record_in_part(&r, 2, EO_PART_TEST) && !eo_train_record_in_part(&r, 3, EO_PART_TEST));
}

TEST(options_refused)
{
    eo_train_options o;
    eo_error err;
    eo_train_split s = EO_TRAIN_DS1DS2;
    CHECK_OK(eo_train_split_parse("kfold", &s, &err), &err);
    CHECK_EQ_INT(s, EO_TRAIN_KFOLD);
    CHECK(eo_train_split_parse("folds", &s, &err) == EO_STATUS_USAGE && strstr(err.msg, "'folds'"));
    eo_train_defaults(&o);
    CHECK_OK(eo_train_check(&o, &err), &err);
    o.split = EO_TRAIN_INTRA;
    o.val_set = "118";
    CHECK(eo_train_check(&o, &err) == EO_STATUS_USAGE && strstr(err.msg, "--val-set"));
    eo_train_defaults(&o);
    o.split = EO_TRAIN_KFOLD;
    o.fold = 5;
    CHECK(eo_train_check(&o, &err) == EO_STATUS_USAGE && strstr(err.msg, "--folds 5 --fold 5"));
    eo_train_defaults(&o);
    snprintf(o.classifier.model, sizeof o.classifier.model, "svm");
    CHECK(eo_train_check(&o, &err) == EO_STATUS_USAGE && strstr(err.msg, "'svm'"));
    eo_train_defaults(&o);
    o.augment_noise = "nstdb/ma";
    CHECK(eo_train_check(&o, &err) == EO_STATUS_USAGE && strstr(err.msg, "--augment-copies"));
    o.classifier.augment_copies = 1;
    CHECK_OK(eo_train_check(&o, &err), &err);
}

TEST(records_of_a_spec)
{
    if (!have_mitdb())
        SKIP("MIT-BIH not found");
    const char *d = eo_test_data_dir();
    char(*names)[EO_TRAIN_REC_LEN] = malloc(64 * sizeof *names);
    if (!names)
        return;
    int n = 0, ds2 = 0;
    notes nt = {""};
    eo_error err;
    CHECK_OK(eo_train_records(d, "mitdb:102+119", names, 64, &n, &ds2, take_note, &nt, &err), &err);
    CHECK_EQ_INT(n, 1);
    CHECK(n == 1 && strlen(names[0]) > 10 && !strcmp(names[0] + strlen(names[0]) - 10, "/mitdb/119"));
    CHECK_EQ_INT(ds2, 0);
    CHECK(strstr(nt.text, "paced MIT-BIH record 102 left out") != NULL);
    CHECK_OK(eo_train_records(d, "mitdb:ds2", names, 64, &n, &ds2, NULL, NULL, &err), &err);
    CHECK_EQ_INT(n, 22);
    CHECK_EQ_INT(ds2, 1);
    CHECK(eo_train_records(d, "mitdb:ds2", names, 21, &n, &ds2, NULL, NULL, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK(eo_train_records(d, "mitdb:119+119", names, 64, &n, &ds2, NULL, NULL, &err) == EO_STATUS_USAGE &&
          strstr(err.msg, "named twice"));
    CHECK(eo_train_records(d, "nosuchdb", names, 64, &n, &ds2, NULL, NULL, &err) == EO_STATUS_NOT_FOUND &&
          strstr(err.msg, "no database 'nosuchdb'"));
    free(names);
}

int main(void)
{
    RUN(history_and_parts_by_hand);
    RUN(options_refused);
    RUN(records_of_a_spec);
    RUN(run_matches_cli);
    TEST_END();
}
