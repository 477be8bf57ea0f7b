/* The summary tables of a CEC 2017 protocol (eo_cec_bench_summary) against
 * a reference algorithm, as Markdown and as JSON, and the parsing of a
 * function list ("1,3-30"). */
#include <stdlib.h>
#include <string.h>

#include "ecgopt/cec2017.h"

eo_status eo_cec2017_parse_functions(const char *s, int *f, size_t *n, eo_error *err)
{
    *n = 0;
    for (const char *p = s; *p;) {
        char *end;
        long a = strtol(p, &end, 10), b;
        if (end == p)
            return eo_error_set(err, EO_STATUS_USAGE, "cannot parse '%s'", s);
        b = a;
        p = end;
        if (*p == '-') {
            b = strtol(++p, &end, 10);
            if (end == p)
                return eo_error_set(err, EO_STATUS_USAGE, "cannot parse '%s'", s);
            p = end;
        }
        if (a < 1 || b > 30 || a > b)
            return eo_error_set(err, EO_STATUS_USAGE, "range %ld-%ld outside 1..30", a, b);
        for (long k = a; k <= b; k++) {
            if (k == 2)
                continue; /* excluded from the suite */
            if (*n >= EO_CEC2017_N_FUNCTIONS)
                return eo_error_set(err, EO_STATUS_USAGE, "too many functions");
            f[(*n)++] = (int)k;
        }
        if (*p == ',')
            p++;
        else if (*p)
            return eo_error_set(err, EO_STATUS_USAGE, "cannot parse '%s'", s);
    }
    if (*n == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "empty list");
    return EO_STATUS_OK;
}

eo_status eo_cec_bench_table_create(const eo_cec_bench_result *r, size_t ref, eo_cec_bench_table **out,
                                    eo_error *err)
{
    *out = NULL;
    size_t A = r->n_alg, F = r->n_fun;
    eo_cec_bench_table *t = calloc(1, sizeof *t);
    if (t) {
        t->mean = malloc(sizeof(double) * A * F);
        t->std = malloc(sizeof(double) * A * F);
        t->pvalue = malloc(sizeof(double) * A * F);
        t->friedman = malloc(sizeof(double) * A);
        t->overall_p = malloc(sizeof(double) * A);
        t->sign = malloc(sizeof(int) * A * F);
    }
    if (!t || !t->mean || !t->std || !t->pvalue || !t->friedman || !t->overall_p || !t->sign) {
        eo_cec_bench_table_destroy(t);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "bench: out of memory");
    }
    t->r = r;
    t->ref = ref;
    /* the signed-rank test over R runs cannot reach p < 0.05 below 6 runs
     * (smallest two-sided p = 2 / 2^R: 0.0625 for 5) */
    t->tests_ok = r->runs >= 6;
    t->min_p = 2.0 / (double)(1L << (r->runs < 30 ? r->runs : 30));
    eo_status st = eo_cec_bench_summary(r, ref, t->mean, t->std, t->friedman, t->pvalue, t->sign, t->overall_p,
                                        err);
    if (st) {
        eo_cec_bench_table_destroy(t);
        return st;
    }
    *out = t;
    return EO_STATUS_OK;
}

void eo_cec_bench_table_destroy(eo_cec_bench_table *t)
{
    if (!t)
        return;
    free(t->mean);
    free(t->std);
    free(t->pvalue);
    free(t->friedman);
    free(t->overall_p);
    free(t->sign);
    free(t);
}

void eo_cec_bench_table_signs(const eo_cec_bench_table *t, size_t a, int *plus, int *eq, int *minus)
{
    *plus = *eq = *minus = 0;
    for (size_t f = 0; f < t->r->n_fun; f++) {
        int s = t->sign[f * t->r->n_alg + a];
        *plus += s > 0;
        *minus += s < 0;
        *eq += s == 0;
    }
}

void eo_cec_bench_mean_curve(const eo_cec_bench_result *r, size_t f, size_t a, double *out)
{
    size_t A = r->n_alg, R = (size_t)r->runs, C = r->curve_points;
    for (size_t c = 0; c < C; c++) {
        double s = 0;
        for (size_t k = 0; k < R; k++)
            s += r->curve[((f * A + a) * R + k) * C + c];
        out[c] = s / (double)R;
    }
}

/* The last three rows: Friedman rank, +/=/- counts, Wilcoxon p over functions. */
static void markdown_footer(const eo_cec_bench_table *t, eo_strbuf *b)
{
    const eo_cec_bench_result *r = t->r;
    size_t A = r->n_alg, ref = t->ref;
    eo_strbuf_append(b, "| Friedman rank |");
    for (size_t a = 0; a < A; a++)
        eo_strbuf_printf(b, " %.2f |", t->friedman[a]);
    eo_strbuf_printf(b, "\n| +/=/- vs %s |", r->algorithms[ref]);
    for (size_t a = 0; a < A; a++) {
        int plus, eq, minus;
        eo_cec_bench_table_signs(t, a, &plus, &eq, &minus);
        if (a == ref)
            eo_strbuf_append(b, " - |");
        else if (!t->tests_ok)
            eo_strbuf_append(b, " n/a (runs < 6) |");
        else
            eo_strbuf_printf(b, " %d/%d/%d |", plus, eq, minus);
    }
    eo_strbuf_printf(b, "\n| Wilcoxon p vs %s (over functions) |", r->algorithms[ref]);
    for (size_t a = 0; a < A; a++)
        if (a == ref)
            eo_strbuf_append(b, " - |");
        else
            eo_strbuf_printf(b, " %.3g |", t->overall_p[a]);
    if (t->tests_ok)
        eo_strbuf_printf(b, "\n\n'+': %s significantly better (Wilcoxon p < 0.05 over the runs, lower "
                            "mean), '-': significantly worse.\n",
                         r->algorithms[ref]);
    else
        eo_strbuf_printf(b, "\n\nno +/- marks: with %d runs the Wilcoxon signed-rank test over runs cannot "
                            "reach p < 0.05 (use --runs 6 or more).\n",
                         r->runs);
}

