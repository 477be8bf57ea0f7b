/* Internal to the report module: the ECG strip writer with the geometry of
 * its paper grid, for overlays drawn on top (the overview's zoom links). */
#ifndef ECGOPT_REPORT_SVG_INTERNAL_H
#define ECGOPT_REPORT_SVG_INTERNAL_H

#include "ecgopt/report.h"

typedef struct eo_strip_geom {
    double x0, y0, w, h; /* the grid's rectangle, px */
} eo_strip_geom;

eo_status eo_svg_ecg_strip_geom(eo_strbuf *out, const eo_strip_options *o, const eo_strip_trace *traces,
                                int n_traces, const eo_strip_mark *marks, size_t n_marks, eo_strip_geom *geom,
                                eo_error *err);

#endif
