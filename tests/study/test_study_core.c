/* Tuning studies: storage, resume after SIGKILL, worker-count determinism,
 * crash/timeout isolation, the configuration cache, bad input.  A cheap
 * objective defined here keeps every case to a few seconds under ASan. */
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecgopt/study.h"
#include "study/objective_internal.h"
#include "eo_test.h"

typedef struct toy {
    int mode;             /* 0 plain, 1 crash/hang on a, 2 always fail */
    int sleep_ms;
    char log[512];        /* one line appended per finished evaluation */
} toy;

/* f = (a-2)^2 + (b+1)^2 + 0.25*c + (x-0.3)^2 (x continuous when present) */
static eo_status toy_fn(void *user, const double *v, size_t dim, uint64_t seed, double fidelity,
                        eo_trial_result *res, eo_error *err)
{
    (void)seed;
    (void)fidelity;
    toy *t = user;
    if (t->mode == 1 && v[0] == 0)
        abort();
    if (t->mode == 1 && v[0] == 1)
        sleep(30);
    if (t->mode == 2)
        return eo_error_set(err, EO_STATUS_NUMERIC, "toy: always fails");
    if (t->sleep_ms)
        usleep((useconds_t)t->sleep_ms * 1000);
    double f = (v[0] - 2) * (v[0] - 2) + (v[1] + 1) * (v[1] + 1) + 0.25 * v[2];
    if (dim > 3)
        f += (v[3] - 0.3) * (v[3] - 0.3);
    res->fitness = f;
    snprintf(res->info, sizeof res->info, "f=%g", f);
    if (t->log[0]) {
        int fd = open(t->log, O_WRONLY | O_APPEND | O_CREAT, 0644);
        if (fd >= 0) {
            char line[128];
            int n = snprintf(line, sizeof line, "%g,%g,%g\n", v[0], v[1], v[2]);
            if (write(fd, line, (size_t)n) < 0) {
            }
            close(fd);
        }
    }
    return EO_STATUS_OK;
}

static eo_space *toy_space(int with_real)
{
    eo_space *sp = NULL;
    static const char *const ch[] = {"p", "q", "r"};
    eo_space_create(&sp, NULL);
    eo_space_add_int(sp, "a", 0, 5, 0, NULL);
    eo_space_add_int(sp, "b", -3, 2, 0, NULL);
    eo_space_add_categorical(sp, "c", ch, 3, NULL);
    if (with_real)
        eo_space_add_real(sp, "x", 0, 1, 0, NULL);
    return sp;
}

static char g_dir[256];

static void path_in(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", g_dir, name);
    unlink(out);
    char w[600];
    snprintf(w, sizeof w, "%s-wal", out);
    unlink(w);
    snprintf(w, sizeof w, "%s-shm", out);
    unlink(w);
}

static int count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int n = 0, ch;
    while ((ch = fgetc(f)) != EOF)
        n += ch == '\n';
    fclose(f);
    return n;
}

static eo_status run_study(const char *db, eo_objective *obj, const char *opt, int workers,
                           long long iters, int cache, int resume, double timeout, eo_error *err)
{
    eo_study_options o;
    eo_study_defaults(&o);
    o.optimizer = opt;
    o.pop_size = 6;
    o.max_iters = iters;
    o.workers = workers;
    o.use_cache = cache;
    o.timeout_s = timeout;
    o.seed = 7;
    eo_study *s = NULL;
    eo_status st = eo_study_open(db, obj, &o, resume, &s, err);
    if (st == EO_STATUS_OK)
        st = eo_study_run(s, err);
    eo_study_close(s);
    return st;
}

/* trials of the first run, sorted by (iteration, position) */
static int cmp_pos(const void *a, const void *b)
{
    const eo_study_trial *x = a, *y = b;
    if (x->iteration != y->iteration)
        return x->iteration < y->iteration ? -1 : 1;
    return x->position < y->position ? -1 : x->position > y->position;
}

static eo_study_info *load_sorted(const char *db)
{
    eo_study_info *in = NULL;
    eo_error err;
    if (eo_study_info_load(db, &in, &err) != EO_STATUS_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return NULL;
    }
    qsort(in->trials, in->n_trials, sizeof *in->trials, cmp_pos);
    return in;
}

static int same_trials(const eo_study_info *a, const eo_study_info *b)
{
    if (!a || !b || a->n_trials != b->n_trials)
        return 0;
    for (size_t i = 0; i < a->n_trials; i++) {
        const eo_study_trial *x = &a->trials[i], *y = &b->trials[i];
        if (x->iteration != y->iteration || x->position != y->position || x->status != y->status ||
            memcmp(x->values, y->values, sizeof x->values) != 0)
            return 0;
        if (x->status == EO_TRIAL_OK && x->fitness != y->fitness)
            return 0;
    }
    return 1;
}

