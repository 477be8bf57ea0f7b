/* ecgopt nn — the network object: builder, shape inference, layer dispatch,
 * activation arena, forward/backward, metadata. */
#include <cblas.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/alloc.h"
#include "nn/nn_internal.h"

static const char *const type_names[EO_NN_LAYER_TYPE_COUNT] = {
    "conv", "convt", "maxpool", "avgpool", "gap", "upsample", "flatten", "dense", "dropout",
    "batchnorm", "relu", "leakyrelu", "elu", "sigmoid", "tanh", "softmax", "lstm", "se", "res"};

const char *eo_nn_layer_type_name(eo_nn_layer_type type)
{
    return (unsigned)type < EO_NN_LAYER_TYPE_COUNT ? type_names[type] : "?";
}

void eo_nn_layer_defaults(eo_nn_layer_options *o, eo_nn_layer_type type)
{
    memset(o, 0, sizeof *o);
    o->type = type;
    o->stride = (type == EO_NN_MAXPOOL || type == EO_NN_AVGPOOL) ? 0 : 1;
    o->pad = (type == EO_NN_CONV1D) ? EO_NN_PAD_SAME : 0;
    o->dilation = 1;
    o->factor = 2;
    o->reduction = 4;
    o->layers = 1;
    o->alpha = type == EO_NN_ELU ? 1.0f : 0.01f;
    o->eps = 1e-5f;
    o->momentum = 0.1f;
    o->rate = 0.5f;
    o->kernel = (type == EO_NN_MAXPOOL || type == EO_NN_AVGPOOL) ? 2 : 3;
    o->units = 1;
}

/* ---- per-layer dispatch ---- */
eo_status eo_layer_setup(eo_layer *L, eo_error *err)
{
    L->p_n = L->b_n = 0;
    switch (L->o.type) {
    case EO_NN_CONV1D: return eo_conv1d_setup(L, err);
    case EO_NN_CONVT1D: return eo_convt1d_setup(L, err);
    case EO_NN_MAXPOOL:
    case EO_NN_AVGPOOL: return eo_pool_setup(L, err);
    case EO_NN_GAP:
    case EO_NN_UPSAMPLE:
    case EO_NN_FLATTEN: return eo_shape_setup(L, err);
    case EO_NN_DENSE: return eo_dense_setup(L, err);
    case EO_NN_DROPOUT: return eo_dropout_setup(L, err);
    case EO_NN_BATCHNORM: return eo_bn_setup(L, err);
    case EO_NN_RELU:
    case EO_NN_LEAKYRELU:
    case EO_NN_ELU:
    case EO_NN_SIGMOID:
    case EO_NN_TANH:
    case EO_NN_SOFTMAX: return eo_act_setup(L, err);
    case EO_NN_LSTM: return eo_lstm_setup(L, err);
    case EO_NN_SE: return eo_se_setup(L, err);
    case EO_NN_RESIDUAL: return eo_res_setup(L, err);
    default: return eo_error_set(err, EO_STATUS_USAGE, "layer type %d unknown", (int)L->o.type);
    }
}

size_t eo_layer_aux_size(const eo_layer *L, int n)
{
    const size_t in = (size_t)n * L->in_c * L->in_l;
    switch (L->o.type) {
    case EO_NN_CONV1D: return (size_t)L->in_c * L->o.kernel * n * L->out_l;
    case EO_NN_CONVT1D: return in;
    case EO_NN_MAXPOOL: return (size_t)n * L->out_c * L->out_l;
    case EO_NN_DROPOUT: return in;
    case EO_NN_BATCHNORM: return in + 2 * (size_t)L->in_c;
    case EO_NN_LSTM: return eo_lstm_aux_size(L, n);
    case EO_NN_SE: return (size_t)n * (2 * (size_t)L->in_c + 2 * (size_t)L->hidden);
    case EO_NN_RESIDUAL: return eo_res_aux_size(L, n);
    default: return 0;
    }
}

size_t eo_layer_scratch_size(const eo_layer *L, int n)
{
    switch (L->o.type) {
    case EO_NN_CONV1D:
        return (size_t)n * L->out_l * ((size_t)L->out_c + (size_t)L->in_c * L->o.kernel);
    case EO_NN_CONVT1D:
        return (size_t)n * L->in_l * ((size_t)L->out_c * L->o.kernel + (size_t)L->in_c);
    case EO_NN_LSTM: return eo_lstm_scratch_size(L, n);
    case EO_NN_RESIDUAL: return eo_res_scratch_size(L, n);
    case EO_NN_SE: return (size_t)n * ((size_t)L->in_c + L->hidden);
    default: return 0;
    }
}

double eo_layer_flops(const eo_layer *L)
{
    const double in = (double)L->in_c * L->in_l, out = (double)L->out_c * L->out_l;
    switch (L->o.type) {
    case EO_NN_CONV1D: return 2.0 * out * L->in_c * L->o.kernel;
    case EO_NN_CONVT1D: return 2.0 * in * L->out_c * L->o.kernel;
    case EO_NN_DENSE: return 2.0 * in * L->out_c;
    case EO_NN_MAXPOOL:
    case EO_NN_AVGPOOL: return out * L->o.kernel;
    case EO_NN_BATCHNORM: return 4.0 * in;
    case EO_NN_SE: return 2.0 * in + 4.0 * L->in_c * L->hidden;
    case EO_NN_LSTM: {
        const double dirs = L->o.bidirectional ? 2 : 1, h = L->o.units;
        double f = 0.0, i = L->in_c;
        for (int l = 0; l < L->o.layers; l++) {
            f += dirs * L->in_l * (2.0 * 4 * h * (i + h) + 10.0 * h);
            i = h * dirs;
        }
        return f;
    }
    case EO_NN_RESIDUAL: {
        double f = 2.0 * out * L->in_c * L->o.kernel + 2.0 * out * L->out_c * L->o.kernel + 2 * out;
        if (L->has_proj)
            f += 2.0 * out * L->in_c;
        return f;
    }
    case EO_NN_FLATTEN: return 0.0;
    default: return in;
    }
}

void eo_fill_uniform(float *p, size_t n, double a, eo_rng *rng)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (float)eo_rng_range(rng, -a, a);
}

