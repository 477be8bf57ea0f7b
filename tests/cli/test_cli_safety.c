/* cli: never lose a user's data, strict input (issue 17, section 1), run as a
 * user would ($ECGOPT_BIN): -o onto a device, a symbolic link, a named pipe
 * and /dev/stdout is written through and never replaced; an input record, a
 * reference annotator and a record name with old annotations are refused
 * without --force; numeric options are checked with their range in the
 * message; every output is checked before the work and a failed command
 * leaves nothing new; -o DIR/ is created; --data /nonexist is reported; one
 * exit-code rule for usage errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eo_test.h"

#include "cli_harness.h"

/* Run "cd TMP && $ECGOPT_BIN args" with stdout -> TMP/out, stderr -> TMP/err:
 * relative output paths land in TMP. */
static int run_in_tmp(const char *args)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd %s && ECGOPT_DATA=%s %s %s >out 2>err", TMP, eo_test_data_dir(),
             BIN, args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int sh(const char *cmd)
{
    char full[8192];
    snprintf(full, sizeof full, "cd %s && %s", TMP, cmd);
    return system(full);
}

/* lstat type of TMP/name: 'f' regular, 'l' link, 'p' fifo, 'c' char device, 'd', 0 missing */
static char kind(const char *name)
{
    char p[256];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s", TMP, name);
    if (lstat(p, &sb) != 0)
        return 0;
    return S_ISREG(sb.st_mode) ? 'f' : S_ISLNK(sb.st_mode) ? 'l' : S_ISFIFO(sb.st_mode) ? 'p'
         : S_ISCHR(sb.st_mode) ? 'c' : S_ISDIR(sb.st_mode) ? 'd' : '?';
}

static long size_of(const char *name)
{
    char p[256];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s", TMP, name);
    return stat(p, &sb) == 0 ? (long)sb.st_size : -1;
}

/* Never aim a test at the machine's own /dev/null or /dev/stdout while root:
 * a regression would replace them for every process (it happened once).  As
 * root the device is a private mknod copy and stdout is reached through a
 * link in TMP to /proc/self/fd/1 and through /dev/fd/1 (procfs refuses a
 * rename); /dev/null and /dev/stdout themselves only when not root, where a
 * rename into /dev is refused anyway. */
TEST(output_onto_device_link_pipe_stdout)
{
    int root = geteuid() == 0;
    /* a container without CAP_MKNOD: no private device, that part is skipped */
    const char *dev = !root ? "/dev/null" : sh("mknod fakenull c 1 3 2>/dev/null") == 0 ? "fakenull" : NULL;
    char args[512];
    if (!dev)
        printf("     (no private device: mknod refused; device part skipped)\n");
    if (dev) {
        snprintf(args, sizeof args, "export mitdb/100 --csv --to 1 -o %s", dev);
        CHECK_EQ_INT(run_in_tmp(args), 0);
        if (root)
            CHECK(kind("fakenull") == 'c');
        snprintf(args, sizeof args, "info mitdb/100 --report %s --quiet", dev);
        CHECK_EQ_INT(run_in_tmp(args), 0);
        if (root)
            CHECK(kind("fakenull") == 'c');
    }

    /* a symbolic link: written through to its target, the link stays */
    CHECK(sh("ln -s target.csv link.csv") == 0);
    CHECK_EQ_INT(run_in_tmp("export mitdb/100 --csv --to 1 -o link.csv"), 0);
    CHECK(kind("link.csv") == 'l');
    CHECK(kind("target.csv") == 'f');
    CHECK(has("target.csv", "sample,time_s,\"MLII\",\"V5\"\n0,0.000000,995,1011\n"));

    /* a named pipe: a reader gets the CSV, the pipe stays a pipe */
    CHECK(sh("mkfifo pipe && (cat pipe > from_pipe &)") == 0);
    CHECK_EQ_INT(run_in_tmp("export mitdb/100 --csv --to 1 -o pipe"), 0);
    for (int i = 0; i < 50 && size_of("from_pipe") < 7538; i++)
        usleep(20000);
    CHECK(kind("pipe") == 'p');
    CHECK_EQ_INT(size_of("from_pipe"), 7538); /* header + 361 rows, as through link.csv */

    /* stdout: the CSV comes out on stdout (here the file TMP/out) */
    CHECK(sh("ln -s /proc/self/fd/1 stdout_link") == 0);
    const char *outs[] = {"stdout_link", "/dev/fd/1", root ? NULL : "/dev/stdout"};
    for (int k = 0; k < 3; k++) {
        if (!outs[k])
            continue;
        snprintf(args, sizeof args, "export mitdb/100 --csv --to 0.01 -o %s", outs[k]);
        CHECK_EQ_INT(run_in_tmp(args), 0);
        CHECK_MSG(has("out", "sample,time_s,\"MLII\",\"V5\"\n0,0.000000,995,1011\n"), "-o %s", outs[k]);
    }
    CHECK(kind("stdout_link") == 'l');
}

