/* Benchmark: read all 48 MIT-BIH records (both signals, checksums and
 * initial values verified, converted to physical units) plus their .atr
 * annotations; the median wall and process CPU time of --reps passes.
 *
 * usage: bench_wfdb_read [--reps N] [--api reader|load] [--precision f64|f32] [MITDB_DIR]
 *   --api reader (default): one eo_wfdb_reader for the whole pass
 *         (eo_wfdb_reader_read_physical + eo_wfdb_reader_read_annotations);
 *   --api load: eo_wfdb_record_load + eo_wfdb_record_physical (double only)
 *         + eo_annot_read per record, as before the reader existed.
 *   --precision: the physical values produced, float64 (as the NumPy peer)
 *         or float32.
 * prints: RESULT read_all: median_ms=... cpu_ms=... records=48 samples=...
 *         beats=... mid_mv_sum=... all_mv_sum=... nan=... precision=...
 * The timed passes keep only the mid-record value of each signal (as the
 * peer); one untimed pass afterwards sums every physical value (all_mv_sum,
 * NaN excluded and counted) so that the driver can check that both readers
 * produced the same numbers everywhere. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct pass {
    long samples, beats, nan;
    double mid, all;
} pass;

/* one pass over the records; full = 1: also sum every value */
static int pass_load(const char *dir, char (*recs)[32], int nr, double *phys, int full, pass *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < nr; i++) {
        char base[4096], path[4200];
        snprintf(base, sizeof base, "%s/%s", dir, recs[i]);
        eo_error err;
        eo_wfdb_record *r = NULL;
        if (eo_wfdb_record_load(base, NULL, &r, &err)) {
            fprintf(stderr, "bench_wfdb_read: %s\n", err.msg);
            return 2;
        }
        for (int s = 0; s < r->n_signals && s < 2; s++) {
            double *p = phys + (size_t)s * 650000;
            long n = r->n_samples < 650000 ? r->n_samples : 650000;
            if (eo_wfdb_record_physical(r, s, 0, n, p, &err)) {
                fprintf(stderr, "bench_wfdb_read: %s\n", err.msg);
                return 2;
            }
            o->mid += p[n / 2];
            o->samples += n;
            for (long k = 0; full && k < n; k++) {
                if (isnan(p[k]))
                    o->nan++;
                else
                    o->all += p[k];
            }
        }
        eo_wfdb_record_destroy(r);
        snprintf(path, sizeof path, "%s.atr", base);
        eo_annotation_set *a = NULL;
        if (eo_annot_read(path, &a, &err)) {
            fprintf(stderr, "bench_wfdb_read: %s\n", err.msg);
            return 2;
        }
        for (size_t k = 0; k < a->n; k++)
            o->beats += eo_annot_is_beat(a->items[k].code);
        eo_annot_set_destroy(a);
    }
    return 0;
}

static int pass_reader(const char *dir, char (*recs)[32], int nr, eo_wfdb_reader *rd,
                       eo_wfdb_precision prec, int full, pass *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < nr; i++) {
        char base[4096], path[4200];
        snprintf(base, sizeof base, "%s/%s", dir, recs[i]);
        eo_error err;
        eo_wfdb_physical ph;
        if (eo_wfdb_reader_read_physical(rd, base, prec, &ph, &err)) {
            fprintf(stderr, "bench_wfdb_read: %s\n", err.msg);
            return 2;
        }
        for (int s = 0; s < ph.n_signals && s < 2; s++) {
            long n = ph.n_samples;
            if (prec == EO_WFDB_F32) {
                const float *p = ph.f32[s];
                o->mid += (double)p[n / 2];
                for (long k = 0; full && k < n; k++) {
                    if (isnan(p[k]))
                        o->nan++;
                    else
                        o->all += (double)p[k];
                }
            } else {
                const double *p = ph.f64[s];
                o->mid += p[n / 2];
                for (long k = 0; full && k < n; k++) {
                    if (isnan(p[k]))
                        o->nan++;
                    else
                        o->all += p[k];
                }
            }
            o->samples += n;
        }
        snprintf(path, sizeof path, "%s.atr", base);
        const eo_annotation_set *a = NULL;
        if (eo_wfdb_reader_read_annotations(rd, path, &a, &err)) {
            fprintf(stderr, "bench_wfdb_read: %s\n", err.msg);
            return 2;
        }
        for (size_t k = 0; k < a->n; k++)
            o->beats += eo_annot_is_beat(a->items[k].code);
    }
    return 0;
}

