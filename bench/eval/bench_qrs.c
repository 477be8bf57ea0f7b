/* Whole-database QRS detection check: the streaming detector on all 48
 * MIT-BIH records, lead MLII (records 102 and 104 have no MLII: their first
 * signal, V5, is used), whole records (650000 samples), scored beat by beat
 * the EC57 way against the reference .atr beats (no learning period).
 *
 * usage: bench_qrs [MITDB_DIR] [RECORD ...]
 * QRS_FS=250 bench_qrs: the same on the signals resampled to 250 Hz.
 * Prints one line per record, then the gross and record-averaged Se/+P, the
 * detection time, and, if PEER_BEATS_DIR (one `<record>.txt` of beat samples
 * per record, as written by qrs_peer.py) and PEER_SECONDS are set, the peer's
 * figures scored by the same EC57 code and lines ending in
 * ratio=<ecgopt/peer>. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/detect.h"
#include "ecgopt/ec57.h"
#include "ecgopt/util.h"

/* Peer beats of one record as an annotation set; NULL if the file is absent. */
static eo_annotation_set *peer_beats(const char *dir, const char *rec)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.txt", dir, rec);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    eo_annotation_set *a = eo_annot_set_new();
    long t;
    eo_error err;
    while (a && fscanf(f, "%ld", &t) == 1) {
        eo_annotation an = {.sample = t, .code = 1};
        if (eo_annot_set_push(a, &an, &err)) {
            eo_annot_set_destroy(a);
            a = NULL;
        }
    }
    fclose(f);
    return a;
}

