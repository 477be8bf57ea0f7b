/* `ecgopt compress` / `ecgopt decompress` run as a user would ($ECGOPT_BIN,
 * set by ctest for every test): round trip through files, --from/--to,
 * --json, exit codes, messages naming the damaged block, outputs left
 * untouched when the input is bad. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecgopt/codec.h"
#include "ecgopt/util.h"
#include "eo_test.h"

static char TMP[64];
static const char *BIN;

static int run(const char *args)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s %s --data %s >%s/out 2>%s/err", BIN, args, eo_test_data_dir(),
             TMP, TMP);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int file_has(const char *name, const char *needle)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", TMP, name);
    unsigned char *d;
    size_t n;
    eo_error err;
    if (eo_read_file(p, &d, &n, &err))
        return 0;
    int r = strstr((char *)d, needle) != NULL;
    if (!r)
        fprintf(stderr, "%s: no '%s' in: %s\n", name, needle, d);
    free(d);
    return r;
}

static eo_wfdb_record *load(const char *base)
{
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    eo_wfdb_record *r = NULL;
    eo_error err;
    if (eo_wfdb_record_load(base, &ro, &r, &err))
        fprintf(stderr, "%s\n", err.msg);
    return r;
}

TEST(roundtrip_files)
{
    char a[512];
    snprintf(a, sizeof a, "compress mitdb/232 -o %s/232.ecgz --coder mix --evaluate --json", TMP);
    CHECK_EQ_INT(run(a), 0);
    CHECK(file_has("out", "\"mode\":\"lossless\""));
    CHECK(file_has("out", "\"coder\":\"mix\""));
    CHECK(file_has("out", "\"max_abs_error_adu\":0"));
    snprintf(a, sizeof a, "compress mitdb/232 -o %s/232x.ecgz --coder fancy", TMP);
    CHECK_EQ_INT(run(a), 1);
    CHECK(file_has("err", "--coder fancy"));
    snprintf(a, sizeof a, "decompress %s/232.ecgz -o %s/232d --from 100 --to 160.5", TMP, TMP);
    CHECK_EQ_INT(run(a), 0);
    char base[4200];
    snprintf(base, sizeof base, "%s/mitdb/232", eo_test_data_dir());
    eo_wfdb_record *o = load(base);
    snprintf(base, sizeof base, "%s/232d", TMP);
    eo_wfdb_record *d = load(base);
    CHECK(o && d);
    if (o && d) {
        CHECK_EQ_INT(d->n_samples, 21780); /* 60.5 s x 360 */
        CHECK_EQ_INT(d->n_signals, 2);
        long diff = 0;
        for (int s = 0; s < 2; s++)
            for (long i = 0; i < d->n_samples; i++)
                diff += d->adu[s][i] != o->adu[s][36000 + i];
        CHECK_EQ_INT(diff, 0);
        CHECK(strcmp(d->header->signals[0].description, "MLII") == 0);
        CHECK_CLOSE(d->header->signals[0].gain, o->header->signals[0].gain, 0, 0);
    }
    eo_wfdb_record_destroy(o);
    eo_wfdb_record_destroy(d);
    /* bounded: text output names the mode and the bound holds */
    snprintf(a, sizeof a, "compress mitdb/232 -o %s/232b.ecgz --max-error 2 --evaluate", TMP);
    CHECK_EQ_INT(run(a), 0);
    CHECK(file_has("out", "bounded"));
    CHECK(file_has("out", "max error 2 adu"));
}

