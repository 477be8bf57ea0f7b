/* ecgopt bench — benchmark protocols.  `bench cec2017` runs the CEC 2017
 * protocol (algorithms x functions x runs) through the library
 * (eo_cec_bench_run) and prints mean/std errors, Friedman ranks and Wilcoxon
 * p-values against a chosen algorithm; --csv writes the raw errors, the
 * summary and the convergence curves. */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ecgopt/cec2017.h"
#include "ecgopt/json.h"
#include "ecgopt/opt.h"
#include "ecgopt/report.h"
#include "ecgopt/util.h"

static int parse_functions(const eo_cli *c, const char *s, int *f, size_t *n)
{
    *n = 0;
    const char *p = s;
    while (*p) {
        char *end;
        long a = strtol(p, &end, 10), b;
        if (end == p)
            return eo_cli_usage(c, "--functions: cannot parse '%s'", s);
        b = a;
        p = end;
        if (*p == '-') {
            p++;
            b = strtol(p, &end, 10);
            if (end == p)
                return eo_cli_usage(c, "--functions: cannot parse '%s'", s);
            p = end;
        }
        if (a < 1 || b > 30 || a > b)
            return eo_cli_usage(c, "--functions: range %ld-%ld outside 1..30", a, b);
        for (long k = a; k <= b; k++) {
            if (k == 2)
                continue; /* excluded from the suite */
            if (*n >= 29)
                return eo_cli_usage(c, "--functions: too many functions");
            f[(*n)++] = (int)k;
        }
        if (*p == ',')
            p++;
        else if (*p)
            return eo_cli_usage(c, "--functions: cannot parse '%s'", s);
    }
    if (*n == 0)
        return eo_cli_usage(c, "--functions: empty list");
    return 0;
}

/* --report: ranks (report.h eo_report_add_cec_ranks) and mean curves. */
static eo_status write_html(const char *path, const eo_cec_bench_result *r, const double *mean, eo_error *err)
{
    size_t A = r->n_alg, F = r->n_fun, C = r->curve_points, R = (size_t)r->runs;
    char title[160];
    snprintf(title, sizeof title, "ecgopt bench cec2017: D = %d, %d runs", r->dim, r->runs);
    eo_report *rep = eo_report_create(title);
    char(*fn)[16] = calloc(F, sizeof *fn);
    const char **fp = calloc(F, sizeof *fp);
    double *x = calloc(C ? C : 1, sizeof *x), *y = calloc((C ? C : 1) * A, sizeof *y);
    eo_status st = EO_STATUS_OK;
    if (!rep || !fn || !fp || !x || !y || A > 32)
        st = eo_error_set(err, A > 32 ? EO_STATUS_USAGE : EO_STATUS_NO_MEMORY,
                          "%s: %s", path, A > 32 ? "at most 32 algorithms in a report" : "out of memory");
    for (size_t f = 0; !st && f < F; f++) {
        snprintf(fn[f], sizeof fn[f], "F%d", r->functions[f]);
        fp[f] = fn[f];
    }
    if (!st)
        st = eo_report_add_cec_ranks(rep, (const char *const *)r->algorithms, (int)A, fp, (int)F, mean, err);
    for (size_t c = 0; c < C; c++)
        x[c] = (double)r->curve_evals[c];
    for (size_t f = 0; !st && C > 0 && f < F && f < 8; f++) {
        eo_report_curve cv[32];
        for (size_t a = 0; a < A; a++) {
            for (size_t c = 0; c < C; c++) {
                double s = 0;
                for (size_t k = 0; k < R; k++)
                    s += r->curve[((f * A + a) * R + k) * C + c];
                y[a * C + c] = s / (double)R;
            }
            cv[a] = (eo_report_curve){r->algorithms[a], x, y + a * C, C};
        }
        char h[64];
        snprintf(h, sizeof h, "F%d: mean best error over %d runs", r->functions[f], r->runs);
        st = eo_report_add_convergence(rep, h, "mean best error (log)", cv, (int)A, 1, err);
    }
    if (!st)
        st = eo_report_write(rep, path, err);
    eo_report_destroy(rep);
    free(fn);
    free(fp);
    free(x);
    free(y);
    return st;
}

/* The summary of a protocol (eo_cec_bench_summary) and what it shows. */
typedef struct bench_table {
    const eo_cec_bench_result *r;
    size_t ref;
    const double *mean, *sd, *pv, *fr, *op;
    const int *sg;
    int tests_ok; /* the Wilcoxon test over the runs can reject (runs >= 6) */
} bench_table;

