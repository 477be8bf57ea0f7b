/* A record's summary (`ecgopt info`): every frame read once through the
 * stream (which verifies checksums and initial values without holding the
 * record in memory), annotation counts by code and AAMI class, and the
 * rhythm episodes of the '+' annotations; as JSON or text. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/record_summary.h"
#include "ecgopt/wfdb_export.h"

void eo_format_time(char *b, size_t n, double sec)
{
    long ms = (long)llround(sec * 1000.0);
    long h = ms / 3600000, m = (ms / 60000) % 60;
    double s = (double)(ms % 60000) / 1000.0;
    if (h > 0)
        snprintf(b, n, "%ld:%02ld:%06.3f", h, m, s);
    else
        snprintf(b, n, "%ld:%06.3f", m, s);
}

void eo_record_summary_destroy(eo_record_summary *s)
{
    if (!s)
        return;
    free(s->episodes);
    eo_annot_set_destroy(s->annotations);
    eo_wfdb_stream_close(s->stream);
    free(s);
}

static eo_status read_all(eo_record_summary *r, eo_progress_fn progress, void *user, eo_error *err)
{
    const eo_wfdb_header *h = r->header;
    long block = 65536, k = 0;
    int32_t *buf = malloc((size_t)block * (size_t)(h->n_signals > 0 ? h->n_signals : 1) * sizeof *buf);
    if (!buf)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "info: out of memory");
    eo_status st;
    r->total = 0;
    do {
        st = eo_wfdb_stream_read(r->stream, buf, block, &k, err);
        if (st)
            break;
        r->total += k;
        if (progress)
            progress(user, (double)r->total, (double)(h->n_samples > 0 ? h->n_samples : r->total), "reading");
    } while (k > 0);
    free(buf);
    return st;
}

eo_status eo_record_summarize(const char *base, const eo_wfdb_read_options *ro,
                              const char *annotator, eo_progress_fn progress, void *user,
                              eo_record_summary **out, eo_error *err)
{
    eo_wfdb_read_options dro;
    if (!ro) {
        eo_wfdb_read_defaults(&dro);
        ro = &dro;
    }
    *out = NULL;
    eo_record_summary *r = calloc(1, sizeof *r);
    if (!r)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "info: out of memory");
    r->annotator = annotator ? annotator : "none";
    r->verified = ro->verify;
    eo_annot_count(NULL, &r->counts);
    eo_status st = eo_wfdb_stream_open(base, ro, &r->stream, err);
    if (!st) {
        r->header = eo_wfdb_stream_header(r->stream);
        st = read_all(r, progress, user, err);
    }
    if (!st)
        st = eo_annot_read_beside(base, r->annotator, 1, &r->annotations, err);
    if (!st && r->annotations) {
        eo_annot_count(r->annotations, &r->counts);
        st = eo_annot_rhythm_episodes(r->annotations, r->total, &r->episodes, &r->n_episodes, err);
    }
    if (st) {
        eo_record_summary_destroy(r);
        return st;
    }
    *out = r;
    return EO_STATUS_OK;
}

static void json_signals(eo_json *j, const eo_wfdb_header *h)
{
    eo_json_key(j, "signals");
    eo_json_arr_begin(j);
    for (int i = 0; i < h->n_signals; i++) {
        const eo_wfdb_signal_info *si = &h->signals[i];
        eo_json_obj_begin(j);
        eo_json_kv_str(j, "description", si->description);
        eo_json_kv_str(j, "file", si->file_name);
        eo_json_kv_int(j, "format", si->format);
        eo_json_kv_num(j, "gain", si->gain);
        eo_json_kv_bool(j, "gain_given", si->gain_given);
        eo_json_kv_int(j, "baseline", si->baseline);
        eo_json_kv_str(j, "units", si->units);
        eo_json_kv_int(j, "adc_resolution", si->adc_resolution);
        eo_json_kv_int(j, "adc_zero", si->adc_zero);
        eo_json_kv_int(j, "initial_value", si->initial_value);
        eo_json_kv_int(j, "checksum", si->checksum);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
    eo_json_key(j, "comments");
    eo_json_arr_begin(j);
    for (int i = 0; i < h->n_comments; i++)
        eo_json_str(j, h->comments[i]);
    eo_json_arr_end(j);
}

static void json_annotations(eo_json *j, const eo_record_summary *s)
{
    const eo_annot_counts *k = &s->counts;
    eo_json_key(j, "annotations");
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "annotator", s->annotator);
    eo_json_kv_int(j, "total", (long long)s->annotations->n);
    eo_json_kv_int(j, "beats", k->beats);
    eo_json_key(j, "by_code");
    eo_json_obj_begin(j);
    for (int q = 0; q < 64; q++)
        if (k->by_code[q]) {
            char key[16];
            const char *sym = eo_annot_code_symbol(q);
            if (!*sym)
                snprintf(key, sizeof key, "[%d]", q);
            eo_json_kv_int(j, *sym ? sym : key, k->by_code[q]);
        }
    eo_json_obj_end(j);
    eo_json_key(j, "by_aami");
    eo_json_obj_begin(j);
    for (int q = 0; q < 5; q++)
        eo_json_kv_int(j, eo_aami_class_name((eo_aami_class)q), k->by_aami[q]);
    eo_json_obj_end(j);
    eo_json_key(j, "rhythm_episodes");
    eo_json_arr_begin(j);
    for (size_t q = 0; q < s->n_episodes; q++) {
        eo_json_obj_begin(j);
        eo_json_kv_str(j, "rhythm", s->episodes[q].label);
        eo_json_kv_int(j, "start", s->episodes[q].start);
        eo_json_kv_int(j, "end", s->episodes[q].end);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
    eo_json_obj_end(j);
}

void eo_record_summary_json(eo_json *j, const eo_record_summary *s, const char *path,
                            const char *report)
{
    const eo_wfdb_header *h = s->header;
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "record", h->record_name);
    eo_json_kv_str(j, "path", path);
    eo_json_kv_num(j, "fs_hz", h->fs_hz);
    eo_json_kv_int(j, "n_samples", s->total);
    eo_json_kv_num(j, "duration_s", h->fs_hz > 0 ? (double)s->total / h->fs_hz : 0);
    eo_json_kv_int(j, "n_signals", h->n_signals);
    eo_json_kv_str(j, "base_time", h->base_time);
    eo_json_kv_str(j, "base_date", h->base_date);
    eo_json_kv_bool(j, "verified", s->verified);
    if (report)
        eo_json_kv_str(j, "report", report);
    json_signals(j, h);
    if (s->annotations)
        json_annotations(j, s);
    eo_json_obj_end(j);
}

static void text_annotations(eo_strbuf *b, const eo_record_summary *s)
{
    char tb[64], tb2[64];
    if (!s->annotations) {
        eo_strbuf_printf(b, "annotations: no %s file\n", s->annotator);
        return;
    }
    const eo_annot_counts *k = &s->counts;
    eo_strbuf_printf(b, "annotations (%s): %zu, of them %ld beats\n  by code:", s->annotator,
                     s->annotations->n, k->beats);
    for (int q = 0; q < 64; q++)
        if (k->by_code[q]) {
            const char *sym = eo_annot_code_symbol(q);
            if (*sym)
                eo_strbuf_printf(b, " %s %ld,", sym, k->by_code[q]);
            else
                eo_strbuf_printf(b, " [%d] %ld,", q, k->by_code[q]);
        }
    eo_strbuf_printf(b, "\n  by AAMI class: N %ld, S %ld, V %ld, F %ld, Q %ld\n", k->by_aami[0],
                     k->by_aami[1], k->by_aami[2], k->by_aami[3], k->by_aami[4]);
    eo_strbuf_printf(b, "  rhythm episodes: %zu\n", s->n_episodes);
    for (size_t q = 0; q < s->n_episodes; q++) {
        eo_format_time(tb, sizeof tb, (double)s->episodes[q].start / s->header->fs_hz);
        eo_format_time(tb2, sizeof tb2, (double)s->episodes[q].end / s->header->fs_hz);
        eo_strbuf_printf(b, "    %-6s %s - %s\n", s->episodes[q].label, tb, tb2);
    }
}

void eo_record_summary_text(eo_strbuf *b, const eo_record_summary *s, const char *path)
{
    const eo_wfdb_header *h = s->header;
    char tb[64];
    int ns = h->n_signals;
    eo_format_time(tb, sizeof tb, h->fs_hz > 0 ? (double)s->total / h->fs_hz : 0);
    eo_strbuf_printf(b, "record %s (%s)\n", h->record_name, path);
    eo_strbuf_printf(b, "  %d signal%s, %g Hz, %ld samples per signal, duration %s", ns,
                     ns == 1 ? "" : "s", h->fs_hz, s->total, tb);
    if (h->base_time[0])
        eo_strbuf_printf(b, ", starts %s%s%s", h->base_time, h->base_date[0] ? " " : "", h->base_date);
    eo_strbuf_printf(b, "\n  checksums and initial values: %s\n",
                     s->verified ? "verified" : "not checked (--no-verify)");
    for (int i = 0; i < ns; i++) {
        const eo_wfdb_signal_info *si = &h->signals[i];
        eo_strbuf_printf(b, "  signal %d %-8s file %s format %d, gain %g adu/%s%s, baseline %d, "
                         "%d-bit ADC, zero %d\n",
                         i, si->description[0] ? si->description : "(none)", si->file_name,
                         si->format, si->gain, si->units,
                         si->gain_given ? "" : " (default: uncalibrated)", si->baseline,
                         si->adc_resolution, si->adc_zero);
    }
    for (int i = 0; i < h->n_comments; i++)
        eo_strbuf_printf(b, "  #%s\n", h->comments[i]);
    text_annotations(b, s);
}
