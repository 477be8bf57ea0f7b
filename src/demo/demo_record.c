/* Demo stage 1: the record, from the data lookup or, without MIT-BIH, two
 * ECGSYN records (McSharry et al. 2003) in a temporary folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo_internal.h"
#include "ecgopt/rng.h"
#include "ecgopt/synth.h"

static const char *const SYNTH_FILES[] = {"synth.hea",       "synth.dat",       "synth.atr",
                                          "synth-train.hea", "synth-train.dat", "synth-train.atr"};

static eo_status write_synth(const char *dir, const char *name, double seconds, uint64_t seed, double ectopic,
                             eo_error *err)
{
    eo_synth_options so;
    eo_synth_defaults(&so);
    so.seconds = seconds;
    so.fs_hz = 360;
    so.hr_mean_bpm = 72;
    so.hr_std_bpm = 3;
    so.noise_mv = 0.01;
    so.ectopic_prob = ectopic;
    eo_rng rng;
    eo_rng_seed(&rng, seed);
    eo_synth *s = NULL;
    eo_status st = eo_synth_generate(&so, &rng, &s, err);
    if (st)
        return st;
    st = eo_synth_write(s, dir, name, 212, "MLII", err);
    eo_synth_destroy(s);
    return st;
}

/* The record asked for, with its reference annotations: 1 when found. */
static int find_record(eo_demo *d)
{
    eo_error e2;
    eo_status st = eo_data_find_record(d->o.data_dir, d->want, "hea", d->base_path, sizeof d->base_path, &e2);
    char atr[4200];
    snprintf(atr, sizeof atr, "%s.atr", d->base_path);
    return st == EO_STATUS_OK && access(atr, R_OK) == 0;
}

static eo_status make_synthetic(eo_demo *d, eo_error *err)
{
    d->r.synthetic = 1;
    snprintf(d->tmpdir, sizeof d->tmpdir, "/tmp/ecgopt-demo-XXXXXX");
    if (!mkdtemp(d->tmpdir)) {
        eo_status st = eo_error_set(err, EO_STATUS_IO, "%s: cannot create a temporary folder", d->tmpdir);
        d->tmpdir[0] = 0;
        return st;
    }
    if (d->o.note) {
        char line[512];
        snprintf(line, sizeof line, "demo: record %s not found; using synthetic ECGSYN records in %s", d->want,
                 d->tmpdir);
        d->o.note(d->o.note_user, line);
    }
    eo_status st = write_synth(d->tmpdir, "synth-train", d->o.quick ? 300 : 600, d->o.seed + 100, 0.12, err);
    if (!st)
        st = write_synth(d->tmpdir, "synth", 120, d->o.seed, 0.1, err);
    snprintf(d->base_path, sizeof d->base_path, "%s/synth", d->tmpdir);
    snprintf(d->r.record, sizeof d->r.record, "synth");
    return st;
}

eo_status eo_demo_open_record(eo_demo *d, eo_error *err)
{
    eo_status st = EO_STATUS_OK;
    if (find_record(d)) {
        const char *slash = strrchr(d->want, '/');
        snprintf(d->r.record, sizeof d->r.record, "%s", slash ? slash + 1 : d->want);
    } else if ((st = make_synthetic(d, err)) != EO_STATUS_OK)
        return st;
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = d->o.verify;
    st = eo_wfdb_record_load(d->base_path, &ro, &d->rec, err);
    if (st)
        return st;
    d->fs = d->r.fs_hz = d->rec->fs_hz;
    d->sig = eo_wfdb_find_signal(d->rec->header, "MLII");
    if (d->sig < 0)
        d->sig = 0;
    /* display window: the first 60 s (30 s with --quick) */
    d->w0 = 0;
    d->wn = (long)(d->fs * (d->o.quick ? 30 : 60));
    if (d->wn > d->rec->n_samples)
        d->wn = d->rec->n_samples;
    if (d->wn < (long)(d->fs * 10))
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: record shorter than 10 s", d->base_path);
    d->x = malloc(sizeof(double) * (size_t)d->wn);
    d->den = malloc(sizeof(double) * (size_t)d->wn);
    d->recon = malloc(sizeof(double) * (size_t)d->wn);
    d->errtr = malloc(sizeof(double) * (size_t)d->wn);
    if (!d->x || !d->den || !d->recon || !d->errtr)
        return eo_demo_no_memory(err);
    return eo_wfdb_record_physical(d->rec, d->sig, d->w0, d->wn, d->x, err);
}

void eo_demo_remove_synthetic(eo_demo *d)
{
    if (!d->tmpdir[0])
        return;
    for (size_t i = 0; i < sizeof SYNTH_FILES / sizeof SYNTH_FILES[0]; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", d->tmpdir, SYNTH_FILES[i]);
        unlink(p);
    }
    rmdir(d->tmpdir);
    d->tmpdir[0] = 0;
}
