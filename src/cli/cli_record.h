/* ecgopt command line — opening the input record a command names (the
 * record lookup and --no-verify handling every command shares). */
#ifndef ECGOPT_CLI_RECORD_H
#define ECGOPT_CLI_RECORD_H

#include "cli.h"
#include "ecgopt/report.h"
#include "ecgopt/wfdb.h"

/* Find `record` (a path or a name under --data, see eo_data_find_record),
 * its base path into base[nb], and open it as a stream (verified unless
 * --no-verify). */
eo_status eo_cli_stream_open(const eo_cli *c, const char *record, char *base, size_t nb,
                             eo_wfdb_stream **s, eo_error *err);
/* Load the whole record at `base` (verified unless --no-verify). */
eo_status eo_cli_record_load(const eo_cli *c, const char *base, eo_wfdb_record **rec, eo_error *err);
/* The annotations `base.annotator`: required, an error when missing, or
 * (optional) NULL in *a when the annotator is "none" or its file does not
 * exist. */
eo_status eo_cli_annot_read(const char *base, const char *annotator, int optional, eo_annotation_set **a,
                            eo_error *err);

/* Strip marks for the beat annotations of `a` in samples [s0, s1), each
 * labelled with its symbol (N, V, ...); *marks malloc'd (free()). */
eo_status eo_cli_annot_marks(const eo_annotation_set *a, long s0, long s1, eo_strip_mark **marks,
                             size_t *n_marks, eo_error *err);

#endif
