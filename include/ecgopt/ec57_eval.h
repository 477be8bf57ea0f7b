/* ecgopt — an EC57 evaluation of several records (the work behind `ecgopt
 * evaluate`): each record's reference and test annotations compared with
 * eo_ec57_compare (ecgopt/ec57.h), then pooled (gross), record-averaged and
 * scored per AAMI class; the result as JSON, as text tables and as an HTML
 * report. */
#ifndef ECGOPT_EC57_EVAL_H
#define ECGOPT_EC57_EVAL_H

#include "ecgopt/ec57.h"
#include "ecgopt/export.h"
#include "ecgopt/json.h"
#include "ecgopt/status.h"
#include "ecgopt/strbuf.h"
#include "ecgopt/util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eo_ec57_eval_options {
    const char *data_dir; /* records looked up with eo_data_find_record */
    const char *ref;      /* reference annotator (default atr) */
    const char *test;     /* test annotator (required) */
    const char *test_dir; /* NULL: test annotations next to the record, else DIR/NAME.test */
    eo_ec57_options ec57; /* window, learning period, escape_as_sveb (fs and end set per record) */
    eo_progress_fn progress; /* once per record; may be NULL */
    void *progress_user;
} eo_ec57_eval_options;
EO_API void eo_ec57_eval_defaults(eo_ec57_eval_options *o);

typedef struct eo_ec57_eval_record {
    const char *name;            /* as given (borrowed) */
    long ref_beats, test_beats;  /* scored: after the learning period (TP + FN, TP + FP) */
    long ref_total, test_total;  /* in the whole record */
    char test_path[4200];        /* the test annotation file read */
    eo_ec57_result r;
} eo_ec57_eval_record;

typedef struct eo_ec57_eval {
    eo_ec57_eval_options o;      /* as run (strings borrowed) */
    int n;
    eo_ec57_eval_record *recs;
    eo_ec57_result gross;
    eo_ec57_stats g, avg;        /* gross and record-averaged statistics */
    eo_ec57_class_metrics cm;
} eo_ec57_eval;

/* Compare records[0..n).  A reference with no beats is EO_STATUS_BAD_FORMAT
 * ("<path>: reference annotations contain no beats (wrong annotator?)"); a
 * test with none is allowed (test_total 0: the caller may warn).  Free *out
 * with eo_ec57_eval_free (also after a failure). */
EO_API eo_status eo_ec57_evaluate(const eo_ec57_eval_options *o, const char *const *records, int n,
                                  eo_ec57_eval *out, eo_error *err);
EO_API void eo_ec57_eval_free(eo_ec57_eval *e);

/* reference, test, match_window_s, learning_period_s, escape_as_sveb,
 * records [...], gross, average, classes as members of an open object. */
EO_API void eo_ec57_eval_json(eo_json *j, const eo_ec57_eval *e);
/* The text of `ecgopt evaluate`: settings, per-record table, gross and
 * average rows, confusion matrix, per-class table. */
EO_API void eo_ec57_eval_text(eo_strbuf *b, const eo_ec57_eval *e);
/* HTML report: the gross matrix heat map, EC57 rows, per-record table. */
EO_API eo_status eo_ec57_eval_report(const eo_ec57_eval *e, const char *path, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