static void count_signs(const bench_table *t, size_t a, int *plus, int *eq, int *minus)
{
    *plus = *eq = *minus = 0;
    for (size_t f = 0; f < t->r->n_fun; f++) {
        int s = t->sg[f * t->r->n_alg + a];
        *plus += s > 0;
        *minus += s < 0;
        *eq += s == 0;
    }
}

static void print_json(const eo_cli *c, const bench_table *t)
{
    const eo_cec_bench_result *r = t->r;
    size_t A = r->n_alg, F = r->n_fun, ref = t->ref;
    const double *mean = t->mean, *sd = t->sd, *pv = t->pv, *fr = t->fr, *op = t->op;
    int tests_ok = t->tests_ok;
    eo_json j;
    eo_json_init(&j, stdout);
    eo_json_obj_begin(&j);
    eo_json_kv_str(&j, "protocol", "cec2017");
    eo_json_kv_int(&j, "dim", r->dim);
    eo_json_kv_int(&j, "runs", r->runs);
    eo_json_kv_bool(&j, "wilcoxon_over_runs_can_reject", tests_ok);
    eo_json_kv_int(&j, "max_evals", r->max_evals);
    eo_json_kv_int(&j, "seed", (long long)c->seed);
    eo_json_kv_str(&j, "against", r->algorithms[ref]);
    eo_json_kv_num(&j, "seconds", r->seconds);
    eo_json_kv_int(&j, "total_evals", r->total_evals);
    eo_json_key(&j, "algorithms");
    eo_json_arr_begin(&j);
    for (size_t a = 0; a < A; a++) {
        int plus, eq, minus;
        count_signs(t, a, &plus, &eq, &minus);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "name", r->algorithms[a]);
        eo_json_kv_num(&j, "friedman_rank", fr[a]);
        eo_json_kv_num(&j, "wilcoxon_p_over_functions", op[a]);
        if (tests_ok) {
            eo_json_kv_int(&j, "ref_better", plus);
            eo_json_kv_int(&j, "no_difference", eq);
            eo_json_kv_int(&j, "ref_worse", minus);
        } else {
            eo_json_key(&j, "ref_better");
            eo_json_null(&j);
            eo_json_key(&j, "no_difference");
            eo_json_null(&j);
            eo_json_key(&j, "ref_worse");
            eo_json_null(&j);
        }
        eo_json_obj_end(&j);
    }
    eo_json_arr_end(&j);
    eo_json_key(&j, "functions");
    eo_json_arr_begin(&j);
    for (size_t f = 0; f < F; f++) {
        eo_json_obj_begin(&j);
        eo_json_kv_int(&j, "function", r->functions[f]);
        eo_json_key(&j, "results");
        eo_json_arr_begin(&j);
        for (size_t a = 0; a < A; a++) {
            eo_json_obj_begin(&j);
            eo_json_kv_str(&j, "algorithm", r->algorithms[a]);
            eo_json_kv_num(&j, "mean_error", mean[f * A + a]);
            eo_json_kv_num(&j, "std_error", sd[f * A + a]);
            eo_json_kv_num(&j, "wilcoxon_p", pv[f * A + a]);
            eo_json_key(&j, "curve_evals");
            eo_json_arr_begin(&j);
            for (size_t k = 0; k < r->curve_points; k++)
                eo_json_int(&j, r->curve_evals[k]);
            eo_json_arr_end(&j);
            eo_json_key(&j, "curve_mean_best_error");
            eo_json_arr_begin(&j);
            for (size_t k = 0; k < r->curve_points; k++) {
                double s = 0;
                for (int q = 0; q < r->runs; q++)
                    s += r->curve[((f * A + a) * (size_t)r->runs + (size_t)q) *
                                      r->curve_points + k];
                eo_json_num(&j, s / r->runs);
            }
            eo_json_arr_end(&j);
            eo_json_obj_end(&j);
        }
        eo_json_arr_end(&j);
        eo_json_obj_end(&j);
    }
    eo_json_arr_end(&j);
    eo_json_obj_end(&j);
    fputc('\n', stdout);
}

