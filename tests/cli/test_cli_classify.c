/* cli: `ecgopt classify` with --from/--to as a user runs it ($ECGOPT_BIN):
 * a small gbm (5 rounds on MIT-BIH 208 and 119) labels 100 whole and
 * 60..120 s; the span's file holds exactly the whole run's beats inside
 * samples 21600..43200 with the same samples and labels; empty spans exit 1
 * and write nothing. */
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
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", TMP);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", TMP);
    TEST_END();
}