TEST(errors_and_exit_codes)
{
    char a[512];
    CHECK_EQ_INT(run("compress --help"), 0);
    CHECK(file_has("out", "example"));
    CHECK_EQ_INT(run("compress mitdb/232"), 1); /* no -o */
    snprintf(a, sizeof a, "compress mitdb/232 -o %s/x.ecgz --mode zip", TMP);
    CHECK_EQ_INT(run(a), 1);
    snprintf(a, sizeof a, "compress mitdb/232 -o %s/x.ecgz --mode ae", TMP);
    CHECK(run(a) == 1); /* ae needs --model */
    CHECK(file_has("err", "--model"));
    snprintf(a, sizeof a, "compress nosuchrecord -o %s/x.ecgz", TMP);
    CHECK(run(a) != 0);
    char p[256];
    snprintf(p, sizeof p, "%s/x.ecgz", TMP);
    CHECK(access(p, F_OK) != 0); /* nothing written */

    /* damage one byte in the middle of a block of the earlier file */
    snprintf(p, sizeof p, "%s/232.ecgz", TMP);
    unsigned char *d;
    size_t n;
    eo_error err;
    CHECK_OK(eo_read_file(p, &d, &n, &err), &err);
    if (!d)
        return;
    d[n / 2] ^= 0x40;
    snprintf(p, sizeof p, "%s/bad.ecgz", TMP);
    CHECK_OK(eo_write_file_atomic(p, d, n, &err), &err);
    free(d);
    /* an existing output must stay as it was */
    snprintf(p, sizeof p, "%s/keep.hea", TMP);
    CHECK_OK(eo_write_file_atomic(p, "old\n", 4, &err), &err);
    snprintf(a, sizeof a, "decompress %s/bad.ecgz -o %s/keep", TMP, TMP);
    CHECK_EQ_INT(run(a), 2);
    CHECK(file_has("err", "bad.ecgz: block"));
    CHECK(file_has("err", "CRC mismatch"));
    CHECK(file_has("keep.hea", "old"));
    /* a part that does not touch the damage still decodes (seek) */
    snprintf(a, sizeof a, "decompress %s/bad.ecgz -o %s/part --from 0 --to 30", TMP, TMP);
    CHECK_EQ_INT(run(a), 0);
    snprintf(a, sizeof a, "decompress %s/nothere.ecgz -o %s/keep", TMP, TMP);
    CHECK(run(a) != 0);
    snprintf(a, sizeof a, "decompress %s/232.ecgz -o %s/keep --from 5000", TMP, TMP);
    CHECK_EQ_INT(run(a), 1);
}

/* compress --from 100 --to 160.5: the file holds that span only; decompress
 * gives it back (lossless: identical samples), info reads the result, and
 * its header says where it came from; empty spans exit 1, nothing written. */
TEST(compress_span)
{
    char a[512];
    snprintf(a, sizeof a, "compress mitdb/232 -o %s/232span.ecgz --from 100 --to 160.5 --json", TMP);
    CHECK_EQ_INT(run(a), 0);
    CHECK(file_has("out", "\"samples\":21780,"));
    CHECK(file_has("out", "\"from_sample\":36000"));
    snprintf(a, sizeof a, "decompress %s/232span.ecgz -o %s/232sd", TMP, TMP);
    CHECK_EQ_INT(run(a), 0);
    CHECK(file_has("232sd.hea", "# ecgopt span: samples 36000..57780 (100.000-160.500 s) of 232"));
    char base[4200];
    snprintf(base, sizeof base, "%s/mitdb/232", eo_test_data_dir());
    eo_wfdb_record *o = load(base);
    snprintf(base, sizeof base, "%s/232sd", TMP);
    eo_wfdb_record *d = load(base);
    CHECK(o && d);
    if (o && d) {
        CHECK_EQ_INT(d->n_samples, 21780);
        long diff = 0;
        for (int s = 0; s < 2; s++)
            for (long i = 0; i < d->n_samples; i++)
                diff += d->adu[s][i] != o->adu[s][36000 + i];
        CHECK_EQ_INT(diff, 0);
    }
    eo_wfdb_record_destroy(o);
    eo_wfdb_record_destroy(d);
    snprintf(a, sizeof a, "info %s/232sd --annotator none", TMP);
    CHECK_EQ_INT(run(a), 0);
    CHECK(file_has("out", "21780"));
    /* bounded span: within the bound */
    snprintf(a, sizeof a, "compress mitdb/232 -o %s/232sb.ecgz --from 30 --to 40 --max-error 3 --evaluate",
             TMP);
    CHECK_EQ_INT(run(a), 0);
    CHECK(file_has("out", "mitdb/232 samples 10800..14400 -> "));
    CHECK(file_has("out", "2 signals x 3600 samples"));
    CHECK(file_has("out", "max error 3 adu"));
    /* empty spans: exit 1, the message, nothing written */
    snprintf(a, sizeof a, "compress mitdb/232 -o %s/e.ecgz --from 40 --to 30", TMP);
    CHECK_EQ_INT(run(a), 1);
    CHECK(file_has("err", "--from 40 --to 30 selects no samples of mitdb/232 (1805.6 s)"));
    snprintf(a, sizeof a, "compress mitdb/232 -o %s/e.ecgz --from 1806", TMP);
    CHECK_EQ_INT(run(a), 1);
    char p[256];
    snprintf(p, sizeof p, "%s/e.ecgz", TMP);
    CHECK(access(p, F_OK) != 0);
}