/* Fill one weight matrix (fan_in/fan_out) and its bias. */
static void init_wb(float *w, size_t nw, float *b, size_t nb, double fan_in, double fan_out,
                    eo_nn_init_kind kind, eo_rng *rng)
{
    if (kind == EO_NN_INIT_HE) {
        const double sd = sqrt(2.0 / fan_in);
        for (size_t i = 0; i < nw; i++)
            w[i] = (float)(sd * eo_rng_normal(rng));
        memset(b, 0, sizeof(float) * nb);
    } else if (kind == EO_NN_INIT_XAVIER) {
        eo_fill_uniform(w, nw, sqrt(6.0 / (fan_in + fan_out)), rng);
        memset(b, 0, sizeof(float) * nb);
    } else {
        eo_fill_uniform(w, nw, 1.0 / sqrt(fan_in), rng);
        eo_fill_uniform(b, nb, 1.0 / sqrt(fan_in), rng);
    }
}

void eo_layer_init(eo_layer *L, float *p, float *b, eo_nn_init_kind kind, eo_rng *rng)
{
    const int k = L->o.kernel, ci = L->in_c, co = L->out_c;
    switch (L->o.type) {
    case EO_NN_CONV1D: {
        size_t nw = (size_t)co * ci * k;
        init_wb(p, nw, p + nw, co, (double)ci * k, (double)co * k, kind, rng);
        break;
    }
    case EO_NN_CONVT1D: {
        size_t nw = (size_t)co * ci * k;
        /* PyTorch computes fan_in of ConvTranspose weights (in, out, k) as out*k */
        init_wb(p, nw, p + nw, co, (double)co * k, (double)ci * k, kind, rng);
        break;
    }
    case EO_NN_DENSE: {
        size_t f = (size_t)ci * L->in_l, nw = f * co;
        init_wb(p, nw, p + nw, co, (double)f, (double)co, kind, rng);
        break;
    }
    case EO_NN_BATCHNORM:
        for (int c = 0; c < ci; c++) {
            p[c] = 1.0f;
            p[ci + c] = 0.0f;
            b[c] = 0.0f;
            b[ci + c] = 1.0f;
        }
        break;
    case EO_NN_LSTM: /* PyTorch: every LSTM tensor U(+-1/sqrt(H)) */
        eo_fill_uniform(p, L->p_n, 1.0 / sqrt((double)L->o.units), rng);
        break;
    case EO_NN_SE: {
        const int h = L->hidden;
        init_wb(p, (size_t)h * ci, p + (size_t)h * ci, h, ci, h, kind, rng);
        float *q = p + (size_t)h * ci + h;
        init_wb(q, (size_t)ci * h, q + (size_t)ci * h, ci, h, ci, kind, rng);
        break;
    }
    case EO_NN_RESIDUAL: {
        size_t n1 = (size_t)co * ci * k, n2 = (size_t)co * co * k;
        init_wb(p, n1, p + n1, co, (double)ci * k, (double)co * k, kind, rng);
        float *q = p + n1 + co;
        init_wb(q, n2, q + n2, co, (double)co * k, (double)co * k, kind, rng);
        if (L->has_proj) {
            q += n2 + co;
            init_wb(q, (size_t)co * ci, q + (size_t)co * ci, co, ci, co, kind, rng);
        }
        break;
    }
    default:
        break;
    }
}

static void fmt_float(char *b, size_t n, float v)
{
    snprintf(b, n, "%g", (double)v);
}

void eo_layer_spec(const eo_layer *L, char *buf, size_t n)
{
    const eo_nn_layer_options *o = &L->o;
    const char *nm = eo_nn_layer_type_name(o->type);
    char f[32];
    switch (o->type) {
    case EO_NN_CONV1D: {
        char pad[24];
        if (o->pad == EO_NN_PAD_SAME)
            snprintf(pad, sizeof pad, "same");
        else
            snprintf(pad, sizeof pad, "%d", o->pad);
        snprintf(buf, n, "conv(%d,%d,stride=%d,pad=%s,dilation=%d)", o->units, o->kernel,
                 o->stride, pad, o->dilation);
        break;
    }
    case EO_NN_CONVT1D:
        snprintf(buf, n, "convt(%d,%d,stride=%d,pad=%d,outpad=%d,dilation=%d)", o->units,
                 o->kernel, o->stride, o->pad, o->out_pad, o->dilation);
        break;
    case EO_NN_MAXPOOL:
    case EO_NN_AVGPOOL:
        snprintf(buf, n, "%s(%d,stride=%d)", nm, o->kernel, o->stride);
        break;
    case EO_NN_UPSAMPLE: snprintf(buf, n, "upsample(%d)", o->factor); break;
    case EO_NN_DENSE: snprintf(buf, n, "dense(%d)", o->units); break;
    case EO_NN_DROPOUT:
        fmt_float(f, sizeof f, o->rate);
        snprintf(buf, n, "dropout(%s)", f);
        break;
    case EO_NN_BATCHNORM: {
        char m[32];
        fmt_float(f, sizeof f, o->eps);
        fmt_float(m, sizeof m, o->momentum);
        snprintf(buf, n, "batchnorm(eps=%s,momentum=%s)", f, m);
        break;
    }
    case EO_NN_LEAKYRELU:
    case EO_NN_ELU:
        fmt_float(f, sizeof f, o->alpha);
        snprintf(buf, n, "%s(alpha=%s)", nm, f);
        break;
    case EO_NN_LSTM:
        snprintf(buf, n, "lstm(%d,layers=%d,bidir=%d,seq=%d)", o->units, o->layers,
                 o->bidirectional, o->return_sequences);
        break;
    case EO_NN_SE: snprintf(buf, n, "se(%d)", o->reduction); break;
    case EO_NN_RESIDUAL:
        snprintf(buf, n, "res(%d,%d,stride=%d)", o->units, o->kernel, o->stride);
        break;
    default: snprintf(buf, n, "%s", nm); break;
    }
}

void eo_layer_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train, eo_rng *rng)
{
    L->train = train;
    switch (L->o.type) {
    case EO_NN_CONV1D: eo_conv1d_forward(nn, L, x, n, train, rng); break;
    case EO_NN_CONVT1D: eo_convt1d_forward(nn, L, x, n, train, rng); break;
    case EO_NN_MAXPOOL:
    case EO_NN_AVGPOOL: eo_pool_forward(nn, L, x, n, train, rng); break;
    case EO_NN_GAP:
    case EO_NN_UPSAMPLE:
    case EO_NN_FLATTEN: eo_shape_forward(nn, L, x, n, train, rng); break;
    case EO_NN_DENSE: eo_dense_forward(nn, L, x, n, train, rng); break;
    case EO_NN_DROPOUT: eo_dropout_forward(nn, L, x, n, train, rng); break;
    case EO_NN_BATCHNORM: eo_bn_forward(nn, L, x, n, train, rng); break;
    case EO_NN_LSTM: eo_lstm_forward(nn, L, x, n, train, rng); break;
    case EO_NN_SE: eo_se_forward(nn, L, x, n, train, rng); break;
    case EO_NN_RESIDUAL: eo_res_forward(nn, L, x, n, train, rng); break;
    default: eo_act_forward(nn, L, x, n, train, rng); break;
    }
}

