/* --lead for every command that reads one signal: which lead, said once on
 * stderr, with the warnings a user needs (another lead than the model's, an
 * uncalibrated signal, units other than mV, a sampling rate out of range). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/lead.h"
#include "ecgopt/wfdb.h"

eo_status eo_cli_pick_lead(const eo_cli *c, const char *record, const char *base,
                           const char *lead, const char *model_lead, int *index,
                           char *desc, size_t desc_size, eo_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s.hea", base);
    eo_wfdb_header *h = NULL;
    eo_status st = eo_wfdb_header_read(path, &h, err);
    if (st)
        return st;
    if (!(h->fs_hz >= EO_CLI_FS_MIN && h->fs_hz <= EO_CLI_FS_MAX)) {
        st = eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                          "%s: sampling rate %g Hz is outside %g..%g Hz", record, h->fs_hz,
                          EO_CLI_FS_MIN, EO_CLI_FS_MAX);
        eo_wfdb_header_destroy(h);
        return st;
    }
    eo_lead_how how = EO_LEAD_NAMED;
    int k = -1;
    const char *why = "";
    if (lead && *lead) {
        st = eo_lead_find(h, lead, record, &k, &how, err);
    } else if (model_lead && *model_lead &&
               eo_lead_find(h, model_lead, record, &k, &how, NULL) == EO_STATUS_OK) {
        why = "the model's lead";
    } else {
        st = eo_lead_find(h, NULL, record, &k, &how, err);
        why = "fallback order " EO_LEAD_FALLBACK;
    }
    if (st) {
        eo_wfdb_header_destroy(h);
        return st;
    }
    const char *d = h->signals[k].description[0] ? h->signals[k].description : "(unnamed)";
    snprintf(desc, desc_size, "%s", d);
    if (!(lead && *lead))
        eo_cli_info(c, "%s: lead %s (signal %d; no --lead given: %s)\n", record, d, k, why);
    /* a model's lead given by index ("#1") names no lead to compare with */
    if (model_lead && *model_lead && model_lead[0] != '#' &&
        !(model_lead[0] >= '0' && model_lead[0] <= '9') && strcmp(model_lead, d) != 0)
        eo_cli_info(c,
                    "warning: %s: the model was trained on lead %s and is applied to %s; "
                    "expect lower accuracy (morphology differs between leads)\n",
                    record, model_lead, d);
    if (eo_lead_uncalibrated(h, k))
        eo_cli_info(c,
                    "warning: %s: lead %s has no gain in its header (uncalibrated); amplitudes "
                    "assume WFDB's 200 adu/mV and may be off by an unknown factor\n",
                    record, d);
    double u = eo_lead_units_to_mv(h, k);
    if (u == 0)
        eo_cli_info(c, "warning: %s: lead %s is in unknown units '%s', used as if mV\n", record,
                    d, h->signals[k].units);
    else if (u != 1.0)
        eo_cli_info(c, "%s: lead %s is in %s, converted to mV\n", record, d,
                    h->signals[k].units);
    *index = k;
    eo_wfdb_header_destroy(h);
    return EO_STATUS_OK;
}
