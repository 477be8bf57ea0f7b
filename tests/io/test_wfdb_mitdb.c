/* io: all 48 MIT-BIH records and the NSTDB records read with every header
 * checksum and initial value verified; annotation counts by code against
 * tests/fixtures/io/mitdb_counts.txt (made by make_mitdb_counts.py with the
 * independent NumPy reader); write (16 and 212) -> read round trips. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/wfdb.h"
#include "eo_test.h"

/* Database totals, from the reference file (and the MIT-BIH directory). */
#define MITDB_RECORDS 48
#define MITDB_ANNOTATIONS 112647L
#define MITDB_BEATS 109494L

typedef struct ref {
    char rec[16];
    long n_ann, n_beats;
    long long sum[2];
    char sym[64][8];
    long cnt[64];
    int nsym;
} ref;

static int load_refs(ref *refs, int max)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/io/mitdb_counts.txt", EO_TEST_FIXTURES);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[4096];
    int n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        ref *r = &refs[n];
        memset(r, 0, sizeof *r);
        char *save = NULL;
        char *t = strtok_r(line, " \n", &save);
        if (!t)
            continue;
        snprintf(r->rec, sizeof r->rec, "%s", t);
        r->n_ann = atol(strtok_r(NULL, " \n", &save));
        r->n_beats = atol(strtok_r(NULL, " \n", &save));
        r->sum[0] = atoll(strtok_r(NULL, " \n", &save));
        r->sum[1] = atoll(strtok_r(NULL, " \n", &save));
        while ((t = strtok_r(NULL, " \n", &save)) && r->nsym < 64) {
            char *c = strrchr(t, ':');
            *c = 0;
            snprintf(r->sym[r->nsym], 8, "%s", t);
            r->cnt[r->nsym++] = atol(c + 1);
        }
        n++;
    }
    fclose(f);
    return n;
}

static ref REFS[64];
static int NREFS;

TEST(all_records_verified_counts_match)
{
    char base[4096];
    long tot_ann = 0, tot_beats = 0;
    CHECK_EQ_INT(NREFS, MITDB_RECORDS);
    for (int i = 0; i < NREFS; i++) {
        const ref *rf = &REFS[i];
        snprintf(base, sizeof base, "%s/mitdb/%s", eo_test_data_dir(), rf->rec);
        eo_error err;
        eo_wfdb_record *r = NULL;
        eo_wfdb_read_options o;
        eo_wfdb_read_defaults(&o);
        CHECK_EQ_INT(o.verify, 1);
        CHECK_OK(eo_wfdb_record_load(base, &o, &r, &err), &err);
        if (!r)
            continue;
        CHECK_EQ_INT(r->n_signals, 2);
        CHECK_EQ_INT(r->n_samples, 650000);
        CHECK_CLOSE(r->fs_hz, 360.0, 0, 0);
        CHECK(eo_wfdb_find_signal(r->header, "MLII") >= 0 || strcmp(rf->rec, "102") == 0 ||
              strcmp(rf->rec, "104") == 0);
        for (int s = 0; s < 2; s++) {
            long long sum = 0;
            for (long k = 0; k < r->n_samples; k++)
                sum += r->adu[s][k];
            CHECK_MSG(sum == rf->sum[s], "%s signal %d sum %lld, reference %lld", rf->rec, s, sum,
                      rf->sum[s]);
            CHECK(r->header->signals[s].checksum_given);
        }
        eo_wfdb_record_destroy(r);

        snprintf(base, sizeof base, "%s/mitdb/%s.atr", eo_test_data_dir(), rf->rec);
        eo_annotation_set *a = NULL;
        CHECK_OK(eo_annot_read(base, &a, &err), &err);
        if (!a)
            continue;
        CHECK_EQ_INT((long)a->n, rf->n_ann);
        long cnt[64] = {0}, beats = 0;
        for (size_t k = 0; k < a->n; k++) {
            if (a->items[k].code >= 0 && a->items[k].code < 64)
                cnt[a->items[k].code]++;
            beats += eo_annot_is_beat(a->items[k].code);
            if (k > 0)
                CHECK(a->items[k].sample >= a->items[k - 1].sample);
        }
        for (int q = 0; q < rf->nsym; q++) {
            int code = eo_annot_code_from_symbol(rf->sym[q]);
            CHECK_MSG(code > 0, "%s: unknown symbol %s", rf->rec, rf->sym[q]);
            if (code > 0)
                CHECK_MSG(cnt[code] == rf->cnt[q], "%s: %s count %ld, reference %ld", rf->rec,
                          rf->sym[q], cnt[code], rf->cnt[q]);
        }
        CHECK_EQ_INT(beats, rf->n_beats);
        tot_ann += (long)a->n;
        tot_beats += beats;
        eo_annot_set_destroy(a);
    }
    CHECK_EQ_INT(tot_ann, MITDB_ANNOTATIONS);
    CHECK_EQ_INT(tot_beats, MITDB_BEATS);
}

