/* ecgopt nn — LSTM (Hochreiter & Schmidhuber 1997 with forget gate, Gers
 * et al. 2000), PyTorch nn.LSTM equations and parameter layout:
 *   i = s(W_ii x + b_ii + W_hi h + b_hi)   f = s(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)  o = s(W_io x + b_io + W_ho h + b_ho)
 *   c' = f c + i g      h' = o tanh(c')
 * Stacked layers, optional reverse direction (bidirectional; outputs
 * concatenated forward|reverse), input N x C x T read as T steps of C
 * features.  The input projection of all steps is one SGEMM; each step adds
 * h W_hh^T (SGEMM n x 4H x H).  Backward is backpropagation through time
 * (Werbos 1990) with the weight gradients as two SGEMMs over all steps. */
#include <cblas.h>
#include <math.h>
#include <string.h>

#include "nn/nn_internal.h"


eo_status eo_lstm_setup(eo_layer *L, eo_error *err)
{
    const eo_nn_layer_options *o = &L->o;
    if (o->units < 1 || o->layers < 1 || o->layers > 64 || (unsigned)o->bidirectional > 1 ||
        (unsigned)o->return_sequences > 1)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "lstm(%d): hidden >= 1, 1 <= layers <= 64, bidir and seq 0 or 1", o->units);
    const size_t H = o->units, D = o->bidirectional ? 2 : 1;
    L->out_c = (int)(H * D);
    L->out_l = o->return_sequences ? L->in_l : 1;
    size_t p = 0, NI = L->in_c;
    for (int l = 0; l < o->layers; l++) {
        p += D * (4 * H * NI + 4 * H * H + 8 * H);
        NI = H * D;
    }
    L->p_n = p;
    return EO_STATUS_OK;
}

size_t eo_lstm_aux_size(const eo_layer *L, int n)
{
    const size_t H = L->o.units, D = L->o.bidirectional ? 2 : 1, m = (size_t)n * L->in_l;
    return m * L->in_c + L->o.layers * (m * H * D + D * m * 5 * H);
}

size_t eo_lstm_scratch_size(const eo_layer *L, int n)
{
    const size_t H = L->o.units, D = L->o.bidirectional ? 2 : 1, m = (size_t)n * L->in_l;
    const size_t w = H * D > (size_t)L->in_c ? H * D : (size_t)L->in_c;
    return 2 * m * w + m * 4 * H + m * H + 2 * (size_t)n * H + H;
}

/* parameter block of (layer l, direction d) */
static float *blk(const eo_layer *L, float *base, int l, int d, size_t *ni_out)
{
    const size_t H = L->o.units, D = L->o.bidirectional ? 2 : 1;
    size_t NI = L->in_c, off = 0;
    for (int k = 0; k < l; k++) {
        off += D * (4 * H * NI + 4 * H * H + 8 * H);
        NI = H * D;
    }
    off += (size_t)d * (4 * H * NI + 4 * H * H + 8 * H);
    *ni_out = NI;
    return base + off;
}

