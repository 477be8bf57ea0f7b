/* ecgopt command line — opening the input record a command names (the
 * record lookup and --no-verify handling every command shares). */
#ifndef ECGOPT_CLI_RECORD_H
#define ECGOPT_CLI_RECORD_H

#include "cli.h"
#include "ecgopt/wfdb.h"

/* Find `record` (a path or a name under --data, see eo_data_find_record),
 * its base path into base[nb], and open it as a stream (verified unless
 * --no-verify). */
eo_status eo_cli_stream_open(const eo_cli *c, const char *record, char *base, size_t nb,
                             eo_wfdb_stream **s, eo_error *err);
/* Load the whole record at `base` (verified unless --no-verify). */
eo_status eo_cli_record_load(const eo_cli *c, const char *base, eo_wfdb_record **rec, eo_error *err);

#endif