/* Rhythm labels of record 203 are in AUX: "(AFL", "(AFIB", "(VT", "(N"... */
TEST(rhythm_labels_in_aux)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/mitdb/100.atr", eo_test_data_dir());
    eo_error err;
    eo_annotation_set *a = NULL;
    CHECK_OK(eo_annot_read(path, &a, &err), &err);
    if (!a)
        return;
    /* 100.atr begins with a rhythm annotation '+' "(N" at sample 18 */
    CHECK_EQ_INT(a->items[0].code, 28);
    CHECK_EQ_INT(a->items[0].sample, 18);
    CHECK(a->items[0].aux && strcmp(a->items[0].aux, "(N") == 0);
    CHECK_EQ_INT(a->items[1].code, 1);
    CHECK_EQ_INT(a->items[1].sample, 77);
    eo_annot_set_destroy(a);
    snprintf(path, sizeof path, "%s/mitdb/203.atr", eo_test_data_dir());
    CHECK_OK(eo_annot_read(path, &a, &err), &err);
    if (!a)
        return;
    int afib = 0, afl = 0, vt = 0;
    for (size_t k = 0; k < a->n; k++)
        if (a->items[k].code == 28 && a->items[k].aux) {
            afib += strcmp(a->items[k].aux, "(AFIB") == 0;
            afl += strcmp(a->items[k].aux, "(AFL") == 0;
            vt += strcmp(a->items[k].aux, "(VT") == 0;
        }
    CHECK(afib > 0 && afl > 0 && vt > 0);
    eo_annot_set_destroy(a);
}

