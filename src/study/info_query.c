/* Questions asked of a loaded study file (eo_study_info): its successful
 * trials ranked, a run's optimiser, a run's convergence curve.  Used by
 * `study show` and the study report. */
#include <math.h>
#include <stdlib.h>

#include "ecgopt/study.h"

static int cmp_fit(const void *a, const void *b)
{
    const eo_study_trial *x = *(const eo_study_trial *const *)a, *y = *(const eo_study_trial *const *)b;
    if (x->fitness < y->fitness) return -1;
    if (x->fitness > y->fitness) return 1;
    if (x->run != y->run) return x->run < y->run ? -1 : 1;
    return x->number < y->number ? -1 : x->number > y->number;
}

size_t eo_study_info_ranked(const eo_study_info *in, const eo_study_trial **out)
{
    size_t n = 0;
    for (size_t k = 0; k < in->n_trials; k++)
        if (in->trials[k].status == EO_TRIAL_OK)
            out[n++] = &in->trials[k];
    qsort(out, n, sizeof *out, cmp_fit);
    return n;
}

const char *eo_study_info_run_optimizer(const eo_study_info *in, long long run)
{
    for (int r = 0; r < in->n_runs; r++)
        if (in->runs[r].id == run)
            return in->runs[r].optimizer;
    return "?";
}

long long eo_study_info_convergence(const eo_study_info *in, long long run, double *curve,
                                    long long cap)
{
    long long n = 0;
    for (size_t k = 0; k < in->n_trials; k++)
        if (in->trials[k].run == run && in->trials[k].iteration + 1 > n)
            n = in->trials[k].iteration + 1;
    if (n > cap)
        n = cap;
    for (long long i = 0; i < n; i++)
        curve[i] = INFINITY;
    for (size_t k = 0; k < in->n_trials; k++) {
        const eo_study_trial *t = &in->trials[k];
        if (t->run != run || t->status != EO_TRIAL_OK || t->iteration >= n)
            continue;
        if (t->fitness < curve[t->iteration])
            curve[t->iteration] = t->fitness;
    }
    /* best so far: a failed iteration keeps the previous best */
    for (long long i = 1; i < n; i++)
        if (curve[i - 1] < curve[i])
            curve[i] = curve[i - 1];
    return n;
}
