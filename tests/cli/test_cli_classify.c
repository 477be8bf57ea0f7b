/* cli: `ecgopt classify` with --from/--to as a user runs it ($ECGOPT_BIN):
 * a small gbm (5 rounds on MIT-BIH 208 and 119) labels 100 whole and
 * 60..120 s; the span's file holds exactly the whole run's beats inside
 * samples 21600..43200 with the same samples and labels; empty spans exit 1
 * and write nothing.  `ecgopt train --cv 3` on six DS1 records: three
 * folds, every record in exactly one, the pooled counts the folds' sums, no
 * model without -o; its usage errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/wfdb.h"
#include "eo_test.h"

#include "cli_harness.h"

static int exists(const char *name)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", TMP, name);
    return access(p, F_OK) == 0;
}

static eo_annotation_set *read_ann(const char *name)
{
    char p[256];
    eo_error err;
    eo_annotation_set *a = NULL;
    snprintf(p, sizeof p, "%s/%s", TMP, name);
    CHECK_OK(eo_annot_read(p, &a, &err), &err);
    return a;
}

TEST(classify_span)
{
    char args[4096];
    const char *D = eo_test_data_dir();
    snprintf(args, sizeof args,
             "train --data %s --task classify --model gbm --rounds 5 --train mitdb:208+119 --val-records 0 "
             "--threads 1 --quiet -o %s/m.model",
             D, TMP);
    CHECK_EQ_INT(run(args), 0);
    if (!exists("m.model"))
        return;
    snprintf(args, sizeof args, "classify --data %s --model %s/m.model mitdb/100 -o %s/full.cls --quiet", D, TMP,
             TMP);
    CHECK_EQ_INT(run(args), 0);
    snprintf(args, sizeof args,
             "classify --data %s --model %s/m.model mitdb/100 --from 60 --to 120 -o %s/span.cls --json", D, TMP,
             TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "\"from_sample\":21600,\"to_sample\":43200,\"n_beats\":74,"));
    eo_annotation_set *full = read_ann("full.cls"), *span = read_ann("span.cls");
    if (full && span) {
        size_t k = 0, bad = 0;
        for (size_t i = 0; i < full->n; i++) {
            if (full->items[i].sample < 21600 || full->items[i].sample >= 43200)
                continue;
            bad += k >= span->n || span->items[k].sample != full->items[i].sample ||
                   span->items[k].code != full->items[i].code;
            k++;
        }
        CHECK_EQ_INT(k, 74); /* mitdb/100 has 74 beats in 60..120 s */
        CHECK_EQ_INT(span->n, k);
        CHECK_EQ_INT(bad, 0);
    }
    eo_annot_set_destroy(full);
    eo_annot_set_destroy(span);
    /* the text names the span */
    snprintf(args, sizeof args, "classify --data %s --model %s/m.model mitdb/100 --from 60 --to 120 -o %s/t.cls", D,
             TMP, TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "mitdb/100: 74 beats (atr, samples 21600..43200) -> "));
    /* the report: strips from --from, the EC57 table over the span */
    snprintf(args, sizeof args,
             "classify --data %s --model %s/m.model mitdb/100 --from 60 --to 120 -o %s/r.cls --report %s/r.html "
             "--json",
             D, TMP, TMP, TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("r.html", "Strips 60.0-120.0 s"));
    CHECK(has("r.html", "Samples 21600..43200 vs atr"));
    CHECK(has("out", "\"qrs_se\":100,\"qrs_ppv\":100,")); /* every reference beat of the span, only those */
    /* empty spans: exit 1, the message, no annotation file */
    snprintf(args, sizeof args, "classify --data %s --model %s/m.model mitdb/100 --from 120 --to 60 -o %s/bad.cls",
             D, TMP, TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "--from 120 --to 60 selects no samples of"));
    CHECK(has("err", "(1805.6 s)"));
    snprintf(args, sizeof args, "classify --data %s --model %s/m.model mitdb/100 --from 1806 -o %s/bad.cls", D, TMP,
             TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(!exists("bad.cls"));
}