TEST(refuse_to_destroy_records_and_reference_annotations)
{
    CHECK(sh("mkdir -p rec") == 0);
    CHECK_EQ_INT(run_in_tmp("synth -o rec/s1 --seconds 20 --seed 4 --quiet"), 0);
    long atr = size_of("rec/s1.atr"), dat = size_of("rec/s1.dat");
    CHECK(atr > 0 && dat == 7200 * 2);

    /* detect --annotator atr would overwrite the reference annotations */
    CHECK_EQ_INT(run_in_tmp("detect rec/s1 --annotator atr"), 2);
    CHECK(has("err", "rec/s1.atr: reference annotations exist"));
    CHECK(has("err", "--force"));
    CHECK_EQ_INT(size_of("rec/s1.atr"), atr);
    CHECK_EQ_INT(run_in_tmp("detect rec/s1 -o rec/s1.atr"), 2);
    /* -o onto the record's own signal file */
    CHECK_EQ_INT(run_in_tmp("detect rec/s1 -o rec/s1.dat"), 2);
    CHECK(has("err", "rec/s1.dat: is a file of the input record"));
    CHECK_EQ_INT(size_of("rec/s1.dat"), dat);
    /* a new annotator is fine; --force allows the reference one */
    CHECK_EQ_INT(run_in_tmp("detect rec/s1 --quiet"), 0);
    CHECK(kind("rec/s1.qrs") == 'f');
    CHECK_EQ_INT(run_in_tmp("detect rec/s1 --annotator atr --force --quiet"), 0);

    /* denoise onto its own input record (it used to cut it to --to) */
    CHECK_EQ_INT(run_in_tmp("denoise rec/s1 -o rec/s1 --to 10"), 2);
    CHECK(has("err", "is the input record"));
    CHECK_EQ_INT(size_of("rec/s1.dat"), dat);

    /* decompress into a record name that has annotations: refused, nothing written */
    CHECK_EQ_INT(run_in_tmp("compress rec/s1 -o s1.ecgz --max-error 5 --quiet"), 0);
    CHECK(sh("mkdir -p other && cp rec/s1.atr other/s1.atr") == 0);
    CHECK_EQ_INT(run_in_tmp("decompress s1.ecgz -o other/s1"), 2);
    CHECK(has("err", "other/s1.atr: annotations of an existing record s1"));
    CHECK(kind("other/s1.dat") == 0 && kind("other/s1.hea") == 0);
    CHECK_EQ_INT(run_in_tmp("decompress s1.ecgz -o rec/s1"), 2);
    CHECK_EQ_INT(size_of("rec/s1.dat"), dat);
    CHECK_EQ_INT(run_in_tmp("decompress s1.ecgz -o other/s1 --force --quiet"), 0);
    CHECK(kind("other/s1.dat") == 'f');
    /* compress -o onto the input's signal file */
    CHECK_EQ_INT(run_in_tmp("compress rec/s1 -o rec/s1.dat"), 2);
    CHECK_EQ_INT(size_of("rec/s1.dat"), dat);
    /* synth over an existing record with its annotations */
    CHECK_EQ_INT(run_in_tmp("synth -o rec/s1 --seconds 5"), 2);
    CHECK_EQ_INT(size_of("rec/s1.dat"), dat);
}