TEST(test_basic_run)
{
    eo_error err;
    toy t = {0, 0, ""};
    eo_space *sp = toy_space(1);
    eo_objective *obj = NULL;
    CHECK_OK(eo_objective_create("toy-test", sp, toy_fn, &t, &obj, &err), &err);
    char db[512];
    path_in(db, sizeof db, "basic.db");
    CHECK_OK(run_study(db, obj, "pso", 1, 8, 1, 0, 0, &err), &err);
    eo_study_info *in = load_sorted(db);
    CHECK(in != NULL);
    if (in) {
        CHECK_EQ_INT(in->n_runs, 1);
        CHECK_EQ_INT(in->n_trials, 6 * 8);
        CHECK_EQ_INT(in->runs[0].trials, 48);
        CHECK(in->runs[0].finished);
        CHECK_EQ_INT(in->dim, 4);
        CHECK(!strcmp(in->names[3], "x"));
        /* the best is the minimum of the stored trials, and its fitness is
         * the function at its stored values */
        double mn = INFINITY;
        for (size_t i = 0; i < in->n_trials; i++)
            if (in->trials[i].status == EO_TRIAL_OK && in->trials[i].fitness < mn)
                mn = in->trials[i].fitness;
        CHECK_CLOSE(in->runs[0].best, mn, 0, 0);
        eo_study_trial *b = NULL;
        for (size_t i = 0; i < in->n_trials; i++)
            if (in->trials[i].fitness == mn)
                b = &in->trials[i];
        if (b) {
            const double *v = b->values;
            CHECK_CLOSE(b->fitness,
                        (v[0] - 2) * (v[0] - 2) + (v[1] + 1) * (v[1] + 1) + 0.25 * v[2] +
                            (v[3] - 0.3) * (v[3] - 0.3),
                        1e-12, 1e-12);
            CHECK(strstr(b->params, "\"c\": \"") != NULL); /* category by name */
        }
        CHECK(mn < 0.5);
    }
    eo_study_info_destroy(in);
    eo_objective_destroy(obj);
    eo_space_destroy(sp);
}

TEST(test_workers_determinism)
{
    eo_error err;
    toy t = {0, 0, ""};
    eo_space *sp = toy_space(1);
    eo_objective *obj = NULL;
    CHECK_OK(eo_objective_create("toy-test", sp, toy_fn, &t, &obj, &err), &err);
    char d0[512], d1[512], d2[512];
    path_in(d0, sizeof d0, "w0.db");
    path_in(d1, sizeof d1, "w1.db");
    path_in(d2, sizeof d2, "w2.db");
    CHECK_OK(run_study(d0, obj, "gwo", 0, 6, 1, 0, 0, &err), &err);
    CHECK_OK(run_study(d1, obj, "gwo", 1, 6, 1, 0, 0, &err), &err);
    CHECK_OK(run_study(d2, obj, "gwo", 2, 6, 1, 0, 0, &err), &err);
    eo_study_info *a = load_sorted(d0), *b = load_sorted(d1), *c = load_sorted(d2);
    CHECK(a && a->n_trials == 36);
    CHECK(same_trials(a, b));
    CHECK(same_trials(b, c));
    if (a && c)
        CHECK_CLOSE(a->runs[0].best, c->runs[0].best, 0, 0);
    eo_study_info_destroy(a);
    eo_study_info_destroy(b);
    eo_study_info_destroy(c);
    eo_objective_destroy(obj);
    eo_space_destroy(sp);
}

static long long db_trials(const char *db)
{
    sqlite3 *h = NULL;
    long long n = -1;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(h, "SELECT COUNT(*) FROM trials", -1, &q, NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW)
            n = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(h);
    return n;
}

TEST(test_resume_after_kill)
{
    eo_error err;
    toy t = {0, 30, ""}; /* slow enough that the kill lands mid-study on a loaded machine */
    eo_space *sp = toy_space(1);
    eo_objective *obj = NULL;
    CHECK_OK(eo_objective_create("toy-test", sp, toy_fn, &t, &obj, &err), &err);
    char da[512], db[512], la[512], lb[512];
    path_in(da, sizeof da, "ref.db");
    path_in(db, sizeof db, "killed.db");
    path_in(la, sizeof la, "ref.log");
    path_in(lb, sizeof lb, "killed.log");
    /* uninterrupted reference */
    snprintf(t.log, sizeof t.log, "%s", la);
    CHECK_OK(run_study(da, obj, "ga", 2, 8, 1, 0, 0, &err), &err);
    /* the same study in a child, killed with SIGKILL part-way */
    snprintf(t.log, sizeof t.log, "%s", lb);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        eo_error e2;
        _exit(run_study(db, obj, "ga", 2, 8, 1, 0, 0, &e2) == EO_STATUS_OK ? 0 : 1);
    }
    CHECK(pid > 0);
    long long seen = 0;
    for (int k = 0; k < 3000 && seen < 14; k++) {
        usleep(5000);
        seen = db_trials(db);
    }
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    int ws = 0;
    waitpid(pid, &ws, 0);
    CHECK(WIFSIGNALED(ws));
    long long before = db_trials(db);
    long long total_ref = db_trials(da);
    CHECK_MSG(before >= 14 && before < total_ref, "killed after %lld of %lld trials", before,
              total_ref);
    int evals_before_resume = count_lines(lb);
    /* without --resume the run is refused and nothing changes */
    CHECK(run_study(db, obj, "ga", 2, 8, 1, 0, 0, &err) == EO_STATUS_USAGE);
    CHECK_EQ_INT(db_trials(db), before);
    /* resume */
    CHECK_OK(run_study(db, obj, "ga", 2, 8, 1, 1, 0, &err), &err);
    eo_study_info *a = load_sorted(da), *b = load_sorted(db);
    CHECK(same_trials(a, b)); /* none lost, none duplicated, same values */
    if (a && b) {
        CHECK_CLOSE(a->runs[0].best, b->runs[0].best, 0, 0);
        CHECK(b->runs[0].finished);
    }
    /* no finished evaluation repeated: the resumed study evaluated at most
     * the trials in flight at the kill (<= workers) on top of the reference */
    int ref_evals = count_lines(la), all_evals = count_lines(lb);
    CHECK_MSG(all_evals <= ref_evals + 2, "evaluations: %d after resume vs %d uninterrupted",
              all_evals, ref_evals);
    CHECK(all_evals > evals_before_resume);
    eo_study_info_destroy(a);
    eo_study_info_destroy(b);
    eo_objective_destroy(obj);
    eo_space_destroy(sp);
}

