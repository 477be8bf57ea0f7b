/* Optimiser framework: search space coding, ask/tell contract, budgets,
 * failures, history, determinism, save/restore and bad input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/opt.h"
#include "ecgopt/util.h"
#include "eo_test.h"

static double sphere(void *user, const double *v, size_t d)
{
    (void)user;
    double s = 0;
    for (size_t i = 0; i < d; i++)
        s += v[i] * v[i];
    return s;
}

/* fails (NaN) when x0 > 0.5 in value */
static double sometimes_nan(void *user, const double *v, size_t d)
{
    (void)user;
    if (v[0] > 50)
        return NAN;
    return sphere(NULL, v, d);
}

static eo_space *box(size_t d, double lo, double hi)
{
    eo_space *s = NULL;
    eo_error err;
    if (eo_space_create(&s, &err) || eo_space_add_box(s, d, lo, hi, &err)) {
        eo_space_destroy(s);
        return NULL;
    }
    return s;
}

TEST(space_decode_encode)
{
    eo_error err;
    eo_space *s = NULL;
    CHECK_OK(eo_space_create(&s, &err), &err);
    CHECK_OK(eo_space_add_real(s, "alpha", 100, 10000, 1, &err), &err);
    CHECK_OK(eo_space_add_int(s, "K", 2, 12, 0, &err), &err);
    const char *ch[] = {"db4", "sym8", "coif3"};
    CHECK_OK(eo_space_add_categorical(s, "wavelet", ch, 3, &err), &err);
    CHECK_OK(eo_space_add_real(s, "thr", -1, 1, 0, &err), &err);
    CHECK_EQ_INT(eo_space_dim(s), 4);
    CHECK_EQ_INT(eo_space_levels(s, 1), 11);
    CHECK_EQ_INT(eo_space_find(s, "wavelet"), 2);
    CHECK_EQ_INT(eo_space_find(s, "nope"), -1);
    CHECK(strcmp(eo_space_choice(s, 2, 1), "sym8") == 0);
    double u[4] = {0.5, 0.0, 1.0, 0.25}, v[4];
    eo_space_decode(s, u, v);
    CHECK_CLOSE(v[0], 1000.0, 1e-12, 0);          /* log midpoint */
    CHECK_EQ_INT((long long)v[1], 2);
    CHECK_EQ_INT((long long)v[2], 2);            /* u = 1 -> last cell */
    CHECK_CLOSE(v[3], -0.5, 1e-15, 1e-15);
    /* each of the 11 integer cells has equal width */
    int counts[11] = {0};
    for (int k = 0; k < 1100; k++) {
        double uu[4] = {0, (k + 0.5) / 1100.0, 0, 0};
        eo_space_decode(s, uu, v);
        counts[(int)v[1] - 2]++;
    }
    for (int k = 0; k < 11; k++)
        CHECK_EQ_INT(counts[k], 100);
    /* encode/decode round trip */
    double val[4] = {316.2, 7, 1, 0.3}, uu[4], back[4];
    CHECK_OK(eo_space_encode(s, val, uu, &err), &err);
    eo_space_decode(s, uu, back);
    CHECK_CLOSE(back[0], 316.2, 1e-12, 0);
    CHECK_EQ_INT((long long)back[1], 7);
    CHECK_EQ_INT((long long)back[2], 1);
    CHECK_CLOSE(back[3], 0.3, 1e-14, 1e-15);
    /* snapping keeps the decoded value */
    double su[4] = {0.3, 0.61, 0.4, 0.2}, d0[4], d1[4];
    eo_space_decode(s, su, d0);
    eo_space_snap(s, su);
    eo_space_decode(s, su, d1);
    for (int i = 0; i < 4; i++)
        CHECK_CLOSE(d1[i], d0[i], 1e-15, 0);
    CHECK_CLOSE(su[1], (6 + 0.5) / 11.0, 1e-15, 0);
    /* out-of-range encode */
    double bad[4] = {50, 7, 1, 0};
    CHECK_EQ_INT(eo_space_encode(s, bad, uu, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "alpha") != NULL);
    /* log-scale integer: K in 1..1000, decode(encode(v)) == v */
    eo_space *s2 = NULL;
    CHECK_OK(eo_space_create(&s2, &err), &err);
    CHECK_OK(eo_space_add_int(s2, "n", 1, 1000, 1, &err), &err);
    for (int k = 1; k <= 1000; k += 37) {
        double vv = k, u1, b1;
        CHECK_OK(eo_space_encode(s2, &vv, &u1, &err), &err);
        eo_space_decode(s2, &u1, &b1);
        CHECK_EQ_INT((long long)b1, k);
    }
    eo_space_destroy(s2);
    eo_space_destroy(s);
    eo_space_destroy(NULL);
}