static void print_markdown(const eo_cli *c, const bench_table *t)
{
    const eo_cec_bench_result *r = t->r;
    size_t A = r->n_alg, F = r->n_fun, ref = t->ref;
    const double *mean = t->mean, *sd = t->sd, *fr = t->fr, *op = t->op;
    const int *sg = t->sg;
    int tests_ok = t->tests_ok;
    /* a Markdown table: mean (std) error per function */
    if (r->max_evals > 0)
        printf("CEC 2017, D=%d, %d runs, %lld evaluations per run, seed %llu, %.0f s\n\n",
               r->dim, r->runs, r->max_evals, (unsigned long long)c->seed, r->seconds);
    else
        printf("CEC 2017, D=%d, %d runs (reloaded from errors.csv)\n\n", r->dim, r->runs);
    printf("| F |");
    for (size_t a = 0; a < A; a++)
        printf(" %s |", r->algorithms[a]);
    printf("\n|---|");
    for (size_t a = 0; a < A; a++)
        printf("---|");
    printf("\n");
    for (size_t f = 0; f < F; f++) {
        printf("| F%d |", r->functions[f]);
        for (size_t a = 0; a < A; a++) {
            const char *mark = !tests_ok ? "" : sg[f * A + a] > 0 ? " +" : (sg[f * A + a] < 0 ? " -" : "");
            printf(" %.3e (%.2e)%s |", mean[f * A + a], sd[f * A + a],
                   a == ref ? "" : mark);
        }
        printf("\n");
    }
    printf("| Friedman rank |");
    for (size_t a = 0; a < A; a++)
        printf(" %.2f |", fr[a]);
    printf("\n| +/=/- vs %s |", r->algorithms[ref]);
    for (size_t a = 0; a < A; a++) {
        int plus, eq, minus;
        count_signs(t, a, &plus, &eq, &minus);
        if (a == ref)
            printf(" - |");
        else if (!tests_ok)
            printf(" n/a (runs < 6) |");
        else
            printf(" %d/%d/%d |", plus, eq, minus);
    }
    printf("\n| Wilcoxon p vs %s (over functions) |", r->algorithms[ref]);
    for (size_t a = 0; a < A; a++)
        if (a == ref)
            printf(" - |");
        else
            printf(" %.3g |", op[a]);
    if (tests_ok)
        printf("\n\n'+': %s significantly better (Wilcoxon p < 0.05 over the runs, lower "
               "mean), '-': significantly worse.\n",
               r->algorithms[ref]);
    else
        printf("\n\nno +/- marks: with %d runs the Wilcoxon signed-rank test over runs cannot "
               "reach p < 0.05 (use --runs 6 or more).\n",
               r->runs);
}

static int report(eo_cli *c, const eo_cec_bench_result *r, size_t ref, const char *csv, const char *html)
{
    eo_error err;
    eo_status st;
    size_t A = r->n_alg, F = r->n_fun;
    double *mean = malloc(sizeof(double) * A * F), *sd = malloc(sizeof(double) * A * F);
    double *pv = malloc(sizeof(double) * A * F), *fr = malloc(sizeof(double) * A);
    double *op = malloc(sizeof(double) * A);
    int *sg = malloc(sizeof(int) * A * F);
    int rc = 0;
    if (!mean || !sd || !pv || !fr || !op || !sg) {
        eo_error_set(&err, EO_STATUS_NO_MEMORY, "bench: out of memory");
        rc = eo_cli_fail(c, &err);
        goto out;
    }
    if ((st = eo_cec_bench_summary(r, ref, mean, sd, fr, pv, sg, op, &err))) {
        rc = eo_cli_fail(c, &err);
        goto out;
    }
    if (csv && (st = eo_cec_bench_write_csv(r, mean, sd, pv, csv, &err))) {
        rc = eo_cli_fail(c, &err);
        goto out;
    }
    if (html && (st = write_html(html, r, mean, &err))) {
        rc = eo_cli_fail(c, &err);
        goto out;
    }
    /* the signed-rank test over R runs cannot reach p < 0.05 below 6 runs
     * (smallest two-sided p = 2 / 2^R: 0.0625 for 5): say so instead of a
     * +/=/- count that can only read 0/F/0 */
    int tests_ok = r->runs >= 6;
    if (!tests_ok)
        eo_cli_info(c, "ecgopt bench: warning: with %d runs the Wilcoxon signed-rank test over runs "
                       "cannot reach p < 0.05 (smallest p %.4g); +/=/- not reported, use --runs 6 or "
                       "more (51 in the CEC protocol)\n",
                    r->runs, 2.0 / (double)(1L << (r->runs < 30 ? r->runs : 30)));
    bench_table t = {r, ref, mean, sd, pv, fr, op, sg, tests_ok};
    if (c->json)
        print_json(c, &t);
    else
        print_markdown(c, &t);
out:
    free(mean);
    free(sd);
    free(pv);
    free(fr);
    free(op);
    free(sg);
    return rc;
}