/* ae mode end to end: a tiny model trained by the CLI on DS1 record 101,
 * record 232 (DS2) coded with it; decoding needs that model. */
TEST(autoencoder_files)
{
    char a[1024];
    snprintf(a, sizeof a,
             "compress --train --records 101 --segment 256 --latent-channels 2 --filters 4 "
             "--segments 300 --epochs 2 -o %s/ae.eom --json", TMP);
    CHECK_EQ_INT(run(a), 0);
    CHECK(file_has("out", "\"latent\":32")); /* rate-distortion default: pools 4,4,1 at 256 */
    CHECK(file_has("out", "\"sha256\":"));
    /* --pools: three sizes whose product divides the segment */
    snprintf(a, sizeof a, "compress --train --records 101 --pools 3,4 -o %s/p.eom", TMP);
    CHECK_EQ_INT(run(a), 1);
    CHECK(file_has("err", "--pools 3,4"));
    snprintf(a, sizeof a, "compress --train --records 101 --pools 4,5,7 -o %s/p.eom", TMP);
    CHECK(run(a) != 0);
    CHECK(file_has("err", "does not divide"));
    snprintf(a, sizeof a, "%s/p.eom", TMP);
    CHECK(access(a, F_OK) != 0);
    snprintf(a, sizeof a,
             "compress mitdb/232 -o %s/232ae.ecgz --model %s/ae.eom --ae-step 0.5 --evaluate --json",
             TMP, TMP);
    CHECK_EQ_INT(run(a), 0);
    CHECK(file_has("out", "\"mode\":\"ae\""));
    CHECK(file_has("out", "\"paper_cr\":8"));
    /* --target-prdn with an ae model: the step searched per record; a step
     * outside the model's trained range (0.5..2): error, no file */
    snprintf(a, sizeof a,
             "compress mitdb/232 -o %s/232t.ecgz --mode ae --model %s/ae.eom --target-prdn 95 "
             "--evaluate --json", TMP, TMP);
    CHECK_EQ_INT(run(a), 0);
    CHECK(file_has("out", "\"mode\":\"ae\""));
    CHECK(!file_has("out", "\"ae_step\":0,")); /* the searched step, inside 0.5..2 */
    snprintf(a, sizeof a,
             "compress mitdb/232 -o %s/232s.ecgz --model %s/ae.eom --ae-step 5", TMP, TMP);
    CHECK(run(a) != 0);
    CHECK(file_has("err", "outside the model's trained range"));
    snprintf(a, sizeof a, "%s/232s.ecgz", TMP);
    CHECK(access(a, F_OK) != 0);
    snprintf(a, sizeof a, "decompress %s/232ae.ecgz -o %s/232ae", TMP, TMP);
    CHECK_EQ_INT(run(a), 1);
    CHECK(file_has("err", "sha256"));
    snprintf(a, sizeof a, "decompress %s/232ae.ecgz -o %s/232ae --model %s/ae.eom --from 10 --to 20",
             TMP, TMP, TMP);
    CHECK_EQ_INT(run(a), 0);
    char base[4200];
    snprintf(base, sizeof base, "%s/232ae", TMP);
    eo_wfdb_record *d = load(base);
    CHECK(d && d->n_samples == 3600);
    /* --embed-model: decodes with no model file, to the same samples; CR
     * printed with and without the model section */
    snprintf(a, sizeof a,
             "compress mitdb/232 -o %s/232em.ecgz --model %s/ae.eom --ae-step 0.5 --embed-model "
             "--json", TMP, TMP);
    CHECK_EQ_INT(run(a), 0);
    CHECK(file_has("out", "\"model_embedded\":true"));
    CHECK(file_has("out", "\"cr_without_model\":"));
    snprintf(a, sizeof a, "decompress %s/232em.ecgz -o %s/232em --from 10 --to 20 --json", TMP,
             TMP);
    CHECK_EQ_INT(run(a), 0);
    CHECK(file_has("out", "\"model\":\"embedded\""));
    snprintf(base, sizeof base, "%s/232em", TMP);
    eo_wfdb_record *e = load(base);
    CHECK(d && e && e->n_samples == 3600 && e->n_signals == d->n_signals);
    if (d && e)
        for (int s = 0; s < d->n_signals; s++)
            CHECK(memcmp(d->adu[s], e->adu[s], sizeof(int32_t) * 3600) == 0);
    eo_wfdb_record_destroy(e);
    eo_wfdb_record_destroy(d);
    /* --embed-model without an autoencoder: usage error */
    snprintf(a, sizeof a, "compress mitdb/232 -o %s/232x.ecgz --embed-model", TMP);
    CHECK_EQ_INT(run(a), 1);
}