/* 512-bit vectors for the gate pass (GCC's -march=native on this CPU
 * prefers 256-bit ones): -10% CPU time of a CNN-LSTM inference run.
 * Harmless where AVX-512 is absent; GCC only. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__AVX512F__)
__attribute__((target("prefer-vector-width=512")))
#endif
void eo_lstm_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train, eo_rng *rng)
{
    (void)train;
    (void)rng;
    const int T = L->in_l, C = L->in_c, H = L->o.units, D = L->o.bidirectional ? 2 : 1;
    const int HD = H * D, G4 = 4 * H;
    const size_t m = (size_t)n * T;
    float *xin = L->aux;
    /* N x C x T -> T x N x C: written contiguously along C, read from the
     * sample's C x T block (in L1); the other loop order wrote with a
     * stride of n*C floats and was a third of this function's time */
    for (int i = 0; i < n; i++) {
        const float *xi = x + (size_t)i * C * T;
        for (int t = 0; t < T; t++) {
            float *d = xin + ((size_t)t * n + i) * C;
            for (int c = 0; c < C; c++)
                d[c] = xi[(size_t)c * T + t];
        }
    }
    float *bsum = nn->scratch; /* b_ih + b_hh, added in the gate pass */
    float *czero = bsum + 4 * (size_t)H; /* c_0 = 0 (f * 0 + i g = i g exactly) */
    memset(czero, 0, sizeof(float) * H);
    float *seq_prev = NULL;
    float *base = xin + m * C;
    for (int l = 0; l < L->o.layers; l++) {
        float *seq = base;
        base += m * HD;
        const float *in = l ? seq_prev : xin;
        for (int d = 0; d < D; d++) {
            size_t NI;
            const float *wih = blk(L, eo_lp(nn, L), l, d, &NI);
            const float *whh = wih + (size_t)G4 * NI, *bih = whh + (size_t)G4 * H, *bhh = bih + G4;
            float *gates = base, *cs = base + m * G4;
            base += m * 5 * H;
            for (int j = 0; j < G4; j++)
                bsum[j] = bih[j] + bhh[j];
            eo_sgemm(nn->gemm_pass, 0, 1, (int)m, G4, (int)NI, 1.0f, in,
                        (int)NI, wih, (int)NI, 0.0f, gates, G4);
            for (int s = 0; s < T; s++) {
                const int t = d ? T - 1 - s : s, tp = d ? t + 1 : t - 1;
                float *g = gates + (size_t)t * n * G4;
                if (s > 0)
                    eo_sgemm(nn->gemm_pass, 0, 1, n, G4, H, 1.0f,
                                seq + (size_t)tp * n * HD + (size_t)d * H, HD, whh, H, 1.0f, g, G4);
                /* one pass per sample: bias, the four gate nonlinearities
                 * (vectorisable eo_sigmf_v/eo_tanhf_v, not a libm call per
                 * element), the cell and the hidden state */
                for (int i = 0; i < n; i++) {
                    float *gi = g + (size_t)i * G4;
                    float *ci = cs + ((size_t)t * n + i) * H;
                    const float *cp = s > 0 ? cs + ((size_t)tp * n + i) * H : czero;
                    float *hi = seq + ((size_t)t * n + i) * HD + (size_t)d * H;
                    EO_SIMD
                    for (int j = 0; j < H; j++) {
                        const float ig = eo_sigmf_v(gi[j] + bsum[j]);
                        const float fg = eo_sigmf_v(gi[H + j] + bsum[H + j]);
                        const float gg = eo_tanhf_v(gi[2 * H + j] + bsum[2 * H + j]);
                        const float og = eo_sigmf_v(gi[3 * H + j] + bsum[3 * H + j]);
                        const float c = fg * cp[j] + ig * gg;
                        gi[j] = ig;
                        gi[H + j] = fg;
                        gi[2 * H + j] = gg;
                        gi[3 * H + j] = og;
                        ci[j] = c;
                        hi[j] = og * eo_tanhf_v(c);
                    }
                }
            }
        }
        seq_prev = seq;
    }
    /* output */
    if (L->o.return_sequences) {
        for (int i = 0; i < n; i++)
            for (int c = 0; c < HD; c++)
                for (int t = 0; t < T; t++)
                    L->out[((size_t)i * HD + c) * T + t] = seq_prev[((size_t)t * n + i) * HD + c];
    } else {
        for (int i = 0; i < n; i++) {
            memcpy(L->out + (size_t)i * HD, seq_prev + ((size_t)(T - 1) * n + i) * HD, sizeof(float) * H);
            if (D == 2)
                memcpy(L->out + (size_t)i * HD + H, seq_prev + (size_t)i * HD + H, sizeof(float) * H);
        }
    }
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__AVX512F__)
__attribute__((target("prefer-vector-width=512")))
#endif
void eo_lstm_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n)
{
    (void)x;
    const int T = L->in_l, C = L->in_c, H = L->o.units, D = L->o.bidirectional ? 2 : 1;
    const int HD = H * D, G4 = 4 * H, NL = L->o.layers;
    const size_t m = (size_t)n * T;
    const size_t w = (size_t)(HD > C ? HD : C);
    float *bufA = nn->scratch, *bufB = bufA + m * w, *dg = bufB + m * w, *hp = dg + m * G4,
          *dh = hp + m * H, *dc = dh + (size_t)n * H, *czero = dc + (size_t)n * H;
    memset(czero, 0, sizeof(float) * H); /* c_{-1} = 0 */
    float *xin = L->aux;
    /* locate per-layer aux blocks */
    float *seqs[64], *gts[64][2], *css[64][2];
    float *base = xin + m * C;
    for (int l = 0; l < NL; l++) {
        seqs[l] = base;
        base += m * HD;
        for (int d = 0; d < D; d++) {
            gts[l][d] = base;
            css[l][d] = base + m * G4;
            base += m * 5 * H;
        }
    }
    float *dseq = bufA;
    memset(dseq, 0, sizeof(float) * m * HD);
    if (L->o.return_sequences) {
        for (int i = 0; i < n; i++)
            for (int c = 0; c < HD; c++)
                for (int t = 0; t < T; t++)
                    dseq[((size_t)t * n + i) * HD + c] = L->gout[((size_t)i * HD + c) * T + t];
    } else {
        for (int i = 0; i < n; i++) {
            memcpy(dseq + ((size_t)(T - 1) * n + i) * HD, L->gout + (size_t)i * HD, sizeof(float) * H);
            if (D == 2)
                memcpy(dseq + (size_t)i * HD + H, L->gout + (size_t)i * HD + H, sizeof(float) * H);
        }
    }
    for (int l = NL - 1; l >= 0; l--) {
        const float *in = l ? seqs[l - 1] : xin;
        const int NI = l ? HD : C;
        const int need_din = l > 0 || gx != NULL;
        float *din = dseq == bufA ? bufB : bufA;
        if (need_din)
            memset(din, 0, sizeof(float) * m * NI);
        for (int d = 0; d < D; d++) {
            size_t NIb;
            const float *wih = blk(L, eo_lp(nn, L), l, d, &NIb);
            const float *whh = wih + (size_t)G4 * NI;
            float *gwih = blk(L, eo_lg(nn, L), l, d, &NIb);
            float *gwhh = gwih + (size_t)G4 * NI, *gbih = gwhh + (size_t)G4 * H, *gbhh = gbih + G4;
            const float *gates = gts[l][d], *cs = css[l][d], *seq = seqs[l];
            memset(dh, 0, sizeof(float) * n * H);
            memset(dc, 0, sizeof(float) * n * H);
            for (int s = T - 1; s >= 0; s--) {
                const int t = d ? T - 1 - s : s, tp = d ? t + 1 : t - 1;
                float *dgt = dg + (size_t)t * n * G4;
                for (int i = 0; i < n; i++) {
                    const float *gi = gates + ((size_t)t * n + i) * G4;
                    const float *ci = cs + ((size_t)t * n + i) * H;
                    const float *cp = s > 0 ? cs + ((size_t)tp * n + i) * H : czero;
                    const float *ds = dseq + ((size_t)t * n + i) * HD + (size_t)d * H;
                    float *dhi = dh + (size_t)i * H, *dci = dc + (size_t)i * H;
                    float *dgi = dgt + (size_t)i * G4;
                    /* vectorised like the forward gate pass (scalar it was
                     * 13% of a CNN-LSTM training step) */
                    EO_SIMD
                    for (int j = 0; j < H; j++) {
                        const float ig = gi[j], fg = gi[H + j], gg = gi[2 * H + j], og = gi[3 * H + j];
                        const float tc = eo_tanhf_v(ci[j]) /* as forward */;
                        const float dhv = dhi[j] + ds[j];
                        const float dcc = dci[j] + dhv * og * (1.0f - tc * tc);
                        const float cpv = cp[j];
                        dgi[j] = dcc * gg * ig * (1.0f - ig);
                        dgi[H + j] = dcc * cpv * fg * (1.0f - fg);
                        dgi[2 * H + j] = dcc * ig * (1.0f - gg * gg);
                        dgi[3 * H + j] = dhv * tc * og * (1.0f - og);
                        dci[j] = dcc * fg;
                    }
                    float *hpi = hp + ((size_t)t * n + i) * H;
                    if (s > 0)
                        memcpy(hpi, seq + ((size_t)tp * n + i) * HD + (size_t)d * H, sizeof(float) * H);
                    else
                        memset(hpi, 0, sizeof(float) * H);
                }
                if (s > 0)
                    eo_sgemm(nn->gemm_pass, 0, 0, n, H, G4, 1.0f, dgt, G4,
                                whh, H, 0.0f, dh, H);
            }
            eo_sgemm(nn->gemm_pass, 1, 0, G4, H, (int)m, 1.0f, dg, G4, hp, H,
                        1.0f, gwhh, H);
            eo_sgemm(nn->gemm_pass, 1, 0, G4, NI, (int)m, 1.0f, dg, G4, in, NI,
                        1.0f, gwih, NI);
            for (size_t r = 0; r < m; r++)
                for (int j = 0; j < G4; j++) {
                    gbih[j] += dg[r * G4 + j];
                    gbhh[j] += dg[r * G4 + j];
                }
            if (need_din)
                eo_sgemm(nn->gemm_pass, 0, 0, (int)m, NI, G4, 1.0f, dg, G4,
                            wih, NI, 1.0f, din, NI);
        }
        dseq = din;
    }
    if (gx)
        for (int i = 0; i < n; i++)
            for (int c = 0; c < C; c++)
                for (int t = 0; t < T; t++)
                    gx[((size_t)i * C + c) * T + t] = dseq[((size_t)t * n + i) * C + c];
}