TEST(test_crash_and_timeout)
{
    eo_error err;
    toy t = {1, 0, ""};
    /* a in {0 (aborts), 1 (hangs), 2}: 24 random draws meet both */
    eo_space *sp = NULL;
    static const char *const ch[] = {"p", "q", "r"};
    eo_space_create(&sp, NULL);
    eo_space_add_int(sp, "a", 0, 2, 0, NULL);
    eo_space_add_int(sp, "b", -3, 2, 0, NULL);
    eo_space_add_categorical(sp, "c", ch, 3, NULL);
    eo_objective *obj = NULL;
    CHECK_OK(eo_objective_create("toy-test", sp, toy_fn, &t, &obj, &err), &err);
    char db[512];
    path_in(db, sizeof db, "crash.db");
    double t0 = eo_time_now();
    /* 3 s: far above a normal trial even forked under ASan on a loaded CI
     * machine (0.5 s was not), far below the 30 s hang */
    CHECK_OK(run_study(db, obj, "random", 2, 4, 1, 0, 3, &err), &err);
    CHECK(eo_time_now() - t0 < 60);
    eo_study_info *in = load_sorted(db);
    int crashed = 0, timeouts = 0, ok = 0;
    if (in) {
        for (size_t i = 0; i < in->n_trials; i++) {
            const eo_study_trial *tr = &in->trials[i];
            if (tr->status == EO_TRIAL_CRASHED) {
                crashed++;
                CHECK(tr->values[0] == 0);
                CHECK(isnan(tr->fitness));
            } else if (tr->status == EO_TRIAL_TIMEOUT) {
                timeouts++;
                CHECK(tr->values[0] == 1);
            } else if (tr->status == EO_TRIAL_OK) {
                ok++;
                CHECK(tr->values[0] >= 2);
            }
        }
        CHECK_EQ_INT(in->n_trials, 24);
        CHECK(in->runs[0].finished);
        CHECK_EQ_INT(in->runs[0].failed, crashed + timeouts);
    }
    CHECK(crashed > 0);
    CHECK(timeouts > 0);
    CHECK(ok > 0);
    eo_study_info_destroy(in);
    eo_objective_destroy(obj);
    eo_space_destroy(sp);
}

TEST(test_cache)
{
    eo_error err;
    toy t = {0, 0, ""};
    eo_space *sp = NULL;
    static const char *const ch[] = {"p", "q"};
    eo_space_create(&sp, NULL);
    eo_space_add_int(sp, "a", 1, 2, 0, NULL);
    eo_space_add_int(sp, "b", 0, 0, 0, NULL);
    eo_space_add_categorical(sp, "c", ch, 2, NULL);
    eo_objective *obj = NULL;
    CHECK_OK(eo_objective_create("toy-cache", sp, toy_fn, &t, &obj, &err), &err);
    char db[512], lg[512], db2[512], lg2[512];
    path_in(db, sizeof db, "cache.db");
    path_in(lg, sizeof lg, "cache.log");
    path_in(db2, sizeof db2, "nocache.db");
    path_in(lg2, sizeof lg2, "nocache.log");
    snprintf(t.log, sizeof t.log, "%s", lg);
    CHECK_OK(run_study(db, obj, "ga", 2, 6, 1, 0, 0, &err), &err);
    /* a second optimiser in the same file shares the cache */
    CHECK_OK(run_study(db, obj, "pso", 1, 6, 1, 0, 0, &err), &err);
    eo_study_info *in = load_sorted(db);
    int evals = count_lines(lg);
    CHECK_MSG(evals <= 4, "%d evaluations of 4 configurations", evals);
    if (in) {
        CHECK_EQ_INT(in->n_runs, 2);
        CHECK_EQ_INT(in->runs[1].cached, in->runs[1].trials); /* pso evaluated nothing new... */
        long long cached = in->runs[0].cached + in->runs[1].cached;
        CHECK_EQ_INT(cached + evals, (long long)in->n_trials);
        /* cached results equal the evaluated ones */
        for (size_t i = 0; i < in->n_trials; i++) {
            const double *v = in->trials[i].values;
            CHECK_CLOSE(in->trials[i].fitness, (v[0] - 2) * (v[0] - 2) + 1 + 0.25 * v[2], 0, 1e-12);
        }
    }
    eo_study_info_destroy(in);
    snprintf(t.log, sizeof t.log, "%s", lg2);
    CHECK_OK(run_study(db2, obj, "ga", 2, 6, 0, 0, 0, &err), &err);
    in = load_sorted(db2);
    if (in) {
        CHECK_EQ_INT(count_lines(lg2), (long long)in->n_trials);
        CHECK_EQ_INT(in->runs[0].cached, 0);
    }
    eo_study_info_destroy(in);
    eo_objective_destroy(obj);
    eo_space_destroy(sp);
}

