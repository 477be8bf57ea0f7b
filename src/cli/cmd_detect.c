/* ecgopt detect — QRS detection on WFDB records; writes WFDB annotation files.
 * The detector is the streaming one of include/ecgopt/qrs.h, driven through
 * eo_detect_record() (include/ecgopt/detect.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ecgopt/detect.h"
#include "ecgopt/json.h"
#include "ecgopt/util.h"

static void help(void)
{
    printf("usage: ecgopt detect RECORD... [-o FILE|DIR] [--annotator NAME] [--signal NAME]\n"
           "                     [--threshold TH] [--integration-ms MS] [--searchback RR]\n"
           "                     [--band LO,HI] [--squaring] [--json] [--quiet] [--data DIR]\n\n"
           "QRS detection (Pan-Tompkins front end, Hamilton-Tompkins decision rules,\n"
           "search-back, T-wave and refractory rules; docs/qrs.md).  Writes one WFDB\n"
           "annotation file per record with a beat label N at each detected R peak.\n"
           "RECORD is a path (data/mitdb/100) or a name looked up in --data,\n"
           "$ECGOPT_DATA, ./data, ../shared/data.\n\n"
           "  -o FILE|DIR         output annotation file (one record), or a directory that\n"
           "                      receives RECORD.ANNOTATOR for each record; default: next\n"
           "                      to the record (RECORD.ANNOTATOR)\n"
           "  --annotator NAME    annotation file extension (default qrs)\n"
           "  --signal NAME       signal description (MLII, V5, ...) or index; an absent\n"
           "                      signal is an error.  Default: MLII if present, else 0\n"
           "  --threshold TH      detection threshold between noise and QRS level (0.45)\n"
           "  --integration-ms MS moving-window integrator width (120)\n"
           "  --searchback RR     search back after RR x median RR without a beat (1.5)\n"
           "  --band LO,HI        band-pass cut-offs in Hz (5,15)\n"
           "  --squaring          square the derivative (Pan-Tompkins) instead of |.|\n\n"
           "common options: --json (result as JSON on stdout)  --quiet (errors only on stderr)\n"
           "  --progress (draw progress even when stderr is not a terminal)  --data DIR\n"
           "example: ecgopt detect mitdb/100 -o /tmp/100.qrs --signal MLII\n"
           "         ecgopt evaluate --ref atr --test qrs --test-dir /tmp 100\n"
           "exit codes: 0 ok, 1 usage, 2 bad input (missing record or signal), 3 internal\n");
}

typedef struct det_out {
    const char *record;
    int signal;
    char desc[128];
    double fs, bpm, secs;
    long beats;
    char out[4400];
} det_out;

static int is_dir(const char *p)
{
    struct stat st;
    size_t n = strlen(p);
    return (n > 0 && p[n - 1] == '/') || (stat(p, &st) == 0 && S_ISDIR(st.st_mode));
}

int eo_cmd_detect(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "detect", &argc, argv))
        return 1;
    if (c.help) {
        help();
        return 0;
    }
    const char *annotator = "qrs", *signal = NULL, *v = NULL;
    eo_qrs_options qo;
    eo_qrs_defaults(&qo, 360.0);
    const char **recs = calloc((size_t)argc + 1, sizeof *recs);
    int nrec = 0;
    if (!recs) {
        eo_error e;
        eo_error_set(&e, EO_STATUS_NO_MEMORY, "detect: out of memory");
        return eo_cli_fail(&c, &e);
    }
    int rc = 0;
    for (int i = 1; i < argc && !rc; i++) {
        int r;
        double d = 0.0;
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--annotator", &annotator)) != 0) {
            rc = r < 0;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--signal", &signal)) != 0) {
            rc = r < 0;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--threshold", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_double(&c, "--threshold", v, &d);
            qo.threshold = d;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--integration-ms", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_double(&c, "--integration-ms", v, &d);
            qo.integration_ms = d;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--searchback", &v)) != 0) {
            rc = r < 0 || eo_cli_parse_double(&c, "--searchback", v, &d);
            qo.searchback_rr = d;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--band", &v)) != 0) {
            double lo, hi;
            char extra;
            if (r < 0)
                rc = 1;
            else if (sscanf(v, "%lf,%lf%c", &lo, &hi, &extra) != 2)
                rc = eo_cli_usage(&c, "--band expects LO,HI in Hz, got '%s'", v);
            else
                qo.band_low_hz = lo, qo.band_high_hz = hi;
        } else if (strcmp(argv[i], "--squaring") == 0) {
            qo.squaring = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rc = eo_cli_usage(&c, "unknown option %s", argv[i]);
        } else {
            recs[nrec++] = argv[i];
        }
    }
    if (!rc && nrec == 0)
        rc = eo_cli_usage(&c, "missing RECORD");
    if (!rc && (!annotator[0] || strchr(annotator, '/')))
        rc = eo_cli_usage(&c, "--annotator must be a plain file extension, got '%s'", annotator);
    int out_dir = c.out && is_dir(c.out);
    if (!rc && nrec > 1 && c.out && !out_dir)
        rc = eo_cli_usage(&c, "-o must be a directory when several records are given");
    if (rc) {
        free(recs);
        return rc;
    }
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = c.verify;
    /* results are printed after all records succeeded, so that --json
     * yields either one result document or one error object */
    det_out *res = calloc((size_t)nrec, sizeof *res);
    if (!res) {
        free(recs);
        eo_error e;
        eo_error_set(&e, EO_STATUS_NO_MEMORY, "detect: out of memory");
        return eo_cli_fail(&c, &e);
    }
    eo_error err;
    eo_error_clear(&err);
    for (int k = 0; k < nrec; k++) {
        char base[4096], out[4400];
        eo_status st = eo_data_find_record(c.data_dir, recs[k], "hea", base, sizeof base, &err);
        const char *sig = signal;
        eo_wfdb_header *h = NULL;
        if (!st && !sig) {
            char hp[4200];
            snprintf(hp, sizeof hp, "%s.hea", base);
            st = eo_wfdb_header_read(hp, &h, &err);
            if (!st)
                sig = eo_wfdb_find_signal(h, "MLII") >= 0 ? "MLII" : "0";
        }
        /* without -o the annotation goes next to the record: refuse before
         * the (long) detection when that directory is not writable */
        if (!st && !c.out) {
            char dir[4096];
            snprintf(dir, sizeof dir, "%s", base);
            char *slash = strrchr(dir, '/');
            if (!slash)
                snprintf(dir, sizeof dir, ".");
            else if (slash == dir)
                dir[1] = '\0';
            else
                *slash = '\0';
            if (access(dir, W_OK) != 0)
                st = eo_error_set(&err, EO_STATUS_IO,
                                  "%s: directory of record %s is not writable; give -o FILE|DIR", dir,
                                  recs[k]);
        }
        double t0 = eo_time_now();
        eo_annotation_set *a = NULL;
        int used = -1;
        if (!st)
            st = eo_detect_record(base, sig, &qo, &ro, c.progress ? eo_cli_progress : NULL, &c, &a,
                                  &used, &err);
        eo_cli_progress_end(&c);
        double secs = eo_time_now() - t0;
        if (!st) {
            const char *name = strrchr(base, '/') ? strrchr(base, '/') + 1 : base;
            if (c.out && !out_dir)
                snprintf(out, sizeof out, "%s", c.out);
            else if (c.out)
                snprintf(out, sizeof out, "%s%s%s.%s", c.out,
                         c.out[strlen(c.out) - 1] == '/' ? "" : "/", name, annotator);
            else
                snprintf(out, sizeof out, "%s.%s", base, annotator);
            st = eo_annot_write(out, a, &err);
            if (st && !c.out)
                eo_error_prefix(&err, "cannot write next to the record (use -o FILE|DIR)");
        }
        if (st) {
            eo_annot_set_free(a);
            eo_wfdb_header_free(h);
            free(res);
            free(recs);
            return eo_cli_fail(&c, &err);
        }
        if (!h) {
            char hp[4200];
            snprintf(hp, sizeof hp, "%s.hea", base);
            if (eo_wfdb_header_read(hp, &h, &err))
                h = NULL;
        }
        const char *desc = h && used >= 0 && used < h->n_signals ? h->signals[used].description : "";
        double fs = h ? h->fs_hz : 0.0;
        double dur = h && h->n_samples > 0 && fs > 0 ? (double)h->n_samples / fs : 0.0;
        det_out *d = &res[k];
        d->record = recs[k];
        d->signal = used;
        snprintf(d->desc, sizeof d->desc, "%s", desc);
        d->fs = fs;
        d->beats = (long)a->n;
        d->bpm = dur > 0 ? 60.0 * (double)a->n / dur : 0.0;
        snprintf(d->out, sizeof d->out, "%s", out);
        d->secs = secs;
        eo_annot_set_free(a);
        eo_wfdb_header_free(h);
    }
    if (c.json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "annotator", annotator);
        eo_json_key(&j, "records");
        eo_json_arr_begin(&j);
        for (int k = 0; k < nrec; k++) {
            eo_json_obj_begin(&j);
            eo_json_kv_str(&j, "record", res[k].record);
            eo_json_kv_int(&j, "signal", res[k].signal);
            eo_json_kv_str(&j, "signal_description", res[k].desc);
            eo_json_kv_num(&j, "fs_hz", res[k].fs);
            eo_json_kv_int(&j, "beats", res[k].beats);
            eo_json_kv_num(&j, "mean_rate_bpm", res[k].bpm);
            eo_json_kv_str(&j, "output", res[k].out);
            eo_json_kv_num(&j, "seconds", res[k].secs);
            eo_json_obj_end(&j);
        }
        eo_json_arr_end(&j);
        eo_json_obj_end(&j);
        fputc('\n', stdout);
    } else if (!c.quiet) {
        for (int k = 0; k < nrec; k++)
            printf("%s: %ld beats on signal %d (%s), %.1f bpm mean, %.3f s -> %s\n",
                   res[k].record, res[k].beats, res[k].signal, res[k].desc, res[k].bpm,
                   res[k].secs, res[k].out);
    }
    free(res);
    free(recs);
    return 0;
}
