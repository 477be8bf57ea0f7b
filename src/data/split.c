/* Dataset splits and class-imbalance helpers.
 *
 * Inter-patient: de Chazal, O'Dwyer & Reilly 2004 (IEEE TBME 51(7)), table
 * II: DS1 for training, DS2 for testing, the four paced records (102 104 107
 * 217) excluded; no patient is on both sides.  Intra-patient: a random split
 * stratified by class (what Fki et al. 2023 and He et al. 2023 report); beats of one
 * patient land in train and test, which inflates accuracy, so the CLI labels
 * such results "intra-patient". */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/beats.h"

const char *const eo_split_ds1[22] = {"101", "106", "108", "109", "112", "114", "115", "116",
                                      "118", "119", "122", "124", "201", "203", "205", "207",
                                      "208", "209", "215", "220", "223", "230"};
const char *const eo_split_ds2[22] = {"100", "103", "105", "111", "113", "117", "121", "123",
                                      "200", "202", "210", "212", "213", "214", "219", "221",
                                      "222", "228", "231", "232", "233", "234"};

static const char *const all_records[44] = {
    "101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122",
    "124", "201", "203", "205", "207", "208", "209", "215", "220", "223", "230",
    "100", "103", "105", "111", "113", "117", "121", "123", "200", "202", "210",
    "212", "213", "214", "219", "221", "222", "228", "231", "232", "233", "234"};

int eo_split_mitdb_records(const char *const **out)
{
    if (out)
        *out = all_records;
    return 44;
}

eo_status eo_split_stratified(const int *y, size_t n, double train_frac, double val_frac,
                              eo_rng *rng, int *part, eo_error *err)
{
    if (!y || !part || !rng)
        return eo_error_set(err, EO_STATUS_USAGE, "stratified split: NULL argument");
    if (n == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "stratified split: empty dataset");
    if (!(train_frac > 0) || !(val_frac >= 0) || train_frac + val_frac > 1.0 + 1e-12)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "stratified split: fractions train %g val %g (need train > 0, val >= 0, sum <= 1)",
                            train_frac, val_frac);
    int max_c = -1;
    for (size_t i = 0; i < n; i++)
        if (y[i] > max_c)
            max_c = y[i];
    size_t *idx = malloc(n * sizeof *idx);
    if (!idx)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "stratified split: %zu indices", n);
    for (size_t i = 0; i < n; i++)
        part[i] = EO_PART_TEST;
    for (int c = -1; c <= max_c; c++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (y[i] == c || (c == -1 && y[i] < 0))
                idx[m++] = i;
        if (m == 0)
            continue;
        eo_rng_shuffle_size(rng, idx, m);
        /* rounding per class keeps each class's proportions within one beat */
        size_t n_tr = (size_t)((double)m * train_frac + 0.5);
        size_t n_va = (size_t)((double)m * (train_frac + val_frac) + 0.5) - n_tr;
        if (n_tr + n_va > m)
            n_va = m - n_tr;
        for (size_t k = 0; k < m; k++)
            part[idx[k]] = k < n_tr ? EO_PART_TRAIN : (k < n_tr + n_va ? EO_PART_VAL : EO_PART_TEST);
    }
    free(idx);
    return EO_STATUS_OK;
}

eo_status eo_split_records_val(const eo_beats *b, int n_val, eo_rng *rng, int *part, eo_error *err)
{
    if (!b || !rng || !part)
        return eo_error_set(err, EO_STATUS_USAGE, "record split: NULL argument");
    if (n_val < 0 || n_val >= b->n_records)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "record split: %d validation record(s) of %d (need 0 <= n < records)",
                            n_val, b->n_records);
    size_t *ord = malloc((size_t)b->n_records * sizeof *ord);
    int *is_val = calloc((size_t)b->n_records, sizeof *is_val);
    if (!ord || !is_val) {
        free(ord);
        free(is_val);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "record split: %d records", b->n_records);
    }
    for (int r = 0; r < b->n_records; r++)
        ord[r] = (size_t)r;
    eo_rng_shuffle_size(rng, ord, (size_t)b->n_records);
    for (int k = 0; k < n_val; k++)
        is_val[ord[k]] = 1;
    for (size_t i = 0; i < b->n; i++)
        part[i] = is_val[b->record[i]] ? EO_PART_VAL : EO_PART_TRAIN;
    free(ord);
    free(is_val);
    return EO_STATUS_OK;
}