static int file_equals(const char *path, const char *text)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return n == strlen(text) && memcmp(buf, text, n) == 0;
}

TEST(test_bad_input)
{
    eo_error err;
    toy t = {0, 0, ""};
    eo_space *sp = toy_space(0), *sp2 = toy_space(1);
    eo_objective *obj = NULL, *obj2 = NULL, *fail = NULL;
    CHECK_OK(eo_objective_create("toy-test", sp, toy_fn, &t, &obj, &err), &err);
    CHECK_OK(eo_objective_create("toy-test", sp2, toy_fn, &t, &obj2, &err), &err);
    char db[512];
    path_in(db, sizeof db, "bad.db");
    CHECK_OK(run_study(db, obj, "ga", 1, 3, 1, 0, 0, &err), &err);
    long long n0 = db_trials(db);
    CHECK(n0 > 0);
    /* a study file of another space */
    eo_status st = run_study(db, obj2, "ga", 1, 3, 1, 1, 0, &err);
    CHECK_EQ_INT(st, EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "another search space") != NULL);
    CHECK_EQ_INT(db_trials(db), n0);
    /* another objective name */
    eo_objective *other = NULL;
    CHECK_OK(eo_objective_create("other", sp, toy_fn, &t, &other, &err), &err);
    CHECK_EQ_INT(run_study(db, other, "ga", 1, 3, 1, 1, 0, &err), EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "toy-test") != NULL);
    eo_objective_destroy(other);
    /* unknown optimiser: error, no file created */
    char db3[512];
    path_in(db3, sizeof db3, "none.db");
    CHECK_EQ_INT(run_study(db3, obj, "nosuchopt", 1, 3, 1, 0, 0, &err), EO_STATUS_NOT_FOUND);
    CHECK(access(db3, F_OK) != 0);
    /* a corrupt file: clear error, file untouched */
    char db2[512];
    path_in(db2, sizeof db2, "corrupt.db");
    FILE *f = fopen(db2, "wb");
    fputs("this is not a database, just text\n", f);
    fclose(f);
    st = run_study(db2, obj, "ga", 1, 3, 1, 1, 0, &err);
    CHECK_EQ_INT(st, EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "corrupt.db") != NULL);
    CHECK(file_equals(db2, "this is not a database, just text\n"));
    eo_study_info *in = NULL;
    CHECK_EQ_INT(eo_study_info_load(db2, &in, &err), EO_STATUS_BAD_FORMAT);
    CHECK(in == NULL);
    /* an SQLite file that is not a study */
    path_in(db2, sizeof db2, "other.sqlite");
    sqlite3 *h = NULL;
    sqlite3_open(db2, &h);
    sqlite3_exec(h, "CREATE TABLE x(a); INSERT INTO x VALUES(1);", NULL, NULL, NULL);
    sqlite3_close(h);
    CHECK_EQ_INT(run_study(db2, obj, "ga", 1, 3, 1, 1, 0, &err), EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "not an ecgopt study") != NULL);
    /* no feasible point: every trial fails; the study still finishes */
    toy tf = {2, 0, ""};
    CHECK_OK(eo_objective_create("toy-fail", sp, toy_fn, &tf, &fail, &err), &err);
    char db4[512];
    path_in(db4, sizeof db4, "fail.db");
    eo_study_options o;
    eo_study_defaults(&o);
    o.optimizer = "random";
    o.pop_size = 4;
    o.max_iters = 2;
    eo_study *s = NULL;
    CHECK_OK(eo_study_open(db4, fail, &o, 0, &s, &err), &err);
    CHECK_OK(eo_study_run(s, &err), &err);
    eo_study_trial best;
    CHECK_EQ_INT(eo_study_best(s, &best, &err), EO_STATUS_NOT_FOUND);
    CHECK(strstr(err.msg, "no successful trial") != NULL);
    eo_study_close(s);
    CHECK_EQ_INT(db_trials(db4), 8);
    /* unknown preset */
    eo_objective *p = NULL;
    CHECK_EQ_INT(eo_objective_preset("compress-foo", NULL, &p, &err), EO_STATUS_NOT_FOUND);
    CHECK(strstr(err.msg, "compress-foo") != NULL && strstr(err.msg, "compress-cae") != NULL);
    CHECK(p == NULL);
    eo_objective_destroy(fail);
    eo_objective_destroy(obj);
    eo_objective_destroy(obj2);
    eo_space_destroy(sp);
    eo_space_destroy(sp2);
}

