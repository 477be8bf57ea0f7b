/* ecgopt command line — opening the input record a command names. */
#include "cli_record.h"

#include "ecgopt/util.h"

static void read_options(const eo_cli *c, eo_wfdb_read_options *ro)
{
    eo_wfdb_read_defaults(ro);
    ro->verify = c->verify;
}

eo_status eo_cli_stream_open(const eo_cli *c, const char *record, char *base, size_t nb,
                             eo_wfdb_stream **s, eo_error *err)
{
    eo_wfdb_read_options ro;
    read_options(c, &ro);
    eo_status st = eo_data_find_record(c->data_dir, record, "hea", base, nb, err);
    return st ? st : eo_wfdb_stream_open(base, &ro, s, err);
}

eo_status eo_cli_record_load(const eo_cli *c, const char *base, eo_wfdb_record **rec, eo_error *err)
{
    eo_wfdb_read_options ro;
    read_options(c, &ro);
    return eo_wfdb_record_load(base, &ro, rec, err);
}
