/* compress-cae-rd preset (src/study/objective_compress_cae_rd.c): one trial
 * at the smallest budget (data fraction 0.1: 200 training segments, 20 s of
 * each validation record; fidelity 0.2: 1 epoch, 12 updates).  Its fitness is the
 * codec's bits per sample: equal to what eo_codec_measure gives for the
 * same model at the same steps, deterministic for a seed, and DS2 records
 * are refused for a trial; the winner's final step gives DS2 figures and a
 * codec model file. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ecgopt/codec.h"
#include "ecgopt/study.h"
#include "eo_test.h"
#include "study/objective_internal.h"

TEST(test_split_refuses_ds2)
{
    eo_error err;
    static const char *const ds1[] = {"101", "106", "115", "122"};
    CHECK_OK(eo_cae_rd_check_split(ds1, 4, &err), &err);
    static const char *const mixed[] = {"101", "232", "115"};
    CHECK(eo_cae_rd_check_split(mixed, 3, &err) == EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "232") != NULL && strstr(err.msg, "DS2") != NULL);
    static const char *const one[] = {"100"}; /* the first DS2 record */
    CHECK(eo_cae_rd_check_split(one, 1, &err) == EO_STATUS_USAGE);
}

/* preset `name` at data fraction 0.1, prepared: EO_STATUS_OK, or
 * EO_STATUS_NOT_FOUND without the MIT-BIH records (*obj NULL then, as on
 * any failure) */
static eo_status prepared(const char *name, eo_objective **obj)
{
    eo_error err;
    eo_objective_options oo;
    eo_objective_defaults(&oo);
    oo.data_dir = eo_test_data_dir();
    oo.data_fraction = 0.1;
    *obj = NULL;
    CHECK_OK(eo_objective_preset(name, &oo, obj, &err), &err);
    if (!*obj)
        return EO_STATUS_INTERNAL;
    eo_status st = eo_objective_prepare(*obj, &err);
    if (st != EO_STATUS_NOT_FOUND)
        CHECK_OK(st, &err);
    if (st != EO_STATUS_OK) {
        eo_objective_destroy(*obj);
        *obj = NULL;
    }
    return st;
}