/* --report: an HTML file with the RD point among a sweep and 30 s of strips (3 traces x
 * 10 s x 360 Hz = 3600 points in each detailed strip's first trace). */
TEST(compress_report)
{
    char a[512];
    snprintf(a, sizeof a, "compress mitdb/232 -o %s/232r.ecgz --mode wavelet --target-prdn 5 --report %s/232.html",
             TMP, TMP);
    CHECK_EQ_INT(run(a), 0);
    CHECK(file_has("232.html", "data-kind=\"line-plot\""));
    /* strips named by the signal's description, one heading, every row's setting */
    CHECK(file_has("232.html", "id=\"MLII-t2\""));
    CHECK(file_has("232.html", "<h2>Compression of mitdb/232</h2>"));
    CHECK(file_has("232.html", "<td>wavelet (this file)</td><td>target PRDN 5 %</td>"));
    CHECK(file_has("232.html", "<td>wavelet</td><td>target PRDN 2 %, first 300 s</td>"));
    CHECK(file_has("232.html", ">reconstructed<"));
    char p[256];
    snprintf(p, sizeof p, "%s/232.html", TMP);
    unsigned char *d = NULL;
    size_t n = 0;
    eo_error err;
    CHECK_OK(eo_read_file(p, &d, &n, &err), &err);
    if (d) {
        const char *t = strstr((char *)d, "id=\"MLII-t0\"");
        const char *q = t ? strstr(t, "class=\"trace\"") : NULL;
        q = q ? strstr(q, "points=\"") : NULL;
        int pts = 0;
        for (; q && *q && q[0] != '/'; q++)
            pts += *q == ',';
        CHECK_EQ_INT(pts, 3600);
        free(d);
    }
    snprintf(a, sizeof a, "compress mitdb/232 -o %s/232s.ecgz --report /nonexistent/dir/x.html", TMP);
    CHECK_EQ_INT(run(a), 2);
}

int main(void)
{
    BIN = getenv("ECGOPT_BIN");
    if (!BIN || !*BIN) {
        printf("ECGOPT_BIN not set (run through ctest)\n");
        return 1;
    }
    snprintf(TMP, sizeof TMP, "/tmp/eo_codec_cli.XXXXXX");
    if (!mkdtemp(TMP))
        return 1;
    RUN(roundtrip_files);
    RUN(errors_and_exit_codes);
    RUN(compress_span);
    RUN(autoencoder_files);
    RUN(compress_report);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", TMP);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", TMP);
    TEST_END();
}
