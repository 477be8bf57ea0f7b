/* The codec's autoencoder trained on records named by the user (`ecgopt
 * train --task compress`): by default the 22 MIT-BIH DS1 records, so the
 * DS2 records it is measured on stay unseen (de Chazal et al. 2004 split). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "ecgopt/beats.h"
#include "ecgopt/codec_run.h"
#include "ecgopt/util.h"

#define MAX_RECORDS 256

eo_status eo_codec_ae_pools_parse(const char *s, eo_codec_ae_options *o, eo_error *err)
{
    char tail;
    int p[3];
    if (!s || sscanf(s, "%d,%d,%d%c", &p[0], &p[1], &p[2], &tail) != 3)
        return eo_error_set(err, EO_STATUS_USAGE, "--pools %s: expected three sizes, e.g. 3,4,2", s ? s : "");
    memcpy(o->pools, p, sizeof p);
    return EO_STATUS_OK;
}

eo_status eo_codec_ae_train_named(const char *data_dir, const char *records, const eo_wfdb_read_options *ro,
                                  const eo_codec_ae_options *o, eo_codec_ae **out, int *n_records,
                                  eo_error *err)
{
    char *list = records ? eo_strdup(records) : NULL;
    const char *names[MAX_RECORDS];
    int n = 0;
    if (records && !list)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "train: out of memory");
    char *save = NULL;
    for (char *t = list ? strtok_r(list, ",", &save) : NULL; t && n < MAX_RECORDS; t = strtok_r(NULL, ",", &save))
        names[n++] = t;
    for (int i = 0; !records && i < 22; i++)
        names[n++] = eo_split_ds1[i];
    eo_wfdb_read_options dflt;
    eo_wfdb_read_defaults(&dflt);
    eo_wfdb_record **recs = eo_calloc((size_t)(n ? n : 1), sizeof *recs);
    eo_status st = recs ? EO_STATUS_OK : eo_error_set(err, EO_STATUS_NO_MEMORY, "train: out of memory");
    for (int i = 0; i < n && !st; i++) {
        char base[4096];
        st = eo_data_find_record(data_dir, names[i], "hea", base, sizeof base, err);
        if (!st)
            st = eo_wfdb_record_load(base, ro ? ro : &dflt, &recs[i], err);
    }
    if (!st)
        st = eo_codec_ae_train((const eo_wfdb_record *const *)recs, n, o, out, err);
    for (int i = 0; i < n && recs; i++)
        eo_wfdb_record_destroy(recs[i]);
    free(recs);
    free(list);
    *n_records = n;
    return st;
}

void eo_codec_ae_json(eo_json *j, const eo_codec_ae *ae)
{
    uint8_t h[32];
    char hex[65];
    eo_codec_ae_hash(ae, h);
    eo_codec_hash_hex(h, 32, hex);
    eo_json_kv_str(j, "sha256", hex);
    eo_json_kv_int(j, "model_bytes", (long long)eo_codec_ae_model_bytes(ae));
    eo_json_kv_int(j, "segment", eo_codec_ae_segment(ae));
    eo_json_kv_int(j, "latent", eo_codec_ae_latent(ae));
}