TEST(test_space_file)
{
    eo_error err;
    char sf[512], db[512];
    path_in(sf, sizeof sf, "space.txt");
    path_in(db, sizeof db, "space.db");
    FILE *f = fopen(sf, "w");
    fputs("# a user objective\nint a 0 4\ncat m lo hi\nreal r 1 100 log\n"
          "command echo \"$(( ({a}-3)*({a}-3) ))\"\n"
          "optimizer random\npop 5\niters 3\n",
          f);
    fclose(f);
    eo_objective *obj = NULL;
    CHECK_OK(eo_objective_from_file(sf, &obj, &err), &err);
    if (!obj)
        return;
    CHECK_EQ_INT(eo_space_dim(eo_objective_space(obj)), 3);
    CHECK(eo_space_is_log(eo_objective_space(obj), 2));
    CHECK(!strcmp(eo_objective_default_optimizer(obj), "random"));
    eo_study_options o;
    eo_study_defaults(&o);
    eo_study *s = NULL;
    CHECK_OK(eo_study_open(db, obj, &o, 0, &s, &err), &err);
    CHECK_OK(eo_study_run(s, &err), &err);
    eo_study_info *in = load_sorted(db);
    if (in) {
        CHECK_EQ_INT(in->n_trials, 15);
        for (size_t i = 0; i < in->n_trials; i++) {
            double a = in->trials[i].values[0];
            CHECK_EQ_INT(in->trials[i].status, EO_TRIAL_OK);
            CHECK_CLOSE(in->trials[i].fitness, (a - 3) * (a - 3), 0, 0);
        }
    }
    eo_study_info_destroy(in);
    eo_study_close(s);
    eo_objective_destroy(obj);
    /* malformed files */
    static const char *const bad[] = {
        "int a 5 1\ncommand echo 1\n",      /* empty range: no feasible point */
        "int a 0 3\n",                      /* no command */
        "command echo 1\n",                 /* no dimensions */
        "real r 0 1 lin\ncommand echo 1\n", /* bad scale word */
        "float r 0 1\ncommand echo 1\n",    /* unknown keyword */
        "real r 0 1 log\ncommand echo 1\n", /* log needs lo > 0 */
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        f = fopen(sf, "w");
        fputs(bad[k], f);
        fclose(f);
        eo_objective *b = NULL;
        eo_status st = eo_objective_from_file(sf, &b, &err);
        CHECK_MSG(st != EO_STATUS_OK && b == NULL, "case %zu accepted", k);
        CHECK(strstr(err.msg, "space.txt") != NULL);
    }
    /* a command that prints junk is a failed trial, not a crash */
    f = fopen(sf, "w");
    fputs("int a 0 1\ncommand echo nope\npop 2\niters 1\n", f);
    fclose(f);
    CHECK_OK(eo_objective_from_file(sf, &obj, &err), &err);
    path_in(db, sizeof db, "space2.db");
    o.optimizer = "random";
    CHECK_OK(eo_study_open(db, obj, &o, 0, &s, &err), &err);
    CHECK_OK(eo_study_run(s, &err), &err);
    eo_study_trial best;
    CHECK_EQ_INT(eo_study_best(s, &best, &err), EO_STATUS_NOT_FOUND);
    eo_study_close(s);
    eo_objective_destroy(obj);
}

TEST(test_toy_preset)
{
    eo_error err;
    eo_objective *obj = NULL;
    CHECK_OK(eo_objective_preset("toy", NULL, &obj, &err), &err);
    if (!obj)
        return;
    eo_trial_result r;
    double v[3] = {1, -2, 0};
    CHECK_OK(eo_objective_eval(obj, v, 1, 1, &r, &err), &err);
    CHECK_CLOSE(r.fitness, 0, 0, 0);
    v[0] = 3;
    v[2] = 2;
    CHECK_OK(eo_objective_eval(obj, v, 1, 1, &r, &err), &err);
    CHECK_CLOSE(r.fitness, 4 + 1, 0, 0);
    eo_objective_destroy(obj);
    /* every preset exists with a non-empty space */
    for (const char *const *n = eo_objective_preset_names(); *n; n++) {
        eo_objective *p = NULL;
        CHECK_OK(eo_objective_preset(*n, NULL, &p, &err), &err);
        CHECK(p && eo_space_dim(eo_objective_space(p)) > 0);
        eo_objective_destroy(p);
    }
    /* compress-cae: 4 x 3 x 3 x 3 = 108 configurations */
    CHECK_OK(eo_objective_preset("compress-cae", NULL, &obj, &err), &err);
    if (obj) {
        const eo_space *sp = eo_objective_space(obj);
        size_t n = 1;
        for (size_t i = 0; i < eo_space_dim(sp); i++)
            n *= eo_space_levels(sp, i);
        CHECK_EQ_INT(n, 108);
        CHECK_EQ_INT(eo_objective_default_pop(obj), 20);
        CHECK_EQ_INT(eo_objective_default_iters(obj), 30);
        eo_objective_destroy(obj);
    }
}

/* The preset registry (src/study/objective_registry.c): every listed name
 * makes an objective of that name with the paper's defaults and space size;
 * finalize of a preset with no final step is OK with no figures. */
