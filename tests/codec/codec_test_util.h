/* Helpers shared by the codec tests: synthetic records. */
#ifndef CODEC_TEST_UTIL_H
#define CODEC_TEST_UTIL_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/codec.h"
#include "ecgopt/rng.h"

/* A synthetic ECG-like record: spiky periodic beats + noise, adu around 1024. */
static eo_wfdb_record *synth_record(int n_signals, long n, double fs, uint64_t seed)
{
    eo_wfdb_record *r = calloc(1, sizeof *r);
    r->header = calloc(1, sizeof *r->header);
    r->header->signals = calloc((size_t)n_signals, sizeof *r->header->signals);
    r->adu = calloc((size_t)n_signals, sizeof *r->adu);
    r->n_signals = r->header->n_signals = n_signals;
    r->n_samples = r->header->n_samples = n;
    r->fs_hz = r->header->fs_hz = fs;
    snprintf(r->header->record_name, sizeof r->header->record_name, "syn");
    eo_rng rng;
    eo_rng_seed(&rng, seed);
    for (int s = 0; s < n_signals; s++) {
        eo_wfdb_signal_info *si = &r->header->signals[s];
        si->gain = 200;
        si->gain_given = 1;
        si->baseline = 1024;
        si->adc_zero = 1024;
        si->adc_resolution = 11;
        si->format = 212;
        snprintf(si->units, sizeof si->units, "mV");
        snprintf(si->description, sizeof si->description, s ? "V5" : "MLII");
        r->adu[s] = malloc(sizeof(int32_t) * (size_t)(n ? n : 1));
        for (long i = 0; i < n; i++) {
            double t = (double)i / fs, ph = fmod(t, 0.8) / 0.8;
            double v = 1024 + 30 * sin(2 * M_PI * 0.3 * t) + 300 * exp(-pow((ph - 0.3) / 0.01, 2)) -
                       (s ? 80 : 40) * exp(-pow((ph - 0.32) / 0.015, 2)) +
                       50 * exp(-pow((ph - 0.6) / 0.05, 2)) + 3 * eo_rng_normal(&rng);
            r->adu[s][i] = (int32_t)lround(v);
        }
    }
    return r;
}

#endif
