/* Predictive block coder, lossless (e = 0) and near-lossless (e > 0),
 * with the plain residual coder (entropy.c, one 96-cell context) or the
 * context-mixing coder (mixcoder.c: better CR, about 4x the CPU time).
 * Frames are coded in time order, signals 0..n-1 within a frame, so the
 * predictor of signal s can use signal s-1 of the same frame.  Each block
 * starts from a reset predictor and reset models: blocks decode alone. */
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "codec_internal.h"

typedef struct pc_state {
    eo_predictor *pred;
    eo_mix_coder *ic;  /* mixing coder, or */
    eo_int_coder *pc;  /* plain coder */
    int n;
} pc_state;

static void pc_free(pc_state *st)
{
    eo_predictor_destroy(st->pred);
    if (st->ic) {
        for (int s = 0; s < st->n; s++)
            eo_mix_coder_destroy(&st->ic[s]);
        free(st->ic);
    }
    if (st->pc) {
        for (int s = 0; s < st->n; s++)
            eo_int_coder_destroy(&st->pc[s]);
        free(st->pc);
    }
}

static int pc_init(pc_state *st, int n_signals, int mix)
{
    memset(st, 0, sizeof *st);
    st->n = n_signals;
    st->pred = eo_predictor_create(n_signals);
    if (mix)
        st->ic = eo_calloc((size_t)n_signals, sizeof *st->ic);
    else
        st->pc = eo_calloc((size_t)n_signals, sizeof *st->pc);
    if (!st->pred || (!st->ic && !st->pc)) {
        pc_free(st);
        return -1;
    }
    for (int s = 0; s < n_signals && !mix; s++)
        if (eo_int_coder_init(&st->pc[s], EO_PRED_NCTX)) {
            pc_free(st);
            return -1;
        }
    for (int s = 0; s < n_signals && mix; s++)
        if (eo_mix_coder_init(&st->ic[s], EO_PRED_MIX_K, eo_pred_mix_nctx, EO_PRED_MIX_MSEL,
                              EO_PRED_MIX_APM)) {
            pc_free(st);
            return -1;
        }
    return 0;
}

int eo_pc_encode_block(int32_t *const *x, int n_signals, long n, int e, int mix,
                       eo_bytes *out)
{
    pc_state st;
    if (pc_init(&st, n_signals, mix))
        return -1;
    eo_rc_enc rc;
    eo_rc_enc_init(&rc, out);
    int32_t step = 2 * e + 1;
    for (long i = 0; i < n; i++) {
        for (int s = 0; s < n_signals; s++) {
            int32_t p = eo_predictor_predict(st.pred, s);
            int32_t r = x[s][i] - p; /* both within +-2^23 */
            int32_t q = e ? eo_nl_quantise(r, e) : r;
            if (mix) {
                eo_mix_ctx cx;
                eo_predictor_mix_context(st.pred, s, &cx);
                st.ic[s].sign_hint = eo_predictor_sign_hint(st.pred, s);
                eo_mix_encode(&st.ic[s], &rc, &cx, q);
            } else {
                st.pc[s].sign_hint = eo_predictor_sign_hint(st.pred, s);
                eo_int_encode(&st.pc[s], &rc, eo_predictor_context(st.pred, s), q);
            }
            int32_t rec = e ? eo_clamp_adu((int64_t)p + (int64_t)q * step) : x[s][i];
            eo_predictor_update(st.pred, s, rec);
        }
    }
    eo_rc_enc_finish(&rc);
    pc_free(&st);
    return out->oom ? -1 : 0;
}

int eo_pc_decode_block(const unsigned char *p, size_t len, int n_signals, long n, int e,
                       int mix, int32_t *const *y)
{
    pc_state st;
    if (pc_init(&st, n_signals, mix))
        return -2;
    eo_rc_dec rc;
    eo_rc_dec_init(&rc, p, len);
    int64_t step = 2 * (int64_t)e + 1;
    for (long i = 0; i < n; i++) {
        for (int s = 0; s < n_signals; s++) {
            int32_t pr = eo_predictor_predict(st.pred, s);
            int32_t q;
            if (mix) {
                eo_mix_ctx cx;
                eo_predictor_mix_context(st.pred, s, &cx);
                st.ic[s].sign_hint = eo_predictor_sign_hint(st.pred, s);
                q = eo_mix_decode(&st.ic[s], &rc, &cx);
            } else {
                st.pc[s].sign_hint = eo_predictor_sign_hint(st.pred, s);
                q = eo_int_decode(&st.pc[s], &rc, eo_predictor_context(st.pred, s));
            }
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
