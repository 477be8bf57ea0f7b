/* Codec on real MIT-BIH records: lossless bit-exact (both leads, all
 * 650000 samples), bounded |error| <= e, wavelet target PRDN met.  The
 * full 48-record figures are in bench/codec/codec.sh. */
#include "eo_test.h"

#include "ecgopt/codec.h"
#include "ecgopt/util.h"

static eo_wfdb_record *load(const char *name)
{
    char base[4200];
    snprintf(base, sizeof base, "%s/mitdb/%s", eo_test_data_dir(), name);
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    eo_wfdb_record *r = NULL;
    eo_error err;
    if (eo_wfdb_record_load(base, &ro, &r, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return NULL;
    }
    return r;
}

static eo_wfdb_record *roundtrip(const eo_wfdb_record *r, const eo_codec_options *o,
                                 eo_codec_stats *cs)
{
    unsigned char *buf = NULL;
    size_t len;
    eo_error err;
    CHECK_OK(eo_codec_encode(r, o, &buf, &len, cs, &err), &err);
    if (!buf)
        return NULL;
    eo_ecgz *z = NULL;
    eo_wfdb_record *d = NULL;
    CHECK_OK(eo_ecgz_open_mem(buf, len, "rt.ecgz", &z, &err), &err);
    if (z)
        CHECK_OK(eo_ecgz_to_record(z, &d, &err), &err);
    eo_ecgz_close(z);
    free(buf);
    return d;
}

TEST(lossless_bit_exact)
{
    const char *recs[] = {"100", "203", "232"};
    /* 100 with the mixing coder, 203 and 232 with the plain one (default);
     * this build: 3.284, 2.715, 3.219 (mixing on 203/232: 2.746, 3.276;
     * plain on 100: 3.149) */
    const double min_cr[] = {3.28, 2.71, 3.215};
    for (int k = 0; k < 3; k++) {
        eo_wfdb_record *r = load(recs[k]);
        CHECK(r != NULL);
        if (!r)
            return;
        eo_codec_options o;
        eo_codec_defaults(&o);
        if (k == 0)
            o.coder = EO_CODEC_CODER_MIX;
        eo_codec_stats cs;
        eo_wfdb_record *d = roundtrip(r, &o, &cs);
        CHECK(d != NULL);
        if (d) {
            long diff = 0;
            for (int s = 0; s < r->n_signals; s++)
                for (long i = 0; i < r->n_samples; i++)
                    diff += d->adu[s][i] != r->adu[s][i];
            CHECK_EQ_INT(diff, 0);
            CHECK_EQ_INT(d->n_samples, 650000);
            CHECK_EQ_INT(d->n_signals, 2);
            /* the record's metadata comes back */
            CHECK_EQ_INT(d->header->signals[0].baseline, r->header->signals[0].baseline);
            CHECK(strcmp(d->header->signals[1].description, r->header->signals[1].description) == 0);
            /* far better than flac -8 (about 2.45 on record 100) */
            CHECK_MSG(cs.cr > min_cr[k], "%s: CR %.3f", recs[k], cs.cr);
            printf("     %s lossless CR %.3f\n", recs[k], cs.cr);
        }
        eo_wfdb_record_destroy(d);
        eo_wfdb_record_destroy(r);
    }
}

TEST(bounded_max_error)
{
    eo_wfdb_record *r = load("101");
    CHECK(r != NULL);
    if (!r)
        return;
    r->n_samples = r->header->n_samples = 360 * 600; /* ten minutes keep ASan runs short */
    int es[] = {1, 4};
    double prev_cr = 0;
    for (int k = 0; k < 2; k++) {
        eo_codec_options o;
        eo_codec_defaults(&o);
        o.mode = EO_CODEC_BOUNDED;
        o.max_error_adu = es[k];
        o.coder = k ? EO_CODEC_CODER_PLAIN : EO_CODEC_CODER_MIX;
        eo_codec_stats cs;
        eo_wfdb_record *d = roundtrip(r, &o, &cs);
        CHECK(d != NULL);
        if (d) {
            eo_fidelity f;
            eo_error err;
            CHECK_OK(eo_codec_fidelity(r, d->adu, 0, r->n_samples, &f, &err), &err);
            CHECK_MSG(f.max_abs_error <= es[k], "e=%d max %g", es[k], f.max_abs_error);
            CHECK(f.max_abs_error == es[k]); /* the bound is used, not wasted */
            CHECK(cs.cr > prev_cr);
            printf("     101 bounded e=%d CR %.3f PRDN %.3f\n", es[k], cs.cr, f.prdn);
            prev_cr = cs.cr;
        }
        eo_wfdb_record_destroy(d);
    }
    CHECK(prev_cr > 5.0);
    eo_wfdb_record_destroy(r);
}

TEST(wavelet_target_prdn)
{
    eo_wfdb_record *r = load("100");
    CHECK(r != NULL);
    if (!r)
        return;
    r->n_samples = r->header->n_samples = 360 * 120; /* first two minutes */
    double targets[] = {2.0, 8.0};
    double cr[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        eo_codec_options o;
        eo_codec_defaults(&o);
        o.mode = EO_CODEC_WAVELET;
        o.target_prdn = targets[k];
        eo_codec_stats cs;
        eo_wfdb_record *d = roundtrip(r, &o, &cs);
        CHECK(d != NULL);
        if (d) {
            eo_fidelity f;
            eo_error err;
            CHECK_OK(eo_codec_fidelity(r, d->adu, 0, r->n_samples, &f, &err), &err);
            /* met, and not by a wide margin (rate control works) */
            CHECK_MSG(f.prdn <= targets[k] * 1.02 && f.prdn >= 0.8 * targets[k],
                      "target %g PRDN %g", targets[k], f.prdn);
            cr[k] = cs.cr;
            printf("     100 wavelet target %.1f%%: PRDN %.3f CR %.2f step %.3g\n", targets[k],
                   f.prdn, cs.cr, cs.wavelet_step);
        }
        eo_wfdb_record_destroy(d);
    }
    CHECK(cr[1] > 2 * cr[0]);
    eo_wfdb_record_destroy(r);
}

int main(void)
{
    RUN(lossless_bit_exact);
    RUN(bounded_max_error);
    RUN(wavelet_target_prdn);
    TEST_END();
}
