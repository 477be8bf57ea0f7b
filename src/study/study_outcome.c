/* The outcome of one optimiser's run of a study (`ecgopt tune`): its best
 * trial and, unless skipped, the winner retrained and evaluated once on the
 * test split, the figures recorded in the study file. */
#include <math.h>

#include "ecgopt/study_show.h"

eo_status eo_study_run_outcome(eo_study *st, eo_objective *obj, int final, const char *model_path,
                               eo_study_trial *best, eo_study_run_summary *s, eo_error *err)
{
    s->best = NULL;
    s->error = NULL;
    s->n_test = 0;
    for (int k = 0; k < 4; k++) {
        s->test_names[k] = NULL;
        s->test[k] = NAN;
    }
    eo_status rc = eo_study_best(st, best, err);
    if (rc) {
        s->error = err ? err->msg : "";
        return rc;
    }
    s->best = best;
    if (!final)
        return EO_STATUS_OK;
    rc = eo_objective_finalize(obj, best->values, best->seed, model_path, s->test, s->test_names,
                               &s->n_test, err);
    for (int k = 0; !rc && k < s->n_test; k++)
        eo_study_set_result(st, s->test_names[k], s->test[k], NULL);
    return rc;
}
