/* Choosing the ECG lead of a record (lead.h): by name, by index, or by the
 * documented fallback order. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ecgopt/lead.h"

static const char *const fallback[] = {"MLII", "II", "ECG1"};

void eo_lead_list(const eo_wfdb_header *h, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    buf[0] = 0;
    size_t used = 0;
    for (int i = 0; h && i < h->n_signals && used + 1 < size; i++) {
        const char *d = h->signals[i].description;
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", d[0] ? d : "(unnamed)");
        if (w < 0)
            break;
        used += (size_t)w;
        if (used >= size)
            used = size - 1;
    }
}

eo_status eo_lead_find(const eo_wfdb_header *h, const char *lead, const char *record,
                       int *index, eo_lead_how *how, eo_error *err)
{
    const char *rec = record ? record : "record";
    if (!index)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: lead: NULL index", rec);
    if (!h || h->n_signals < 1)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: record has no signals", rec);
    if (!lead || !*lead) {
        for (size_t f = 0; f < sizeof fallback / sizeof fallback[0]; f++) {
            int k = eo_wfdb_find_signal(h, fallback[f]);
            if (k >= 0) {
                *index = k;
                if (how)
                    *how = EO_LEAD_FALLBACK_ORDER;
                return EO_STATUS_OK;
            }
        }
        *index = 0;
        if (how)
            *how = EO_LEAD_FALLBACK_ORDER;
        return EO_STATUS_OK;
    }
    int k = eo_wfdb_find_signal(h, lead);
    eo_lead_how hw = EO_LEAD_NAMED;
    if (k < 0) {
        /* a name in other case ("mlii") */
        for (int i = 0; i < h->n_signals && k < 0; i++)
            if (strcasecmp(h->signals[i].description, lead) == 0)
                k = i;
    }
    if (k < 0) {
        const char *num = lead[0] == '#' ? lead + 1 : lead;
        char *end;
        errno = 0;
        long v = strtol(num, &end, 10);
        if (*num && *end == '\0' && errno == 0 && v >= 0 && v < h->n_signals) {
            k = (int)v;
            hw = EO_LEAD_INDEX;
        }
    }
    if (k < 0) {
        char list[256];
        eo_lead_list(h, list, sizeof list);
        return eo_error_set(err, EO_STATUS_NOT_FOUND,
                            "%s: no lead '%s' (the record has %s; use --lead NAME|INDEX)", rec,
                            lead, list);
    }
    *index = k;
    if (how)
        *how = hw;
    return EO_STATUS_OK;
}

int eo_lead_uncalibrated(const eo_wfdb_header *h, int index)
{
    if (!h || index < 0 || index >= h->n_signals)
        return 0;
    return !h->signals[index].gain_given;
}

double eo_lead_units_to_mv(const eo_wfdb_header *h, int index)
{
    if (!h || index < 0 || index >= h->n_signals)
        return 0;
    const char *u = h->signals[index].units;
    if (!u[0] || !strcmp(u, "mV"))
        return 1.0;
    if (!strcmp(u, "uV") || !strcmp(u, "µV") || !strcmp(u, "microvolts"))
        return 1e-3;
    if (!strcmp(u, "V"))
        return 1e3;
    return 0;
}
