/* Predictive block coder, lossless (e = 0) and near-lossless (e > 0).
 * Frames are coded in time order, signals 0..n-1 within a frame, so the
 * predictor of signal s can use signal s-1 of the same frame.  Each block
 * starts from a reset predictor and reset models: blocks decode alone. */
#include <stdlib.h>

#include "codec_internal.h"

typedef struct pc_state {
    eo_predictor *pred;
    eo_mix_coder *ic;
    int n;
} pc_state;

static void pc_free(pc_state *st)
{
    eo_predictor_destroy(st->pred);
    if (st->ic) {
        for (int s = 0; s < st->n; s++)
            eo_mix_coder_free(&st->ic[s]);
        free(st->ic);
    }
}

static int pc_init(pc_state *st, int n_signals)
{
    st->n = n_signals;
    st->pred = eo_predictor_create(n_signals);
    st->ic = calloc((size_t)n_signals, sizeof *st->ic);
    if (!st->pred || !st->ic) {
        pc_free(st);
        return -1;
    }
    for (int s = 0; s < n_signals; s++)
        if (eo_mix_coder_init(&st->ic[s], EO_PRED_MIX_K, eo_pred_mix_nctx, EO_PRED_MIX_MSEL,
                              EO_PRED_MIX_APM)) {
            pc_free(st);
            return -1;
        }
    return 0;
}

int eo_pc_encode_block(int32_t *const *x, int n_signals, long n, int e, eo_bytes *out)
{
    pc_state st;
    if (pc_init(&st, n_signals))
        return -1;
    eo_rc_enc rc;
    eo_rc_enc_init(&rc, out);
    int32_t step = 2 * e + 1;
    for (long i = 0; i < n; i++) {
        for (int s = 0; s < n_signals; s++) {
            int32_t p = eo_predictor_predict(st.pred, s);
            eo_mix_ctx cx;
            eo_predictor_mix_context(st.pred, s, &cx);
            st.ic[s].sign_hint = eo_predictor_sign_hint(st.pred, s);
            int32_t r = x[s][i] - p; /* both within +-2^23 */
            int32_t q = e ? eo_nl_quantise(r, e) : r;
            eo_mix_encode(&st.ic[s], &rc, &cx, q);
            int32_t rec = e ? eo_clamp_adu((int64_t)p + (int64_t)q * step) : x[s][i];
            eo_predictor_update(st.pred, s, rec);
        }
    }
    eo_rc_enc_finish(&rc);
    pc_free(&st);
    return out->oom ? -1 : 0;
}

int eo_pc_decode_block(const unsigned char *p, size_t len, int n_signals, long n, int e,
                       int32_t *const *y)
{
    pc_state st;
    if (pc_init(&st, n_signals))
        return -2;
    eo_rc_dec rc;
    eo_rc_dec_init(&rc, p, len);
    int64_t step = 2 * (int64_t)e + 1;
    for (long i = 0; i < n; i++) {
        for (int s = 0; s < n_signals; s++) {
            int32_t pr = eo_predictor_predict(st.pred, s);
            eo_mix_ctx cx;
            eo_predictor_mix_context(st.pred, s, &cx);
            st.ic[s].sign_hint = eo_predictor_sign_hint(st.pred, s);
            int32_t q = eo_mix_decode(&st.ic[s], &rc, &cx);
            int32_t v = eo_clamp_adu((int64_t)pr + (int64_t)q * step);
            y[s][i] = v;
            eo_predictor_update(st.pred, s, v);
        }
        if (rc.overrun > 8)
            break;
    }
    pc_free(&st);
    /* the encoder's flush writes 4 bytes past the last needed: more than
     * that read past the end means the stream was cut or corrupted */
    return rc.overrun > 4 ? -1 : 0;
}
