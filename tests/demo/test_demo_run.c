/* demo: eo_demo_run on the synthetic fallback (a record that exists
 * nowhere), quick settings: the figures `ecgopt demo --quick --record
 * no-such-record` printed before the pipeline moved from src/cli into the
 * library (commit b2d0840, same seed 1), the JSON and text summaries, the
 * report's sections, the progress bar and the cleanup of the temporary
 * records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecgopt/demo.h"
#include "ecgopt/rng.h"
#include "ecgopt/synth.h"
#include "ecgopt/util.h"
#include "eo_test.h"

typedef struct seen {
    double last, max;
    int calls, backwards;
    char note[512];
} seen;

static int on_progress(void *user, double done, double total, const char *what)
{
    seen *s = user;
    double p = 100 * done / total;
    s->backwards += p < s->last - 1e-9;
    s->last = p;
    if (p > s->max)
        s->max = p;
    s->calls += what != NULL && strncmp(what, "demo: ", 6) == 0;
    return 0;
}

static void on_note(void *user, const char *line) { snprintf(((seen *)user)->note, 512, "%s", line); }

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; p && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static void check_figures(const eo_demo_result *r)
{
    CHECK(strcmp(r->record, "synth") == 0 && r->synthetic == 1 && r->quick == 1);
    CHECK_CLOSE(r->fs_hz, 360, 0, 0);
    /* tuning: the IAOA, AOA, GWO, PSO, random best MEE on the 5-s window */
    CHECK_EQ_INT(r->K, 2);
    CHECK_CLOSE(r->alpha, 109.0720855020726, 1e-4, 0);
    static const double mee[5] = {7.186891095031788, 7.180600604746148, 7.193931659967601, 7.186705859558658,
                                  7.171286574468522};
    for (int i = 0; i < 5; i++)
        CHECK_CLOSE(r->best_mee[i], mee[i], 1e-5, 0);
    CHECK(strcmp(r->opt_names[0], "iaoa") == 0 && strcmp(r->opt_names[4], "random") == 0);
    /* denoising: 0, 6, 12 dB in; baseline wander by band-pass, white noise by all four */
    CHECK_EQ_INT(r->n_snr, 3);
    CHECK(strcmp(r->noises[0], "baseline wander (synthetic)") == 0 &&
          strcmp(r->noises[1], "white noise (synthetic)") == 0);
    CHECK_CLOSE(r->snr_out[0][0][0], 16.47871486474769, 1e-4, 0);
    CHECK_CLOSE(r->snr_out[0][0][2], 16.73566805492566, 1e-4, 0);
    CHECK_CLOSE(r->snr_out[1][0][0], 6.390345750943501, 1e-4, 0);
    CHECK_CLOSE(r->snr_out[1][0][1], 11.403491969934596, 1e-4, 0);
    CHECK_CLOSE(r->snr_out[1][0][2], 14.762103883018192, 1e-4, 0);
    /* the CLI's line: "bandpass 6.4, wavelet 7.5, median -0.2, vmd 6.5 dB" */
    CHECK_CLOSE(r->snr_out[1][1][0], 7.5, 0, 0.05);
    CHECK_CLOSE(r->snr_out[1][2][0], -0.2, 0, 0.05);
    CHECK_CLOSE(r->snr_out[1][3][0], 6.5, 0, 0.05);
    /* classification: 87 training beats, every beat found, 16 of 17 V beats */
    CHECK_EQ_INT(r->n_train_beats, 87);
    CHECK_EQ_INT(r->n_train_records, 1);
    CHECK_CLOSE(r->stats.qrs_se, 100, 0, 1e-9);
    CHECK_CLOSE(r->stats.qrs_ppv, 100, 0, 1e-9);
    CHECK_CLOSE(r->stats.veb_se, 100.0 * 16 / 17, 1e-9, 0);
    CHECK_CLOSE(r->stats.veb_ppv, 100.0 * 16 / 29, 1e-9, 0);
    CHECK(isnan(r->stats.sveb_se));
    /* compression: lossless, bounded at 2 and 8 adu, wavelet at 2, 5, 10 % */
    CHECK_EQ_INT(r->rd_n[0], 1);
    CHECK_EQ_INT(r->rd_n[1], 2);
    CHECK_EQ_INT(r->rd_n[2], 3);
    CHECK_CLOSE(r->rd_cr[0][0], 2.979534510433387, 1e-9, 0);
    CHECK_CLOSE(r->rd_prdn[0][0], 0, 0, 0);
    CHECK_CLOSE(r->rd_cr[1][0], 6.921463528315078, 1e-9, 0);
    CHECK_CLOSE(r->rd_prdn[1][1], 11.693263917802112, 1e-6, 0);
    CHECK_CLOSE(r->rd_cr[2][1], 13.598901098901099, 1e-4, 0);
    CHECK_CLOSE(r->rd_prdn[2][1], 5, 0, 0.01);
    CHECK(strcmp(r->rd_set[1][0], "max error 2 adu") == 0 && strcmp(r->rd_set[2][2], "target PRDN 10 %") == 0);
    CHECK_EQ_INT(r->rd_shown, 2 * EO_DEMO_MAX_RD + 1); /* the 5 % wavelet point */
    CHECK(r->seconds > 0);
}

