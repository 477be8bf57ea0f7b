/* ecgopt bench — benchmark protocols.  `bench cec2017` runs the CEC 2017
 * protocol (eo_cec_bench_run) or reloads one (--summarize), and prints its
 * tables (eo_cec_bench_table); --csv and --report write files. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/cec2017.h"
#include "ecgopt/cec2017_report.h"
#include "ecgopt/opt.h"

typedef struct bench_args {
    const char *algs, *against, *csv, *html, *funcs, *maxe, *summ;
    int first_run, workers;
    eo_cec_bench_options o;
} bench_args;

static const eo_cli_spec SPEC = {
    "bench cec2017 [--algorithms LIST] [--dim D] [--runs R]\n"
    "           [--max-evals N|K*D] [--functions LIST] [--against ALG]\n"
    "           [--threads N] [--seed S] [--csv DIR] [--report FILE.html]",
    "Runs the CEC 2017 protocol: every algorithm on every function, R runs each,\n"
    "N evaluations per run on [-100,100]^D (default 10000*D), errors f - f* below\n"
    "1e-8 counted as 0.  Run r of function F gets the same seed for every\n"
    "algorithm (from --seed, r and F), so results do not depend on --threads.\n"
    "Prints per function the mean and std of the error, the Friedman mean rank\n"
    "of each algorithm over the functions, and Wilcoxon signed-rank p-values of\n"
    "each algorithm against --against (per function over the runs: +/=/- counts\n"
    "at 0.05, '+' = the reference is better; overall over the function means).\n",
    NULL,
    "ecgopt bench cec2017 --algorithms gwo,pso,cpa,olcpa --dim 10 --runs 51 \\\n"
    "    --functions 1,3-30 --against olcpa --threads 2 --csv out/\n",
    NULL};

/* The tables of r against algorithm ref, on stdout; the files of --csv and --report. */
static int report(const eo_cli *c, const eo_cec_bench_result *r, size_t ref, const bench_args *a)
{
    eo_error err;
    eo_cec_bench_table *t = NULL;
    eo_status st = eo_cec_bench_table_create(r, ref, &t, &err);
    if (!st && a->csv)
        st = eo_cec_bench_write_csv(r, t->mean, t->std, t->pvalue, a->csv, &err);
    if (!st && a->html)
        st = eo_cec_bench_report_write(t, a->html, &err);
    if (!st && !t->tests_ok)
        eo_cli_info(c, "ecgopt bench: warning: with %d runs the Wilcoxon signed-rank test over runs "
                       "cannot reach p < 0.05 (smallest p %.4g); +/=/- not reported, use --runs 6 or "
                       "more (51 in the CEC protocol)\n", r->runs, t->min_p);
    eo_json j;
    eo_strbuf b;
    eo_json_init(&j, stdout);
    eo_strbuf_init(&b);
    if (!st && c->json)
        eo_cec_bench_table_json(&j, t, c->seed);
    else if (!st)
        eo_cec_bench_table_markdown(t, c->seed, &b);
    fputs(st ? "" : c->json ? "\n" : eo_strbuf_str(&b), stdout);
    eo_strbuf_destroy(&b);
    eo_cec_bench_table_destroy(t);
    return st ? eo_cli_fail(c, &err) : 0;
}

/* The index of --against among names (the last one without it); -1 after the usage error. */
static long reference(const eo_cli *c, const char *const *names, size_t n, const char *against, const char *where)
{
    for (size_t k = 0; against && k < n; k++)
        if (strcmp(names[k], against) == 0)
            return (long)k;
    return against ? -eo_cli_usage(c, "--against %s is not %s", against, where) : (long)n - 1;
}

/* --max-evals N or K*D: returns 0, or 1 after the usage error. */
static int parse_max_evals(const eo_cli *c, const char *s, long dim, long long *max_evals)
{
    char buf[64];
    const char *star = strchr(s, '*');
    int kd = star && (strcmp(star, "*D") == 0 || strcmp(star, "*d") == 0);
    long k;
    if (kd && (star == s || star - s >= (long)sizeof buf))
        return eo_cli_usage(c, "--max-evals: cannot parse '%s'", s);
    snprintf(buf, sizeof buf, "%.*s", kd ? (int)(star - s) : 0, s);
    if (eo_cli_parse_long(c, "--max-evals", kd ? buf : s, 1, 1000000000L, &k))
        return 1;
    *max_evals = kd ? (long long)k * dim : k;
    return 0;
}

