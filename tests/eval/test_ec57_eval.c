/* An EC57 evaluation of records (ecgopt/ec57_eval.h), the work behind
 * `ecgopt evaluate`: the detector's annotations of MIT-BIH 105 scored with
 * a 300 s learning period give what `ecgopt detect mitdb/105 -o ann/` then
 * `ecgopt evaluate --test qrs --test-dir ann mitdb/105 --learning-period
 * 300` printed before the evaluation moved into the library (ref 2155, test
 * 2194, TP 2146, FN 9, FP 48, QRS Se 99.582 %, +P 97.812 %), and the text,
 * JSON and report built from it. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eo_test.h"

#include "ecgopt/detect.h"
#include "ecgopt/ec57_eval.h"

static int file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return strstr(buf, needle) != NULL;
}

TEST(mitdb105_detector)
{
    char base[4200], dir[] = "/tmp/eo_ec57_eval_XXXXXX", path[256];
    snprintf(base, sizeof base, "%s/mitdb/105", eo_test_data_dir());
    if (access(base, F_OK) != 0 && access(strcat(strcpy(path, base), ".hea"), F_OK) != 0)
        SKIP("mitdb/105 not found");
    CHECK(mkdtemp(dir) != NULL);
    eo_annotation_set *a = NULL;
    eo_error err;
    CHECK_OK(eo_detect_record(base, NULL, NULL, NULL, NULL, NULL, &a, NULL, &err), &err);
    snprintf(path, sizeof path, "%s/105.qrs", dir);
    if (a)
        CHECK_OK(eo_annot_write(path, a, &err), &err);
    eo_annot_set_destroy(a);

    eo_ec57_eval_options o;
    eo_ec57_eval_defaults(&o);
    o.data_dir = eo_test_data_dir();
    o.test = "qrs";
    o.test_dir = dir;
    o.ec57.learning_period_s = 300;
    const char *recs[1] = {"mitdb/105"};
    eo_ec57_eval e;
    CHECK_OK(eo_ec57_evaluate(&o, recs, 1, &e, &err), &err);
    CHECK_EQ_INT(e.n, 1);
    CHECK_EQ_INT(e.recs[0].ref_beats, 2155);
    CHECK_EQ_INT(e.recs[0].test_beats, 2194);
    CHECK_EQ_INT(e.g.qtp, 2146);
    CHECK_EQ_INT(e.g.qfn, 9);
    CHECK_EQ_INT(e.g.qfp, 48);
    CHECK_CLOSE(e.g.qrs_se, 99.582, 0, 5e-4);
    CHECK_CLOSE(e.g.qrs_ppv, 97.812, 0, 5e-4);
    /* the whole record holds more beats than the scored span */
    CHECK(e.recs[0].ref_total > e.recs[0].ref_beats);
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_ec57_eval_text(&b, &e);
    CHECK(strstr(eo_strbuf_str(&b), "learning period 300 s\n") != NULL);
    CHECK(strstr(eo_strbuf_str(&b), "mitdb/105   2155   2194   2146     9    48  99.582  97.812") != NULL);
    eo_strbuf_destroy(&b);
    snprintf(path, sizeof path, "%s/e.json", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        eo_json j;
        eo_json_init(&j, f);
        eo_json_obj_begin(&j);
        eo_ec57_eval_json(&j, &e);
        eo_json_obj_end(&j);
        fclose(f);
    }
    CHECK(file_has(path, "\"ref_beats\":2155,\"test_beats\":2194"));
    CHECK(file_has(path, "\"qrs_tp\":2146,\"qrs_fn\":9,\"qrs_fp\":48"));
    remove(path);
    snprintf(path, sizeof path, "%s/e.html", dir);
    CHECK_OK(eo_ec57_eval_report(&e, path, &err), &err);
    CHECK(file_has(path, "Gross statistics (all records pooled)"));
    CHECK(file_has(path, "99.58"));
    remove(path);
    eo_ec57_eval_free(&e);
    /* a reference annotator with no beats is refused by name */
    o.ref = "qrs";
    o.test_dir = NULL;
    o.test = "atr";
    CHECK(eo_ec57_evaluate(&o, recs, 1, &e, &err) != EO_STATUS_OK);
    eo_ec57_eval_free(&e);
    snprintf(path, sizeof path, "%s/105.qrs", dir);
    remove(path);
    rmdir(dir);
}

int main(void)
{
    RUN(mitdb105_detector);
    TEST_END();
}