eo_status eo_split_records_named(const eo_beats *b, const char *const *names, int n_names,
                                 int *part, eo_error *err)
{
    if (!b || !part || (n_names > 0 && !names))
        return eo_error_set(err, EO_STATUS_USAGE, "record split: NULL argument");
    int *is_val = calloc((size_t)b->n_records + 1, sizeof *is_val);
    if (!is_val)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "record split: %d records", b->n_records);
    int n_val = 0;
    for (int k = 0; k < n_names; k++) {
        int r = 0;
        while (r < b->n_records && strcmp(b->record_names[r], names[k]) != 0)
            r++;
        if (r == b->n_records) {
            free(is_val);
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "record split: validation record '%s' is not one of the %d "
                                "training records",
                                names[k], b->n_records);
        }
        n_val += !is_val[r];
        is_val[r] = 1;
    }
    if (n_val >= b->n_records) {
        free(is_val);
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "record split: all %d records named for validation, none left to "
                            "train on",
                            b->n_records);
    }
    for (size_t i = 0; i < b->n; i++)
        part[i] = is_val[b->record[i]] ? EO_PART_VAL : EO_PART_TRAIN;
    free(is_val);
    return EO_STATUS_OK;
}

eo_status eo_split_kfold(const eo_beats *b, int k, eo_rng *rng, int *fold, eo_error *err)
{
    if (!b || !rng || !fold)
        return eo_error_set(err, EO_STATUS_USAGE, "k-fold split: NULL argument");
    if (k < 2 || k > b->n_records)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "k-fold split: k = %d with %d record(s) (need 2 <= k <= records)", k,
                            b->n_records);
    size_t *ord = malloc((size_t)b->n_records * sizeof *ord);
    int *rf = malloc((size_t)b->n_records * sizeof *rf);
    if (!ord || !rf) {
        free(ord);
        free(rf);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "k-fold split: %d records", b->n_records);
    }
    for (int r = 0; r < b->n_records; r++)
        ord[r] = (size_t)r;
    eo_rng_shuffle_size(rng, ord, (size_t)b->n_records);
    for (int j = 0; j < b->n_records; j++)
        rf[ord[j]] = j % k;
    for (size_t i = 0; i < b->n; i++)
        fold[i] = rf[b->record[i]];
    free(ord);
    free(rf);
    return EO_STATUS_OK;
}

eo_status eo_class_weights(const int *y, size_t n, int n_classes, double power, double *w,
                           eo_error *err)
{
    if (!y || !w)
        return eo_error_set(err, EO_STATUS_USAGE, "class weights: NULL argument");
    if (n_classes < 1 || n_classes > 64)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "class weights: %d classes", n_classes);
    if (n == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "class weights: empty dataset");
    size_t cnt[64] = {0};
    int present = 0;
    for (size_t i = 0; i < n; i++)
        if (y[i] >= 0 && y[i] < n_classes)
            cnt[y[i]]++;
    size_t total = 0;
    for (int c = 0; c < n_classes; c++) {
        total += cnt[c];
        present += cnt[c] > 0;
    }
    for (int c = 0; c < n_classes; c++)
        w[c] = cnt[c] ? pow((double)total / ((double)present * (double)cnt[c]), power) : 0.0;
    return EO_STATUS_OK;
}

eo_status eo_oversample(const int *y, const size_t *idx, size_t n, int n_classes,
                        double target_frac, eo_rng *rng, size_t **out, size_t *n_out,
                        eo_error *err)
{
    if (!y || !idx || !rng || !out || !n_out)
        return eo_error_set(err, EO_STATUS_USAGE, "oversample: NULL argument");
    if (n_classes < 1 || n_classes > 64 || !(target_frac >= 0) || target_frac > 1)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "oversample: %d classes, target fraction %g (need 0..1)", n_classes,
                            target_frac);
    size_t cnt[64] = {0}, maxc = 0;
    for (size_t i = 0; i < n; i++) {
        int c = y[idx[i]];
        if (c >= 0 && c < n_classes && ++cnt[c] > maxc)
            maxc = cnt[c];
    }
    size_t target = (size_t)((double)maxc * target_frac + 0.5), extra = 0;
    for (int c = 0; c < n_classes; c++)
        if (cnt[c] && cnt[c] < target)
            extra += target - cnt[c];
    size_t *o = malloc((n + extra + 1) * sizeof *o);
    size_t *members = malloc((n + 1) * sizeof *members);
    if (!o || !members) {
        free(o);
        free(members);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "oversample: %zu indices", n + extra);
    }
    memcpy(o, idx, n * sizeof *o);
    size_t m = n;
    for (int c = 0; c < n_classes; c++) {
        if (!cnt[c] || cnt[c] >= target)
            continue;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (y[idx[i]] == c)
                members[k++] = idx[i];
        for (size_t j = cnt[c]; j < target; j++)
            o[m++] = members[eo_rng_below(rng, k)];
    }
    free(members);
    *out = o;
    *n_out = m;
    return EO_STATUS_OK;
}
