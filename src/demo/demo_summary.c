/* The demo's summary as JSON and as text (demo.h). */
#include <math.h>

#include "ecgopt/demo.h"

static void json_tuning(eo_json *j, const eo_demo_result *r)
{
    eo_json_key(j, "tuning");
    eo_json_obj_begin(j);
    eo_json_kv_int(j, "K", r->K);
    eo_json_kv_num(j, "alpha", r->alpha);
    eo_json_key(j, "best_mee");
    eo_json_obj_begin(j);
    for (int i = 0; i < EO_DEMO_N_OPT; i++)
        eo_json_kv_num(j, r->opt_names[i], r->best_mee[i]);
    eo_json_obj_end(j);
    eo_json_obj_end(j);
}

static void json_denoising(eo_json *j, const eo_demo_result *r)
{
    eo_json_key(j, "denoising");
    eo_json_arr_begin(j);
    for (int nz = 0; nz < EO_DEMO_N_NOISES; nz++)
        for (int m = 0; m < EO_DEMO_N_METHODS; m++)
            for (int k = 0; k < r->n_snr; k++) {
                eo_json_obj_begin(j);
                eo_json_kv_str(j, "noise", r->noises[nz]);
                eo_json_kv_str(j, "method", r->methods[m]);
                eo_json_kv_num(j, "snr_in_db", r->snr_in[k]);
                eo_json_kv_num(j, "snr_out_db", r->snr_out[nz][m][k]);
                eo_json_obj_end(j);
            }
    eo_json_arr_end(j);
}

static void json_classification(eo_json *j, const eo_demo_result *r)
{
    eo_json_key(j, "classification");
    eo_json_obj_begin(j);
    eo_json_kv_int(j, "train_beats", r->n_train_beats);
    eo_json_kv_num(j, "qrs_se", r->stats.qrs_se);
    eo_json_kv_num(j, "qrs_ppv", r->stats.qrs_ppv);
    eo_json_kv_num(j, "veb_se", r->stats.veb_se);
    eo_json_kv_num(j, "veb_ppv", r->stats.veb_ppv);
    eo_json_kv_num(j, "sveb_se", r->stats.sveb_se);
    eo_json_kv_num(j, "sveb_ppv", r->stats.sveb_ppv);
    eo_json_obj_end(j);
}

static void json_compression(eo_json *j, const eo_demo_result *r)
{
    eo_json_key(j, "compression");
    eo_json_arr_begin(j);
    for (int k = 0; k < EO_DEMO_N_CODEC; k++)
        for (int i = 0; i < r->rd_n[k]; i++) {
            eo_json_obj_begin(j);
            eo_json_kv_str(j, "mode", r->rd_name[k]);
            eo_json_kv_num(j, "cr", r->rd_cr[k][i]);
            eo_json_kv_num(j, "prdn", r->rd_prdn[k][i]);
            eo_json_kv_str(j, "setting", r->rd_set[k][i]);
            eo_json_obj_end(j);
        }
    eo_json_arr_end(j);
}

void eo_demo_result_json(eo_json *j, const eo_demo_result *r, const char *report_path)
{
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "report", report_path);
    eo_json_kv_str(j, "record", r->record);
    eo_json_kv_bool(j, "synthetic", r->synthetic);
    eo_json_kv_bool(j, "quick", r->quick);
    eo_json_kv_num(j, "seconds", r->seconds);
    json_tuning(j, r);
    json_denoising(j, r);
    json_classification(j, r);
    json_compression(j, r);
    eo_json_obj_end(j);
}

void eo_demo_result_text(eo_strbuf *b, const eo_demo_result *r, const char *report_path)
{
    const eo_ec57_stats *s = &r->stats;
    int mid = r->rd_n[2] / 2;
    eo_strbuf_printf(b, "record %s%s: %.1f s\n", r->record, r->synthetic ? " (synthetic)" : "", r->seconds);
    eo_strbuf_printf(b, "  tuning     VMD K=%d alpha=%.0f (best MEE %.4f over %d optimisers)\n", r->K, r->alpha,
                     r->best_mee[0], EO_DEMO_N_OPT);
    eo_strbuf_printf(b, "  denoising  %s at %+.0f dB: bandpass %.1f, wavelet %.1f, median %.1f, vmd %.1f dB\n",
                     r->noises[1], r->snr_in[0], r->snr_out[1][0][0], r->snr_out[1][1][0], r->snr_out[1][2][0],
                     r->snr_out[1][3][0]);
    eo_strbuf_printf(b, "  classify   QRS Se %.2f%% +P %.2f%%, VEB Se %.2f%% +P %.2f%%, SVEB Se %.2f%% +P %.2f%%\n",
                     s->qrs_se, s->qrs_ppv, s->veb_se, s->veb_ppv, s->sveb_se, s->sveb_ppv);
    eo_strbuf_printf(b, "  compress   lossless CR %.2f; wavelet CR %.2f at PRDN %.2f%%\n",
                     r->rd_n[0] ? r->rd_cr[0][0] : NAN, r->rd_n[2] ? r->rd_cr[2][mid] : NAN,
                     r->rd_n[2] ? r->rd_prdn[2][mid] : NAN);
    eo_strbuf_printf(b, "report: %s\n", report_path);
}
