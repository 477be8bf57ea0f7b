/* EC57 evaluation of several records (`ecgopt evaluate`): per record,
 * pooled, averaged and per class. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "ecgopt/ec57_eval.h"

void eo_ec57_eval_defaults(eo_ec57_eval_options *o)
{
    memset(o, 0, sizeof *o);
    o->ref = "atr";
    eo_ec57_defaults(&o->ec57, 360.0);
}

void eo_ec57_eval_free(eo_ec57_eval *e)
{
    free(e->recs);
    memset(e, 0, sizeof *e);
}

/* The scoring period ends with the record (bxb). */
static eo_status header_options(const char *base, const eo_ec57_options *in, eo_ec57_options *o, eo_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s.hea", base);
    eo_wfdb_header *h = NULL;
    eo_status st = eo_wfdb_header_read(path, &h, err);
    if (st)
        return st;
    *o = *in;
    o->fs_hz = h->fs_hz;
    o->end_sample = h->n_samples > 0 ? h->n_samples : 0;
    eo_wfdb_header_destroy(h);
    return EO_STATUS_OK;
}

/* Load, check and compare one record. */
static eo_status one(const eo_ec57_eval_options *eo, eo_ec57_eval_record *out, eo_error *err)
{
    char base[4096], path[4400];
    eo_ec57_options o;
    eo_annotation_set *ref = NULL, *test = NULL;
    eo_status st = eo_data_find_record(eo->data_dir, out->name, "hea", base, sizeof base, err);
    if (!st)
        st = header_options(base, &eo->ec57, &o, err);
    snprintf(path, sizeof path, "%s.%s", base, eo->ref);
    if (!st)
        st = eo_annot_read(path, &ref, err);
    out->ref_total = ref ? (long)eo_ec57_count_beats(ref) : 0;
    if (!st && out->ref_total == 0)
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: reference annotations contain no beats (wrong annotator?)",
                          path);
    const char *name = strrchr(base, '/') ? strrchr(base, '/') + 1 : base;
    if (eo->test_dir)
        snprintf(out->test_path, sizeof out->test_path, "%s/%s.%s", eo->test_dir, name, eo->test);
    else
        snprintf(out->test_path, sizeof out->test_path, "%s.%s", base, eo->test);
    if (!st)
        st = eo_annot_read(out->test_path, &test, err);
    out->test_total = test ? (long)eo_ec57_count_beats(test) : 0;
    if (!st && (st = eo_ec57_compare(ref, test, &o, &out->r, err)))
        eo_error_prefix(err, "%s", out->name);
    if (!st) {
        /* the columns count what was scored, as TP + FN and TP + FP do */
        eo_ec57_stats s;
        eo_ec57_stats_of(&out->r, &s);
        out->ref_beats = s.qtp + s.qfn;
        out->test_beats = s.qtp + s.qfp;
    }
    eo_annot_set_destroy(ref);
    eo_annot_set_destroy(test);
    return st;
}

eo_status eo_ec57_evaluate(const eo_ec57_eval_options *o, const char *const *records, int n, eo_ec57_eval *e,
                           eo_error *err)
{
    memset(e, 0, sizeof *e);
    e->o = *o;
    if (!o->test || !o->ref || n < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "evaluate: needs a test and a reference annotator and records");
    e->recs = eo_calloc((size_t)n, sizeof *e->recs);
    eo_ec57_result *all = eo_calloc((size_t)n, sizeof *all);
    eo_status st = e->recs && all ? EO_STATUS_OK : eo_error_set(err, EO_STATUS_NO_MEMORY, "evaluate: out of memory");
    for (int k = 0; k < n && !st; k++) {
        e->recs[k].name = records[k];
        e->n = k + 1;
        st = one(o, &e->recs[k], err);
        if (st)
            break;
        all[k] = e->recs[k].r;
        eo_ec57_add(&e->gross, &e->recs[k].r);
        if (o->progress)
            o->progress(o->progress_user, k + 1, n, "evaluate");
    }
    if (!st) {
        eo_ec57_stats_of(&e->gross, &e->g);
        eo_ec57_average(all, (size_t)n, &e->avg);
        eo_ec57_class_metrics_of(&e->gross, &e->cm);
    }
    free(all);
    return st;
}
