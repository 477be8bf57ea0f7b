/* ml: classify_run.h on MIT-BIH 208 (2955 reference beats) with a small
 * gbm trained on 208 and 119: the beats at the reference marks, the class
 * counts, the report's EC57 comparison (every reference beat in one row of
 * the matrix, all matched since the positions are the reference's), the
 * JSON and text of the result, and the detector's beats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/classify_run.h"
#include "eo_test.h"

static char *slurp_fp(FILE *fp)
{
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *s = malloc((size_t)n + 1);
    if (s)
        s[fread(s, 1, (size_t)n, fp)] = 0;
    return s;
}

static eo_classifier *small_gbm(const char *dir)
{
    const char *recs[2] = {"208", "119"};
    eo_beats_options how;
    eo_beats_defaults(&how);
    eo_beats *b = NULL;
    eo_error err;
    eo_classifier *c = NULL;
    CHECK_OK(eo_beats_load(dir, recs, 2, &how, NULL, NULL, &b, &err), &err);
    eo_classifier_options o;
    eo_classifier_defaults(&o);
    o.gbm_rounds = 5;
    o.threads = 1;
    if (b)
        CHECK_OK(eo_classifier_train(&o, &how, b, NULL, NULL, NULL, &c, &err), &err);
    eo_beats_destroy(b);
    return c;
}

static void check_json_and_text(const eo_classifier *c, const eo_classify_result *r)
{
    FILE *fp = tmpfile();
    eo_json j;
    eo_json_init(&j, fp);
    eo_classify_result_json(&j, c, r);
    char *js = slurp_fp(fp);
    CHECK(js && strstr(js, "\"record\":\"mitdb/208\",\"model\":\"gbm\",\"labels\":\"aami\",\"beats\":\"atr\","
                           "\"n_beats\":2955,\"counts\":{\"N\":") != NULL);
    CHECK(js && strstr(js, "\"reference\":{\"annotator\":\"atr\",\"rows_ref_cols_test\":\"N S V F Q O X\"") != NULL);
    CHECK(js && strstr(js, "\"qrs_se\":100,\"qrs_ppv\":100,") != NULL);
    free(js);
    fclose(fp);
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_classify_result_text(&b, c, r);
    char want[256];
    snprintf(want, sizeof want, "mitdb/208: 2955 beats (atr) -> N %ld S %ld V %ld F %ld Q %ld; written to 208.cls (0.00 s)\n"
             "vs atr (EC57): VEB Se ", r->counts[0], r->counts[1], r->counts[2], r->counts[3], r->counts[4]);
    CHECK_MSG(strncmp(eo_strbuf_str(&b), want, strlen(want)) == 0, "text: %s", eo_strbuf_str(&b));
    eo_strbuf_destroy(&b);
}

TEST(record_208)
{
    char dir[4200], base[4300];
    snprintf(dir, sizeof dir, "%s/mitdb", eo_test_data_dir());
    snprintf(base, sizeof base, "%s/208", dir);
    eo_classifier *c = small_gbm(dir);
    if (!c)
        return;
    eo_error err;
    eo_annotation_set *out = NULL, *same = NULL;
    CHECK_OK(eo_classify_record_beats(c, base, 0, 0, NULL, &out, &err), &err);
    CHECK_OK(eo_classify_record_lead(c, base, NULL, "#0", &same, &err), &err);
    CHECK(out && same && out->n == 2955 && same->n == out->n);
    for (size_t i = 0; out && same && i < out->n && i < same->n; i++)
        if (out->items[i].code != same->items[i].code || out->items[i].sample != same->items[i].sample) {
            CHECK_MSG(0, "beat %zu differs", i);
            break;
        }
    eo_classify_result r = {.record = "mitdb/208", .beats = "atr", .output = "208.cls",
                            .report = "test_classify_run.html", .ref = "atr", .predicted = out};
    eo_classify_result_count(c, &r);
    long sum = r.unclassified;
    for (int q = 0; q < EO_LABELS_MAX_CLASSES; q++)
        sum += r.counts[q];
    CHECK_EQ_INT(sum, 2955);
    CHECK_OK(eo_classify_report_write(c, base, 0, NULL, 60, 30, &r, &err), &err);
    CHECK_EQ_INT(r.scored, 1);
    long rows = 0, o_col = 0;
    for (int a = 0; a < 5; a++)
        for (int b = 0; b < EO_EC57_NCLASS; b++) {
            rows += r.m.m[a][b];
            o_col += b == 5 ? r.m.m[a][b] : 0;
        }
    CHECK_EQ_INT(rows, 2955);
    CHECK_EQ_INT(o_col, 0);
    CHECK(r.pc.matched > 0 && r.pc.missed == 0 && r.pc.extra == 0);
    check_json_and_text(c, &r);
    /* ref none: the report draws the predictions only, nothing scored */
    r.ref = "none";
    CHECK_OK(eo_classify_report_write(c, base, 0, NULL, 60, 30, &r, &err), &err);
    CHECK_EQ_INT(r.scored, 0);
    CHECK_EQ_INT(eo_classify_report_write(c, base, 7, NULL, 60, 30, &r, &err), EO_STATUS_INTERNAL);
    r.predicted = NULL;
    CHECK_EQ_INT(eo_classify_report_write(c, base, 0, NULL, 60, 30, &r, &err), EO_STATUS_USAGE);
    r.predicted = out;
    unlink("test_classify_run.html");
    /* the detector's beats: about the reference's number */
    eo_annot_set_destroy(same);
    CHECK_OK(eo_classify_record_beats(c, base, 0, 1, NULL, &same, &err), &err);
    CHECK(same && same->n > 2800 && same->n < 3100);
    eo_annot_set_destroy(same);
    eo_annot_set_destroy(out);
    eo_classifier_destroy(c);
}

