/* SQLite storage of a study: meta (objective, space fingerprint, data seed,
 * version), runs (one per optimiser and seed, with the checkpointed
 * optimiser state), trials (one row per finished trial, written in its own
 * transaction), cache (configuration -> result) and results (the winner's
 * test figures).  WAL journal with synchronous=NORMAL: a committed trial
 * survives the process being killed (the guarantee a study needs); an OS
 * crash may lose the last transactions, never corrupt the file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/strbuf.h"
#include "ecgopt/version.h"
#include "study/study_internal.h"

static const char *SCHEMA =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, optimizer TEXT NOT NULL,"
    " seed INTEGER NOT NULL, pop INTEGER, params TEXT, state BLOB, iterations INTEGER DEFAULT 0,"
    " seconds REAL DEFAULT 0, finished INTEGER DEFAULT 0, UNIQUE(optimizer, seed));"
    "CREATE TABLE IF NOT EXISTS trials(run INTEGER NOT NULL, iteration INTEGER NOT NULL,"
    " position INTEGER NOT NULL, number INTEGER NOT NULL, params TEXT, x BLOB, fitness REAL,"
    " fidelity REAL, status INTEGER NOT NULL, cached INTEGER NOT NULL, wall_s REAL,"
    " seed INTEGER, version TEXT, aux BLOB, info TEXT, error TEXT,"
    " PRIMARY KEY(run, iteration, position));"
    "CREATE TABLE IF NOT EXISTS cache(key TEXT PRIMARY KEY, fitness REAL, fidelity REAL,"
    " wall_s REAL, aux BLOB, info TEXT);"
    "CREATE TABLE IF NOT EXISTS results(run INTEGER NOT NULL, key TEXT NOT NULL, value REAL,"
    " PRIMARY KEY(run, key));";

static eo_status sqlfail(sqlite3 *db, const char *path, eo_error *err)
{
    int code = sqlite3_errcode(db);
    eo_status st = (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) ? EO_STATUS_BAD_FORMAT
                   : code == SQLITE_NOMEM                           ? EO_STATUS_NO_MEMORY
                                                                    : EO_STATUS_IO;
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
        return eo_error_set(err, st, "%s: not a study database (corrupt or another kind of file: %s)",
                            path, sqlite3_errmsg(db));
    return eo_error_set(err, st, "%s: sqlite: %s", path, sqlite3_errmsg(db));
}

eo_status eo_store_exec(sqlite3 *db, const char *path, const char *sql, eo_error *err)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sqlfail(db, path, err);
    return EO_STATUS_OK;
}

void eo_store_close(sqlite3 *db)
{
    if (db)
        sqlite3_close(db);
}

eo_status eo_store_open(const char *path, int readonly, sqlite3 **out, int *created, eo_error *err)
{
    *out = NULL;
    int exists = access(path, F_OK) == 0;
    if (created)
        *created = !exists;
    if (!exists && readonly)
        return eo_error_set(err, EO_STATUS_NOT_FOUND, "%s: no such study file", path);
    sqlite3 *db = NULL;
    int flags = readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        eo_status st = eo_error_set(err, EO_STATUS_IO, "%s: cannot open: %s", path,
                                    db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return st;
    }
    sqlite3_busy_timeout(db, 10000);
    eo_status st = EO_STATUS_OK;
    if (exists) {
        /* an existing file must already be a study: read before writing */
        char fmt[64];
        int found = 0;
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='format'", -1, &q, NULL) !=
            SQLITE_OK) {
            if (sqlite3_errcode(db) == SQLITE_ERROR)
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                  "%s: not an ecgopt study (no meta table)", path);
            else
                st = sqlfail(db, path, err);
        } else {
            if (sqlite3_step(q) == SQLITE_ROW) {
                snprintf(fmt, sizeof fmt, "%s", (const char *)sqlite3_column_text(q, 0));
                found = 1;
            }
            sqlite3_finalize(q);
            if (!found || strcmp(fmt, "ecgopt-study") != 0)
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: not an ecgopt study", path);
        }
        if (st == EO_STATUS_OK) {
            char ver[32];
            st = eo_store_meta_get(db, path, "schema", ver, sizeof ver, &found, err);
            if (st == EO_STATUS_OK && (!found || atoi(ver) != EO_STUDY_SCHEMA))
                st = eo_error_set(err, EO_STATUS_UNSUPPORTED,
                                  "%s: study schema %s, this ecgopt reads %d", path,
                                  found ? ver : "?", EO_STUDY_SCHEMA);
        }
    }
    if (st == EO_STATUS_OK && !readonly) {
        st = eo_store_exec(db, path, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", err);
        if (st == EO_STATUS_OK && !exists) {
            st = eo_store_exec(db, path, "BEGIN", err);
            if (st == EO_STATUS_OK)
                st = eo_store_exec(db, path, SCHEMA, err);
            if (st == EO_STATUS_OK)
                st = eo_store_meta_set(db, path, "format", "ecgopt-study", err);
            char buf[16];
            snprintf(buf, sizeof buf, "%d", EO_STUDY_SCHEMA);
            if (st == EO_STATUS_OK)
                st = eo_store_meta_set(db, path, "schema", buf, err);
            if (st == EO_STATUS_OK)
                st = eo_store_meta_set(db, path, "version", EO_VERSION_STRING, err);
            if (st == EO_STATUS_OK)
                st = eo_store_exec(db, path, "COMMIT", err);
            else
                sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        }
    }
    if (st != EO_STATUS_OK) {
        sqlite3_close(db);
        if (!exists && !readonly)
            unlink(path); /* our own half-made file */
        return st;
    }
    *out = db;
    return EO_STATUS_OK;
}