static int summarize(eo_cli *c, const char *dir, const char *against, const char *csv, const char *html)
{
    char pat[4200];
    glob_t g;
    memset(&g, 0, sizeof g);
    struct stat sb;
    int isfile = stat(dir, &sb) == 0 && S_ISREG(sb.st_mode);
    if (strchr(dir, '*'))
        snprintf(pat, sizeof pat, "%s", dir);
    else
        snprintf(pat, sizeof pat, "%s/F*/errors.csv", dir);
    eo_error err;
    if (!isfile && glob(pat, 0, NULL, &g) != 0) {
        snprintf(pat, sizeof pat, "%s/errors.csv", dir);
        if (glob(pat, 0, NULL, &g) != 0) {
            eo_error_set(&err, EO_STATUS_NOT_FOUND, "%s: no F*/errors.csv or errors.csv", dir);
            return eo_cli_fail(c, &err);
        }
    }
    const char *one[1] = {dir};
    eo_cec_bench_result *r = NULL;
    eo_status st = isfile ? eo_cec_bench_load_errors(one, 1, &r, &err)
                          : eo_cec_bench_load_errors((const char *const *)g.gl_pathv,
                                                     g.gl_pathc, &r, &err);
    if (!isfile)
        globfree(&g);
    if (st)
        return eo_cli_fail(c, &err);
    size_t ref = r->n_alg - 1;
    if (against) {
        size_t k;
        for (k = 0; k < r->n_alg && strcmp(r->algorithms[k], against) != 0; k++)
            ;
        if (k == r->n_alg) {
            eo_cec_bench_result_destroy(r);
            return eo_cli_usage(c, "--against %s is not among the results", against);
        }
        ref = k;
    }
    int rc = report(c, r, ref, csv, html);
    eo_cec_bench_result_destroy(r);
    return rc;
}

/* --max-evals N or K*D: returns 0, or 1 after the usage error. */
static int parse_max_evals(const eo_cli *c, const char *maxe, long dim, long long *max_evals)
{
    long k;
    const char *star = strchr(maxe, '*');
    if (star && (strcmp(star, "*D") == 0 || strcmp(star, "*d") == 0)) {
        char buf[64];
        size_t l = (size_t)(star - maxe);
        if (l == 0 || l >= sizeof buf)
            return eo_cli_usage(c, "--max-evals: cannot parse '%s'", maxe);
        memcpy(buf, maxe, l);
        buf[l] = 0;
        if (eo_cli_parse_long(c, "--max-evals", buf, 1, 1000000000L, &k))
            return 1;
        *max_evals = (long long)k * dim;
    } else {
        if (eo_cli_parse_long(c, "--max-evals", maxe, 1, 1000000000L, &k))
            return 1;
        *max_evals = k;
    }
    return 0;
}

typedef struct bench_args {
    const char *algs, *against, *csv, *html, *funcs, *maxe, *summ;
    long dim, runs, workers, first_run;
} bench_args;

static int bench_cec(eo_cli *c, const bench_args *a);

