/* Benchmark: read all 48 MIT-BIH records (both signals, checksums and
 * initial values verified, converted to physical units) plus their .atr
 * annotations; the median wall and process CPU time of --reps passes.
 * usage: bench_wfdb_read [--reps N] [MITDB_DIR]
 * prints: RESULT read_all: median_ms=... cpu_ms=... records=48 samples=... beats=... sum_mv=... */
#include <dirent.h>
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

int main(int argc, char **argv)
{
    int reps = 5;
    const char *dir = EO_BENCH_DATA_DIR "/mitdb";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else
            dir = argv[i];
    }
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
    double *phys = malloc(sizeof(double) * 650000 * 2);
    long samples = 0, beats = 0;
    double sum = 0;
    if (!times || !phys || !cpu)
        return 3;
    for (int rep = 0; rep < reps; rep++) {
        samples = beats = 0;
        sum = 0;
        double t0 = eo_time_now(), c0 = cpu_now();
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
                eo_wfdb_record_physical(r, s, 0, n, p, &err);
                sum += p[n / 2];
                samples += n;
            }
            eo_wfdb_record_free(r);
            snprintf(path, sizeof path, "%s.atr", base);
            eo_annotation_set *a = NULL;
            if (eo_annot_read(path, &a, &err)) {
                fprintf(stderr, "bench_wfdb_read: %s\n", err.msg);
                return 2;
            }
            for (size_t k = 0; k < a->n; k++)
                beats += eo_annot_is_beat(a->items[k].code);
            eo_annot_set_free(a);
        }
        times[rep] = (eo_time_now() - t0) * 1000.0;
        cpu[rep] = (cpu_now() - c0) * 1000.0;
    }
    qsort(times, (size_t)reps, sizeof *times, cmp_dbl);
    qsort(cpu, (size_t)reps, sizeof *cpu, cmp_dbl);
    printf("RESULT read_all: median_ms=%.2f cpu_ms=%.2f records=%d samples=%ld beats=%ld "
           "mid_mv_sum=%.6f\n",
           times[reps / 2], cpu[reps / 2], nr, samples, beats, sum);
    free(cpu);
    free(times);
    free(phys);
    return 0;
}