void eo_layer_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n)
{
    switch (L->o.type) {
    case EO_NN_CONV1D: eo_conv1d_backward(nn, L, x, gx, n); break;
    case EO_NN_CONVT1D: eo_convt1d_backward(nn, L, x, gx, n); break;
    case EO_NN_MAXPOOL:
    case EO_NN_AVGPOOL: eo_pool_backward(nn, L, x, gx, n); break;
    case EO_NN_GAP:
    case EO_NN_UPSAMPLE:
    case EO_NN_FLATTEN: eo_shape_backward(nn, L, x, gx, n); break;
    case EO_NN_DENSE: eo_dense_backward(nn, L, x, gx, n); break;
    case EO_NN_DROPOUT: eo_dropout_backward(nn, L, x, gx, n); break;
    case EO_NN_BATCHNORM: eo_bn_backward(nn, L, x, gx, n); break;
    case EO_NN_LSTM: eo_lstm_backward(nn, L, x, gx, n); break;
    case EO_NN_SE: eo_se_backward(nn, L, x, gx, n); break;
    case EO_NN_RESIDUAL: eo_res_backward(nn, L, x, gx, n); break;
    default: eo_act_backward(nn, L, x, gx, n); break;
    }
}

/* ---- network ---- */
eo_status eo_nn_create(int in_channels, int in_length, eo_nn **out, eo_error *err)
{
    *out = NULL;
    if (in_channels < 1 || in_length < 1 || in_channels > (1 << 20) || in_length > (1 << 24))
        return eo_error_set(err, EO_STATUS_USAGE, "network input %dx%d: channels and length must be >= 1",
                            in_channels, in_length);
    eo_nn *nn = eo_calloc(1, sizeof *nn);
    if (!nn)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "network: out of memory");
    nn->in_c = in_channels;
    nn->in_l = in_length;
    nn->want_threads = 1;
    nn->spec = eo_calloc(1, 1);
    nn->meta = eo_calloc(1, 1);
    if (!nn->spec || !nn->meta) {
        eo_nn_destroy(nn);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "network: out of memory");
    }
    *out = nn;
    return EO_STATUS_OK;
}

static void free_arena(eo_nn *nn)
{
    free(nn->arena);
    nn->arena = NULL;
    nn->arena_bytes = 0;
    nn->cap_batch = 0;
    nn->scratch = nn->gin = nn->tgrads = NULL;
    nn->threads = 0;
    for (int i = 0; i < nn->n_layers; i++) {
        nn->layers[i].out = nn->layers[i].gout = nn->layers[i].aux = NULL;
    }
}

static void pool_destroy(struct eo_nn_pool *p);
static struct eo_nn_pool *pool_create(int workers);
static int pool_workers(const struct eo_nn_pool *p);

void eo_nn_destroy(eo_nn *nn)
{
    if (!nn)
        return;
    pool_destroy(nn->pool);
    free(nn->arena);
    free(nn->layers);
    free(nn->params);
    free(nn->grads);
    free(nn->bufs);
    free(nn->spec);
    free(nn->norm_mean);
    free(nn->norm_std);
    for (int i = 0; i < nn->n_labels; i++)
        free(nn->labels[i]);
    free(nn->labels);
    free(nn->meta);
    free(nn);
}

static void last_shape(const eo_nn *nn, int *c, int *l)
{
    if (nn->n_layers) {
        *c = nn->layers[nn->n_layers - 1].out_c;
        *l = nn->layers[nn->n_layers - 1].out_l;
    } else {
        *c = nn->in_c;
        *l = nn->in_l;
    }
}

eo_status eo_nn_add(eo_nn *nn, const eo_nn_layer_options *o, eo_error *err)
{
    if (!nn || !o)
        return eo_error_set(err, EO_STATUS_USAGE, "network: NULL argument to eo_nn_add");
    eo_layer L;
    memset(&L, 0, sizeof L);
    L.o = *o;
    last_shape(nn, &L.in_c, &L.in_l);
    eo_status st = eo_layer_setup(&L, err);
    if (st)
        return st;
    if (L.out_c < 1 || L.out_l < 1)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: output shape %dx%d is empty",
                            eo_nn_layer_type_name(o->type), L.out_c, L.out_l);
    if ((double)L.out_c * L.out_l > 1e8 || (double)L.p_n > 1e9)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: shape %dx%d or %zu parameters too large",
                            eo_nn_layer_type_name(o->type), L.out_c, L.out_l, L.p_n);
    if (nn->param_limit && nn->n_params + L.p_n > nn->param_limit)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: needs more parameters than the %zu stored",
                            eo_nn_layer_type_name(o->type), nn->param_limit);
    if (nn->n_layers == nn->cap_layers) {
        int cap = nn->cap_layers ? 2 * nn->cap_layers : 8;
        eo_layer *nl = eo_realloc(nn->layers, sizeof *nl * cap);
        if (!nl)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "network: out of memory");
        nn->layers = nl;
        nn->cap_layers = cap;
    }
    /* grow params, grads, buffers */
    size_t np = nn->n_params + L.p_n, nb = nn->n_bufs + L.b_n;
    float *p = eo_realloc(nn->params, sizeof(float) * (np ? np : 1));
    if (!p)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "network: out of memory for %zu parameters", np);
    nn->params = p;
    float *g = eo_realloc(nn->grads, sizeof(float) * (np ? np : 1));
    if (!g)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "network: out of memory for %zu parameters", np);
    nn->grads = g;
    float *b = eo_realloc(nn->bufs, sizeof(float) * (nb ? nb : 1));
    if (!b)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "network: out of memory");
    nn->bufs = b;
    char tok[96];
    eo_layer_spec(&L, tok, sizeof tok);
    size_t sl = strlen(nn->spec);
    char *s = eo_realloc(nn->spec, sl + strlen(tok) + 2);
    if (!s)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "network: out of memory");
    nn->spec = s;
    if (sl)
        s[sl++] = ' ';
    strcpy(s + sl, tok);
    L.p_off = nn->n_params;
    L.b_off = nn->n_bufs;
    nn->n_params = np;
    nn->n_bufs = nb;
    memset(nn->grads + L.p_off, 0, sizeof(float) * L.p_n);
    /* deterministic default initialisation: seed from the layer index */
    eo_rng rng;
    eo_rng_seed_stream(&rng, 0x65636e6eULL, (uint64_t)nn->n_layers);
    eo_layer_init(&L, nn->params + L.p_off, nn->bufs + L.b_off, EO_NN_INIT_TORCH, &rng);
    nn->layers[nn->n_layers++] = L;
    free_arena(nn);
    return EO_STATUS_OK;
}

