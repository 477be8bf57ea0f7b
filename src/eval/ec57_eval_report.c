/* The HTML report of an EC57 evaluation (`ecgopt evaluate --report`): the
 * gross matrix as a heat map with the EC57 rows, and a per-record table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/alloc.h"
#include "ecgopt/ec57_eval.h"
#include "ecgopt/report.h"

static eo_status gross_section(eo_report *r, const eo_ec57_eval *e, eo_error *err)
{
    const eo_ec57_stats *g = &e->g;
    const char *cls[EO_EC57_NCLASS];
    long m[EO_EC57_NCLASS * EO_EC57_NCLASS];
    for (int a = 0; a < EO_EC57_NCLASS; a++) {
        cls[a] = eo_ec57_class_name(a);
        for (int b = 0; b < EO_EC57_NCLASS; b++)
            m[a * EO_EC57_NCLASS + b] = e->gross.m[a][b];
    }
    eo_report_ec57_row rows[3] = {{"QRS", g->qtp, g->qfn, g->qfp, g->qrs_se, g->qrs_ppv, NAN},
                                  {"VEB", g->vtp, g->vfn, g->vfp, g->veb_se, g->veb_ppv, g->veb_fpr},
                                  {"SVEB", g->stp, g->sfn, g->sfp, g->sveb_se, g->sveb_ppv, NAN}};
    return eo_report_add_classification(r, "Gross statistics (all records pooled)", cls, EO_EC57_NCLASS, m, 5, rows,
                                        3, err);
}

static eo_status record_table(eo_report *r, const eo_ec57_eval *e, const char *path, eo_error *err)
{
    int n = e->n;
    char(*cells)[32] = eo_calloc((size_t)n * 7, sizeof *cells);
    const char **cp = eo_calloc((size_t)n * 7, sizeof *cp);
    eo_status st = EO_STATUS_OK;
    if (!cells || !cp)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    for (int k = 0; !st && k < n; k++) {
        eo_ec57_stats s;
        eo_ec57_stats_of(&e->recs[k].r, &s);
        double v[6] = {s.qrs_se, s.qrs_ppv, s.veb_se, s.veb_ppv, s.sveb_se, s.sveb_ppv};
        snprintf(cells[k * 7], 32, "%s", e->recs[k].name);
        for (int j = 0; j < 6; j++) {
            if (isfinite(v[j]))
                snprintf(cells[k * 7 + 1 + j], 32, "%.2f", v[j]);
            else
                snprintf(cells[k * 7 + 1 + j], 32, "-");
        }
        for (int j = 0; j < 7; j++)
            cp[k * 7 + j] = cells[k * 7 + j];
    }
    if (!st) {
        const char *hdr[7] = {"record", "QRS Se", "QRS +P", "VEB Se", "VEB +P", "SVEB Se", "SVEB +P"};
        eo_report_heading(r, 2, "Per record (%)");
        eo_report_table(r, NULL, 7, hdr, n, cp);
    }
    free(cells);
    free(cp);
    return st;
}

eo_status eo_ec57_eval_report(const eo_ec57_eval *e, const char *path, eo_error *err)
{
    char title[256];
    snprintf(title, sizeof title, "ecgopt evaluate: %s vs %s, %d record(s)", e->o.test, e->o.ref, e->n);
    eo_report *r = eo_report_create(title);
    if (!r)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    eo_status st = gross_section(r, e, err);
    if (!st)
        st = record_table(r, e, path, err);
    if (!st)
        st = eo_report_write(r, path, err);
    eo_report_destroy(r);
    return st;
}
