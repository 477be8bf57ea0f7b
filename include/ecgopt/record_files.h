/* ecgopt — which files belong to a WFDB record: the checks that keep an
 * output from destroying an input record or mixing new signals with old
 * annotations (`--force` in the command line).
 *
 * OWNER: io module. */
#ifndef ECGOPT_RECORD_FILES_H
#define ECGOPT_RECORD_FILES_H

#include "ecgopt/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when `path` is the same file as the header (base.hea) or a signal file
 * (as its header names them) of the record at `base`; 0 otherwise or when
 * base is NULL or the files do not exist. */
EO_API int eo_wfdb_is_record_file(const char *path, const char *base);

/* 1 when `ext` (without the dot) can be an annotator: 1..16 characters of
 * [A-Za-z0-9_-] and not a known other kind of file (hea, dat, csv, html ...). */
EO_API int eo_wfdb_is_annotation_ext(const char *ext);

/* The first annotation file (NAME.<annotator>) beside record `name` in
 * folder `dir`: returns 1 with its file name in found[n], else 0. */
EO_API int eo_wfdb_find_annotations(const char *dir, const char *name, char *found, size_t n);

/* Split a record path "dir/name[.hea]" into dir ("." when none, "/" for
 * "/name") and name; returns 0, or -1 when dir does not fit or the name is
 * empty. */
EO_API int eo_wfdb_split_record(const char *path, char *dir, size_t nd, char *name, size_t nn);

#ifdef __cplusplus
}
#endif
#endif