eo_status eo_store_meta_get(sqlite3 *db, const char *path, const char *key, char *buf, size_t n,
                            int *found, eo_error *err)
{
    sqlite3_stmt *q = NULL;
    *found = 0;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key=?", -1, &q, NULL) != SQLITE_OK)
        return sqlfail(db, path, err);
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(q, 0);
        snprintf(buf, n, "%s", t ? (const char *)t : "");
        *found = 1;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlfail(db, path, err);
    return EO_STATUS_OK;
}

eo_status eo_store_meta_set(sqlite3 *db, const char *path, const char *key, const char *value,
                            eo_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key,value) VALUES(?,?)", -1, &q,
                           NULL) != SQLITE_OK)
        return sqlfail(db, path, err);
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? EO_STATUS_OK : sqlfail(db, path, err);
}

eo_status eo_store_run_find(sqlite3 *db, const char *path, const char *optimizer, uint64_t seed,
                            long long *id, unsigned char **state, size_t *state_n,
                            double *seconds, eo_error *err)
{
    sqlite3_stmt *q = NULL;
    *id = -1;
    *state = NULL;
    *state_n = 0;
    *seconds = 0;
    if (sqlite3_prepare_v2(db, "SELECT id, state, seconds FROM runs WHERE optimizer=? AND seed=?",
                           -1, &q, NULL) != SQLITE_OK)
        return sqlfail(db, path, err);
    sqlite3_bind_text(q, 1, optimizer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)seed);
    int rc = sqlite3_step(q);
    eo_status st = EO_STATUS_OK;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(q, 0);
        int nb = sqlite3_column_bytes(q, 1);
        const void *b = sqlite3_column_blob(q, 1);
        if (b && nb > 0) {
            *state = malloc((size_t)nb);
            if (!*state)
                st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
            else {
                memcpy(*state, b, (size_t)nb);
                *state_n = (size_t)nb;
            }
        }
        *seconds = sqlite3_column_double(q, 2);
    } else if (rc != SQLITE_DONE) {
        st = sqlfail(db, path, err);
    }
    sqlite3_finalize(q);
    return st;
}

eo_status eo_store_run_insert(sqlite3 *db, const char *path, const char *optimizer, uint64_t seed,
                              long long pop, const char *params, long long *id, eo_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "INSERT INTO runs(optimizer, seed, pop, params) VALUES(?,?,?,?)",
                           -1, &q, NULL) != SQLITE_OK)
        return sqlfail(db, path, err);
    sqlite3_bind_text(q, 1, optimizer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)seed);
    sqlite3_bind_int64(q, 3, pop);
    sqlite3_bind_text(q, 4, params ? params : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return sqlfail(db, path, err);
    *id = sqlite3_last_insert_rowid(db);
    return EO_STATUS_OK;
}