int main(int argc, char **argv)
{
    int reps = 5, use_load = 0;
    eo_wfdb_precision prec = EO_WFDB_F64;
    const char *dir = EO_BENCH_DATA_DIR "/mitdb";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--api") == 0 && i + 1 < argc)
            use_load = strcmp(argv[++i], "load") == 0;
        else if (strcmp(argv[i], "--precision") == 0 && i + 1 < argc)
            prec = strcmp(argv[++i], "f32") == 0 ? EO_WFDB_F32 : EO_WFDB_F64;
        else
            dir = argv[i];
    }
    if (use_load)
        prec = EO_WFDB_F64;
    if (reps < 1 || reps > 1000)
        reps = 5;
    static char recs[256][32];
    int nr = 0;
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "bench_wfdb_read: %s: cannot open\n", dir);
        return 2;
    }
    struct dirent *de;
    while ((de = readdir(d)) && nr < 256) {
        size_t l = strlen(de->d_name);
        if (l > 4 && l < 30 && strcmp(de->d_name + l - 4, ".hea") == 0) {
            memcpy(recs[nr], de->d_name, l - 4);
            recs[nr][l - 4] = 0;
            nr++;
        }
    }
    closedir(d);
    qsort(recs, (size_t)nr, sizeof recs[0], cmp_str);
    double *times = calloc((size_t)reps, sizeof *times);
    double *cpu = calloc((size_t)reps, sizeof *cpu);
    double *phys = use_load ? malloc(sizeof(double) * 650000 * 2) : NULL;
    eo_wfdb_reader *rd = NULL;
    eo_error err;
    if (!use_load && eo_wfdb_reader_create(NULL, &rd, &err)) {
        fprintf(stderr, "bench_wfdb_read: %s\n", err.msg);
        return 3;
    }
    if (!times || !cpu || (use_load && !phys))
        return 3;
    pass p, chk;
    for (int rep = 0; rep < reps; rep++) {
        double t0 = eo_time_now(), c0 = cpu_now();
        int rc = use_load ? pass_load(dir, recs, nr, phys, 0, &p)
                          : pass_reader(dir, recs, nr, rd, prec, 0, &p);
        if (rc)
            return rc;
        times[rep] = (eo_time_now() - t0) * 1000.0;
        cpu[rep] = (cpu_now() - c0) * 1000.0;
    }
    /* untimed check pass */
    int rc = use_load ? pass_load(dir, recs, nr, phys, 1, &chk)
                      : pass_reader(dir, recs, nr, rd, prec, 1, &chk);
    if (rc)
        return rc;
    qsort(times, (size_t)reps, sizeof *times, cmp_dbl);
    qsort(cpu, (size_t)reps, sizeof *cpu, cmp_dbl);
    printf("RESULT read_all: median_ms=%.2f cpu_ms=%.2f records=%d samples=%ld beats=%ld "
           "mid_mv_sum=%.6f all_mv_sum=%.3f nan=%ld precision=%s api=%s\n",
           times[reps / 2], cpu[reps / 2], nr, p.samples, p.beats, p.mid, chk.all, chk.nan,
           prec == EO_WFDB_F32 ? "float32" : "float64", use_load ? "load" : "reader");
    eo_wfdb_reader_destroy(rd);
    free(cpu);
    free(times);
    free(phys);
    return 0;
}