eo_status eo_nn_clone(const eo_nn *nn, eo_nn **out, eo_error *err)
{
    *out = NULL;
    eo_nn *c;
    eo_status st = eo_nn_create(nn->in_c, nn->in_l, &c, err);
    if (st)
        return st;
    for (int i = 0; i < nn->n_layers && !st; i++)
        st = eo_nn_add(c, &nn->layers[i].o, err);
    if (!st)
        st = eo_nn_set_normalisation(c, nn->norm_mean, nn->norm_std, nn->norm_n, err);
    if (!st)
        st = eo_nn_set_labels(c, (const char *const *)nn->labels, nn->n_labels, err);
    if (!st) {
        char *m = eo_strdup(nn->meta);
        if (!m)
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "network: out of memory");
        else {
            free(c->meta);
            c->meta = m;
        }
    }
    if (st) {
        eo_nn_destroy(c);
        return st;
    }
    memcpy(c->params, nn->params, sizeof(float) * nn->n_params);
    memcpy(c->bufs, nn->bufs, sizeof(float) * nn->n_bufs);
    c->gemm = nn->gemm;
    c->want_threads = nn->want_threads;
    *out = c;
    return EO_STATUS_OK;
}

void eo_nn_init(eo_nn *nn, eo_nn_init_kind kind, eo_rng *rng)
{
    for (int i = 0; i < nn->n_layers; i++) {
        eo_layer *L = &nn->layers[i];
        eo_layer_init(L, nn->params + L->p_off, nn->bufs + L->b_off, kind, rng);
    }
}

int eo_nn_layer_count(const eo_nn *nn) { return nn ? nn->n_layers : 0; }

int eo_nn_layer_get(const eo_nn *nn, int i, eo_nn_layer_info *info)
{
    if (!nn || i < 0 || i >= nn->n_layers)
        return -1;
    const eo_layer *L = &nn->layers[i];
    info->type = L->o.type;
    eo_layer_spec(L, info->spec, sizeof info->spec);
    info->in_c = L->in_c;
    info->in_l = L->in_l;
    info->out_c = L->out_c;
    info->out_l = L->out_l;
    info->params = L->p_n;
    info->flops = eo_layer_flops(L);
    return 0;
}

size_t eo_nn_param_count(const eo_nn *nn) { return nn->n_params; }

double eo_nn_flops(const eo_nn *nn)
{
    double f = 0.0;
    for (int i = 0; i < nn->n_layers; i++)
        f += eo_layer_flops(&nn->layers[i]);
    return f;
}

const char *eo_nn_spec(const eo_nn *nn) { return nn->spec; }

void eo_nn_input_shape(const eo_nn *nn, int *c, int *l)
{
    *c = nn->in_c;
    *l = nn->in_l;
}

void eo_nn_output_shape(const eo_nn *nn, int *c, int *l) { last_shape(nn, c, l); }

float *eo_nn_params(eo_nn *nn, size_t *n)
{
    if (n)
        *n = nn->n_params;
    return nn->params;
}

float *eo_nn_grads(eo_nn *nn, size_t *n)
{
    if (n)
        *n = nn->n_params;
    return nn->grads;
}

float *eo_nn_buffers(eo_nn *nn, size_t *n)
{
    if (n)
        *n = nn->n_bufs;
    return nn->bufs;
}

int eo_nn_layer_params(const eo_nn *nn, int i, size_t *offset, size_t *count)
{
    if (!nn || i < 0 || i >= nn->n_layers)
        return -1;
    *offset = nn->layers[i].p_off;
    *count = nn->layers[i].p_n;
    return 0;
}

/* ---- arena: per layer out, gout, aux; one shared scratch; input grad ---- */
static size_t al16(size_t n) { return (n + 15) & ~(size_t)15; } /* 64-byte blocks of floats */

/* Layers whose samples are independent run as batch chunks in parallel;
 * BatchNorm in training (batch statistics) and dropout (one rng stream) run
 * on the whole batch. */
static int separable(const eo_layer *L, int train)
{
    if (L->o.type == EO_NN_BATCHNORM) /* its aux is not linear in n; cheap anyway */
        return 0;
    if (L->o.type == EO_NN_DROPOUT)
        return !train;
    return 1;
}

static int want_threads(const eo_nn *nn)
{
    int t = nn->want_threads;
    return t < 1 ? 1 : t > 64 ? 64 : t; /* run_chunks holds at most 64 */
}

static int chunk_len(int n, int T) { return (n + T - 1) / T; }

eo_status eo_nn_reserve(eo_nn *nn, int n, size_t *bytes, eo_error *err)
{
    if (n < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "network: batch size %d must be >= 1", n);
    const int T = want_threads(nn);
    if (n <= nn->cap_batch && nn->arena && T == nn->threads) {
        if (bytes)
            *bytes = nn->arena_bytes;
        return EO_STATUS_OK;
    }
    if (nn->cap_batch > n)
        n = nn->cap_batch;
    free_arena(nn);
    size_t total = 0, scratch = 0;
    const int nc = chunk_len(n, T);
    for (int i = 0; i < nn->n_layers; i++) {
        const eo_layer *L = &nn->layers[i];
        const size_t act = al16((size_t)n * L->out_c * L->out_l);
        total += 2 * act + al16(eo_layer_aux_size(L, n));
        size_t s = eo_layer_scratch_size(L, T > 1 && separable(L, 0) && separable(L, 1) ? nc : n);
        if (s > scratch)
            scratch = s;
    }
    scratch = al16(scratch);
    const size_t gin = al16((size_t)n * nn->in_c * nn->in_l);
    const size_t tg = (size_t)(T - 1) * al16(nn->n_params);
    total += scratch * T + gin + tg;
    if ((double)total * sizeof(float) > 64.0 * 1024 * 1024 * 1024)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "network: batch %d needs %.1f GiB of activations",
                            n, (double)total * sizeof(float) / (1u << 30));
    float *a = NULL;
    if (!(a = eo_aligned_alloc(64, sizeof(float) * (total ? total : 16))))
        return eo_error_set(err, EO_STATUS_NO_MEMORY,
                            "network: cannot allocate %.1f MiB of activations for batch %d",
                            (double)total * sizeof(float) / (1 << 20), n);
    nn->arena = a;
    nn->arena_bytes = total * sizeof(float);
    nn->cap_batch = n;
    nn->threads = T;
    if (pool_workers(nn->pool) != T - 1) {
        pool_destroy(nn->pool);
        nn->pool = T > 1 ? pool_create(T - 1) : NULL;
    }
    float *p = a;
    for (int i = 0; i < nn->n_layers; i++) {
        eo_layer *L = &nn->layers[i];
        const size_t act = al16((size_t)n * L->out_c * L->out_l);
        L->out = p;
        p += act;
        L->gout = p;
        p += act;
        L->aux_n = eo_layer_aux_size(L, n);
        L->aux = p;
        p += al16(L->aux_n);
    }
    nn->scratch = p;
    nn->scratch_n = scratch;
    p += scratch * T;
    nn->gin = p;
    p += gin;
    nn->tgrads = T > 1 ? p : NULL;
    if (bytes)
        *bytes = nn->arena_bytes;
    return EO_STATUS_OK;
}

