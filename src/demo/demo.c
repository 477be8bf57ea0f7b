/* The demo pipeline: its stages in order, one progress bar over all of
 * them (demo.h). */
#include <stdlib.h>
#include <string.h>

#include "demo_internal.h"

void eo_demo_defaults(eo_demo_options *o)
{
    memset(o, 0, sizeof *o);
    o->record = "233";
    o->seed = 1;
    o->verify = 1;
}

eo_status eo_demo_no_memory(eo_error *err)
{
    return eo_error_set(err, EO_STATUS_NO_MEMORY, "demo: out of memory");
}

int eo_demo_progress(void *user, double done, double total, const char *what)
{
    eo_demo *d = user;
    (void)what;
    double f = total > 0 ? done / total : 0;
    if (f < 0)
        f = 0;
    if (f > 1)
        f = 1;
    if (d->o.progress)
        d->o.progress(d->o.progress_user, d->base + d->span * f, 100, d->what);
    return 0;
}

static eo_status write_report(eo_demo *d, eo_error *err)
{
    return d->o.report_path ? eo_demo_report_write(d, d->o.report_path, err) : EO_STATUS_OK;
}

eo_status eo_demo_run(const eo_demo_options *o, eo_demo **out, eo_error *err)
{
    *out = NULL;
    eo_demo *d = calloc(1, sizeof *d);
    if (!d)
        return eo_demo_no_memory(err);
    d->o = *o;
    d->want = o->record ? o->record : "233";
    d->r.quick = o->quick;
    d->t0 = eo_time_now();
    /* the stages and their share of the progress bar (percent) */
    static const struct {
        const char *what;
        double base, span;
        eo_status (*run)(eo_demo *, eo_error *);
    } stages[] = {{"demo: record", 0, 2, eo_demo_open_record},
                  {"demo: tuning VMD", 2, 18, eo_demo_tune},
                  {"demo: denoising", 20, 12, eo_demo_denoise},
                  {"demo: VMD of the record", 32, 8, eo_demo_vmd_window},
                  {"demo: classification", 40, 35, eo_demo_classify},
                  {"demo: compression", 75, 20, eo_demo_compress},
                  {"demo: report", 95, 5, write_report}};
    eo_status st = EO_STATUS_OK;
    for (size_t i = 0; i < sizeof stages / sizeof stages[0] && !st; i++) {
        d->what = stages[i].what;
        d->base = stages[i].base;
        d->span = stages[i].span;
        eo_demo_progress(d, 0, 1, NULL);
        st = stages[i].run(d, err);
    }
    if (st) {
        eo_demo_destroy(d);
        return st;
    }
    eo_demo_progress(d, 1, 1, NULL);
    d->r.seconds = eo_time_now() - d->t0;
    *out = d;
    return EO_STATUS_OK;
}

const eo_demo_result *eo_demo_result_of(const eo_demo *d) { return &d->r; }

void eo_demo_destroy(eo_demo *d)
{
    if (!d)
        return;
    eo_wfdb_record_destroy(d->rec);
    free(d->x);
    free(d->den);
    free(d->recon);
    free(d->errtr);
    for (int i = 0; i < EO_DEMO_N_OPT; i++)
        free(d->curve[i]);
    free(d->trial_values);
    free(d->trial_fit);
    free(d->modes);
    eo_annot_set_destroy(d->ref);
    eo_annot_set_destroy(d->pred);
    eo_demo_remove_synthetic(d);
    free(d);
}