/* --from 60 --to 120: exactly the beats of the whole-record run inside
 * samples 21600..43200, same samples and labels; empty spans refused. */
TEST(record_208_span)
{
    char dir[4200], base[4300];
    snprintf(dir, sizeof dir, "%s/mitdb", eo_test_data_dir());
    snprintf(base, sizeof base, "%s/208", dir);
    eo_classifier *c = small_gbm(dir);
    if (!c)
        return;
    eo_error err;
    eo_annotation_set *full = NULL, *span = NULL;
    eo_classify_record_options o;
    eo_classify_record_defaults(&o);
    CHECK_EQ_INT(o.lead, 0);
    CHECK(o.from_s == 0 && o.to_s < 0 && !o.use_detector);
    long s0 = -1, s1 = -1;
    CHECK_OK(eo_classify_record_run(c, base, &o, NULL, &full, &s0, &s1, &err), &err);
    CHECK(full && full->n == 2955);
    o.from_s = 60;
    o.to_s = 120;
    CHECK_OK(eo_classify_record_run(c, base, &o, NULL, &span, &s0, &s1, &err), &err);
    CHECK_EQ_INT(s0, 21600);
    CHECK_EQ_INT(s1, 43200);
    size_t k = 0, in_span = 0, bad = 0;
    for (size_t i = 0; full && span && i < full->n; i++) {
        if (full->items[i].sample < 21600 || full->items[i].sample >= 43200)
            continue;
        in_span++;
        if (k >= span->n || span->items[k].sample != full->items[i].sample ||
            span->items[k].code != full->items[i].code)
            bad++;
        k++;
    }
    CHECK(in_span > 90); /* 208: about 98 beats a minute */
    CHECK_EQ_INT((long)(span ? span->n : 0), (long)in_span);
    CHECK_EQ_INT((long)bad, 0);
    /* the result JSON names the span */
    eo_classify_result r = {.record = "mitdb/208", .beats = "atr", .output = "208.cls", .ref = "atr",
                            .predicted = span, .span_start = s0, .span_end = s1};
    eo_classify_result_count(c, &r);
    FILE *fp = tmpfile();
    eo_json j;
    eo_json_init(&j, fp);
    eo_classify_result_json(&j, c, &r);
    char *js = slurp_fp(fp);
    char want[128];
    snprintf(want, sizeof want, "\"from_sample\":21600,\"to_sample\":43200,\"n_beats\":%zu,", in_span);
    CHECK_MSG(js && strstr(js, want), "json: %s", js ? js : "");
    free(js);
    fclose(fp);
    /* the report scores the span only: every reference beat in it matched */
    r.report = "test_classify_run_span.html";
    CHECK_OK(eo_classify_report_write(c, base, 0, NULL, 60, 30, &r, &err), &err);
    long rows = 0;
    for (int a = 0; a < 5; a++)
        for (int b = 0; b < EO_EC57_NCLASS; b++)
            rows += r.m.m[a][b];
    CHECK_EQ_INT(rows, (long)in_span);
    unlink("test_classify_run_span.html");
    /* from >= to, from past the end: USAGE naming the span, nothing out */
    eo_annotation_set *none = NULL;
    o.from_s = 120;
    o.to_s = 60;
    CHECK_EQ_INT(eo_classify_record_run(c, base, &o, NULL, &none, NULL, NULL, &err), EO_STATUS_USAGE);
    CHECK_MSG(strstr(err.msg, "--from 120 --to 60 selects no samples of ") && strstr(err.msg, "(1805.6 s)"),
              "%s", err.msg);
    CHECK(none == NULL);
    o.from_s = 1805.6;
    o.to_s = -1;
    CHECK_EQ_INT(eo_classify_record_run(c, base, &o, NULL, &none, NULL, NULL, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "--from 1805.6 selects no samples") != NULL);
    CHECK(none == NULL);
    eo_annot_set_destroy(full);
    eo_annot_set_destroy(span);
    eo_classifier_destroy(c);
}

int main(void)
{
    RUN(record_208);
    RUN(record_208_span);
    TEST_END();
}
