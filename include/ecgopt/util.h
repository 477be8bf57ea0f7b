/* ecgopt — small shared utilities: atomic file writes, CRC32, data-path
 * lookup, progress callbacks, timing. */
#ifndef ECGOPT_UTIL_H
#define ECGOPT_UTIL_H

#include "ecgopt/export.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- atomic writes: data goes to "<path>.tmp.<pid>" and is renamed into
 * place only when complete, so a crash never leaves a half-written file.
 * A path that exists and is not a regular file (device, named pipe, socket,
 * symbolic link; /dev/stdout) is written straight through instead, never
 * replaced; its tmp_path is then empty. */
typedef struct eo_atomic_file {
    FILE *fp;
    char path[4096];
    char tmp_path[4128];
} eo_atomic_file;

EO_API eo_status eo_atomic_open(eo_atomic_file *af, const char *path, eo_error *err);
/* Flush, fsync, close and rename into place. */
EO_API eo_status eo_atomic_commit(eo_atomic_file *af, eo_error *err);
/* Close and remove the temporary file (safe to call after a failed commit). */
EO_API void eo_atomic_abort(eo_atomic_file *af);
/* Write a whole buffer atomically. */
EO_API eo_status eo_write_file_atomic(const char *path, const void *data, size_t n, eo_error *err);
/* The directory part of path into dir[n]: "." when path has no '/', "/"
 * for a file in the root (truncated to fit n). */
EO_API void eo_path_dir(const char *path, char *dir, size_t n);
/* Check, before any work, that path can be written as eo_atomic_open would
 * write it: not a directory, its directory exists, a temporary file can be
 * created there (made and removed at once), or, for a device/pipe/link, it
 * is writable.  Creates nothing that remains; the message names path. */
EO_API eo_status eo_output_check(const char *path, eo_error *err);
/* 1 when a and b both exist and are the same file (device and inode, so
 * another spelling of the path is caught), else 0. */
EO_API int eo_same_file(const char *a, const char *b);
/* Read a whole file into a malloc'd buffer (NUL-terminated for convenience). */
EO_API eo_status eo_read_file(const char *path, unsigned char **data, size_t *n, eo_error *err);

/* ---- CRC-32 (IEEE 802.3, as zlib and PNG).  Start with crc = 0. */
EO_API uint32_t eo_crc32(uint32_t crc, const void *data, size_t n);

/* ---- data lookup.  Directories searched, in order: cli_dir (--data) if not
 * NULL, $ECGOPT_DATA, ./data, ../shared/data.  Fills dirs[] with those that
 * exist; returns their count. */
EO_API int eo_data_dirs(const char *cli_dir, char dirs[][4096], int max_dirs);

/* Find a file for a record: `name` may be a path (with or without
 * extension ".hea"), or a record name such as "100" or "mitdb/100" looked up
 * in each data directory and in its immediate sub-directories.  On success
 * writes the record's base path (without extension) to out.  `ext` is the
 * extension that must exist, e.g. "hea".  On failure the message says where
 * it looked and how to fetch (`ecgopt fetch mitdb`). */
EO_API eo_status eo_data_find_record(const char *cli_dir, const char *name, const char *ext,
                              char *out, size_t out_size, eo_error *err);

/* ---- progress: long operations call this with done/total; the CLI draws a
 * bar with ETA on stderr.  Returning non-zero asks the operation to stop. */
typedef int (*eo_progress_fn)(void *user, double done, double total, const char *what);

/* Monotonic seconds. */
EO_API double eo_time_now(void);

/* Join dir and name with '/' into out; returns 0 or -1 if truncated. */
EO_API int eo_path_join(char *out, size_t n, const char *dir, const char *name);

/* The k-th smallest of v[0..n) (k < n) by Wirth's selection: reorders v so
 * that v[0..k) <= v[k] <= v[k+1..n) and returns v[k] (select.c). */
EO_API double eo_select_kth(double *v, size_t n, size_t k);
EO_API float eo_select_kth_float(float *v, size_t n, size_t k);

#ifdef __cplusplus
}
#endif
#endif