eo_status eo_store_run_checkpoint(sqlite3 *db, const char *path, long long id,
                                  const unsigned char *state, size_t n, long long iterations,
                                  double seconds, int finished, eo_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db,
                           "UPDATE runs SET state=?, iterations=?, seconds=?, finished=? WHERE id=?",
                           -1, &q, NULL) != SQLITE_OK)
        return sqlfail(db, path, err);
    sqlite3_bind_blob(q, 1, state, (int)n, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, iterations);
    sqlite3_bind_double(q, 3, seconds);
    sqlite3_bind_int(q, 4, finished);
    sqlite3_bind_int64(q, 5, id);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? EO_STATUS_OK : sqlfail(db, path, err);
}

/* columns: 0 run 1 iteration 2 position 3 number 4 x 5 fitness 6 fidelity 7 status
 * 8 cached 9 wall_s 10 seed 11 aux 12 info */
#define TRIAL_COLS "run, iteration, position, number, x, fitness, fidelity, status, cached," \
                   " wall_s, seed, aux, info"

static void read_trial(sqlite3_stmt *q, eo_study_trial *t)
{
    memset(t, 0, sizeof *t);
    t->run = sqlite3_column_int64(q, 0);
    t->iteration = sqlite3_column_int64(q, 1);
    t->position = sqlite3_column_int64(q, 2);
    t->number = sqlite3_column_int64(q, 3);
    int nb = sqlite3_column_bytes(q, 4);
    const void *b = sqlite3_column_blob(q, 4);
    if (b && nb > 0) {
        size_t k = (size_t)nb / sizeof(double);
        if (k > 32)
            k = 32;
        memcpy(t->values, b, k * sizeof(double));
    }
    t->fitness = sqlite3_column_type(q, 5) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 5);
    t->fidelity = sqlite3_column_double(q, 6);
    t->status = (eo_trial_status)sqlite3_column_int(q, 7);
    t->cached = sqlite3_column_int(q, 8);
    t->wall_s = sqlite3_column_double(q, 9);
    t->seed = (uint64_t)sqlite3_column_int64(q, 10);
    nb = sqlite3_column_bytes(q, 11);
    b = sqlite3_column_blob(q, 11);
    if (b && nb == (int)sizeof t->aux)
        memcpy(t->aux, b, sizeof t->aux);
    const unsigned char *s = sqlite3_column_text(q, 12);
    if (s)
        snprintf(t->info, sizeof t->info, "%s", (const char *)s);
}

eo_status eo_store_trial_get(sqlite3 *db, const char *path, long long run, long long iteration,
                             long long position, eo_study_trial *t, int *found, eo_error *err)
{
    sqlite3_stmt *q = NULL;
    *found = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT " TRIAL_COLS
                           " FROM trials WHERE run=? AND iteration=? AND position=?",
                           -1, &q, NULL) != SQLITE_OK)
        return sqlfail(db, path, err);
    sqlite3_bind_int64(q, 1, run);
    sqlite3_bind_int64(q, 2, iteration);
    sqlite3_bind_int64(q, 3, position);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        read_trial(q, t);
        *found = 1;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlfail(db, path, err);
    return EO_STATUS_OK;
}

long long eo_store_trial_count(sqlite3 *db, long long run)
{
    sqlite3_stmt *q = NULL;
    long long n = 0;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM trials WHERE run=?", -1, &q, NULL) !=
        SQLITE_OK)
        return 0;
    sqlite3_bind_int64(q, 1, run);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

eo_status eo_store_best(sqlite3 *db, const char *path, long long run, eo_study_trial *t,
                        int *found, eo_error *err)
{
    sqlite3_stmt *q = NULL;
    *found = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT " TRIAL_COLS " FROM trials WHERE run=? AND status=0 AND fidelity>=1-1e-9"
                           " ORDER BY fitness, iteration, position LIMIT 1",
                           -1, &q, NULL) != SQLITE_OK)
        return sqlfail(db, path, err);
    sqlite3_bind_int64(q, 1, run);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        read_trial(q, t);
        *found = 1;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlfail(db, path, err);
    return EO_STATUS_OK;
}