TEST(numeric_options_strict_with_range)
{
    CHECK_EQ_INT(run_in_tmp("export mitdb/100 --csv --to -5"), 1);
    CHECK(has("err", "--to must be a number in [0, "));
    CHECK(has("err", "got '-5'"));
    CHECK_EQ_INT(run_in_tmp("export mitdb/100 --csv --from 1x"), 1);
    CHECK_EQ_INT(run_in_tmp("compress mitdb/100 -o x.ecgz --max-error -1"), 1);
    CHECK(has("err", "--max-error must be a number in [0, 1000], got '-1'"));
    CHECK(kind("x.ecgz") == 0);
    CHECK_EQ_INT(run_in_tmp("compress mitdb/100 -o x.ecgz --max-error 1.5"), 1);
    CHECK_EQ_INT(run_in_tmp("detect mitdb/100 --threshold -1 -o x.qrs"), 1);
    CHECK(has("err", "--threshold must be a number in ["));
    CHECK_EQ_INT(run_in_tmp("info mitdb/100 --threads -2"), 1);
    CHECK(has("err", "--threads must be an integer in [0, 1024], got '-2'"));
    CHECK_EQ_INT(run_in_tmp("denoise mitdb/100 -o d --k 0"), 1);
    CHECK(has("err", "--k must be an integer in [1, 64]")); /* an integer option of the table */
    CHECK_EQ_INT(run_in_tmp("evaluate mitdb/100 --test atr --learning-period -1"), 1);
    CHECK_EQ_INT(run_in_tmp("synth -o s --hr -60"), 1);
    CHECK(kind("s.hea") == 0);
}

TEST(failed_command_leaves_nothing_new)
{
    /* a report path that cannot be written: refused before the work */
    CHECK_EQ_INT(run_in_tmp("compress mitdb/100 -o z.ecgz --report /nonexist/r.html"), 2);
    CHECK(has("err", "/nonexist/r.html: directory /nonexist does not exist"));
    CHECK(kind("z.ecgz") == 0);
    CHECK_EQ_INT(run_in_tmp("export mitdb/100 --csv -o e.csv --report /nonexist/r.html"), 2);
    CHECK(kind("e.csv") == 0);
    /* a corrupt reference annotation file found after the detection wrote its
     * output: the annotation file and the report are removed again */
    CHECK(sh("mkdir -p bad && cp rec/s1.hea rec/s1.dat bad/ && "
             "printf '\\377\\374\\000\\000\\377\\377\\377\\377\\022\\064' > bad/s1.atr") == 0);
    CHECK_EQ_INT(run_in_tmp("detect bad/s1 -o b.qrs --report b.html"), 2);
    CHECK(has("err", "bad/s1.atr"));
    CHECK(kind("b.qrs") == 0 && kind("b.html") == 0);
    /* the second of two records is missing: nothing of the first remains */
    CHECK_EQ_INT(run_in_tmp("detect rec/s1 no/such -o dout/"), 2);
    CHECK(kind("dout") == 0);
}

TEST(output_directory_created_and_data_dir_checked)
{
    CHECK_EQ_INT(run_in_tmp("detect rec/s1 mitdb/100 -o newdir/ --quiet"), 0);
    CHECK(kind("newdir/s1.qrs") == 'f' && kind("newdir/100.qrs") == 'f');
    /* without the '/' a missing name is not taken for a directory */
    CHECK_EQ_INT(run_in_tmp("detect rec/s1 mitdb/100 -o newdir2 --quiet"), 1);
    CHECK(has("err", "-o must be a directory when several records are given"));
    CHECK(kind("newdir2") == 0);
    CHECK_EQ_INT(run_in_tmp("info 100 --data /nonexist"), 2);
    CHECK(has("err", "/nonexist: --data directory does not exist"));
    CHECK_EQ_INT(run_in_tmp("info 100 --data /nonexist --json"), 2);
    CHECK(has("out", "\"error\":\"/nonexist: --data directory does not exist\""));
}

TEST(one_exit_code_for_usage_errors)
{
    /* an unknown name for a choice option is a usage error, exit 1 everywhere */
    CHECK_EQ_INT(run_in_tmp("denoise mitdb/100 -o d --method nope"), 1);
    CHECK_EQ_INT(run_in_tmp("tune --preset nope --study t.db"), 1);
    CHECK(has("err", "--preset nope: unknown (known: compress-cae"));
    CHECK_EQ_INT(run_in_tmp("tune --preset toy --optimizer ga,nope --study t.db"), 1);
    CHECK(has("err", "--optimizer nope: unknown (known: ga, pso"));
    CHECK_EQ_INT(run_in_tmp("bench cec2017 --algorithms ga,nope --runs 6"), 1);
    CHECK(has("err", "--algorithms nope: unknown (known: ga"));
    CHECK(kind("t.db") == 0);
    CHECK_EQ_INT(run_in_tmp("compress mitdb/100 -o z.ecgz --mode nope"), 1);
    CHECK_EQ_INT(run_in_tmp("export mitdb/100 --csv --bogus"), 1);
    /* bad input (a missing record) is 2 */
    CHECK_EQ_INT(run_in_tmp("export no/such --csv"), 2);
}

