/* eo_synth_write: a synthetic record written in format 16 and 212 reads
 * back within half an adu of the model's samples, with its header (gain,
 * baseline, description) and every true R peak in .atr; another format is
 * refused and writes nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecgopt/rng.h"
#include "ecgopt/synth.h"
#include "ecgopt/wfdb.h"
#include "eo_test.h"

static char g_dir[512];

static void check_round_trip(const eo_synth *s, int format, double gain, double baseline)
{
    char name[32], base[700], atr[720];
    snprintf(name, sizeof name, "syn%d", format);
    snprintf(base, sizeof base, "%s/%s", g_dir, name);
    snprintf(atr, sizeof atr, "%s.atr", base);
    eo_error err;
    CHECK_OK(eo_synth_write(s, g_dir, name, format, format == 212 ? "MLII" : NULL, &err), &err);
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    eo_wfdb_record *r = NULL;
    CHECK_OK(eo_wfdb_record_load(base, &ro, &r, &err), &err);
    if (!r)
        return;
    CHECK_EQ_INT(r->n_signals, 1);
    CHECK_EQ_INT(r->n_samples, (long)s->n);
    CHECK_CLOSE(r->fs_hz, s->fs_hz, 0, 1e-9);
    const eo_wfdb_signal_info *si = &r->header->signals[0];
    CHECK_EQ_INT(si->format, format);
    CHECK_CLOSE(si->gain, gain, 0, 0);
    CHECK_CLOSE(si->baseline, baseline, 0, 0);
    CHECK(strcmp(si->description, format == 212 ? "MLII" : "ECGSYN") == 0);
    CHECK(strcmp(si->units, "mV") == 0);
    double *x = malloc(s->n * sizeof *x);
    CHECK(x != NULL);
    if (x) {
        CHECK_OK(eo_wfdb_record_physical(r, 0, 0, (long)s->n, x, &err), &err);
        double worst = 0;
        for (size_t i = 0; i < s->n; i++)
            worst = fmax(worst, fabs(x[i] - s->ecg_mv[i]));
        /* rounding to the nearest adu: at most half an adu */
        CHECK_MSG(worst <= 0.5 / gain + 1e-12, "format %d: error %.6g mV", format, worst);
        free(x);
    }
    eo_wfdb_record_destroy(r);
    eo_annotation_set *a = NULL;
    CHECK_OK(eo_annot_read(atr, &a, &err), &err);
    if (a) {
        CHECK_EQ_INT(a->n, s->n_beats);
        for (size_t b = 0; b < a->n && b < s->n_beats; b++) {
            CHECK_EQ_INT(a->items[b].sample, s->r_peak[b]);
            CHECK_EQ_INT(a->items[b].code, s->beat_code[b]);
        }
        eo_annot_set_destroy(a);
    }
}

TEST(test_write_formats)
{
    eo_synth_options o;
    eo_synth_defaults(&o);
    o.seconds = 8;
    o.fs_hz = 360;
    o.ectopic_prob = 0.2; /* some V beats: their codes must survive */
    eo_rng rng;
    eo_rng_seed(&rng, 5);
    eo_synth *s = NULL;
    eo_error err;
    CHECK_OK(eo_synth_generate(&o, &rng, &s, &err), &err);
    if (!s)
        return;
    CHECK(s->n_beats >= 6);
    check_round_trip(s, 16, 1000, 0);
    check_round_trip(s, 212, 200, 1024);

    /* another format: a usage error naming the record, nothing written */
    CHECK(eo_synth_write(s, g_dir, "bad", 80, NULL, &err) == EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "bad") != NULL && strstr(err.msg, "80") != NULL);
    char p[700];
    snprintf(p, sizeof p, "%s/bad.hea", g_dir);
    CHECK(access(p, F_OK) != 0);
    eo_synth_destroy(s);
}

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "%s/synth-write-test-%d", EO_TEST_BINARY_DIR, (int)getpid());
    mkdir(g_dir, 0755);
    RUN(test_write_formats);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (!eo_t_failed && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_dir);
    TEST_END();
}
