/* ecgopt info — header summary, duration, signals (checksums verified),
 * annotation counts by code and by AAMI class, rhythm episodes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ecgopt/json.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

static void help(void)
{
    printf("usage: ecgopt info RECORD [--annotator NAME] [--no-verify] [--json] [--data DIR]\n\n"
           "Header summary of a WFDB record: sampling rate, length, signals (file, format,\n"
           "gain, baseline, units; header checksums and initial values verified unless\n"
           "--no-verify), annotation counts by code and by AAMI class, and the rhythm\n"
           "episodes given by '+' annotations.  RECORD is a path (data/mitdb/100) or a\n"
           "name looked up in --data, $ECGOPT_DATA, ./data, ../shared/data.\n\n"
           "  --annotator NAME   annotation file extension (default atr; 'none' to skip)\n\n"
           "common options: --json (result as JSON on stdout)  --quiet (errors only on stderr)\n"
           "  --progress (draw progress even when stderr is not a terminal)  --data DIR\n"
           "example: ecgopt info mitdb/203\n"
           "exit codes: 0 ok, 1 usage, 2 bad input (missing/corrupt record), 3 internal\n");
}

static void fmt_time(char *b, size_t n, double sec)
{
    long ms = (long)llround(sec * 1000.0);
    long h = ms / 3600000, m = (ms / 60000) % 60;
    double s = (double)(ms % 60000) / 1000.0;
    if (h > 0)
        snprintf(b, n, "%ld:%02ld:%06.3f", h, m, s);
    else
        snprintf(b, n, "%ld:%06.3f", m, s);
}

int eo_cmd_info(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "info", &argc, argv))
        return 1;
    if (c.help) {
        help();
        return 0;
    }
    const char *rec = NULL, *annotator = "atr";
    for (int i = 1; i < argc; i++) {
        int r;
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--annotator", &annotator)) != 0) {
            if (r < 0)
                return 1;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return eo_cli_usage(&c, "unknown option %s", argv[i]);
        if (rec)
            return eo_cli_usage(&c, "one RECORD expected, got '%s' and '%s'", rec, argv[i]);
        rec = argv[i];
    }
    if (!rec)
        return eo_cli_usage(&c, "missing RECORD");
    eo_error err;
    eo_error_clear(&err);
    char base[4096];
    if (eo_data_find_record(c.data_dir, rec, "hea", base, sizeof base, &err))
        return eo_cli_fail(&c, &err);
    /* read every frame through the stream: this verifies checksums and
     * initial values without holding the record in memory */
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = c.verify;
    eo_wfdb_stream *s = NULL;
    if (eo_wfdb_stream_open(base, &ro, &s, &err))
        return eo_cli_fail(&c, &err);
    const eo_wfdb_header *h = eo_wfdb_stream_header(s);
    int ns = h->n_signals;
    long block = 65536, total = 0, k = 0;
    int32_t *buf = malloc((size_t)block * (size_t)(ns > 0 ? ns : 1) * sizeof *buf);
    if (!buf) {
        eo_wfdb_stream_close(s);
        eo_error_set(&err, EO_STATUS_NO_MEMORY, "info: out of memory");
        return eo_cli_fail(&c, &err);
    }
    do {
        if (eo_wfdb_stream_read(s, buf, block, &k, &err)) {
            free(buf);
            eo_wfdb_stream_close(s);
            return eo_cli_fail(&c, &err);
        }
        total += k;
        eo_cli_progress(&c, (double)total, (double)(h->n_samples > 0 ? h->n_samples : total), "reading");
    } while (k > 0);
    eo_cli_progress_end(&c);
    free(buf);

    eo_annotation_set *a = NULL;
    char apath[4200];
    snprintf(apath, sizeof apath, "%s.%s", base, annotator);
    int have_ann = strcmp(annotator, "none") != 0 && access(apath, F_OK) == 0;
    if (have_ann && eo_annot_read(apath, &a, &err)) {
        eo_wfdb_stream_close(s);
        return eo_cli_fail(&c, &err);
    }
    long by_code[64] = {0}, by_aami[5] = {0}, beats = 0;
    eo_rhythm_episode *ep = NULL;
    size_t nep = 0;
    if (a) {
        for (size_t i = 0; i < a->n; i++) {
            int code = a->items[i].code;
            if (code >= 0 && code < 64)
                by_code[code]++;
            beats += eo_annot_is_beat(code);
            eo_aami_class cl = eo_annot_aami_class(code);
            if (cl != EO_AAMI_NONE)
                by_aami[cl]++;
        }
        if (eo_annot_rhythm_episodes(a, total, &ep, &nep, &err)) {
            eo_annot_set_free(a);
            eo_wfdb_stream_close(s);
            return eo_cli_fail(&c, &err);
        }
    }
    double dur = h->fs_hz > 0 ? (double)total / h->fs_hz : 0;
    char tb[64], tb2[64];
    if (c.json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "record", h->record_name);
        eo_json_kv_str(&j, "path", base);
        eo_json_kv_num(&j, "fs_hz", h->fs_hz);
        eo_json_kv_int(&j, "n_samples", total);
        eo_json_kv_num(&j, "duration_s", dur);
        eo_json_kv_int(&j, "n_signals", ns);
        eo_json_kv_str(&j, "base_time", h->base_time);
        eo_json_kv_str(&j, "base_date", h->base_date);
        eo_json_kv_bool(&j, "verified", c.verify);
        eo_json_key(&j, "signals");
        eo_json_arr_begin(&j);
        for (int i = 0; i < ns; i++) {
            const eo_wfdb_signal_info *si = &h->signals[i];
            eo_json_obj_begin(&j);
            eo_json_kv_str(&j, "description", si->description);
            eo_json_kv_str(&j, "file", si->file_name);
            eo_json_kv_int(&j, "format", si->format);
            eo_json_kv_num(&j, "gain", si->gain);
            eo_json_kv_bool(&j, "gain_given", si->gain_given);
            eo_json_kv_int(&j, "baseline", si->baseline);
            eo_json_kv_str(&j, "units", si->units);
            eo_json_kv_int(&j, "adc_resolution", si->adc_resolution);
            eo_json_kv_int(&j, "adc_zero", si->adc_zero);
            eo_json_kv_int(&j, "initial_value", si->initial_value);
            eo_json_kv_int(&j, "checksum", si->checksum);
            eo_json_obj_end(&j);
        }
        eo_json_arr_end(&j);
        eo_json_key(&j, "comments");
        eo_json_arr_begin(&j);
        for (int i = 0; i < h->n_comments; i++)
            eo_json_str(&j, h->comments[i]);
        eo_json_arr_end(&j);
        if (a) {
            eo_json_key(&j, "annotations");
            eo_json_obj_begin(&j);
            eo_json_kv_str(&j, "annotator", annotator);
            eo_json_kv_int(&j, "total", (long long)a->n);
            eo_json_kv_int(&j, "beats", beats);
            eo_json_key(&j, "by_code");
            eo_json_obj_begin(&j);
            for (int q = 0; q < 64; q++)
                if (by_code[q]) {
                    char key[16];
                    const char *sym = eo_annot_code_symbol(q);
                    if (!*sym)
                        snprintf(key, sizeof key, "[%d]", q);
                    eo_json_kv_int(&j, *sym ? sym : key, by_code[q]);
                }
            eo_json_obj_end(&j);
            eo_json_key(&j, "by_aami");
            eo_json_obj_begin(&j);
            for (int q = 0; q < 5; q++)
                eo_json_kv_int(&j, eo_aami_class_name((eo_aami_class)q), by_aami[q]);
            eo_json_obj_end(&j);
            eo_json_key(&j, "rhythm_episodes");
            eo_json_arr_begin(&j);
            for (size_t q = 0; q < nep; q++) {
                eo_json_obj_begin(&j);
                eo_json_kv_str(&j, "rhythm", ep[q].label);
                eo_json_kv_int(&j, "start", ep[q].start);
                eo_json_kv_int(&j, "end", ep[q].end);
                eo_json_obj_end(&j);
            }
            eo_json_arr_end(&j);
            eo_json_obj_end(&j);
        }
        eo_json_obj_end(&j);
        printf("\n");
    } else {
        fmt_time(tb, sizeof tb, dur);
        printf("record %s (%s)\n", h->record_name, base);
        printf("  %d signal%s, %g Hz, %ld samples per signal, duration %s", ns, ns == 1 ? "" : "s",
               h->fs_hz, total, tb);
        if (h->base_time[0])
            printf(", starts %s%s%s", h->base_time, h->base_date[0] ? " " : "", h->base_date);
        printf("\n  checksums and initial values: %s\n", c.verify ? "verified" : "not checked (--no-verify)");
        for (int i = 0; i < ns; i++) {
            const eo_wfdb_signal_info *si = &h->signals[i];
            printf("  signal %d %-8s file %s format %d, gain %g adu/%s%s, baseline %d, %d-bit ADC, "
                   "zero %d\n",
                   i, si->description[0] ? si->description : "(none)", si->file_name, si->format,
                   si->gain, si->units, si->gain_given ? "" : " (default: uncalibrated)",
                   si->baseline, si->adc_resolution, si->adc_zero);
        }
        for (int i = 0; i < h->n_comments; i++)
            printf("  #%s\n", h->comments[i]);
        if (!a) {
            printf("annotations: no %s file\n", annotator);
        } else {
            printf("annotations (%s): %zu, of them %ld beats\n  by code:", annotator, a->n, beats);
            for (int q = 0; q < 64; q++)
                if (by_code[q]) {
                    const char *sym = eo_annot_code_symbol(q);
                    if (*sym)
                        printf(" %s %ld,", sym, by_code[q]);
                    else
                        printf(" [%d] %ld,", q, by_code[q]);
                }
            printf("\n  by AAMI class: N %ld, S %ld, V %ld, F %ld, Q %ld\n", by_aami[0], by_aami[1],
                   by_aami[2], by_aami[3], by_aami[4]);
            printf("  rhythm episodes: %zu\n", nep);
            for (size_t q = 0; q < nep; q++) {
                fmt_time(tb, sizeof tb, (double)ep[q].start / h->fs_hz);
                fmt_time(tb2, sizeof tb2, (double)ep[q].end / h->fs_hz);
                printf("    %-6s %s - %s\n", ep[q].label, tb, tb2);
            }
        }
    }
    free(ep);
    eo_annot_set_free(a);
    eo_wfdb_stream_close(s);
    return 0;
}