TEST(header_comments_kept_through_compress_and_denoise)
{
    /* 233.hea: "# 57 M 1682 654 x2", "# Dilantin", "# The PVCs are multiform." */
    CHECK_EQ_INT(run_in_tmp("compress mitdb/233 -o c233.ecgz --max-error 2 --quiet"), 0);
    CHECK_EQ_INT(run_in_tmp("decompress c233.ecgz -o d/233 --quiet"), 2); /* d/ missing: nothing made */
    CHECK(kind("d") == 0);
    CHECK(sh("mkdir -p d") == 0);
    CHECK_EQ_INT(run_in_tmp("decompress c233.ecgz -o d/233 --quiet"), 0);
    CHECK(has("d/233.hea", "233 2 360 650000\n"));
    CHECK(has("d/233.hea", "MLII\n"));
    CHECK(has("d/233.hea", "\n# 57 M 1682 654 x2\n# Dilantin\n# The PVCs are multiform.\n"));
    /* a span keeps the comments too */
    CHECK_EQ_INT(run_in_tmp("decompress c233.ecgz -o d/part --from 10 --to 20 --quiet"), 0);
    CHECK(has("d/part.hea", "part 2 360 3600\n"));
    CHECK(has("d/part.hea", "# Dilantin\n"));
    /* denoise writes the header's comments into its output */
    CHECK_EQ_INT(run_in_tmp("denoise mitdb/233 --to 5 --method bandpass -o d/den --quiet"), 0);
    CHECK(has("d/den.hea", "# 57 M 1682 654 x2\n# Dilantin\n"));
    /* a file written before the comments existed (no header flag 4) still decodes */
    char args[1024];
    snprintf(args, sizeof args, "decompress %s/fuzz/corpus/ecgz/lossless.ecgz -o d/old --json",
             EO_TEST_SOURCE_DIR);
    CHECK_EQ_INT(run_in_tmp(args), 0);
    CHECK(has("out", "\"mode\":\"lossless\",\"signals\":2,\"start_sample\":0,\"samples\":720"));
    CHECK(has("d/old.hea", "old 2 360 720\n"));
}

TEST(evaluate_learning_period_counts_and_says_it)
{
    /* 118e06 with a 300-s learning period: the ref column is the 1916 scored
     * reference beats (= TP + FN), not the record's 2278 */
    CHECK(sh("mkdir -p ev") == 0);
    CHECK_EQ_INT(run_in_tmp("detect nstdb/118e06 -o ev/ --quiet"), 0);
    CHECK_EQ_INT(run_in_tmp("evaluate nstdb/118e06 --test qrs --test-dir ev --learning-period 300 --json"), 0);
    CHECK(has("out", "\"learning_period_s\":300"));
    CHECK(has("out", "\"ref_beats\":1916,"));
    CHECK(has("out", "\"ref_beats_record\":2278,"));
    long tp = -1, fn = -1, fp = -1, ref = -2, test = -3;
    const char *o = slurp("out");
    const char *p;
    if ((p = strstr(o, "\"qrs_tp\":")))
        tp = atol(p + 9);
    if ((p = strstr(o, "\"qrs_fn\":")))
        fn = atol(p + 9);
    if ((p = strstr(o, "\"qrs_fp\":")))
        fp = atol(p + 9);
    if ((p = strstr(o, "\"ref_beats\":")))
        ref = atol(p + 12);
    if ((p = strstr(o, "\"test_beats\":")))
        test = atol(p + 13);
    CHECK_EQ_INT(ref, tp + fn);
    CHECK_EQ_INT(test, tp + fp);
    CHECK_EQ_INT(run_in_tmp("evaluate nstdb/118e06 --test qrs --test-dir ev --learning-period 300"), 0);
    CHECK(has("out", "learning period 300 s\n"));
    CHECK(has("out", "ref = TP + FN"));
    CHECK(has("out", "nstdb/118e06   1916 "));
    /* without one, the output says none was used and what bxb uses */
    CHECK_EQ_INT(run_in_tmp("evaluate nstdb/118e06 --test qrs --test-dir ev"), 0);
    CHECK(has("out", "learning period 0 s (none; WFDB bxb and EC57 use 300 s"));
}

