/* ecgopt command line — opening the input record a command names. */
#include "cli_record.h"

#include <stdio.h>

#include "ecgopt/record_report.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb_export.h"

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

eo_status eo_cli_annot_read(const char *base, const char *annotator, int optional, eo_annotation_set **a,
                            eo_error *err)
{
    return eo_annot_read_beside(base, annotator, optional, a, err);
}

eo_status eo_cli_annot_marks(const eo_annotation_set *a, long s0, long s1, eo_strip_mark **marks,
                             size_t *n_marks, eo_error *err)
{
    return eo_annot_strip_marks(a, s0, s1, marks, n_marks, err);
}
