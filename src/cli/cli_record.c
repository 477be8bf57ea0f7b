/* ecgopt command line — opening the input record a command names. */
#include "cli_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

eo_status eo_cli_annot_read(const char *base, const char *annotator, int optional, eo_annotation_set **a,
                            eo_error *err)
{
    char apath[4200];
    *a = NULL;
    snprintf(apath, sizeof apath, "%s.%s", base, annotator);
    if (optional && (strcmp(annotator, "none") == 0 || access(apath, F_OK) != 0))
        return EO_STATUS_OK;
    return eo_annot_read(apath, a, err);
}

eo_status eo_cli_annot_marks(const eo_annotation_set *a, long s0, long s1, eo_strip_mark **marks,
                             size_t *n_marks, eo_error *err)
{
    eo_report_beat *beats = calloc(a->n + 1, sizeof *beats);
    size_t n_beats = 0;
    if (!beats)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "annotations: out of memory");
    for (size_t i = 0; i < a->n; i++)
        if (eo_annot_is_beat(a->items[i].code)) {
            beats[n_beats].sample = a->items[i].sample;
            beats[n_beats++].label = eo_annot_code_symbol(a->items[i].code);
        }
    eo_status st = eo_report_pair_beats(NULL, 0, beats, n_beats, 0, s0, s1, marks, n_marks, NULL, err);
    free(beats);
    return st;
}