TEST(bench_few_runs_warn_instead_of_counting)
{
    CHECK_EQ_INT(run_in_tmp("bench cec2017 --algorithms ga,pso --runs 5 --dim 10 --functions 1,3 "
                     "--max-evals 200"), 0);
    CHECK(has("err", "warning: with 5 runs the Wilcoxon signed-rank test over runs cannot reach "
                     "p < 0.05 (smallest p 0.0625)"));
    CHECK(has("out", "| +/=/- vs pso | n/a (runs < 6) | - |"));
    CHECK(!has("out", "0/2/0"));
    CHECK_EQ_INT(run_in_tmp("bench cec2017 --algorithms ga,pso --runs 5 --dim 10 --functions 1,3 "
                     "--max-evals 200 --json --quiet"), 0);
    CHECK(has("out", "\"wilcoxon_over_runs_can_reject\":false"));
    CHECK(has("out", "\"ref_better\":null"));
    CHECK(slurp("err")[0] == 0);
    /* 6 runs: counted; --workers is the deprecated spelling of --threads here */
    CHECK_EQ_INT(run_in_tmp("bench cec2017 --algorithms ga,pso --runs 6 --dim 10 --functions 1,3 "
                     "--max-evals 200 --workers 1"), 0);
    CHECK(has("out", "| +/=/- vs pso | 1/1/0 | - |"));
    CHECK(has("err", "--workers is deprecated here, use --threads 1"));
}

/* The option tables drive both parsing and help (src/cli/cli_opt.c). */
TEST(option_tables_parse_and_help)
{
    CHECK_EQ_INT(run_in_tmp("export --help"), 0);
    CHECK(has("out", "  --to S               end, seconds (default: the end of the record) [0..1e+09]\n"));
    CHECK(has("out", "common options:\n  --json "));
    CHECK(has("out", "  --threads N          threads in this process (0 = all cores) [0..1024]\n"));
    CHECK_EQ_INT(run_in_tmp("fetch --help"), 0);
    CHECK(has("out", "--dir DIR") && has("out", "(old spelling --to still accepted)"));
    CHECK_EQ_INT(run_in_tmp("detect --help"), 0);
    CHECK(has("out", "(old spelling --signal still accepted)"));
    /* --name=value, options after the record, "--" before a positional */
    CHECK_EQ_INT(run_in_tmp("export --to=0.01 --csv -- mitdb/100"), 0);
    CHECK(has("out", "sample,time_s,\"MLII\",\"V5\"\n0,0.000000,995,1011\n"));
    CHECK_EQ_INT(run_in_tmp("export --csv --physical=1 mitdb/100"), 1);
    CHECK(has("err", "option --physical takes no value"));
    CHECK_EQ_INT(run_in_tmp("export mitdb/100 --csv --to"), 1);
    CHECK(has("err", "option --to needs a value (S)"));
    CHECK_EQ_INT(run_in_tmp("export mitdb/100 mitdb/101 --csv"), 1);
    CHECK(has("err", "one RECORD expected, got 'mitdb/100' and 'mitdb/101'"));
    /* an old spelling works and says so */
    CHECK_EQ_INT(run_in_tmp("detect rec/s1 --signal 0 -o sig.qrs"), 0);
    CHECK(has("err", "--signal is deprecated, use --lead"));
}

int main(void)
{
    BIN = getenv("ECGOPT_BIN");
    if (!BIN || !*BIN) {
        fprintf(stderr, "ECGOPT_BIN not set (run through ctest)\n");
        return 1;
    }
    snprintf(TMP, sizeof TMP, "/tmp/eo_cli_safety_XXXXXX");
    if (!mkdtemp(TMP))
        return 1;
    RUN(output_onto_device_link_pipe_stdout);
    RUN(refuse_to_destroy_records_and_reference_annotations);
    RUN(numeric_options_strict_with_range);
    RUN(failed_command_leaves_nothing_new);
    RUN(output_directory_created_and_data_dir_checked);
    RUN(one_exit_code_for_usage_errors);
    RUN(header_comments_kept_through_compress_and_denoise);
    RUN(evaluate_learning_period_counts_and_says_it);
    RUN(bench_few_runs_warn_instead_of_counting);
    RUN(option_tables_parse_and_help);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", TMP);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", TMP);
    TEST_END();
}