size_t eo_nn_arena_bytes(const eo_nn *nn) { return nn->arena_bytes; }

void eo_nn_set_gemm(eo_nn *nn, eo_nn_gemm_kind kind)
{
    if (nn)
        nn->gemm = kind == EO_NN_GEMM_OPENBLAS || kind == EO_NN_GEMM_ONEDNN ? (int)kind : 0;
}

void eo_nn_set_threads(eo_nn *nn, int threads)
{
    if (!nn)
        return;
    if (threads < 1) {
        long nc = 0;
#ifdef _SC_NPROCESSORS_ONLN
        nc = sysconf(_SC_NPROCESSORS_ONLN);
#endif
        threads = nc > 0 ? (int)nc : 1;
    }
    nn->want_threads = threads > 64 ? 64 : threads;
    /* the arena and the worker pool are resized by the next reserve */
}

int eo_nn_threads(const eo_nn *nn) { return nn ? nn->want_threads : 0; }

/* OpenBLAS's thread count is a process-wide setting.  A pass chooses its
 * GEMM routing once: batch chunks on T > 1 threads call single-threaded
 * oneDNN (AUTO) or OpenBLAS; a whole batch of a network with threads > 1
 * may hand large GEMMs to OpenBLAS's threads.  Only a pass that can reach
 * OpenBLAS sets its count, once at the start, and puts the previous value
 * back at the end; returns that value, or 0 when nothing was changed. */
static int blas_enter(eo_nn *nn, int T)
{
    const int whole_mt = T == 1 && nn->want_threads > 1;
    nn->gemm_pass = nn->gemm == EO_NN_GEMM_AUTO && whole_mt ? EO_SGEMM_AUTO_MT : nn->gemm;
    if (nn->gemm_pass == EO_NN_GEMM_AUTO || nn->gemm_pass == EO_NN_GEMM_ONEDNN)
        return 0; /* oneDNN on one OpenMP thread (gemm.c) */
    const int want = whole_mt ? nn->want_threads : 1;
    const int old = openblas_get_num_threads();
    if (old == want)
        return 0;
    openblas_set_num_threads(want);
    return old;
}

static void blas_leave(int old)
{
    if (old > 0)
        openblas_set_num_threads(old);
}

/* Batch chunks run on a pool of threads-1 workers owned by the network,
 * sleeping on a condition variable between segments (no spinning: an
 * OpenMP barrier spinning on this shared, oversubscribed machine was 5x
 * slower).  Chunks are claimed, not assigned: whichever thread is running
 * takes the next unclaimed chunk, so a worker the scheduler has not woken
 * yet does not hold up the segment (the caller then runs both chunks), and
 * a freshly created thread's start-up wait is not paid per segment (the
 * earlier create/join per segment made 2 threads no faster than 1 under
 * load).  Each chunk uses the scratch and gradient buffers of its index,
 * not of the thread that runs it, so results do not depend on who ran what. */
typedef struct seg_job {
    eo_nn *nn;
    int from, to;          /* layers: forward from..to-1; backward from down to to */
    int n, nc, train, t;
    const float *a;        /* forward: input of layer `from` */
    int nograd;            /* forward for inference only: no backward will read it */
    void (*fn)(void *ctx, int t, int T); /* kind 2: a parallel range job */
    void *ctx;
} seg_job;

static void seg_forward(seg_job *j);
static void seg_backward(seg_job *j);

typedef struct eo_nn_pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pthread_t th[63];
    int nth, stop;
    unsigned long gen;     /* segment number; workers run only the current one */
    seg_job proto;
    int backward, T, next, finished;
} eo_nn_pool;

static void run_claimed(eo_nn_pool *p, unsigned long gen, seg_job proto, int backward, int T)
{
    for (;;) {
        pthread_mutex_lock(&p->mu);
        if (p->gen != gen || p->next >= T) {
            pthread_mutex_unlock(&p->mu);
            return;
        }
        seg_job j = proto;
        j.t = p->next++;
        pthread_mutex_unlock(&p->mu);
        if (backward == 2)
            j.fn(j.ctx, j.t, T);
        else if (backward)
            seg_backward(&j);
        else
            seg_forward(&j);
        pthread_mutex_lock(&p->mu);
        if (++p->finished == T)
            pthread_cond_broadcast(&p->done);
        pthread_mutex_unlock(&p->mu);
    }
}

static void *pool_worker(void *arg)
{
    eo_nn_pool *p = arg;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->gen == seen)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        seen = p->gen;
        seg_job proto = p->proto;
        const int backward = p->backward, T = p->T;
        pthread_mutex_unlock(&p->mu);
        run_claimed(p, seen, proto, backward, T);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void pool_destroy(eo_nn_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nth; i++)
        pthread_join(p->th[i], NULL);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

/* A pool of `workers` threads, or NULL (out of memory, no thread could be
 * started): the caller then runs every chunk itself, same results. */
static int pool_workers(const eo_nn_pool *p) { return p ? p->nth : 0; }