/* read -> write 16 and 212 -> read is bit-exact; annotations identical. */
TEST(round_trip_all_records)
{
    char dir[] = "/tmp/eo_io_rt_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    char base[4096], out[4200];
    eo_error err;
    for (int i = 0; i < NREFS; i++) {
        snprintf(base, sizeof base, "%s/mitdb/%s", eo_test_data_dir(), REFS[i].rec);
        eo_wfdb_record *r = NULL;
        CHECK_OK(eo_wfdb_record_load(base, NULL, &r, &err), &err);
        if (!r)
            continue;
        static const int fmts[2] = {212, 16};
        for (int f = 0; f < 2; f++) {
            CHECK_OK(eo_wfdb_record_write(dir, "rt", fmts[f], r->fs_hz, r->n_signals, r->n_samples,
                                          r->adu, r->header->signals, &err),
                     &err);
            snprintf(out, sizeof out, "%s/rt", dir);
            eo_wfdb_record *q = NULL;
            CHECK_OK(eo_wfdb_record_load(out, NULL, &q, &err), &err);
            if (!q)
                continue;
            CHECK_EQ_INT(q->n_samples, r->n_samples);
            CHECK_EQ_INT(q->header->signals[0].format, fmts[f]);
            for (int s = 0; s < r->n_signals; s++) {
                CHECK(memcmp(q->adu[s], r->adu[s], (size_t)r->n_samples * sizeof(int32_t)) == 0);
                CHECK_CLOSE(q->header->signals[s].gain, r->header->signals[s].gain, 0, 0);
                CHECK_EQ_INT(q->header->signals[s].baseline, r->header->signals[s].baseline);
                CHECK(strcmp(q->header->signals[s].description, r->header->signals[s].description) == 0);
                if (fmts[f] == 212)
                    CHECK_EQ_INT(q->header->signals[s].checksum, r->header->signals[s].checksum);
            }
            eo_wfdb_record_destroy(q);
        }
        eo_wfdb_record_destroy(r);

        snprintf(base, sizeof base, "%s/mitdb/%s.atr", eo_test_data_dir(), REFS[i].rec);
        eo_annotation_set *a = NULL, *b = NULL;
        CHECK_OK(eo_annot_read(base, &a, &err), &err);
        snprintf(out, sizeof out, "%s/rt.atr", dir);
        if (a) {
            CHECK_OK(eo_annot_write(out, a, &err), &err);
            CHECK_OK(eo_annot_read(out, &b, &err), &err);
        }
        if (a && b) {
            CHECK_EQ_INT(b->n, a->n);
            for (size_t k = 0; k < a->n && k < b->n; k++) {
                const eo_annotation *x = &a->items[k], *y = &b->items[k];
                int same = x->sample == y->sample && x->code == y->code &&
                           x->subtype == y->subtype && x->chan == y->chan && x->num == y->num &&
                           x->aux_len == y->aux_len &&
                           (!x->aux || memcmp(x->aux, y->aux, (size_t)x->aux_len) == 0);
                if (!same) {
                    CHECK_MSG(same, "%s annotation %zu differs", REFS[i].rec, k);
                    break;
                }
            }
            /* MIT-BIH .atr files were written by WFDB's putann(): ours must be
             * byte-identical to them */
            unsigned char *d1 = NULL, *d2 = NULL;
            size_t n1 = 0, n2 = 0;
            FILE *f1 = fopen(base, "rb"), *f2 = fopen(out, "rb");
            if (f1 && f2) {
                d1 = malloc(1 << 20);
                d2 = malloc(1 << 20);
                n1 = fread(d1, 1, 1 << 20, f1);
                n2 = fread(d2, 1, 1 << 20, f2);
                CHECK_MSG(n1 == n2 && memcmp(d1, d2, n1) == 0, "%s.atr rewritten differs (%zu vs %zu bytes)",
                          REFS[i].rec, n2, n1);
            }
            if (f1)
                fclose(f1);
            if (f2)
                fclose(f2);
            free(d1);
            free(d2);
        }
        eo_annot_set_destroy(a);
        eo_annot_set_destroy(b);
    }
    snprintf(out, sizeof out, "%s/rt.hea", dir);
    unlink(out);
    snprintf(out, sizeof out, "%s/rt.dat", dir);
    unlink(out);
    snprintf(out, sizeof out, "%s/rt.atr", dir);
    unlink(out);
    rmdir(dir);
}

/* NSTDB: formats 212 and 16, 1 or 2 signals; all verified. */
TEST(nstdb_records)
{
    static const char *recs[] = {"118e00", "118e06", "118e_6", "119e24", "bw", "ma"};
    static const int fmt[] = {16, 212, 16, 212, 212, 212};
    char base[4096];
    for (int i = 0; i < 6; i++) {
        snprintf(base, sizeof base, "%s/nstdb/%s", eo_test_data_dir(), recs[i]);
        eo_error err;
        eo_wfdb_record *r = NULL;
        CHECK_OK(eo_wfdb_record_load(base, NULL, &r, &err), &err);
        if (!r)
            continue;
        CHECK_EQ_INT(r->header->signals[0].format, fmt[i]);
        CHECK_EQ_INT(r->n_signals, 2);
        CHECK_EQ_INT(r->n_samples, 650000);
        /* bw and ma: gain 0 in the header (uncalibrated) -> 200, baseline =
         * ADC zero 0; the others: 200(1024) */
        int bl = i < 4 ? 1024 : 0;
        CHECK_EQ_INT(r->header->signals[0].baseline, bl);
        CHECK_EQ_INT(r->header->signals[0].gain_given, i < 4);
        CHECK_CLOSE(r->header->signals[0].gain, 200.0, 0, 0);
        double mv[3];
        CHECK_OK(eo_wfdb_record_physical(r, 0, 0, 3, mv, &err), &err);
        CHECK_CLOSE(mv[2], (r->adu[0][2] - bl) / 200.0, 0, 1e-15);
        CHECK_EQ_INT(r->adu[0][0], r->header->signals[0].initial_value);
        eo_wfdb_record_destroy(r);
    }
}

int main(void)
{
    NREFS = load_refs(REFS, 64);
    RUN(all_records_verified_counts_match);
    RUN(rhythm_labels_in_aux);
    RUN(round_trip_all_records);
    RUN(nstdb_records);
    TEST_END();
}
