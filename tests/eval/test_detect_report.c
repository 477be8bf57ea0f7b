/* What `ecgopt detect` reports (ecgopt/detect_report.h): on MIT-BIH 105 the
 * figures `ecgopt detect mitdb/105 -o d/ --report r.html` printed before the
 * report code moved into the library: 2611 beats on MLII, 86.8 bpm mean;
 * vs atr 2572 reference beats, TP 2563 FN 9 FP 48, QRS Se 99.65 % +P
 * 98.16 %; the report's EC57 table titled with ec57.h's match window. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eo_test.h"

#include "ecgopt/detect.h"
#include "ecgopt/detect_report.h"

static int file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    static char buf[4 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return strstr(buf, needle) != NULL;
}

TEST(mitdb105)
{
    char base[4200], hea[4300], path[256], dir[] = "/tmp/eo_det_rep_XXXXXX";
    snprintf(base, sizeof base, "%s/mitdb/105", eo_test_data_dir());
    snprintf(hea, sizeof hea, "%s.hea", base);
    if (access(hea, F_OK) != 0)
        SKIP("mitdb/105 not found");
    eo_annotation_set *a = NULL;
    eo_error err;
    int used = -1;
    CHECK_OK(eo_detect_record(base, NULL, NULL, NULL, NULL, NULL, &a, &used, &err), &err);
    if (!a)
        return;
    eo_detect_summary s;
    eo_detect_summarize(base, "mitdb/105", used, a, 0.5, "105.qrs", &s);
    CHECK_EQ_INT(s.beats, 2611);
    CHECK_CLOSE(s.bpm, 86.8, 0, 0.05);
    CHECK(strcmp(s.desc, "MLII") == 0);
    CHECK_CLOSE(s.fs, 360, 0, 0);

    eo_detect_report_options o;
    eo_detect_report_defaults(&o);
    o.from_s = 300;
    eo_report *r = eo_report_create("detect test");
    CHECK_OK(eo_detect_report_record(r, &o, "mitdb/105", base, used, NULL, a, &s.score, &err), &err);
    CHECK_EQ_INT(s.score.scored, 1);
    CHECK_EQ_INT(s.score.ref_beats, 2572);
    CHECK_EQ_INT(s.score.tp, 2563);
    CHECK_EQ_INT(s.score.fn, 9);
    CHECK_EQ_INT(s.score.fp, 48);
    CHECK_CLOSE(s.score.se, 99.65, 0, 0.005);
    CHECK_CLOSE(s.score.ppv, 98.16, 0, 0.005);
    /* without a reference: a section, no score */
    eo_detect_score none;
    o.ref = "none";
    CHECK_OK(eo_detect_report_record(r, &o, "mitdb/105", base, used, NULL, a, &none, &err), &err);
    CHECK_EQ_INT(none.scored, 0);
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/r.html", dir);
    CHECK_OK(eo_report_write(r, path, &err), &err);
    CHECK(file_has(path, "QRS detection, ANSI/AAMI EC57 (150 ms match window, whole record)"));
    CHECK(file_has(path, "no reference annotator &#39;none&#39;") || file_has(path, "no reference annotator 'none'"));
    remove(path);
    snprintf(path, sizeof path, "%s/s.json", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        eo_json j;
        eo_json_init(&j, f);
        eo_json_obj_begin(&j);
        eo_detect_summary_json(&j, &s, "atr");
        eo_json_obj_end(&j);
        fclose(f);
    }
    CHECK(file_has(path, "\"beats\":2611"));
    CHECK(file_has(path, "\"reference\":\"atr\",\"ref_beats\":2572,\"qrs_tp\":2563,\"qrs_fn\":9,\"qrs_fp\":48"));
    remove(path);
    rmdir(dir);
    eo_report_destroy(r);
    eo_annot_set_destroy(a);
}

int main(void)
{
    RUN(mitdb105);
    TEST_END();
}