static eo_nn_pool *pool_create(int workers)
{
    if (workers > 63)
        workers = 63;
    eo_nn_pool *p = eo_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (pthread_mutex_init(&p->mu, NULL)) {
        free(p);
        return NULL;
    }
    if (pthread_cond_init(&p->work, NULL)) {
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    if (pthread_cond_init(&p->done, NULL)) {
        pthread_cond_destroy(&p->work);
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    for (int i = 0; i < workers; i++) {
        if (pthread_create(&p->th[p->nth], NULL, pool_worker, p))
            break;
        p->nth++;
    }
    if (p->nth == 0) {
        pool_destroy(p);
        return NULL;
    }
    return p;
}

static void run_chunks(eo_nn *nn, seg_job *proto, int T, int backward)
{
    eo_nn_pool *p = T > 1 ? nn->pool : NULL; /* one chunk: no worker to wake */
    if (!p) {
        for (int t = 0; t < T; t++) {
            seg_job j = *proto;
            j.t = t;
            if (backward == 2)
                j.fn(j.ctx, t, T);
            else if (backward)
                seg_backward(&j);
            else
                seg_forward(&j);
        }
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->proto = *proto;
    p->backward = backward;
    p->T = T;
    p->next = 0;
    p->finished = 0;
    const unsigned long gen = ++p->gen;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    run_claimed(p, gen, *proto, backward, T);
    pthread_mutex_lock(&p->mu);
    while (p->finished < T)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void eo_nn_parallel(eo_nn *nn, void (*fn)(void *ctx, int t, int T), void *ctx)
{
    const int T = nn->pool && nn->threads > 1 ? nn->threads : 1;
    seg_job job;
    memset(&job, 0, sizeof job);
    job.nn = nn;
    job.fn = fn;
    job.ctx = ctx;
    run_chunks(nn, &job, T, 2);
}

/* the fixed-order reduction of the per-chunk gradient buffers, each thread
 * summing a slice of the parameters (same order per element, so the result
 * does not depend on the split) */
typedef struct reduce_ctx {
    eo_nn *nn;
    int T;
} reduce_ctx;

static void reduce_range(void *ctx, int t, int T)
{
    const reduce_ctx *r = ctx;
    eo_nn *nn = r->nn;
    const size_t n = nn->n_params, a = n * (size_t)t / T, b = n * (size_t)(t + 1) / T;
    for (int c = 1; c < r->T; c++) {
        const float *g = nn->tgrads + (size_t)(c - 1) * al16(nn->n_params);
        for (size_t j = a; j < b; j++)
            nn->grads[j] += g[j];
    }
}

/* A view of nn and layer L restricted to samples [s0, s0 + cnt) run by
 * thread t: activations, aux and the input shifted; scratch and gradients
 * the thread's own. */
typedef struct view {
    eo_nn nn;
    eo_layer L;
} view;

static void make_view(view *v, const eo_nn *nn, const eo_layer *L, int t, int s0)
{
    v->nn = *nn;
    v->nn.scratch = nn->scratch + (size_t)t * nn->scratch_n;
    if (t > 0)
        v->nn.grads = nn->tgrads + (size_t)(t - 1) * al16(nn->n_params);
    v->L = *L;
    const size_t per_out = (size_t)L->out_c * L->out_l;
    v->L.out = L->out + (size_t)s0 * per_out;
    v->L.gout = L->gout + (size_t)s0 * per_out;
    v->L.aux = L->aux + (size_t)s0 * eo_layer_aux_size(L, 1);
}

/* Cache blocking inside a chunk: a run of consecutive convolution-type
 * layers (conv, convt, pooling, activations, reshapes, SE, residual) is
 * executed sub-batch by sub-batch, each sub-batch going through the whole
 * run before the next starts, so the activations one layer writes are
 * still in L2 when the next reads them (a batch-256 chunk of the reference
 * CNN writes 4-8 MB per layer; ReLU, pooling and im2col on it were
 * memory-bound).  Dense and LSTM layers, whose weight matrices would be
 * re-streamed for every sub-batch, run on the whole chunk.  Backward uses
 * the identical partition (block_sub and the run boundaries depend only on
 * the layers), so each layer's aux (im2col etc.) is read back in the layout
 * forward wrote. */
static int blockable(const eo_layer *L)
{
    return L->o.type != EO_NN_DENSE && L->o.type != EO_NN_LSTM && L->o.type != EO_NN_BATCHNORM &&
           L->o.type != EO_NN_DROPOUT;
}

/* samples per sub-batch: the largest per-sample footprint (input + output +
 * aux) of the run's layers times it stays within ~1 MiB */
static int block_sub(const eo_nn *nn, int k0, int k1)
{
    size_t mx = 1;
    for (int k = k0; k < k1; k++) {
        const eo_layer *L = &nn->layers[k];
        size_t f = (size_t)L->in_c * L->in_l + (size_t)L->out_c * L->out_l + eo_layer_aux_size(L, 1);
        if (f > mx)
            mx = f;
    }
    size_t sub = (size_t)(256 * 1024) / mx;
    return sub < 1 ? 1 : sub > 4096 ? 4096 : (int)sub;
}

/* end (exclusive) of the run starting at k going up (forward) */
static int run_end(const eo_nn *nn, int k, int to)
{
    int e = k + 1;
    if (blockable(&nn->layers[k]))
        while (e < to && blockable(&nn->layers[e]))
            e++;
    return e;
}

/* Inference fusion (conv1d.c, eo_conv_relu_pool_fwd): at layer k of a run
 * ending at e, a Conv1d followed by ReLU, and optionally by max-pooling of
 * window 2 and stride 2, is computed in one pass.  Returns the number of
 * following layers absorbed (0: none). */
static int fusable(const eo_nn *nn, int k, int e)
{
    const eo_layer *L = &nn->layers[k];
    if (L->o.type != EO_NN_CONV1D || k + 1 >= e || nn->layers[k + 1].o.type != EO_NN_RELU)
        return 0;
    const eo_layer *P = k + 2 < e ? &nn->layers[k + 2] : NULL;
    if (P && P->o.type == EO_NN_MAXPOOL && P->o.kernel == 2 && P->o.stride == 2)
        return 2;
    return 1;
}

static void seg_forward(seg_job *j)
{
    eo_nn *nn = j->nn;
    const int s0 = j->t * j->nc, cnt = j->n - s0 < j->nc ? j->n - s0 : j->nc;
    const float *in = j->a;
    for (int k = j->from; k < j->to;) {
        const int e = run_end(nn, k, j->to);
        const int sub = blockable(&nn->layers[k]) ? block_sub(nn, k, e) : cnt;
        for (int a = 0; a < cnt; a += sub) {
            const int c = cnt - a < sub ? cnt - a : sub;
            const float *x = in;
            for (int kk = k; kk < e; kk++) {
                eo_layer *Lk = &nn->layers[kk];
                view v;
                make_view(&v, nn, Lk, j->t, s0 + a);
                const float *xk = x + (size_t)(s0 + a) * Lk->in_c * Lk->in_l;
                const int nf = fusable(nn, kk, e);
                if (nf == 2 && !j->nograd) {
                    /* training-capable pass: conv + ReLU + max-pool 2 fused,
                     * the pooling's aux holding the arg-max with the ReLU
                     * mask; seg_backward fuses the same triple */
                    eo_layer *Lf = &nn->layers[kk + 2];
                    view vf;
                    make_view(&vf, nn, Lf, j->t, s0 + a);
                    eo_conv1d_forward_fused_train(&v.nn, &v.L, xk, c, vf.L.out, vf.L.aux);
                    x = Lf->out;
                    kk += 2;
                    continue;
                }
                if (nf && j->nograd) {
                    /* conv + ReLU (+ max-pool 2): one pass, the skipped
                     * layers' outputs and the pooling's arg-max left unwritten */
                    eo_layer *Lf = &nn->layers[kk + nf];
                    eo_conv1d_forward_fused(&v.nn, &v.L, xk, c, nf == 2,
                                            Lf->out + (size_t)(s0 + a) * Lf->out_c * Lf->out_l);
                    x = Lf->out;
                    kk += nf;
                    continue;
                }
                eo_layer_forward(&v.nn, &v.L, xk, c, j->train, NULL);
                x = Lk->out;
            }
        }
        in = nn->layers[e - 1].out;
        k = e;
    }
}

static void seg_backward(seg_job *j)
{
    eo_nn *nn = j->nn;
    const int s0 = j->t * j->nc, cnt = j->n - s0 < j->nc ? j->n - s0 : j->nc;
    /* the forward runs of the segment [to, from], walked from the top: the
     * run holding layer hi is found by the same walk from the bottom that
     * seg_forward does (O(layers^2), a few dozen steps) */
    for (int hi = j->from; hi >= j->to;) {
        int k = j->to, e;
        while ((e = run_end(nn, k, j->from + 1)) <= hi)
            k = e;
        const int sub = blockable(&nn->layers[k]) ? block_sub(nn, k, e) : cnt;
        for (int a = 0; a < cnt; a += sub) {
            const int c = cnt - a < sub ? cnt - a : sub;
            for (int kk = e - 1; kk >= k; kk--) {
                if (kk - 2 >= k && fusable(nn, kk - 2, e) == 2) {
                    /* the conv + ReLU + max-pool 2 triple seg_forward fused:
                     * pooled gradient -> the convolution's output gradient */
                    eo_layer *Lp = &nn->layers[kk], *Lc = &nn->layers[kk - 2];
                    view vp, vc;
                    make_view(&vp, nn, Lp, j->t, s0 + a);
                    make_view(&vc, nn, Lc, j->t, s0 + a);
                    kk -= 2;
                    float *gk = kk ? nn->layers[kk - 1].gout : (nn->want_gin ? nn->gin : NULL);
                    const size_t per_in = (size_t)Lc->in_c * Lc->in_l;
                    eo_conv1d_backward_fused_train(&vc.nn, &vc.L, vp.L.gout, vp.L.aux,
                                                   gk ? gk + (size_t)(s0 + a) * per_in : NULL, c);
                    continue;
                }
                eo_layer *Lk = &nn->layers[kk];
                const float *xk = kk ? nn->layers[kk - 1].out : nn->x_in;
                float *gk = kk ? nn->layers[kk - 1].gout : (nn->want_gin ? nn->gin : NULL);
                const size_t per_in = (size_t)Lk->in_c * Lk->in_l;
                view v;
                make_view(&v, nn, Lk, j->t, s0 + a);
                eo_layer_backward(&v.nn, &v.L, xk + (size_t)(s0 + a) * per_in,
                                  gk ? gk + (size_t)(s0 + a) * per_in : NULL, c);
            }
        }
        hi = k - 1;
    }
}

static eo_status forward(eo_nn *nn, const float *x, int n, int train, int nograd, eo_rng *rng,
                         const float **out, eo_error *err);

eo_status eo_nn_forward(eo_nn *nn, const float *x, int n, int train, eo_rng *rng,
                        const float **out, eo_error *err)
{
    return forward(nn, x, n, train, 0, rng, out, err);
}

eo_status eo_nn_infer(eo_nn *nn, const float *x, int n, const float **out, eo_error *err)
{
    return forward(nn, x, n, 0, 1, NULL, out, err);
}

static eo_status forward(eo_nn *nn, const float *x, int n, int train, int nograd, eo_rng *rng,
                         const float **out, eo_error *err)
{
    if (!nn || !x || n < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "network forward: no input or batch size %d < 1", n);
    if (nn->n_layers == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "network forward: the network has no layers");
    if (train && !rng)
        for (int i = 0; i < nn->n_layers; i++)
            if (nn->layers[i].o.type == EO_NN_DROPOUT)
                return eo_error_set(err, EO_STATUS_USAGE,
                                    "network forward: training with dropout needs an eo_rng");
    eo_status st = eo_nn_reserve(nn, n, NULL, err);
    if (st)
        return st;
    int T = nn->threads < n ? nn->threads : n;
    const int nc = chunk_len(n, T);
    T = (n + nc - 1) / nc;
    const int blas_old = blas_enter(nn, T);
    /* Runs of consecutive separable layers execute per chunk without a
     * barrier between layers: chunk t only reads its own samples. */
    const float *a = x;
    int i = 0;
    while (i < nn->n_layers) {
        eo_layer *L = &nn->layers[i];
        L->train = train;
        if (separable(L, train)) { /* T = 1: same path, for the cache blocking */
            int j = i;
            while (j < nn->n_layers && separable(&nn->layers[j], train)) {
                nn->layers[j].train = train;
                j++;
            }
            seg_job job = {nn, i, j, n, nc, train, 0, a, nograd && !train, NULL, NULL};
            run_chunks(nn, &job, T, 0);
            a = nn->layers[j - 1].out;
            i = j;
        } else { /* batchnorm / dropout in training: no GEMM */
            eo_layer_forward(nn, L, a, n, train, rng);
            a = L->out;
            i++;
        }
    }
    blas_leave(blas_old);
    /* after an inference-only pass there is nothing to differentiate */
    nn->x_in = nograd ? NULL : x;
    nn->n_cur = nograd ? 0 : n;
    if (out)
        *out = a;
    return EO_STATUS_OK;
}

void eo_nn_want_input_grad(eo_nn *nn, int on) { nn->want_gin = on; }
const float *eo_nn_input_grad(const eo_nn *nn) { return nn->want_gin ? nn->gin : NULL; }

eo_status eo_nn_backward(eo_nn *nn, const float *dout, eo_error *err)
{
    if (!nn || !dout || !nn->x_in || nn->n_cur < 1 || !nn->arena)
        return eo_error_set(err, EO_STATUS_USAGE, "network backward: no forward pass to differentiate");
    const int n = nn->n_cur;
    eo_layer *last = &nn->layers[nn->n_layers - 1];
    if (dout != last->gout)
        memcpy(last->gout, dout, sizeof(float) * (size_t)n * last->out_c * last->out_l);
    int T = nn->threads < n ? nn->threads : n;
    const int nc = chunk_len(n, T);
    T = (n + nc - 1) / nc;
    memset(nn->grads, 0, sizeof(float) * nn->n_params);
    for (int t = 1; t < T; t++)
        memset(nn->tgrads + (size_t)(t - 1) * al16(nn->n_params), 0, sizeof(float) * nn->n_params);
    const int blas_old = blas_enter(nn, T);
    int i = nn->n_layers - 1;
    while (i >= 0) {
        eo_layer *L = &nn->layers[i];
        if (separable(L, L->train)) {
            int j = i; /* segment [j, i] */
            while (j - 1 >= 0 && separable(&nn->layers[j - 1], nn->layers[j - 1].train))
                j--;
            seg_job job = {nn, i, j, n, nc, 0, 0, NULL, 0, NULL, NULL};
            run_chunks(nn, &job, T, 1);
            i = j - 1;
        } else {
            const float *x = i ? nn->layers[i - 1].out : nn->x_in;
            float *gx = i ? nn->layers[i - 1].gout : (nn->want_gin ? nn->gin : NULL);
            eo_layer_backward(nn, L, x, gx, n); /* batchnorm / dropout: no GEMM */
            i--;
        }
    }
    blas_leave(blas_old);
    if (T > 1) {
        /* fixed-order reduction: the result does not depend on scheduling */
        reduce_ctx rc = {nn, T};
        eo_nn_parallel(nn, reduce_range, &rc);
    }
    return EO_STATUS_OK;
}

eo_status eo_nn_predict(eo_nn *nn, const float *x, int n, int batch, float *out, eo_error *err)
{
    if (batch <= 0)
        batch = 256;
    int oc, ol;
    last_shape(nn, &oc, &ol);
    const size_t isz = (size_t)nn->in_c * nn->in_l, osz = (size_t)oc * ol;
    for (int i = 0; i < n; i += batch) {
        int b = n - i < batch ? n - i : batch;
        const float *y;
        eo_status st = eo_nn_infer(nn, x + (size_t)i * isz, b, &y, err);
        if (st)
            return st;
        memcpy(out + (size_t)i * osz, y, sizeof(float) * b * osz);
    }
    return EO_STATUS_OK;
}

/* ---- metadata ---- */
eo_status eo_nn_set_normalisation(eo_nn *nn, const float *mean, const float *std, int n,
                                  eo_error *err)
{
    free(nn->norm_mean);
    free(nn->norm_std);
    nn->norm_mean = nn->norm_std = NULL;
    nn->norm_n = 0;
    if (n <= 0 || !mean || !std)
        return EO_STATUS_OK;
    nn->norm_mean = eo_malloc(sizeof(float) * n);
    nn->norm_std = eo_malloc(sizeof(float) * n);
    if (!nn->norm_mean || !nn->norm_std)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "network: out of memory");
    memcpy(nn->norm_mean, mean, sizeof(float) * n);
    memcpy(nn->norm_std, std, sizeof(float) * n);
    nn->norm_n = n;
    return EO_STATUS_OK;
}

int eo_nn_normalisation(const eo_nn *nn, const float **mean, const float **std)
{
    *mean = nn->norm_mean;
    *std = nn->norm_std;
    return nn->norm_n;
}

eo_status eo_nn_set_labels(eo_nn *nn, const char *const *names, int n, eo_error *err)
{
    for (int i = 0; i < nn->n_labels; i++)
        free(nn->labels[i]);
    free(nn->labels);
    nn->labels = NULL;
    nn->n_labels = 0;
    if (n <= 0 || !names)
        return EO_STATUS_OK;
    nn->labels = eo_calloc((size_t)n, sizeof(char *));
    if (!nn->labels)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "network: out of memory");
    for (int i = 0; i < n; i++) {
        nn->labels[i] = eo_strdup(names[i] ? names[i] : "");
        if (!nn->labels[i]) {
            nn->n_labels = i;
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "network: out of memory");
        }
    }
    nn->n_labels = n;
    return EO_STATUS_OK;
}

int eo_nn_label_count(const eo_nn *nn) { return nn->n_labels; }

const char *eo_nn_label(const eo_nn *nn, int i)
{
    return (i >= 0 && i < nn->n_labels) ? nn->labels[i] : NULL;
}

eo_status eo_nn_set_meta(eo_nn *nn, const char *key, const char *value, eo_error *err)
{
    if (!key || !*key || strpbrk(key, "=\n") || (value && strchr(value, '\n')))
        return eo_error_set(err, EO_STATUS_USAGE,
                            "network metadata: key must be non-empty without '=' or newline");
    /* drop an existing line for key, then append */
    size_t kl = strlen(key), ml = strlen(nn->meta);
    char *m = eo_malloc(ml + kl + (value ? strlen(value) : 0) + 3);
    if (!m)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "network: out of memory");
    size_t o = 0;
    const char *p = nn->meta;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (!(len > kl && !strncmp(p, key, kl) && p[kl] == '=')) {
            memcpy(m + o, p, len);
            o += len;
            m[o++] = '\n';
        }
        p += len + (e ? 1 : 0);
    }
    o += (size_t)sprintf(m + o, "%s=%s\n", key, value ? value : "");
    m[o] = 0;
    free(nn->meta);
    nn->meta = m;
    return EO_STATUS_OK;
}

int eo_nn_meta(const eo_nn *nn, const char *key, char *buf, size_t n)
{
    size_t kl = strlen(key);
    const char *p = nn->meta;
    while (p && *p) {
        if (!strncmp(p, key, kl) && p[kl] == '=') {
            const char *v = p + kl + 1, *e = strchr(v, '\n');
            size_t len = e ? (size_t)(e - v) : strlen(v);
            if (n) {
                if (len >= n)
                    len = n - 1;
                memcpy(buf, v, len);
                buf[len] = 0;
            }
            return 0;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return -1;
}

const char *eo_nn_meta_text(const eo_nn *nn) { return nn->meta; }
