/* Scoring a classifier on whole records the ANSI/AAMI EC57 way: classify
 * every beat (reference positions or ecgopt's own QRS detector), then match
 * the labelled beats against the reference annotations with ec57.h, so the
 * figures are the same as `ecgopt evaluate` (or WFDB's bxb) would give for
 * the annotation files `ecgopt classify` writes. */
#include <stdio.h>
#include <string.h>

#include "ecgopt/detect.h"
#include "ecgopt/ec57.h"
#include "ecgopt/ml.h"

eo_status eo_classifier_evaluate(const eo_classifier *c, const char *data_dir,
                                 const char *const *records, int n_records, int use_detector,
                                 eo_progress_fn progress, void *user, eo_ec57_result *gross,
                                 eo_ec57_result *per_record, eo_error *err)
{
    if (!c || !records || !gross)
        return eo_error_set(err, EO_STATUS_USAGE, "evaluate: NULL argument");
    if (n_records <= 0)
        return eo_error_set(err, EO_STATUS_USAGE, "evaluate: empty record list");
    memset(gross, 0, sizeof *gross);
    eo_beats_options how;
    eo_classifier_beats_options(c, &how);
    for (int r = 0; r < n_records; r++) {
        char base[4096], path[4200];
        eo_status st = eo_data_find_record(data_dir, records[r], "hea", base, sizeof base, err);
        if (st)
            return st;
        eo_annotation_set *det = NULL, *test = NULL, *ref = NULL;
        if (use_detector) {
            eo_wfdb_read_options ro;
            eo_wfdb_read_defaults(&ro);
            st = eo_detect_record(base, how.leads[0], NULL, &ro, NULL, NULL, &det, NULL, err);
        }
        if (!st)
            st = eo_classify_record(c, base, det, &test, err);
        snprintf(path, sizeof path, "%s.atr", base);
        if (!st)
            st = eo_annot_read(path, &ref, err);
        eo_ec57_result res;
        if (!st) {
            eo_ec57_options eo;
            eo_ec57_defaults(&eo, eo_classifier_fs(c));
            st = eo_ec57_compare(ref, test, &eo, &res, err);
        }
        eo_annot_set_destroy(det);
        eo_annot_set_destroy(test);
        eo_annot_set_destroy(ref);
        if (st) {
            eo_error_prefix(err, "record %s", records[r]);
            return st;
        }
        eo_ec57_add(gross, &res);
        if (per_record)
            per_record[r] = res;
        if (progress && progress(user, r + 1, n_records, "classifying"))
            return eo_error_set(err, EO_STATUS_USAGE, "evaluate: cancelled");
    }
    return EO_STATUS_OK;
}