TEST(test_preset_registry)
{
    static const struct {
        const char *name, *opt;
        size_t pop;
        long long iters;
        size_t dim;
        double timeout;
    } want[] = {
        {"compress-cae", "ga", 20, 30, 4, 1800},
        {"compress-cae-attention", "ga", 20, 30, 4, 1800},
        {"compress-cae-baseline", "random", 1, 1, 4, 1800},
        {"compress-cae-baseline-attention", "random", 1, 1, 4, 1800},
        {"compress-cae-rd", "gwo", 8, 6, 5, 600},
        {"compress-cae-rd-noattention", "gwo", 8, 6, 5, 600},
        {"classify-rescnn-bo", "bo", 1, 30, 4, 1800},
        {"classify-cnnlstm-gwo", "gwo", 10, 10, 8, 1800},
        {"classify-cnn-olcpa", "olcpa", 5, 20, 10, 1800},
        {"denoise-vmd-iaoa", "iaoa", 8, 6, 2, 600},
        {"toy", "ga", 8, 5, 3, 0},
    };
    eo_error err;
    size_t n = 0;
    for (const char *const *nm = eo_objective_preset_names(); *nm; nm++, n++) {
        CHECK(n < sizeof want / sizeof *want && strcmp(*nm, want[n].name) == 0);
        if (n >= sizeof want / sizeof *want)
            break;
        eo_objective *o = NULL;
        CHECK_OK(eo_objective_preset(*nm, NULL, &o, &err), &err);
        if (!o)
            continue;
        CHECK(strcmp(eo_objective_name(o), *nm) == 0);
        CHECK(strcmp(eo_objective_default_optimizer(o), want[n].opt) == 0);
        CHECK_EQ_INT(eo_objective_default_pop(o), want[n].pop);
        CHECK_EQ_INT(eo_objective_default_iters(o), want[n].iters);
        CHECK_EQ_INT(eo_space_dim(eo_objective_space(o)), want[n].dim);
        CHECK_CLOSE(eo_objective_default_timeout(o), want[n].timeout, 0, 0);
        eo_objective_destroy(o);
    }
    CHECK_EQ_INT(n, sizeof want / sizeof *want);
    /* the name list and the registry's kinds agree, in order */
    const eo_objective_kind *const *kinds = eo_objective_kinds();
    const char *const *pnames = eo_objective_preset_names();
    size_t k = 0;
    for (; kinds[k] && pnames[k]; k++)
        CHECK(strcmp(kinds[k]->name, pnames[k]) == 0 && kinds[k]->dim > 0 && kinds[k]->eval);
    CHECK(!kinds[k] && !pnames[k]);
    /* olcpa's space: kernels [1,15], kernel size [1,128], lr log-scaled */
    eo_objective *o = NULL;
    CHECK_OK(eo_objective_preset("classify-cnn-olcpa", NULL, &o, &err), &err);
    if (o) {
        const eo_space *sp = eo_objective_space(o);
        long i = eo_space_find(sp, "s2");
        CHECK(i == 3 && eo_space_kind(sp, (size_t)i) == EO_PARAM_INTEGER);
        CHECK_EQ_INT(eo_space_levels(sp, (size_t)i), 128);
        eo_objective_destroy(o);
    }
    /* toy has no final step: OK, no figures */
    CHECK_OK(eo_objective_preset("toy", NULL, &o, &err), &err);
    if (o) {
        double v[3] = {0, 0, 0}, test[4];
        const char *names[4];
        int nt = -1;
        CHECK_OK(eo_objective_finalize(o, v, 1, NULL, test, names, &nt, &err), &err);
        CHECK_EQ_INT(nt, 0);
        eo_objective_destroy(o);
    }
}

static double toy_at(const double *v, double fid)
{
    return (v[0] - 1) * (v[0] - 1) + (v[1] + 2) * (v[1] + 2) + 0.5 * v[2] + 2.0 * (1.0 - fid);
}

static eo_status sh_study_r(const char *db, eo_objective *obj, int cache, int rungs, double eta,
                            int workers, long long iters, int resume, eo_study_trial *best,
                            eo_error *err)
{
    eo_study_options o;
    eo_study_defaults(&o);
    o.optimizer = "ga";
    o.pop_size = 9;
    o.max_iters = iters;
    o.workers = workers;
    o.use_cache = cache;
    o.seed = 5;
    o.sh_rungs = rungs;
    o.sh_eta = eta;
    eo_study *s = NULL;
    eo_status st = eo_study_open(db, obj, &o, resume, &s, err);
    if (st == EO_STATUS_OK)
        st = eo_study_run(s, err);
    if (st == EO_STATUS_OK && best)
        st = eo_study_best(s, best, err);
    eo_study_close(s);
    return st;
}

static eo_status sh_study(const char *db, eo_objective *obj, int cache, int rungs, double eta,
                          int workers, eo_study_trial *best, eo_error *err)
{
    return sh_study_r(db, obj, cache, rungs, eta, workers, 3, 0, best, err);
}

/* Successive halving on the toy preset (fitness + 2(1 - fidelity)): pop 9,
 * eta 3, 3 rungs -> per batch 9 trials at 1/9, the best 3 at 1/3, the best
 * 1 at 1; every trial's fitness is the toy at its fidelity; the best is a
 * fidelity-1 trial; with the cache the evaluations are the distinct
 * (configuration, fidelity) pairs. */
