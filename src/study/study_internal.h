/* Internal interface between study.c and store_sqlite.c / cache.c. */
#ifndef EO_STUDY_INTERNAL_H
#define EO_STUDY_INTERNAL_H

#include <sqlite3.h>

#include "ecgopt/study.h"

#define EO_STUDY_SCHEMA 1

/* store_sqlite.c */
/* Open an existing study file or create a new one.  *created = 1 for a new
 * file.  Checks that an existing file is an ecgopt study. */
eo_status eo_store_open(const char *path, int readonly, sqlite3 **db, int *created, eo_error *err);
void eo_store_close(sqlite3 *db);
eo_status eo_store_exec(sqlite3 *db, const char *path, const char *sql, eo_error *err);
/* meta table */
eo_status eo_store_meta_get(sqlite3 *db, const char *path, const char *key, char *buf, size_t n,
                            int *found, eo_error *err);
eo_status eo_store_meta_set(sqlite3 *db, const char *path, const char *key, const char *value,
                            eo_error *err);
/* runs */
eo_status eo_store_run_find(sqlite3 *db, const char *path, const char *optimizer, uint64_t seed,
                            long long *id, unsigned char **state, size_t *state_n,
                            double *seconds, eo_error *err);
eo_status eo_store_run_insert(sqlite3 *db, const char *path, const char *optimizer, uint64_t seed,
                              long long pop, const char *params, long long *id, eo_error *err);
eo_status eo_store_run_checkpoint(sqlite3 *db, const char *path, long long id,
                                  const unsigned char *state, size_t n, long long iterations,
                                  double seconds, int finished, eo_error *err);
/* trials */
eo_status eo_store_trial_get(sqlite3 *db, const char *path, long long run, long long iteration,
                             long long position, eo_study_trial *t, int *found, eo_error *err);
eo_status eo_store_trial_put(sqlite3 *db, const char *path, const eo_study_trial *t,
                             const eo_space *space, size_t dim, const char *error_msg,
                             const char *cache_key, eo_error *err);
long long eo_store_trial_count(sqlite3 *db, long long run);
eo_status eo_store_best(sqlite3 *db, const char *path, long long run, eo_study_trial *t,
                        int *found, eo_error *err);
/* cache (cache.c) */
eo_status eo_cache_get(sqlite3 *db, const char *path, const char *key, eo_study_trial *t,
                       int *found, eo_error *err);
/* Key of a configuration: its decoded values, exactly ("%.17g" joined). */
void eo_cache_key(const double *values, size_t dim, char *key, size_t n);
/* Per-configuration seed from the key and the study's data seed. */
uint64_t eo_cache_seed(const char *key, uint64_t data_seed);

#endif