/* Parameters as a JSON object {"name": value, ...} (category names quoted). */
static void params_json(eo_strbuf *b, const eo_space *space, const double *v, size_t dim)
{
    eo_strbuf_append(b, "{");
    for (size_t i = 0; i < dim; i++) {
        eo_strbuf_printf(b, "%s\"%s\": ", i ? ", " : "", eo_space_name(space, i));
        if (eo_space_kind(space, i) == EO_PARAM_CATEGORICAL) {
            const char *c = eo_space_choice(space, i, (size_t)v[i]);
            eo_strbuf_printf(b, "\"%s\"", c ? c : "?");
        } else {
            eo_strbuf_printf(b, "%.10g", v[i]);
        }
    }
    eo_strbuf_append(b, "}");
}

eo_status eo_store_trial_put(sqlite3 *db, const char *path, const eo_study_trial *t,
                             const eo_space *space, size_t dim, const char *error_msg,
                             const char *cache_key, eo_error *err)
{
    eo_status st = eo_store_exec(db, path, "BEGIN IMMEDIATE", err);
    if (st != EO_STATUS_OK)
        return st;
    eo_strbuf pj;
    eo_strbuf_init(&pj);
    params_json(&pj, space, t->values, dim);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(
        db,
        "INSERT INTO trials(run, iteration, position, number, params, x, fitness, fidelity,"
        " status, cached, wall_s, seed, version, aux, info, error)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        -1, &q, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, t->run);
        sqlite3_bind_int64(q, 2, t->iteration);
        sqlite3_bind_int64(q, 3, t->position);
        sqlite3_bind_int64(q, 4, t->number);
        sqlite3_bind_text(q, 5, eo_strbuf_str(&pj), -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(q, 6, t->values, (int)((dim < 32 ? dim : 32) * sizeof(double)),
                          SQLITE_STATIC);
        if (t->status == EO_TRIAL_OK && isfinite(t->fitness))
            sqlite3_bind_double(q, 7, t->fitness);
        else
            sqlite3_bind_null(q, 7);
        sqlite3_bind_double(q, 8, t->fidelity);
        sqlite3_bind_int(q, 9, (int)t->status);
        sqlite3_bind_int(q, 10, t->cached);
        sqlite3_bind_double(q, 11, t->wall_s);
        sqlite3_bind_int64(q, 12, (sqlite3_int64)t->seed);
        sqlite3_bind_text(q, 13, EO_VERSION_STRING, -1, SQLITE_STATIC);
        sqlite3_bind_blob(q, 14, t->aux, (int)sizeof t->aux, SQLITE_STATIC);
        sqlite3_bind_text(q, 15, t->info, -1, SQLITE_STATIC);
        if (error_msg && *error_msg)
            sqlite3_bind_text(q, 16, error_msg, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(q, 16);
        rc = sqlite3_step(q);
        sqlite3_finalize(q);
        rc = rc == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    eo_strbuf_destroy(&pj);
    if (rc == SQLITE_OK && cache_key && t->status == EO_TRIAL_OK && !t->cached) {
        rc = sqlite3_prepare_v2(db,
                                "INSERT OR REPLACE INTO cache(key, fitness, fidelity, wall_s, aux,"
                                " info) VALUES(?,?,?,?,?,?)",
                                -1, &q, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_text(q, 1, cache_key, -1, SQLITE_STATIC);
            sqlite3_bind_double(q, 2, t->fitness);
            sqlite3_bind_double(q, 3, t->fidelity);
            sqlite3_bind_double(q, 4, t->wall_s);
            sqlite3_bind_blob(q, 5, t->aux, (int)sizeof t->aux, SQLITE_STATIC);
            sqlite3_bind_text(q, 6, t->info, -1, SQLITE_STATIC);
            rc = sqlite3_step(q);
            sqlite3_finalize(q);
            rc = rc == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        }
    }
    if (rc != SQLITE_OK) {
        st = sqlfail(db, path, err);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return st;
    }
    return eo_store_exec(db, path, "COMMIT", err);
}