void eo_cec_bench_table_markdown(const eo_cec_bench_table *t, uint64_t seed, eo_strbuf *b)
{
    const eo_cec_bench_result *r = t->r;
    size_t A = r->n_alg, F = r->n_fun;
    if (r->max_evals > 0)
        eo_strbuf_printf(b, "CEC 2017, D=%d, %d runs, %lld evaluations per run, seed %llu, %.0f s\n\n", r->dim,
                         r->runs, r->max_evals, (unsigned long long)seed, r->seconds);
    else
        eo_strbuf_printf(b, "CEC 2017, D=%d, %d runs (reloaded from errors.csv)\n\n", r->dim, r->runs);
    eo_strbuf_append(b, "| F |");
    for (size_t a = 0; a < A; a++)
        eo_strbuf_printf(b, " %s |", r->algorithms[a]);
    eo_strbuf_append(b, "\n|---|");
    for (size_t a = 0; a < A; a++)
        eo_strbuf_append(b, "---|");
    eo_strbuf_append(b, "\n");
    for (size_t f = 0; f < F; f++) {
        eo_strbuf_printf(b, "| F%d |", r->functions[f]);
        for (size_t a = 0; a < A; a++) {
            int s = t->sign[f * A + a];
            const char *mark = !t->tests_ok || a == t->ref ? "" : s > 0 ? " +" : s < 0 ? " -" : "";
            eo_strbuf_printf(b, " %.3e (%.2e)%s |", t->mean[f * A + a], t->std[f * A + a], mark);
        }
        eo_strbuf_append(b, "\n");
    }
    markdown_footer(t, b);
}

static void json_null_or_int(eo_json *j, const char *key, int ok, int v)
{
    if (ok)
        eo_json_kv_int(j, key, v);
    else {
        eo_json_key(j, key);
        eo_json_null(j);
    }
}

static void json_algorithms(eo_json *j, const eo_cec_bench_table *t)
{
    const eo_cec_bench_result *r = t->r;
    eo_json_key(j, "algorithms");
    eo_json_arr_begin(j);
    for (size_t a = 0; a < r->n_alg; a++) {
        int plus, eq, minus;
        eo_cec_bench_table_signs(t, a, &plus, &eq, &minus);
        eo_json_obj_begin(j);
        eo_json_kv_str(j, "name", r->algorithms[a]);
        eo_json_kv_num(j, "friedman_rank", t->friedman[a]);
        eo_json_kv_num(j, "wilcoxon_p_over_functions", t->overall_p[a]);
        json_null_or_int(j, "ref_better", t->tests_ok, plus);
        json_null_or_int(j, "no_difference", t->tests_ok, eq);
        json_null_or_int(j, "ref_worse", t->tests_ok, minus);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
}

static void json_result(eo_json *j, const eo_cec_bench_table *t, size_t f, size_t a)
{
    const eo_cec_bench_result *r = t->r;
    size_t i = f * r->n_alg + a, R = (size_t)r->runs, C = r->curve_points;
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "algorithm", r->algorithms[a]);
    eo_json_kv_num(j, "mean_error", t->mean[i]);
    eo_json_kv_num(j, "std_error", t->std[i]);
    eo_json_kv_num(j, "wilcoxon_p", t->pvalue[i]);
    eo_json_key(j, "curve_evals");
    eo_json_arr_begin(j);
    for (size_t k = 0; k < C; k++)
        eo_json_int(j, r->curve_evals[k]);
    eo_json_arr_end(j);
    eo_json_key(j, "curve_mean_best_error");
    eo_json_arr_begin(j);
    for (size_t k = 0; k < C; k++) {
        double s = 0;
        for (size_t q = 0; q < R; q++)
            s += r->curve[(i * R + q) * C + k];
        eo_json_num(j, s / (double)R);
    }
    eo_json_arr_end(j);
    eo_json_obj_end(j);
}

void eo_cec_bench_table_json(eo_json *j, const eo_cec_bench_table *t, uint64_t seed)
{
    const eo_cec_bench_result *r = t->r;
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "protocol", "cec2017");
    eo_json_kv_int(j, "dim", r->dim);
    eo_json_kv_int(j, "runs", r->runs);
    eo_json_kv_bool(j, "wilcoxon_over_runs_can_reject", t->tests_ok);
    eo_json_kv_int(j, "max_evals", r->max_evals);
    eo_json_kv_int(j, "seed", (long long)seed);
    eo_json_kv_str(j, "against", r->algorithms[t->ref]);
    eo_json_kv_num(j, "seconds", r->seconds);
    eo_json_kv_int(j, "total_evals", r->total_evals);
    json_algorithms(j, t);
    eo_json_key(j, "functions");
    eo_json_arr_begin(j);
    for (size_t f = 0; f < r->n_fun; f++) {
        eo_json_obj_begin(j);
        eo_json_kv_int(j, "function", r->functions[f]);
        eo_json_key(j, "results");
        eo_json_arr_begin(j);
        for (size_t a = 0; a < r->n_alg; a++)
            json_result(j, t, f, a);
        eo_json_arr_end(j);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
    eo_json_obj_end(j);
}