/* The n-th (from 0) integer after "\"key\":" in s; -1 when missing. */
static long nth(const char *s, const char *key, int n)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\":", key);
    const char *p = s;
    for (int i = 0; p && i <= n; i++) {
        p = strstr(p, k);
        if (p && i < n)
            p += strlen(k);
    }
    return p ? strtol(p + strlen(k), NULL, 10) : -1;
}

static int count(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

TEST(train_cv)
{
    char args[4096];
    const char *D = eo_test_data_dir();
    static const char *const recs[6] = {"101", "106", "109", "114", "116", "119"};
    snprintf(args, sizeof args,
             "train --data %s --task classify --cv 3 --train mitdb:101+106+109+114+116+119 --rounds 5 "
             "--threads 1 --quiet --json",
             D);
    CHECK_EQ_INT(run(args), 0);
    const char *js = slurp("out");
    CHECK(strstr(js, "{\"cv\":{\"protocol\":\"record-grouped K-fold CV inside the training records\",\"k\":3,") != NULL);
    CHECK(strstr(js, "\"records\":6,") != NULL);
    CHECK_EQ_INT(count(js, "\"fold\":"), 3);
    CHECK(strstr(js, "\"fold\":0,") && strstr(js, "\"fold\":1,") && strstr(js, "\"fold\":2,"));
    for (int i = 0; i < 6; i++) {
        char q[32];
        snprintf(q, sizeof q, "mitdb/%s\"", recs[i]);
        CHECK_MSG(count(js, q) == 1, "record %s in %d folds", recs[i], count(js, q));
    }
    /* pooled = sum of the folds, for every count (folds first, then pooled) */
    static const char *const keys[] = {"vtp", "vfn", "vfp", "stp", "sfn", "sfp", "matched", "correct"};
    for (int k = 0; k < 8; k++) {
        long sum = 0;
        for (int f = 0; f < 3; f++)
            sum += nth(js, keys[k], f);
        CHECK_MSG(sum == nth(js, keys[k], 3) && nth(js, keys[k], 4) == -1, "%s: folds %ld, pooled %ld", keys[k],
                  sum, nth(js, keys[k], 3));
    }
    /* every labelled beat in one fold: the pooled matched beats are all of them */
    CHECK(nth(js, "matched", 3) > 10000 && nth(js, "matched", 3) == nth(js, "beats", 0));
    /* the text: the protocol, three folds, the pooled line; no model */
    snprintf(args, sizeof args,
             "train --data %s --cv 3 --train mitdb:101+106+109+114+116+119 --rounds 5 --threads 1 --quiet", D);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "record-grouped K-fold CV inside the training records (K = 3, seed 1), model gbm, 6 records"));
    CHECK(has("out", "fold 0 (") && has("out", "fold 2 (") && !has("out", "fold 3 ("));
    CHECK(has("out", "pooled: VEB Se "));
    CHECK(!has("out", "trained on"));
    /* with -o the model is trained and written as well; JSON holds both */
    snprintf(args, sizeof args,
             "train --data %s --cv 3 --train mitdb:101+106+109+114+116+119 --rounds 5 --threads 1 --quiet --json "
             "-o %s/cv.model",
             D, TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(exists("cv.model"));
    CHECK(has("out", "\"cv\":{\"protocol\":") && has("out", "\"output\":"));
    /* usage errors: more folds than records, other labels, --test without -o */
    snprintf(args, sizeof args, "train --data %s --cv 7 --train mitdb:101+106+109+114+116+119 --rounds 5", D);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "--cv 7: need 2 <= K <= 6 (the training records)"));
    snprintf(args, sizeof args, "train --data %s --cv 3 --labels nlrav --rounds 5", D);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "--cv scores the EC57 way: it needs --labels aami"));
    snprintf(args, sizeof args, "train --data %s --cv 3 --test", D);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "--test and --report need -o MODEL"));
    CHECK_EQ_INT(run("train --cv 1"), 1);
}

int main(void)
{
    BIN = getenv("ECGOPT_BIN");
    if (!BIN || !*BIN) {
        fprintf(stderr, "ECGOPT_BIN not set (run through ctest)\n");
        return 1;
    }
    snprintf(TMP, sizeof TMP, "/tmp/eo_cli_classify_XXXXXX");
    if (!mkdtemp(TMP))
        return 1;
    RUN(classify_span);
    RUN(train_cv);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", TMP);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", TMP);
    TEST_END();
}