static const char *all[] = {"100", "101", "102", "103", "104", "105", "106", "107", "108", "109",
                            "111", "112", "113", "114", "115", "116", "117", "118", "119", "121",
                            "122", "123", "124", "200", "201", "202", "203", "205", "207", "208",
                            "209", "210", "212", "213", "214", "215", "217", "219", "220", "221",
                            "222", "223", "228", "230", "231", "232", "233", "234"};

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : EO_BENCH_DATA_DIR "/mitdb";
    const char **recs = all;
    int nrec = (int)(sizeof all / sizeof all[0]);
    if (argc > 2) {
        recs = (const char **)(argv + 2);
        nrec = argc - 2;
    }
    eo_ec57_result *res = calloc((size_t)nrec, sizeof *res), gross, peer;
    if (!res)
        return 3;
    memset(&gross, 0, sizeof gross);
    memset(&peer, 0, sizeof peer);
    const char *peer_dir = getenv("PEER_BEATS_DIR");
    int peer_ok = peer_dir != NULL;
    double t_detect = 0.0, t_total = 0.0;
    long samples = 0;
    printf("%-6s %-5s %6s %6s %6s %4s %4s %8s %8s\n", "record", "lead", "ref", "test", "TP", "FN",
           "FP", "Se%", "+P%");
    for (int r = 0; r < nrec; r++) {
        char base[4096], path[4200];
        eo_error err;
        if (eo_path_join(base, sizeof base, dir, recs[r])) {
            fprintf(stderr, "path too long\n");
            return 2;
        }
        double t0 = eo_time_now();
        eo_annotation_set *test = NULL;
        int sig = -1;
        const char *lead = "MLII";
        eo_status st = eo_detect_record(base, lead, NULL, NULL, NULL, NULL, &test, &sig, &err);
        if (st == EO_STATUS_NOT_FOUND) {
            lead = "V5";
            st = eo_detect_record(base, lead, NULL, NULL, NULL, NULL, &test, &sig, &err);
        }
        t_total += eo_time_now() - t0;
        if (st) {
            fprintf(stderr, "bench_qrs: %s\n", err.msg);
            return 2;
        }
        /* detection alone, on the signal in memory */
        eo_wfdb_record *rec = NULL;
        if (eo_wfdb_record_load(base, NULL, &rec, &err)) {
            fprintf(stderr, "bench_qrs: %s\n", err.msg);
            return 2;
        }
        double *x = malloc((size_t)rec->n_samples * sizeof(double));
        if (!x || eo_wfdb_record_physical(rec, sig, 0, rec->n_samples, x, &err))
            return 3;
        /* QRS_FS=<Hz>: detect on the signal resampled (linear interpolation,
         * enough below the 15 Hz band edge) to that rate, beats mapped back
         * to 360 Hz samples, to check the detector at other sampling rates */
        double fs2 = getenv("QRS_FS") ? atof(getenv("QRS_FS")) : rec->fs_hz;
        long n2 = (long)((double)(rec->n_samples - 1) * fs2 / rec->fs_hz) + 1;
        double *x2 = x;
        if (fs2 != rec->fs_hz) {
            x2 = malloc((size_t)n2 * sizeof(double));
            if (!x2)
                return 3;
            for (long k = 0; k < n2; k++) {
                double u = (double)k * rec->fs_hz / fs2;
                long k0 = (long)u;
                double f = u - (double)k0;
                x2[k] = k0 + 1 < rec->n_samples ? (1 - f) * x[k0] + f * x[k0 + 1] : x[k0];
            }
        }
        eo_qrs_options o;
        eo_qrs_defaults(&o, fs2);
        long *beats = NULL;
        size_t nb = 0;
        t0 = eo_time_now();
        if (eo_qrs_detect(x2, (size_t)n2, &o, &beats, &nb, &err)) {
            fprintf(stderr, "bench_qrs: %s\n", err.msg);
            return 3;
        }
        t_detect += eo_time_now() - t0;
        samples += n2;
        if (x2 != x) {
            free(x2);
            eo_annot_set_destroy(test);
            test = eo_annot_set_new();
            for (size_t k = 0; k < nb && test; k++) {
                eo_annotation an = {.sample = lround((double)beats[k] * rec->fs_hz / fs2), .code = 1};
                if (eo_annot_set_push(test, &an, &err))
                    return 3;
            }
            if (!test)
                return 3;
        } else if (nb != test->n) {
            fprintf(stderr, "bench_qrs: %s: streamed %zu beats, in-memory %zu\n", recs[r],
                    test->n, nb);
        }
        snprintf(path, sizeof path, "%s.atr", base);
        eo_annotation_set *ref = NULL;
        if (eo_annot_read(path, &ref, &err)) {
            fprintf(stderr, "bench_qrs: %s\n", err.msg);
            return 2;
        }
        eo_ec57_options eo;
        eo_ec57_defaults(&eo, rec->fs_hz);
        eo.end_sample = rec->n_samples;
        if (eo_ec57_compare(ref, test, &eo, &res[r], &err)) {
            fprintf(stderr, "bench_qrs: %s\n", err.msg);
            return 3;
        }
        eo_ec57_add(&gross, &res[r]);
        if (peer_ok) {
            eo_annotation_set *pb = peer_beats(peer_dir, recs[r]);
            eo_ec57_result pr;
            if (!pb || eo_ec57_compare(ref, pb, &eo, &pr, &err)) {
                fprintf(stderr, "bench_qrs: no peer beats for %s in %s\n", recs[r], peer_dir);
                peer_ok = 0;
            } else {
                eo_ec57_add(&peer, &pr);
            }
            eo_annot_set_destroy(pb);
        }
        eo_ec57_stats s;
        eo_ec57_stats_of(&res[r], &s);
        printf("%-6s %-5s %6zu %6zu %6ld %4ld %4ld %8.3f %8.3f\n", recs[r], lead,
               eo_ec57_count_beats(ref), test->n, s.qtp, s.qfn, s.qfp, s.qrs_se, s.qrs_ppv);
        fflush(stdout);
        free(beats);
        free(x);
        eo_wfdb_record_destroy(rec);
        eo_annot_set_destroy(ref);
        eo_annot_set_destroy(test);
    }
    eo_ec57_stats g, a;
    eo_ec57_stats_of(&gross, &g);
    eo_ec57_average(res, (size_t)nrec, &a);
    printf("gross   TP=%ld FN=%ld FP=%ld  Se=%.3f%%  +P=%.3f%%\n", g.qtp, g.qfn, g.qfp, g.qrs_se,
           g.qrs_ppv);
    printf("average Se=%.3f%%  +P=%.3f%% over %d records\n", a.qrs_se, a.qrs_ppv, nrec);
    printf("time detect=%.3f s for %ld samples (%.1f Msamples/s); read+detect+annotate=%.3f s\n",
           t_detect, samples, samples / t_detect / 1e6, t_total);
    printf("bar gross Se>=99.7 and +P>=99.7: %s\n",
           g.qrs_se >= 99.7 && g.qrs_ppv >= 99.7 ? "met" : "NOT met");
    const char *psec = getenv("PEER_SECONDS");
    if (peer_ok && psec) {
        eo_ec57_stats p;
        eo_ec57_stats_of(&peer, &p);
        double pt = atof(psec);
        printf("peer    TP=%ld FN=%ld FP=%ld  Se=%.3f%%  +P=%.3f%%  detect=%.3f s\n", p.qtp, p.qfn,
               p.qfp, p.qrs_se, p.qrs_ppv, pt);
        printf("qrs_mitdb gross_se ecgopt=%.3f peer=%.3f ratio=%.4f\n", g.qrs_se, p.qrs_se,
               g.qrs_se / p.qrs_se);
        printf("qrs_mitdb gross_ppv ecgopt=%.3f peer=%.3f ratio=%.4f\n", g.qrs_ppv, p.qrs_ppv,
               g.qrs_ppv / p.qrs_ppv);
        printf("qrs_mitdb detect_seconds ecgopt=%.3f peer=%.3f ratio=%.4f\n", t_detect, pt,
               t_detect / pt);
    }
    free(res);
    return 0;
}