/* --functions and --algorithms (split in place in abuf) into a->o; 0 or 1 after the usage error. */
static int protocol_lists(const eo_cli *c, bench_args *a, int *fl, const char **an, char *abuf)
{
    eo_error e;
    if (eo_cec2017_parse_functions(a->funcs, fl, &a->o.n_functions, &e))
        return eo_cli_usage(c, "--functions: %s", e.msg);
    size_t na = 0;
    for (char *save = NULL, *t = strtok_r(abuf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (na == 32)
            return eo_cli_usage(c, "--algorithms: at most 32");
        an[na++] = t;
    }
    if (na == 0)
        return eo_cli_usage(c, "--algorithms: empty list");
    a->o.functions = fl;
    a->o.algorithms = an;
    a->o.n_algorithms = na;
    return reference(c, an, na, a->against, "in --algorithms") < 0; /* before the runs */
}

/* Run the protocol, or reload one with --summarize, and report it. */
static int bench_cec(eo_cli *c, bench_args *a, char *abuf)
{
    eo_error e;
    int fl[EO_CEC2017_N_FUNCTIONS];
    const char *an[32];
    eo_cec_bench_result *r = NULL;
    if (!a->summ && protocol_lists(c, a, fl, an, abuf))
        return 1;
    a->o.data_dir = c->data_dir;
    a->o.first_run = a->first_run - 1;
    a->o.seed = c->seed;
    a->o.workers = a->workers >= 0 ? a->workers : c->threads;
    a->o.progress = c->progress ? eo_cli_progress : NULL;
    a->o.progress_user = c;
    eo_status st = a->summ ? eo_cec_bench_load_path(a->summ, &r, &e) : eo_cec_bench_run(&a->o, &r, &e);
    eo_cli_progress_end(c);
    if (st)
        return eo_cli_fail(c, &e);
    long ref = reference(c, (const char *const *)r->algorithms, r->n_alg, a->against, "among the results");
    int rc = ref < 0 ? 1 : report(c, r, (size_t)ref, a);
    eo_cec_bench_result_destroy(r);
    return rc;
}

int eo_cmd_bench(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "bench", &argc, argv))
        return c.rc;
    bench_args a = {.algs = "ga,pso,gwo,cpa,olcpa,aoa,iaoa", .funcs = "1,3-30", .first_run = 1, .workers = -1};
    eo_cec_bench_options_defaults(&a.o);
    const eo_cli_opt opts[] = {
        {"--algorithms", EO_OPT_STR, &a.algs, 0, 0, "LIST",
         "comma-separated registry names (default ga,pso,gwo,cpa,olcpa,aoa,iaoa)", NULL},
        {"--dim", EO_OPT_INT, &a.o.dim, 2, 100, "D", "dimension (10, 30, 50, 100; default 10)", NULL},
        {"--runs", EO_OPT_INT, &a.o.runs, 1, 10000, "R", "runs of each algorithm on each function (default 51)", NULL},
        {"--max-evals", EO_OPT_STR, &a.maxe, 0, 0, "N|K*D", "evaluations per run (default 10000*D)", NULL},
        {"--functions", EO_OPT_STR, &a.funcs, 0, 0, "LIST", "e.g. 1,3-30 (default: all 29)", NULL},
        {"--against", EO_OPT_STR, &a.against, 0, 0, "ALG", "reference algorithm (default: the last of LIST)", NULL},
        {"--csv", EO_OPT_STR, &a.csv, 0, 0, "DIR", "write DIR/errors.csv, DIR/summary.csv, DIR/curves.csv", NULL},
        {"--report", EO_OPT_STR, &a.html, 0, 0, "FILE.html",
         "write an HTML report: error/rank table, mean-rank bars and the mean\n"
         "convergence curves of the first 8 functions", NULL},
        {"--summarize", EO_OPT_STR, &a.summ, 0, 0, "PATH",
         "no runs: tables from PATH/F*/errors.csv (as written by\n"
         "scripts/cec2017-protocol.sh), one errors.csv, or a quoted glob of errors.csv files", NULL},
        {"--first-run", EO_OPT_INT, &a.first_run, 1, 1000000, "K",
         "number the runs K, K+1, ... (seeds follow the number), to run the protocol in batches", NULL},
        /* --workers means processes elsewhere (tune); here it was threads */
        {"--workers", EO_OPT_INT, &a.workers, 0, 1024, "N",
         "old, deprecated spelling of --threads (threads in this process)", NULL},
        EO_OPT_TABLE_END};
    c.help |= argc >= 2 && strcmp(argv[1], "help") == 0;
    const char *pos[1] = {NULL};
    int n_pos = 0, rc = eo_cli_help_or_parse(&c, &SPEC, opts, argc, argv, pos, 1, &n_pos, "protocol");
    if (rc >= 0)
        return rc;
    if (n_pos < 1 || strcmp(pos[0], "cec2017") != 0)
        return n_pos < 1 ? eo_cli_usage(&c, "missing protocol (cec2017)")
                         : eo_cli_usage(&c, "unknown protocol '%s' (cec2017)", pos[0]);
    if (a.workers >= 0)
        eo_cli_info(&c, "ecgopt bench: warning: --workers is deprecated here, use --threads %d "
                        "(threads in this process; --workers counts processes in tune)\n", a.workers);
    eo_error e;
    if ((a.maxe && parse_max_evals(&c, a.maxe, a.o.dim, &a.o.max_evals)) ||
        eo_cli_check_names(&c, "--algorithms", a.algs, eo_optimizer_names(), NULL) ||
        (a.against && eo_cli_check_names(&c, "--against", a.against, eo_optimizer_names(), NULL)))
        return 1;
    /* outputs checked before the runs; a failure removes what was made */
    if ((a.html && eo_cli_output(&c, a.html, &e)) || (a.csv && eo_cli_output_dir(&c, a.csv, &e)))
        return eo_cli_fail(&c, &e);
    char *abuf = strdup(a.algs);
    if (!abuf) {
        eo_error_set(&e, EO_STATUS_NO_MEMORY, "bench: out of memory");
        return eo_cli_fail(&c, &e);
    }
    rc = bench_cec(&c, &a, abuf);
    free(abuf);
    return rc;
}
