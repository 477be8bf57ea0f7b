/* Cache of evaluated configurations: none of the papers reuse results, but
 * their spaces are small and discrete (compress-cae: 4x3x3x3 = 108
 * configurations for 3 x 600 evaluations), so a population-based search
 * revisits the same configuration many times.  The key is the exact decoded
 * values; the configuration's seed is derived from the key so that a cached
 * result is exactly what a re-evaluation would return. */
#include <stdio.h>
#include <string.h>

#include "study/study_internal.h"

void eo_cache_key(const double *values, size_t dim, char *key, size_t n)
{
    size_t used = 0;
    key[0] = '\0';
    for (size_t i = 0; i < dim && used + 1 < n; i++) {
        int k = snprintf(key + used, n - used, "%s%.17g", i ? "," : "", values[i]);
        if (k < 0)
            break;
        used += (size_t)k;
    }
}

uint64_t eo_cache_seed(const char *key, uint64_t data_seed)
{
    /* FNV-1a over the key, then one splitmix64 round with the data seed */
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    uint64_t z = h ^ (data_seed + 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return z & 0x7FFFFFFFFFFFFFFFULL; /* fits SQLite's signed integer */
}

eo_status eo_cache_get(sqlite3 *db, const char *path, const char *key, eo_study_trial *t,
                       int *found, eo_error *err)
{
    sqlite3_stmt *q = NULL;
    *found = 0;
    if (sqlite3_prepare_v2(db, "SELECT fitness, fidelity, wall_s, aux, info FROM cache WHERE key=?",
                           -1, &q, NULL) != SQLITE_OK)
        return eo_error_set(err, EO_STATUS_IO, "%s: sqlite: %s", path, sqlite3_errmsg(db));
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        t->fitness = sqlite3_column_double(q, 0);
        t->fidelity = sqlite3_column_double(q, 1);
        t->wall_s = sqlite3_column_double(q, 2);
        int nb = sqlite3_column_bytes(q, 3);
        const void *b = sqlite3_column_blob(q, 3);
        if (b && nb == (int)sizeof t->aux)
            memcpy(t->aux, b, sizeof t->aux);
        const unsigned char *s = sqlite3_column_text(q, 4);
        snprintf(t->info, sizeof t->info, "%s", s ? (const char *)s : "");
        t->status = EO_TRIAL_OK;
        *found = 1;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return eo_error_set(err, EO_STATUS_IO, "%s: sqlite: %s", path, sqlite3_errmsg(db));
    return EO_STATUS_OK;
}