int eo_cmd_bench(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "bench", &argc, argv))
        return c.rc;
    bench_args a = {.algs = "ga,pso,gwo,cpa,olcpa,aoa,iaoa", .funcs = "1,3-30", .dim = 10,
                    .runs = 51, .workers = -1, .first_run = 1};
    const eo_cli_opt opts[] = {
        {"--algorithms", EO_OPT_STR, &a.algs, 0, 0, "LIST",
         "comma-separated registry names (default ga,pso,gwo,cpa,olcpa,aoa,iaoa)", NULL},
        {"--dim", EO_OPT_LONG, &a.dim, 2, 100, "D", "dimension (10, 30, 50, 100; default 10)", NULL},
        {"--runs", EO_OPT_LONG, &a.runs, 1, 10000, "R", "runs of each algorithm on each function (default 51)", NULL},
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
        {"--first-run", EO_OPT_LONG, &a.first_run, 1, 1000000, "K",
         "number the runs K, K+1, ... (seeds follow the number), to run the protocol in batches", NULL},
        /* --workers means processes elsewhere (tune); here it was threads */
        {"--workers", EO_OPT_LONG, &a.workers, 0, 1024, "N",
         "old, deprecated spelling of --threads (threads in this process)", NULL},
        EO_OPT_TABLE_END};
    if (c.help || (argc >= 2 && strcmp(argv[1], "help") == 0)) {
        eo_cli_spec spec = {
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
            opts,
            "ecgopt bench cec2017 --algorithms gwo,pso,cpa,olcpa --dim 10 --runs 51 \\\n"
            "    --functions 1,3-30 --against olcpa --threads 2 --csv out/\n",
            NULL};
        eo_cli_help(&c, &spec);
        return 0;
    }
    const char *pos[1] = {NULL};
    int n_pos = 0;
    if (eo_cli_parse(&c, opts, argc, argv, pos, 1, &n_pos, "protocol"))
        return 1;
    if (n_pos < 1)
        return eo_cli_usage(&c, "missing protocol (cec2017)");
    if (strcmp(pos[0], "cec2017") != 0)
        return eo_cli_usage(&c, "unknown protocol '%s' (cec2017)", pos[0]);
    if (a.workers >= 0)
        eo_cli_info(&c, "ecgopt bench: warning: --workers is deprecated here, use --threads %ld "
                        "(threads in this process; --workers counts processes in tune)\n", a.workers);
    return bench_cec(&c, &a);
}

/* The algorithm list of --algorithms into an[] (pointers into buf);
 * returns 0 or 1 after the usage error. */
static int split_algorithms(const eo_cli *c, char *buf, const char **an, size_t *na)
{
    *na = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (*na == 32)
            return eo_cli_usage(c, "--algorithms: at most 32");
        an[(*na)++] = t;
    }
    if (*na == 0)
        return eo_cli_usage(c, "--algorithms: empty list");
    return 0;
}

static int bench_cec(eo_cli *c, const bench_args *a)
{
    const char *algs = a->algs, *against = a->against, *csv = a->csv, *html = a->html;
    long long max_evals = 10000LL * a->dim;
    if (a->maxe && parse_max_evals(c, a->maxe, a->dim, &max_evals))
        return 1;
    if (eo_cli_check_names(c, "--algorithms", algs, eo_optimizer_names(), NULL) ||
        (against && eo_cli_check_names(c, "--against", against, eo_optimizer_names(), NULL)))
        return 1;
    {
        /* outputs checked before the runs; a failure removes what was made */
        eo_error e;
        if ((html && eo_cli_output(c, html, &e)) || (csv && eo_cli_output_dir(c, csv, &e)))
            return eo_cli_fail(c, &e);
    }
    if (a->summ)
        return summarize(c, a->summ, against, csv, html);
    int fl[29];
    size_t nf;
    if (parse_functions(c, a->funcs, fl, &nf))
        return 1;
    /* algorithm list */
    char *abuf = strdup(algs);
    const char *an[32];
    size_t na = 0;
    if (!abuf) {
        eo_error e;
        eo_error_set(&e, EO_STATUS_NO_MEMORY, "bench: out of memory");
        return eo_cli_fail(c, &e);
    }
    if (split_algorithms(c, abuf, an, &na)) {
        free(abuf);
        return 1;
    }
    size_t ref = na - 1;
    if (against) {
        size_t k;
        for (k = 0; k < na && strcmp(an[k], against) != 0; k++)
            ;
        if (k == na) {
            free(abuf);
            return eo_cli_usage(c, "--against %s is not in --algorithms", against);
        }
        ref = k;
    }
    eo_cec_bench_options o;
    eo_cec_bench_options_defaults(&o);
    o.data_dir = c->data_dir;
    o.dim = (int)a->dim;
    o.runs = (int)a->runs;
    o.first_run = (int)a->first_run - 1;
    o.max_evals = max_evals;
    o.functions = fl;
    o.n_functions = nf;
    o.algorithms = an;
    o.n_algorithms = na;
    o.seed = c->seed;
    o.workers = a->workers >= 0 ? (int)a->workers : c->threads;
    o.progress = c->progress ? eo_cli_progress : NULL;
    o.progress_user = c;
    eo_error err;
    eo_cec_bench_result *r = NULL;
    int rc;
    eo_status st = eo_cec_bench_run(&o, &r, &err);
    eo_cli_progress_end(c);
    if (st) {
        free(abuf);
        return eo_cli_fail(c, &err);
    }
    rc = report(c, r, ref, csv, html);
    free(abuf);
    eo_cec_bench_result_destroy(r);
    return rc;
}
