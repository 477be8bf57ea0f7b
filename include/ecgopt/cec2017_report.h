/* ecgopt — the HTML report of a CEC 2017 protocol (`bench cec2017 --report`). */
#ifndef ECGOPT_CEC2017_REPORT_H
#define ECGOPT_CEC2017_REPORT_H

#include "ecgopt/export.h"

#include "ecgopt/cec2017.h"
#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write a self-contained HTML report to path: the error/rank table and
 * mean-rank bars (eo_report_add_cec_ranks) and the mean convergence curves
 * of the first 8 functions.  At most 32 algorithms (EO_STATUS_USAGE). */
EO_API eo_status eo_cec_bench_report_write(const eo_cec_bench_table *t, const char *path, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