static void check_summaries(const eo_demo_result *r)
{
    char *js = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&js, &n);
    CHECK(fp != NULL);
    if (!fp)
        return;
    eo_json j;
    eo_json_init(&j, fp);
    eo_demo_result_json(&j, r, "r.html");
    fclose(fp);
    static const char head[] = "{\"report\":\"r.html\",\"record\":\"synth\",\"synthetic\":true,\"quick\":true,";
    CHECK(strncmp(js, head, sizeof head - 1) == 0);
    CHECK(strstr(js, "\"tuning\":{\"K\":2,\"alpha\":109.07") != NULL);
    CHECK_EQ_INT(count(js, "\"snr_out_db\""), 2 * 4 * 3);
    CHECK_EQ_INT(count(js, "\"mode\":"), 6);
    CHECK(strstr(js, "\"sveb_se\":null") != NULL);
    free(js);
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_demo_result_text(&b, r, "r.html");
    const char *t = eo_strbuf_str(&b);
    CHECK(strncmp(t, "record synth (synthetic): ", 26) == 0);
    CHECK(strstr(t, "\n  tuning     VMD K=2 alpha=109 (best MEE 7.1869 over 5 optimisers)\n") != NULL);
    CHECK(strstr(t, "\n  denoising  white noise (synthetic) at +0 dB: bandpass 6.4, wavelet 7.5, median -0.2, "
                    "vmd 6.5 dB\n") != NULL);
    CHECK(strstr(t, "\n  classify   QRS Se 100.00% +P 100.00%, VEB Se 94.12% +P 55.17%, SVEB Se nan% +P nan%\n"));
    CHECK(strstr(t, "\n  compress   lossless CR 2.98; wavelet CR 13.60 at PRDN 5.00%\nreport: r.html\n") != NULL);
    eo_strbuf_destroy(&b);
}

TEST(demo_synthetic_quick)
{
    char report[128];
    snprintf(report, sizeof report, "/tmp/eo_test_demo_run_%ld.html", (long)getpid());
    eo_demo_options o;
    eo_demo_defaults(&o);
    CHECK(strcmp(o.record, "233") == 0 && o.seed == 1 && o.verify == 1);
    seen s = {0};
    o.record = "no-such-record";
    o.quick = 1;
    o.report_path = report;
    o.progress = on_progress;
    o.progress_user = &s;
    o.note = on_note;
    o.note_user = &s;
    eo_demo *d = NULL;
    eo_error err;
    CHECK_OK(eo_demo_run(&o, &d, &err), &err);
    if (!d)
        return;
    check_figures(eo_demo_result_of(d));
    check_summaries(eo_demo_result_of(d));
    /* one bar, 0..100 %, never backwards; the fallback said where its records are */
    CHECK(s.calls > 20 && s.backwards == 0 && fabs(s.max - 100) < 1e-9);
    const char *dir = strstr(s.note, "/tmp/ecgopt-demo-");
    static const char want[] = "demo: record no-such-record not found; using synthetic ECGSYN records in ";
    CHECK(strncmp(s.note, want, sizeof want - 1) == 0 && dir);
    struct stat sb;
    CHECK(dir && stat(dir, &sb) == 0);
    /* the report: title, three 10-s strips, the 7x7 heat map, every figure */
    unsigned char *html = NULL;
    size_t n = 0;
    CHECK_OK(eo_read_file(report, &html, &n, &err), &err);
    const char *h = (const char *)html;
    CHECK(h && strstr(h, "ecgopt demo: record synth (synthetic ECGSYN)"));
    CHECK(h && count(h, "data-kind=\"ecg-strip\"") == 3);
    static const char *const ids[] = {"id=\"confusion\"", "id=\"snr-0\"", "id=\"snr-1\"", "id=\"rate-distortion\"",
                                      "id=\"convergence\"", "id=\"study-trials\"", "id=\"vmd-mode-1\""};
    for (size_t i = 0; h && i < sizeof ids / sizeof ids[0]; i++)
        CHECK_MSG(strstr(h, ids[i]) != NULL, "%s missing", ids[i]);
    free(html);
    remove(report);
    /* an unwritable report: the error names it */
    const char *bad = "/nonexistent-dir/x.html";
    CHECK(eo_demo_report_write(d, bad, &err) != EO_STATUS_OK && strstr(err.msg, bad));
    eo_demo_destroy(d);
    CHECK(dir && stat(dir, &sb) != 0); /* the synthetic records are gone */
    eo_demo_destroy(NULL);
}

TEST(demo_record_too_short)
{
    /* an 8-s record with its annotations: found, then refused before any work */
    char dir[128], base[256];
    snprintf(dir, sizeof dir, "/tmp/eo_test_demo_short_%ld", (long)getpid());
    CHECK(mkdir(dir, 0700) == 0);
    eo_synth_options so;
    eo_synth_defaults(&so);
    so.seconds = 8;
    so.fs_hz = 360;
    eo_rng rng;
    eo_rng_seed(&rng, 3);
    eo_synth *s = NULL;
    eo_error err;
    CHECK_OK(eo_synth_generate(&so, &rng, &s, &err), &err);
    CHECK_OK(eo_synth_write(s, dir, "short", 212, "MLII", &err), &err);
    eo_synth_destroy(s);
    snprintf(base, sizeof base, "%s/short", dir);
    eo_demo_options o;
    eo_demo_defaults(&o);
    o.record = base;
    o.quick = 1;
    seen sn = {0};
    o.note = on_note;
    o.note_user = &sn;
    eo_demo *d = (eo_demo *)&o; /* must be reset to NULL on failure */
    CHECK(eo_demo_run(&o, &d, &err) == EO_STATUS_BAD_FORMAT);
    CHECK(d == NULL);
    CHECK_MSG(strstr(err.msg, "short: record shorter than 10 s") != NULL, "%s", err.msg);
    CHECK(sn.note[0] == 0); /* the record was found: no synthetic fallback */
    static const char *const ext[] = {"hea", "dat", "atr"};
    for (int i = 0; i < 3; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s.%s", base, ext[i]);
        remove(p);
    }
    CHECK(rmdir(dir) == 0);
}

int main(void)
{
    RUN(demo_record_too_short);
    RUN(demo_synthetic_quick);
    TEST_END();
}