TEST(bad_input)
{
    eo_error err;
    eo_space *s = NULL;
    CHECK_OK(eo_space_create(&s, &err), &err);
    CHECK_EQ_INT(eo_space_add_real(s, "a", 1, 1, 0, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "'a'") != NULL);
    CHECK_EQ_INT(eo_space_add_real(s, "a", 2, 1, 0, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_space_add_real(s, "a", 0, NAN, 0, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_space_add_real(s, "a", 0, 1, 1, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_space_add_int(s, "k", 5, 4, 0, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_space_add_categorical(s, "c", NULL, 0, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "no values") != NULL);
    CHECK_EQ_INT(eo_space_add_real(s, "", 0, 1, 0, &err), EO_STATUS_USAGE);
    CHECK_OK(eo_space_add_real(s, "a", 0, 1, 0, &err), &err);
    CHECK_EQ_INT(eo_space_add_real(s, "a", 0, 1, 0, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "duplicate") != NULL);

    eo_optimizer *o = NULL;
    eo_space *empty = NULL;
    CHECK_OK(eo_space_create(&empty, &err), &err);
    CHECK_EQ_INT(eo_optimizer_create("gwo", empty, NULL, &o, &err), EO_STATUS_USAGE);
    CHECK(o == NULL);
    CHECK_EQ_INT(eo_optimizer_create("nelder-mead", s, NULL, &o, &err), EO_STATUS_NOT_FOUND);
    CHECK(strstr(err.msg, "gwo") != NULL);
    eo_opt_options opts;
    eo_opt_options_defaults(&opts);
    opts.params = "vmax=0.1,bogus=3";
    CHECK_EQ_INT(eo_optimizer_create("pso", s, &opts, &o, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "bogus") != NULL);
    opts.params = "vmax=abc";
    CHECK_EQ_INT(eo_optimizer_create("pso", s, &opts, &o, &err), EO_STATUS_USAGE);
    opts.params = NULL;
    opts.budget.max_evals = -5;
    CHECK_EQ_INT(eo_optimizer_create("pso", s, &opts, &o, &err), EO_STATUS_USAGE);
    opts.budget.max_evals = 0;
    CHECK_OK(eo_optimizer_create("pso", s, &opts, &o, &err), &err);
    /* zero budget: clear error, nothing evaluated */
    CHECK_EQ_INT(eo_optimizer_run(o, sphere, NULL, NULL, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "no limit") != NULL);
    CHECK_EQ_INT(eo_optimizer_evals(o), 0);
    /* tell before ask; wrong count; NaN told as OK */
    double f[64] = {0};
    CHECK_EQ_INT(eo_optimizer_tell(o, 40, f, NULL, &err), EO_STATUS_USAGE);
    size_t n;
    const double *x;
    CHECK_OK(eo_optimizer_ask(o, &n, &x, &err), &err);
    CHECK_EQ_INT(n, 40);
    CHECK_EQ_INT(eo_optimizer_tell(o, 39, f, NULL, &err), EO_STATUS_USAGE);
    f[3] = NAN;
    CHECK_EQ_INT(eo_optimizer_tell(o, 40, f, NULL, &err), EO_STATUS_NUMERIC);
    CHECK(strstr(err.msg, "EO_EVAL_FAILED") != NULL);
    CHECK_EQ_INT(eo_optimizer_evals(o), 0);
    eo_eval_status stv[64] = {0};
    stv[3] = EO_EVAL_FAILED;
    CHECK_OK(eo_optimizer_tell(o, 40, f, stv, &err), &err);
    CHECK_EQ_INT(eo_optimizer_evals(o), 40);
    CHECK_EQ_INT(eo_optimizer_failures(o), 1);
    /* restore garbage */
    unsigned char junk[64] = "EOOPTST";
    CHECK_EQ_INT(eo_optimizer_restore(o, junk, sizeof junk, &err), EO_STATUS_BAD_CHECKSUM);
    CHECK_EQ_INT(eo_optimizer_restore(o, junk, 5, &err), EO_STATUS_BAD_FORMAT);
    CHECK_EQ_INT(eo_optimizer_evals(o), 40);
    eo_optimizer_destroy(o);
    eo_optimizer_destroy(NULL);
    /* registry: every listed name resolves, with a summary and key list */
    size_t count = 0;
    for (const char *const *nm = eo_optimizer_names(); *nm; nm++, count++) {
        CHECK_MSG(eo_optimizer_summary(*nm) != NULL, "%s", *nm);
        CHECK_MSG(eo_optimizer_param_keys(*nm) != NULL, "%s", *nm);
    }
    CHECK_EQ_INT(count, 11);
    CHECK(eo_optimizer_summary("nope") == NULL);
    eo_space_destroy(empty);
    eo_space_destroy(s);
}

/* Run an optimiser on sphere D with its default settings; returns best. */
static double run_sphere(const char *name, size_t d, long long evals, uint64_t seed)
{
    eo_error err;
    eo_space *s = box(d, -100, 100);
    eo_opt_options o;
    eo_opt_options_defaults(&o);
    o.seed = seed;
    o.budget.max_evals = evals;
    o.history = EO_HISTORY_NONE;
    eo_optimizer *opt = NULL;
    double best = NAN;
    if (eo_optimizer_create(name, s, &o, &opt, &err) == EO_STATUS_OK &&
        eo_optimizer_run(opt, sphere, NULL, NULL, &err) == EO_STATUS_OK) {
        eo_optimizer_best(opt, &best, NULL, NULL, &err);
        if (eo_optimizer_evals(opt) != evals)
            best = NAN;
    } else {
        fprintf(stderr, "%s: %s\n", name, err.msg);
    }
    eo_optimizer_destroy(opt);
    eo_space_destroy(s);
    return best;
}

TEST(sphere_d30_reaches_1e8)
{
    /* the bar: PSO and GWO reach 1e-8 on sphere D=30 within 300,000 */
    const char *names[] = {"gwo", "pso", "pso-constriction"};
    for (int k = 0; k < 3; k++) {
        double b = run_sphere(names[k], 30, 300000, 7);
        printf("     %-17s sphere D=30, 300000 evals: best %.3g\n", names[k], b);
        CHECK_MSG(b < 1e-8, "%s best %g", names[k], b);
    }
}

TEST(budget_and_history)
{
    eo_error err;
    eo_space *s = box(3, -100, 100);
    eo_opt_options o;
    eo_opt_options_defaults(&o);
    o.budget.max_evals = 95; /* not a multiple of 30: last batch cut */
    eo_optimizer *opt = NULL;
    CHECK_OK(eo_optimizer_create("gwo", s, &o, &opt, &err), &err);
    CHECK_OK(eo_optimizer_run(opt, sometimes_nan, NULL, NULL, &err), &err);
    CHECK_EQ_INT(eo_optimizer_evals(opt), 95);
    CHECK_EQ_INT(eo_optimizer_history_size(opt), 95);
    CHECK_EQ_INT(eo_optimizer_iterations(opt), 4);
    long long fails = 0;
    double curve[95], best = INFINITY, bf;
    CHECK_EQ_INT(eo_optimizer_best_curve(opt, curve, 95), 95);
    for (size_t i = 0; i < 95; i++) {
        eo_trial t;
        CHECK_OK(eo_optimizer_history_get(opt, i, &t, &err), &err);
        CHECK_EQ_INT(t.index, (long long)i);
        CHECK(t.x != NULL);
        double v[3];
        eo_space_decode(s, t.x, v);
        if (t.status == EO_EVAL_FAILED) {
            fails++;
            CHECK(isnan(t.fitness));
            CHECK(v[0] > 50);
        } else {
            CHECK_CLOSE(t.fitness, sphere(NULL, v, 3), 1e-15, 0);
            if (t.fitness < best)
                best = t.fitness;
        }
        CHECK_CLOSE(curve[i], best, 0, 0);
        CHECK_EQ_INT(t.iteration, (long long)(i / 30));
    }
    CHECK(fails > 0);
    CHECK_EQ_INT(fails, eo_optimizer_failures(opt));
    double xb[3], vb[3];
    CHECK_OK(eo_optimizer_best(opt, &bf, xb, vb, &err), &err);
    CHECK_CLOSE(bf, best, 0, 0);
    CHECK_CLOSE(sphere(NULL, vb, 3), bf, 1e-15, 0);
    eo_trial t;
    CHECK_EQ_INT(eo_optimizer_history_get(opt, 95, &t, &err), EO_STATUS_OUT_OF_RANGE);
    eo_optimizer_destroy(opt);
    /* target budget (schedule horizon 100000 evals) */
    o.budget.max_evals = 100000;
    CHECK_OK(eo_optimizer_create("gwo", s, &o, &opt, &err), &err);
    eo_budget b = {0};
    b.has_target = 1;
    b.target = 1e-3;
    b.max_evals = 100000;
    CHECK_OK(eo_optimizer_run(opt, sphere, NULL, &b, &err), &err);
    CHECK(eo_optimizer_best(opt, &bf, NULL, NULL, &err) == EO_STATUS_OK && bf <= 1e-3);
    CHECK(eo_optimizer_evals(opt) < 100000);
    /* iterations budget */
    eo_budget bi = {0};
    bi.max_iters = eo_optimizer_iterations(opt) + 3;
    long long e0 = eo_optimizer_evals(opt);
    CHECK_OK(eo_optimizer_run(opt, sphere, NULL, &bi, &err), &err);
    CHECK_EQ_INT(eo_optimizer_evals(opt) - e0, 90);
    eo_optimizer_destroy(opt);
    /* wall-seconds budget, and a fitness-only history */
    eo_opt_options_defaults(&o);
    o.history = EO_HISTORY_FITNESS;
    CHECK_OK(eo_optimizer_create("pso", s, &o, &opt, &err), &err);
    eo_budget bt = {0};
    bt.max_seconds = 0.05;
    double t0 = eo_time_now();
    CHECK_OK(eo_optimizer_run(opt, sphere, NULL, &bt, &err), &err);
    double el = eo_time_now() - t0;
    CHECK(eo_optimizer_seconds(opt) >= 0.05);
    CHECK(el >= 0.05 && el < 30);
    CHECK(eo_optimizer_evals(opt) > 0);
    CHECK_EQ_INT(eo_optimizer_history_size(opt), eo_optimizer_evals(opt));
    CHECK_OK(eo_optimizer_history_get(opt, 3, &t, &err), &err);
    CHECK(t.x == NULL && isfinite(t.fitness));
    /* resuming with the same budget stops at once (seconds are summed) */
    long long ev = eo_optimizer_evals(opt);
    CHECK_OK(eo_optimizer_run(opt, sphere, NULL, &bt, &err), &err);
    CHECK_EQ_INT(eo_optimizer_evals(opt), ev);
    eo_optimizer_destroy(opt);
    eo_space_destroy(s);
}

/* Drive with ask/tell, evaluating each batch in a scrambled order. */
static void drive(eo_optimizer *opt, int iters, int scramble, eo_rng *perm_rng)
{
    eo_error err;
    const eo_space *s = eo_optimizer_space(opt);
    size_t d = eo_space_dim(s);
    for (int it = 0; it < iters; it++) {
        size_t n;
        const double *x;
        if (eo_optimizer_ask(opt, &n, &x, &err))
            return;
        double *f = malloc(n * sizeof(double)), *v = malloc(d * sizeof(double));
        size_t *idx = malloc(n * sizeof(size_t));
        for (size_t i = 0; i < n; i++)
            idx[i] = i;
        if (scramble)
            eo_rng_shuffle_size(perm_rng, idx, n);
        for (size_t k = 0; k < n; k++) {
            eo_space_decode(s, x + idx[k] * d, v);
            f[idx[k]] = sphere(NULL, v, d) + 3 * sin(v[0]);
        }
        eo_optimizer_tell(opt, n, f, NULL, &err);
        free(f);
        free(v);
        free(idx);
    }
}

static int same_history(const eo_optimizer *a, const eo_optimizer *b)
{
    size_t n = eo_optimizer_history_size(a), d = eo_optimizer_dim(a);
    if (n != eo_optimizer_history_size(b) || n == 0)
        return 0;
    eo_error err;
    for (size_t i = 0; i < n; i++) {
        eo_trial ta, tb;
        eo_optimizer_history_get(a, i, &ta, &err);
        eo_optimizer_history_get(b, i, &tb, &err);
        if (memcmp(&ta.fitness, &tb.fitness, sizeof(double)) || ta.status != tb.status ||
            memcmp(ta.x, tb.x, d * sizeof(double)))
            return 0;
    }
    return 1;
}

static eo_space *mixed_space(void)
{
    eo_error err;
    eo_space *s = NULL;
    const char *ch[] = {"a", "b", "c", "d"};
    eo_space_create(&s, &err);
    eo_space_add_real(s, "x", -5, 5, 0, &err);
    eo_space_add_real(s, "y", 0.01, 100, 1, &err);
    eo_space_add_int(s, "k", -3, 3, 0, &err);
    eo_space_add_categorical(s, "c", ch, 4, &err);
    return s;
}

TEST(determinism_and_restore)
{
    const char *const *names = eo_optimizer_names();
    eo_space *s = mixed_space();
    for (size_t k = 0; names[k]; k++) {
        eo_error err;
        eo_opt_options o;
        eo_opt_options_defaults(&o);
        o.seed = 42;
        o.budget.max_evals = 600;
        if (strcmp(names[k], "bo") == 0) {
            o.budget.max_evals = 40;
        }
        int iters = strcmp(names[k], "bo") == 0 ? 14 : 8;
        eo_optimizer *a = NULL, *b = NULL, *c = NULL, *d2 = NULL;
        eo_status st = eo_optimizer_create(names[k], s, &o, &a, &err);
        if (st == EO_STATUS_UNSUPPORTED) {
            printf("     %s: not built (skipped)\n", names[k]);
            continue;
        }
        CHECK_OK(st, &err);
        CHECK_OK(eo_optimizer_create(names[k], s, &o, &b, &err), &err);
        CHECK_OK(eo_optimizer_create(names[k], s, &o, &c, &err), &err);
        CHECK_OK(eo_optimizer_create(names[k], s, &o, &d2, &err), &err);
        if (!a || !b || !c || !d2) {
            eo_optimizer_destroy(a);
            eo_optimizer_destroy(b);
            eo_optimizer_destroy(c);
            eo_optimizer_destroy(d2);
            continue;
        }
        eo_rng pr;
        eo_rng_seed(&pr, 99);
        drive(a, iters, 0, &pr);
        drive(b, iters, 1, &pr); /* other evaluation order */
        CHECK_MSG(same_history(a, b), "%s: order changed the trajectory", names[k]);
        /* c: run half, save (with a pending batch), restore into d2, go on */
        drive(c, iters / 2, 0, &pr);
        size_t n;
        const double *x;
        CHECK_OK(eo_optimizer_ask(c, &n, &x, &err), &err);
        unsigned char *buf = NULL;
        size_t len = 0;
        CHECK_OK(eo_optimizer_save(c, &buf, &len, &err), &err);
        eo_optimizer_destroy(c);
        CHECK_OK(eo_optimizer_restore(d2, buf, len, &err), &err);
        drive(d2, iters - iters / 2, 0, &pr);
        CHECK_MSG(same_history(a, d2), "%s: save/restore changed the trajectory", names[k]);
        CHECK_EQ_INT(eo_optimizer_evals(d2), eo_optimizer_evals(a));
        /* a corrupted byte is detected */
        if (buf && len > 100) {
            buf[len / 2] ^= 1;
            CHECK_EQ_INT(eo_optimizer_restore(d2, buf, len, &err), EO_STATUS_BAD_CHECKSUM);
        }
        free(buf);
        /* a different seed gives a different trajectory */
        o.seed = 43;
        eo_optimizer *e = NULL;
        CHECK_OK(eo_optimizer_create(names[k], s, &o, &e, &err), &err);
        drive(e, iters, 0, &pr);
        if (strcmp(names[k], "grid") != 0)
            CHECK_MSG(!same_history(a, e), "%s: seed ignored", names[k]);
        /* parallel run == serial run */
        eo_optimizer *p1 = NULL, *p4 = NULL;
        o.seed = 5;
        CHECK_OK(eo_optimizer_create(names[k], s, &o, &p1, &err), &err);
        CHECK_OK(eo_optimizer_create(names[k], s, &o, &p4, &err), &err);
        eo_optimizer_set_threads(p4, 4);
        CHECK_OK(eo_optimizer_run(p1, sphere, NULL, NULL, &err), &err);
        CHECK_OK(eo_optimizer_run(p4, sphere, NULL, NULL, &err), &err);
        CHECK_MSG(same_history(p1, p4), "%s: threads changed the trajectory", names[k]);
        eo_optimizer_destroy(p1);
        eo_optimizer_destroy(p4);
        eo_optimizer_destroy(a);
        eo_optimizer_destroy(b);
        eo_optimizer_destroy(d2);
        eo_optimizer_destroy(e);
    }
    eo_space_destroy(s);
}

TEST(restore_wrong_space)
{
    eo_error err;
    eo_space *s1 = box(3, 0, 1), *s2 = box(3, 0, 2);
    eo_optimizer *a = NULL, *b = NULL, *c = NULL;
    CHECK_OK(eo_optimizer_create("pso", s1, NULL, &a, &err), &err);
    CHECK_OK(eo_optimizer_create("pso", s2, NULL, &b, &err), &err);
    CHECK_OK(eo_optimizer_create("gwo", s1, NULL, &c, &err), &err);
    unsigned char *buf = NULL;
    size_t len = 0;
    CHECK_OK(eo_optimizer_save(a, &buf, &len, &err), &err);
    CHECK_EQ_INT(eo_optimizer_restore(b, buf, len, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "search space") != NULL);
    CHECK_EQ_INT(eo_optimizer_restore(c, buf, len, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "'pso'") != NULL);
    free(buf);
    eo_optimizer_destroy(a);
    eo_optimizer_destroy(b);
    eo_optimizer_destroy(c);
    eo_space_destroy(s1);
    eo_space_destroy(s2);
}

TEST(grid_enumerates)
{
    eo_error err;
    eo_space *s = NULL;
    const char *ch[] = {"p", "q"};
    eo_space_create(&s, &err);
    eo_space_add_int(s, "k", 1, 3, 0, &err);
    eo_space_add_categorical(s, "c", ch, 2, &err);
    eo_space_add_real(s, "r", 0, 1, 0, &err);
    eo_opt_options o;
    eo_opt_options_defaults(&o);
    o.params = "points=3";
    o.budget.max_evals = 18;
    eo_optimizer *g = NULL;
    CHECK_OK(eo_optimizer_create("grid", s, &o, &g, &err), &err);
    CHECK_OK(eo_optimizer_run(g, sphere, NULL, NULL, &err), &err);
    int seen[3][2][3] = {{{0}}};
    for (size_t i = 0; i < 18; i++) {
        eo_trial t;
        double v[3];
        eo_optimizer_history_get(g, i, &t, &err);
        eo_space_decode(s, t.x, v);
        int r = (int)llround(v[2] * 2);
        CHECK_CLOSE(v[2] * 2, r, 0, 1e-12);
        seen[(int)v[0] - 1][(int)v[1]][r]++;
    }
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 3; c++)
                CHECK_EQ_INT(seen[a][b][c], 1);
    eo_optimizer_destroy(g);
    eo_space_destroy(s);
}

/* Corrupted states (bytes flipped, CRC recomputed so the parser sees them)
 * and truncated states never crash and never half-restore. */
TEST(restore_corrupt_states)
{
    const char *names[] = {"ga", "pso", "gwo", "aoa", "iaoa", "bo", "grid", "random"};
    eo_space *s = mixed_space();
    eo_rng rng;
    eo_rng_seed(&rng, 2024);
    for (int k = 0; k < 8; k++) {
        eo_error err;
        eo_opt_options o;
        eo_opt_options_defaults(&o);
        o.budget.max_evals = strcmp(names[k], "bo") == 0 ? 12 : 100;
        eo_optimizer *a = NULL, *b = NULL;
        CHECK_OK(eo_optimizer_create(names[k], s, &o, &a, &err), &err);
        CHECK_OK(eo_optimizer_create(names[k], s, &o, &b, &err), &err);
        if (!a || !b)
            continue;
        CHECK_OK(eo_optimizer_run(a, sphere, NULL, NULL, &err), &err);
        unsigned char *buf = NULL;
        size_t len = 0;
        CHECK_OK(eo_optimizer_save(a, &buf, &len, &err), &err);
        unsigned char *m = malloc(len);
        int ok = 0, bad = 0;
        for (int t = 0; t < 300 && buf && m; t++) {
            memcpy(m, buf, len);
            size_t ml = len;
            if (t % 3 == 0) {
                ml = 12 + (size_t)eo_rng_below(&rng, len - 12);
            } else {
                int flips = 1 + (int)eo_rng_below(&rng, 4);
                for (int f = 0; f < flips; f++)
                    m[8 + eo_rng_below(&rng, len - 12)] ^= (unsigned char)(1u << eo_rng_below(&rng, 8));
            }
            uint32_t crc = eo_crc32(0, m, ml - 4);
            memcpy(m + ml - 4, &crc, 4);
            eo_status st = eo_optimizer_restore(b, m, ml, &err);
            if (st == EO_STATUS_OK) {
                ok++;
                /* whatever was accepted must still work (when the flip did
                 * not hit the population size, which could make one more
                 * round arbitrarily long) */
                if (eo_opt_pop(b) == eo_opt_pop(a) && eo_optimizer_iterations(b) >= 0 &&
                    eo_optimizer_iterations(b) < 1000000) {
                    eo_budget bb = {0};
                    bb.max_iters = eo_optimizer_iterations(b) + 1;
                    eo_optimizer_run(b, sphere, NULL, &bb, &err);
                }
            } else {
                bad++;
                CHECK(strlen(err.msg) > 0);
            }
        }
        CHECK(bad > 0);
        /* the intact state still restores after all that */
        CHECK_OK(eo_optimizer_restore(b, buf, len, &err), &err);
        CHECK_EQ_INT(eo_optimizer_evals(b), eo_optimizer_evals(a));
        (void)ok;
        free(m);
        free(buf);
        eo_optimizer_destroy(a);
        eo_optimizer_destroy(b);
    }
    eo_space_destroy(s);
}

int main(void)
{
    RUN(space_decode_encode);
    RUN(bad_input);
    RUN(budget_and_history);
    RUN(determinism_and_restore);
    RUN(restore_wrong_space);
    RUN(restore_corrupt_states);
    RUN(grid_enumerates);
    RUN(sphere_d30_reaches_1e8);
    TEST_END();
}