TEST(test_successive_halving)
{
    eo_error err;
    CHECK_CLOSE(eo_study_sh_fidelity(3, 3, 0), 1.0 / 9, 1e-15, 0);
    CHECK_CLOSE(eo_study_sh_fidelity(3, 3, 2), 1.0, 0, 0);
    CHECK_CLOSE(eo_study_sh_fidelity(1, 3, 0), 1.0, 0, 0);
    CHECK_EQ_INT(eo_study_sh_keep(9, 3), 3);
    CHECK_EQ_INT(eo_study_sh_keep(10, 3), 4);
    CHECK_EQ_INT(eo_study_sh_keep(2, 3), 1);
    eo_objective *obj = NULL;
    CHECK_OK(eo_objective_preset("toy", NULL, &obj, &err), &err);
    if (!obj)
        return;
    char db[512];
    path_in(db, sizeof db, "sh.db");
    eo_study_trial best;
    CHECK_OK(sh_study(db, obj, 0, 3, 3, 0, &best, &err), &err);
    eo_study_info *info = load_sorted(db);
    CHECK(info != NULL);
    if (info) {
        /* GA asks 9, then 7 (its 2 elites are not re-evaluated) */
        size_t expect = 0;
        for (int it = 0; it < 3; it++) {
            size_t n = it == 0 ? 9 : 7;
            expect += n + eo_study_sh_keep(n, 3) + 1;
        }
        CHECK_EQ_INT(info->n_trials, expect);
        double bmin = INFINITY;
        for (long long it = 0; it < 3; it++) {
            int cnt[3] = {0, 0, 0};
            long long n = it == 0 ? 9 : 7, n1 = (long long)eo_study_sh_keep((size_t)n, 3);
            const eo_study_trial *r0[9] = {0}, *r1[3] = {0}, *r2 = NULL;
            for (size_t i = 0; i < info->n_trials; i++) {
                const eo_study_trial *t = &info->trials[i];
                if (t->iteration != it)
                    continue;
                CHECK_EQ_INT(t->status, EO_TRIAL_OK);
                CHECK_EQ_INT(t->cached, 0);
                CHECK_CLOSE(t->fitness, toy_at(t->values, t->fidelity), 1e-12, 0);
                if (fabs(t->fidelity - 1.0 / 9) < 1e-12) {
                    CHECK(t->position >= n && t->position < 2 * n);
                    if (cnt[0] < 9)
                        r0[cnt[0]] = t;
                    cnt[0]++;
                } else if (fabs(t->fidelity - 1.0 / 3) < 1e-12) {
                    CHECK(t->position >= 2 * n && t->position < 3 * n);
                    if (cnt[1] < 3)
                        r1[cnt[1]] = t;
                    cnt[1]++;
                } else {
                    CHECK_CLOSE(t->fidelity, 1.0, 0, 0);
                    CHECK(t->position < n);
                    r2 = t;
                    cnt[2]++;
                    if (t->fitness < bmin)
                        bmin = t->fitness;
                }
            }
            CHECK_EQ_INT(cnt[0], n);
            CHECK_EQ_INT(cnt[1], n1);
            CHECK_EQ_INT(cnt[2], 1);
            if (cnt[0] != n || cnt[1] != n1 || !r2)
                continue;
            /* the promoted n1 are the best n1 of rung 0 */
            for (int k = 0; k < n1; k++) {
                double f0 = toy_at(r1[k]->values, 1.0 / 9);
                int better = 0;
                for (int j = 0; j < n; j++)
                    better += r0[j]->fitness < f0;
                CHECK(better < n1);
            }
            /* the full rung's member is the best of rung 1 */
            double f1 = toy_at(r2->values, 1.0 / 3);
            for (int k = 0; k < n1; k++)
                CHECK(r1[k]->fitness >= f1);
        }
        /* the study's best is a fidelity-1 evaluation, at its full fitness */
        CHECK_CLOSE(best.fidelity, 1.0, 0, 0);
        CHECK_CLOSE(best.fitness, toy_at(best.values, 1.0), 1e-12, 0);
        CHECK_CLOSE(best.fitness, bmin, 0, 0);
        CHECK_CLOSE(info->runs[0].best, bmin, 0, 0);
        eo_study_info_destroy(info);
    }
    /* cached: evaluations = distinct (configuration, fidelity) pairs, and
     * the trajectory equals the uncached one (2 workers, too) */
    char db2[512];
    path_in(db2, sizeof db2, "sh-cache.db");
    eo_study_trial best2;
    CHECK_OK(sh_study(db2, obj, 1, 3, 3, 2, &best2, &err), &err);
    CHECK_CLOSE(best2.fitness, best.fitness, 0, 0);
    info = load_sorted(db2);
    eo_study_info *ref = load_sorted(db);
    CHECK(info && ref);
    if (info && ref) {
        CHECK(same_trials(info, ref));
        size_t evaluated = 0, distinct = 0;
        for (size_t i = 0; i < info->n_trials; i++) {
            const eo_study_trial *t = &info->trials[i];
            evaluated += !t->cached;
            int seen = 0;
            for (size_t j = 0; j < i && !seen; j++)
                seen = info->trials[j].fidelity == t->fidelity &&
                       memcmp(info->trials[j].values, t->values, 3 * sizeof(double)) == 0;
            distinct += !seen;
        }
        CHECK_EQ_INT(evaluated, distinct);
        CHECK(evaluated < info->n_trials);
    }
    eo_study_info_destroy(info);
    eo_study_info_destroy(ref);
    /* resumed after the first batch: the same trials as in one go */
    path_in(db2, sizeof db2, "sh-resume.db");
    CHECK_OK(sh_study_r(db2, obj, 0, 3, 3, 1, 1, 0, NULL, &err), &err);
    CHECK_OK(sh_study_r(db2, obj, 0, 3, 3, 1, 3, 1, &best2, &err), &err);
    CHECK_CLOSE(best2.fitness, best.fitness, 0, 0);
    info = load_sorted(db2);
    ref = load_sorted(db);
    CHECK(same_trials(info, ref));
    eo_study_info_destroy(info);
    eo_study_info_destroy(ref);
    /* resuming with other halving settings is refused, the file unchanged */
    CHECK(sh_study_r(db2, obj, 0, 2, 3, 1, 4, 1, NULL, &err) == EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "rungs 3, eta 3") != NULL && strstr(err.msg, "rungs 2, eta 3") != NULL);
    CHECK(sh_study_r(db2, obj, 0, 1, 3, 1, 4, 1, NULL, &err) == EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "'none'") != NULL);
    info = load_sorted(db2);
    ref = load_sorted(db);
    CHECK(same_trials(info, ref));
    eo_study_info_destroy(info);
    eo_study_info_destroy(ref);
    /* bad options */
    char db3[512];
    path_in(db3, sizeof db3, "sh-bad.db");
    CHECK(sh_study(db3, obj, 0, 3, 1.0, 0, NULL, &err) == EO_STATUS_USAGE);
    CHECK(sh_study(db3, obj, 0, 9, 3, 0, NULL, &err) == EO_STATUS_USAGE);
    CHECK(access(db3, F_OK) != 0);
    eo_objective_destroy(obj);
}

