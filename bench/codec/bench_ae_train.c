/* Train a codec autoencoder on the 22 DS1 records (MLII) with explicit
 * options, save it, and print its rate-distortion on DS1 validation
 * records (model selection never looks at DS2).
 *
 *   bench_ae_train OUT.eom MITDB_DIR [key=value ...]
 *     keys: lambda C F segments epochs batch lr smin smax mix dec ctx att seed pools=a,b,c
 *           holdout=A+B+...  (DS1 records left out of training, for bench_ae_rd records=)
 *           val=STEP,STEP,...  (latent steps to report; default smin,1,smax)
 *
 * Validation: the MLII lead of the first 10 minutes of DS1 records 101 109
 * 118 124 207 (5 of the training patients: a check of fit, not of
 * generalisation), coded with every byte counted; prints per step the
 * pooled CR, mean PRDN, and the model's bit estimate against the file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ecgopt/codec.h"
#include "ecgopt/util.h"

static const char *const ds1[22] = {"101", "106", "108", "109", "112", "114", "115", "116",
                                    "118", "119", "122", "124", "201", "203", "205", "207",
                                    "208", "209", "215", "220", "223", "230"};
static const char *const val[5] = {"101", "109", "118", "124", "207"};

static eo_wfdb_record *load(const char *dir, const char *name, long max_samples)
{
    char base[4096];
    snprintf(base, sizeof base, "%s/%s", dir, name);
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    eo_wfdb_record *r;
    eo_error err;
    if (eo_wfdb_record_load(base, &ro, &r, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    if (max_samples > 0 && r->n_samples > max_samples)
        r->n_samples = max_samples;
    return r;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_ae_train OUT.eom MITDB_DIR [key=value ...]\n");
        return 1;
    }
    eo_codec_ae_options o;
    eo_codec_ae_defaults(&o);
    char vals[256] = "", holdout[256] = "";
    for (int a = 3; a < argc; a++) {
        char *eq = strchr(argv[a], '=');
        if (!eq)
            return 1;
        *eq = 0;
        const char *k = argv[a], *v = eq + 1;
        if (!strcmp(k, "lambda")) o.lambda = atof(v);
        else if (!strcmp(k, "C")) o.latent_channels = atoi(v);
        else if (!strcmp(k, "F")) o.filters = atoi(v);
        else if (!strcmp(k, "segments")) o.max_segments = atoi(v);
        else if (!strcmp(k, "epochs")) o.epochs = atoi(v);
        else if (!strcmp(k, "batch")) o.batch_size = atoi(v);
        else if (!strcmp(k, "lr")) o.lr = atof(v);
        else if (!strcmp(k, "smin")) o.step_min = atof(v);
        else if (!strcmp(k, "smax")) o.step_max = atof(v);
        else if (!strcmp(k, "mix")) o.mixture = atoi(v);
        else if (!strcmp(k, "dec")) o.decoder = atoi(v);
        else if (!strcmp(k, "ctx")) o.context = atoi(v);
        else if (!strcmp(k, "att")) o.attention = atoi(v);
        else if (!strcmp(k, "seed")) o.seed = (uint64_t)atoll(v);
        else if (!strcmp(k, "pools")) sscanf(v, "%d,%d,%d", &o.pools[0], &o.pools[1], &o.pools[2]);
        else if (!strcmp(k, "val")) snprintf(vals, sizeof vals, "%s", v);
        else if (!strcmp(k, "holdout")) snprintf(holdout, sizeof holdout, "+%s+", v);
        else {
            fprintf(stderr, "unknown key %s\n", k);
            return 1;
        }
    }
    eo_wfdb_record *recs[22];
    int ntr = 0;
    for (int i = 0; i < 22; i++) {
        char key[16];
        snprintf(key, sizeof key, "+%s+", ds1[i]);
        if (!strstr(holdout, key))
            recs[ntr++] = load(argv[2], ds1[i], 0);
    }
    eo_error err;
    eo_codec_ae *ae = NULL;
    clock_t c0 = clock();
    if (eo_codec_ae_train((const eo_wfdb_record *const *)recs, ntr, &o, &ae, &err) ||
        eo_codec_ae_save(ae, argv[1], &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    for (int i = 0; i < ntr; i++)
        eo_wfdb_record_destroy(recs[i]);
    printf("%s: lambda %g C %d F %d segments %d epochs %d, %zu bytes, %.0f s CPU\n", argv[1],
           o.lambda, o.latent_channels, o.filters, o.max_segments, o.epochs,
           eo_codec_ae_model_bytes(ae), cpu);
    double smin, smax;
    eo_codec_ae_is_rd(ae, &smin, &smax);
    double steps[16];
    int ns = 0;
    if (vals[0]) {
        for (char *t = strtok(vals, ","); t && ns < 16; t = strtok(NULL, ","))
            steps[ns++] = atof(t);
    } else {
        steps[ns++] = smin;
        steps[ns++] = sqrt(smin * smax);
        steps[ns++] = smax;
    }
    eo_wfdb_record *vr[5];
    for (int i = 0; i < 5; i++)
        vr[i] = load(argv[2], val[i], 360L * 600);
    for (int j = 0; j < ns; j++) {
        double bits = 0, bytes = 0, prdn = 0, est = 0, tab = 0;
        for (int i = 0; i < 5; i++) {
            eo_codec_options co;
            eo_codec_defaults(&co);
            co.mode = EO_CODEC_AE;
            co.ae_model = ae;
            co.ae_step = steps[j];
            eo_codec_stats cs;
            eo_fidelity f;
            /* MLII is signal 0 of these records; code both leads' first only */
            int nsig = vr[i]->n_signals;
            vr[i]->n_signals = 1;
            vr[i]->header->n_signals = 1;
            double mb, tb;
            if (eo_codec_measure(vr[i], &co, &cs, &f, &err) ||
                eo_codec_ae_estimate(ae, vr[i], 360L * 60, steps[j], &mb, &tb, &err)) {
                fprintf(stderr, "%s\n", err.msg);
                return 3;
            }
            vr[i]->n_signals = nsig;
            vr[i]->header->n_signals = nsig;
            bits += 11.0 * (double)vr[i]->n_samples;
            bytes += (double)cs.file_bytes;
            prdn += f.prdn;
            est += mb;
            tab += tb;
        }
        printf("  step %-6g CR %6.2f  mean PRDN %6.2f  bits/sample %.3f  latent bits: model %.0f "
               "tables %.0f\n",
               steps[j], bits / (8 * bytes), prdn / 5, 8 * bytes / (bits / 11), est, tab);
        fflush(stdout);
    }
    for (int i = 0; i < 5; i++)
        eo_wfdb_record_destroy(vr[i]);
    eo_codec_ae_destroy(ae);
    return 0;
}
