/* ecgopt — a study as JSON or text (`ecgopt study show`, `ecgopt tune`):
 * its runs, best trials, the compress-cae presets' Table I (Krishna n.d.),
 * the convergence of each run, a comparison of several study files; each
 * trial and each run's summary as `tune` reports them.
 *
 * OWNER: study module.  Text goes into an eo_strbuf, JSON through eo_json:
 * the caller decides where it is printed. */
#ifndef ECGOPT_STUDY_SHOW_H
#define ECGOPT_STUDY_SHOW_H

#include "ecgopt/export.h"

#include "ecgopt/json.h"
#include "ecgopt/opt.h"
#include "ecgopt/strbuf.h"
#include "ecgopt/study.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Study `in` (read from `path`) with its `top` best trials: one JSON
 * object {study, objective, version, runs [...with convergence], top [...]},
 * or the text tables.  EO_STATUS_NO_MEMORY when the ranking cannot be made. */
EO_API eo_status eo_study_info_json(eo_json *j, const char *path, const eo_study_info *in, long top,
                                    eo_error *err);
EO_API eo_status eo_study_info_text(eo_strbuf *b, const char *path, const eo_study_info *in, long top,
                                    eo_error *err);
/* Several study files: one row per run of every file (evaluations = trials
 * that were not cache hits); when every file is a compress-cae arm, also
 * Table I across the arms. */
EO_API void eo_study_comparison_text(eo_strbuf *b, const char *const *paths,
                                     eo_study_info *const *ins, int n);

/* Values of a point of `sp` as a JSON object {name: value}, category names
 * for categorical parameters (at most the first 32). */
EO_API void eo_space_values_json(eo_json *j, const eo_space *sp, const double *v);

/* One trial of a run as `tune --json` streams it: {"event":"trial", ...}. */
EO_API void eo_study_trial_json(eo_json *j, const char *optimizer, const eo_space *sp,
                                const eo_study_trial *t, double best);

/* The outcome of one optimiser's run: its best trial (NULL: no successful
 * trial, `error` says why) and the winner's test-split figures. */
typedef struct eo_study_run_summary {
    const char *study, *objective, *optimizer;
    const eo_study_trial *best; /* NULL: none */
    const char *error;          /* when best is NULL */
    int n_test;
    const char *test_names[4];
    double test[4];
} eo_study_run_summary;
/* The outcome of the run of study st into s (study, objective, optimizer
 * set by the caller): its best trial into *best (s->best = best), then,
 * when `final`, the winner retrained with its seed (saved at model_path
 * unless NULL) and evaluated once on the test split, the figures recorded
 * in the study and in s->test.  No best trial: s->best NULL, s->error its
 * reason, and that status returned; a failed final evaluation returns its
 * status with s->best set. */
EO_API eo_status eo_study_run_outcome(eo_study *st, eo_objective *obj, int final, const char *model_path,
                                      eo_study_trial *best, eo_study_run_summary *s, eo_error *err);
/* {"event":"run", study, objective, optimizer, best, params, info | error, <test>...} */
EO_API void eo_study_run_summary_json(eo_json *j, const eo_space *sp, const eo_study_run_summary *s);
/* "ga: best 2 (toy) at a=2 b=-1 c=x test_x=..." or "ga: no successful trial (why)" */
EO_API void eo_study_run_summary_text(eo_strbuf *b, const eo_space *sp, const eo_study_run_summary *s);

#ifdef __cplusplus
}
#endif
#endif