/* compress-cae arms (Krishna n.d. Table I): the attention search has the same
 * 108 configurations, the baselines one configuration at 20 epochs; on a
 * tiny subset the attention block changes the trained network, and the
 * epoch count follows the arm's full-fidelity epochs x fidelity. */
TEST(test_cae_arms)
{
    eo_error err;
    static const char *const names[] = {"compress-cae-attention", "compress-cae-baseline",
                                        "compress-cae-baseline-attention"};
    for (int a = 0; a < 3; a++) {
        eo_objective *obj = NULL;
        CHECK_OK(eo_objective_preset(names[a], NULL, &obj, &err), &err);
        if (!obj)
            continue;
        const eo_space *sp = eo_objective_space(obj);
        size_t n = 1;
        for (size_t i = 0; i < eo_space_dim(sp); i++)
            n *= eo_space_levels(sp, i);
        CHECK_EQ_INT(eo_space_dim(sp), 4);
        CHECK_EQ_INT(n, a == 0 ? 108 : 1);
        CHECK_EQ_INT(eo_objective_default_pop(obj), a == 0 ? 20 : 1);
        CHECK_EQ_INT(eo_objective_default_iters(obj), a == 0 ? 30 : 1);
        CHECK(strcmp(eo_objective_default_optimizer(obj), a == 0 ? "ga" : "random") == 0);
        eo_objective_destroy(obj);
    }
    /* train both baselines for 2 epochs (fidelity 0.1 of 20) on 16 windows */
    eo_objective_options oo;
    eo_objective_defaults(&oo);
    oo.data_dir = eo_test_data_dir();
    oo.data_fraction = 0.05;
    double fit[2] = {NAN, NAN};
    for (int a = 0; a < 2; a++) {
        eo_objective *obj = NULL;
        CHECK_OK(eo_objective_preset(names[1 + a], &oo, &obj, &err), &err);
        if (!obj)
            return;
        CHECK_OK(eo_objective_prepare(obj, &err), &err);
        double v[4] = {0, 0, 0, 0};
        eo_trial_result r;
        memset(&r, 0, sizeof r);
        CHECK_OK(eo_objective_eval(obj, v, 11, 0.1, &r, &err), &err);
        CHECK_CLOSE(r.aux[0], 2, 0, 0);   /* epochs = 20 x 0.1 */
        CHECK_CLOSE(r.aux[1], 32, 0, 0);  /* latent */
        CHECK_CLOSE(r.aux[2], 8, 0, 0);   /* CR = 256 / 32 */
        CHECK(isfinite(r.fitness) && r.fitness > 0 && r.fitness < 1);
        fit[a] = r.fitness;
        eo_objective_destroy(obj);
    }
    CHECK(fit[0] != fit[1]);
    /* the searched arm's fidelity 0.1 is 1 epoch of its 10 */
    eo_objective *obj = NULL;
    CHECK_OK(eo_objective_preset("compress-cae-attention", &oo, &obj, &err), &err);
    if (obj) {
        CHECK_OK(eo_objective_prepare(obj, &err), &err);
        double v[4] = {0, 0, 0, 1};
        eo_trial_result r;
        CHECK_OK(eo_objective_eval(obj, v, 11, 0.1, &r, &err), &err);
        CHECK_CLOSE(r.aux[0], 1, 0, 0);
        CHECK(isfinite(r.fitness));
        eo_objective_destroy(obj);
    }
}

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "%s/study-test-%d", EO_TEST_BINARY_DIR, (int)getpid());
    mkdir(g_dir, 0755);
    RUN(test_basic_run);
    RUN(test_workers_determinism);
    RUN(test_resume_after_kill);
    RUN(test_crash_and_timeout);
    RUN(test_cache);
    RUN(test_bad_input);
    RUN(test_space_file);
    RUN(test_toy_preset);
    RUN(test_preset_registry);
    RUN(test_successive_halving);
    RUN(test_cae_arms);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (!eo_t_failed && system(cmd) != 0) {
    }
    TEST_END();
}