TEST(test_trial_is_the_codec_rate)
{
    eo_error err;
    eo_objective *obj = NULL;
    if (prepared("compress-cae-rd", &obj) == EO_STATUS_NOT_FOUND)
        SKIP("MIT-BIH records not found");
    if (!obj)
        return;
    CHECK_EQ_INT(eo_space_dim(eo_objective_space(obj)), 5);
    CHECK(strcmp(eo_objective_default_optimizer(obj), "gwo") == 0);
    /* filters 8, channels 2, pools 4,5,3 (12 positions), lambda 1e-3, lr 5e-3 */
    double v[5] = {0, 0, 2, 2, 2};
    eo_trial_result r1, r2;
    memset(&r1, 0, sizeof r1);
    memset(&r2, 0, sizeof r2);
    CHECK_OK(eo_objective_eval(obj, v, 7, 0.2, &r1, &err), &err);
    CHECK_OK(eo_objective_eval(obj, v, 7, 0.2, &r2, &err), &err);
    printf("     trial: fitness %.6f  %s\n", r1.fitness, r1.info);
    CHECK(isfinite(r1.fitness) && r1.fitness > 0.05 && r1.fitness < 1e4);
    CHECK(r1.fitness == r2.fitness); /* deterministic for a seed */
    CHECK(r1.aux[2] == r2.aux[2] && r1.aux[3] == r2.aux[3]);
    CHECK_CLOSE(r1.aux[0], 1, 0, 0); /* epochs = 5 x 0.2 */
    CHECK_CLOSE(r1.aux[1], 2 * 12, 0, 0); /* latent = channels x 720 / 60 */
    CHECK(r1.aux[3] > 0 && r1.aux[3] < 100);
    /* fitness = bps, times (PRDN / 10)^2 only when the target is missed */
    double miss = r1.aux[3] / 10.0;
    CHECK_CLOSE(r1.fitness, miss > 1.005 ? r1.aux[2] * miss * miss : r1.aux[2], 1e-12, 0);

    /* the same model, coded by the codec at the steps the search chose:
     * the same bits per sample, PRDN and steps */
    eo_codec_ae *ae = NULL;
    CHECK_OK(eo_cae_rd_train(obj, v, 7, 0.2, &ae, &err), &err);
    if (ae) {
        /* the objective's validation records */
        eo_wfdb_record *recs[5];
        CHECK_EQ_INT(eo_cae_rd_val_records(obj, recs), 5);
        for (int i = 0; i < 5; i++) {
            CHECK_EQ_INT(recs[i]->n_signals, 1);
            CHECK_EQ_INT(recs[i]->n_samples, 20 * 360);
        }
        double bps = NAN, prdn = NAN, steps[5], bps2 = NAN, prdn2 = NAN, steps2[5];
        CHECK_OK(eo_cae_rd_measure(ae, recs, 5, 10.0, NULL, &bps, &prdn, steps, &err), &err);
        CHECK(bps == r1.aux[2] && prdn == r1.aux[3]);
        CHECK_OK(eo_cae_rd_measure(ae, recs, 5, 10.0, steps, &bps2, &prdn2, steps2, &err), &err);
        CHECK(bps2 == bps && prdn2 == prdn);
        /* and by hand: 8 x file bytes / samples, record by record */
        double bits = 0;
        for (int i = 0; i < 5; i++) {
            CHECK(steps2[i] == steps[i]);
            eo_codec_options co;
            eo_codec_defaults(&co);
            co.mode = EO_CODEC_AE;
            co.ae_model = ae;
            co.ae_step = steps[i];
            unsigned char *buf = NULL;
            size_t len = 0;
            eo_codec_stats cs;
            CHECK_OK(eo_codec_encode(recs[i], &co, &buf, &len, &cs, &err), &err);
            CHECK(len == cs.file_bytes);
            bits += 8.0 * (double)len;
            free(buf);
        }
        CHECK_CLOSE(bits / (5.0 * 20 * 360), r1.aux[2], 1e-12, 0);
        /* a target the model reaches: the search takes coarser steps, fewer bits */
        double bps3 = NAN, prdn3 = NAN, steps3[5];
        CHECK_OK(eo_cae_rd_measure(ae, recs, 5, 99.5, NULL, &bps3, &prdn3, steps3, &err), &err);
        CHECK(prdn3 <= 99.5 && prdn3 >= prdn && bps3 < bps);
        for (int i = 0; i < 5; i++)
            CHECK(steps3[i] > steps[i] && steps3[i] <= 2.0);
        eo_codec_ae_destroy(ae);
    }
    /* another configuration (channels 8), another fitness */
    double w[5] = {0, 2, 2, 2, 2};
    eo_trial_result r3;
    CHECK_OK(eo_objective_eval(obj, w, 7, 0.2, &r3, &err), &err);
    CHECK(isfinite(r3.fitness) && r3.fitness != r1.fitness);
    CHECK_CLOSE(r3.aux[1], 8 * 12, 0, 0);
    printf("     channels 8: fitness %.6f  %s\n", r3.fitness, r3.info);

    /* the winner's final step: DS2 test figures (5 records x 300 s of MLII)
     * and a model file the codec loads with the trained model's identity */
    char path[256];
    snprintf(path, sizeof path, "%s/test_compress_cae_rd.model", EO_TEST_BINARY_DIR);
    double test[4] = {NAN, NAN, NAN, NAN};
    const char *names[4] = {NULL, NULL, NULL, NULL};
    int nt = 0;
    CHECK_OK(eo_objective_finalize(obj, v, 7, path, test, names, &nt, &err), &err);
    CHECK_EQ_INT(nt, 3);
    if (nt == 3) {
        CHECK(strcmp(names[0], "test_cr") == 0 && strcmp(names[1], "test_prdn") == 0 &&
              strcmp(names[2], "test_bps") == 0);
        CHECK(isfinite(test[2]) && test[2] > 0 && test[1] > 0 && test[1] < 200);
        CHECK_CLOSE(test[0], 11.0 / test[2], 1e-12, 0);
        printf("     final: test_cr %.3f test_prdn %.2f test_bps %.4f\n", test[0], test[1], test[2]);
    }
    eo_codec_ae *saved = NULL, *again = NULL;
    CHECK_OK(eo_codec_ae_load(path, &saved, &err), &err);
    CHECK_OK(eo_cae_rd_train(obj, v, 7, 1.0, &again, &err), &err);
    if (saved && again) {
        uint8_t h1[32], h2[32];
        eo_codec_ae_hash(saved, h1);
        eo_codec_ae_hash(again, h2);
        CHECK(memcmp(h1, h2, 32) == 0); /* finalize trains at fidelity 1, same seed */
        CHECK(eo_codec_ae_is_rd(saved, NULL, NULL) == 1);
    }
    eo_codec_ae_destroy(saved);
    eo_codec_ae_destroy(again);
    remove(path);
    eo_objective_destroy(obj);
}

/* Table I's other arm: the same search trains the codec's encoder without
 * the squeeze-excitation layer; same latent size, another model */
TEST(test_no_attention_arm)
{
    eo_error err;
    eo_objective *a = NULL, *b = NULL;
    if (prepared("compress-cae-rd", &a) == EO_STATUS_NOT_FOUND)
        SKIP("MIT-BIH records not found");
    prepared("compress-cae-rd-noattention", &b);
    if (!a || !b) {
        eo_objective_destroy(a);
        eo_objective_destroy(b);
        return;
    }
    double v[5] = {0, 0, 2, 2, 2};
    eo_codec_ae *ma = NULL, *mb = NULL;
    CHECK_OK(eo_cae_rd_train(a, v, 7, 0.2, &ma, &err), &err);
    CHECK_OK(eo_cae_rd_train(b, v, 7, 0.2, &mb, &err), &err);
    if (ma && mb) {
        CHECK_EQ_INT(eo_codec_ae_latent(ma), eo_codec_ae_latent(mb));
        /* one layer fewer: the files differ in size by the se layer's weights */
        CHECK(eo_codec_ae_model_bytes(mb) < eo_codec_ae_model_bytes(ma));
        uint8_t h1[32], h2[32];
        eo_codec_ae_hash(ma, h1);
        eo_codec_ae_hash(mb, h2);
        CHECK(memcmp(h1, h2, 32) != 0);
    }
    eo_trial_result r;
    memset(&r, 0, sizeof r);
    CHECK_OK(eo_objective_eval(b, v, 7, 0.2, &r, &err), &err);
    CHECK(isfinite(r.fitness) && r.fitness > 0.05 && r.fitness < 1e4);
    eo_codec_ae_destroy(ma);
    eo_codec_ae_destroy(mb);
    eo_objective_destroy(a);
    eo_objective_destroy(b);
}

int main(void)
{
    RUN(test_split_refuses_ds2);
    RUN(test_trial_is_the_codec_rate);
    RUN(test_no_attention_arm);
    TEST_END();
}
