/* ecgopt — neural-network engine: layers, training, model files.
 *
 * Tensors are float32, batch-first, N x C x L, row-major (the last index
 * moves fastest), exactly PyTorch's Conv1d layout.  A Dense layer reads its
 * input as N x (C*L) (an implicit flatten) and produces N x units x 1; an
 * LSTM reads N x C x L as L time steps of C features.
 *
 * Ownership: an eo_nn owns its parameters, gradients, optimiser-free state
 * (BatchNorm running statistics), and one activation arena sized for the
 * largest batch seen (eo_nn_reserve).  Pointers returned by
 * eo_nn_forward/eo_nn_input_grad/eo_nn_params point into the eo_nn and stay
 * valid until the next call that changes the network or its batch capacity.
 * Input arrays are read, never kept.
 *
 * Building: from a text spec (eo_nn_from_spec, grammar below) or layer by
 * layer (eo_nn_create + eo_nn_add).  Every network remembers a canonical
 * spec (eo_nn_spec) that the model file stores.
 *
 * Spec grammar: layers separated by white space; `name` or
 * `name(arg, arg, key=value, ...)`:
 *   conv(filters,kernel[,stride=1,pad=same|valid|N,dilation=1])
 *   convt(filters,kernel[,stride=1,pad=0,outpad=0])   transposed conv
 *   maxpool(k[,stride=k])  avgpool(k[,stride=k])  gap  upsample(factor)
 *   flatten  dense(units)  dropout(p)  batchnorm[(eps=1e-5,momentum=0.1)]
 *   relu  leakyrelu[(alpha=0.01)]  elu[(alpha=1)]  sigmoid  tanh  softmax
 *   lstm(hidden[,layers=1,bidir=0,seq=0])  seq=1 returns every step
 *                                          (N x H*dirs x L), else the last
 *                                          state (N x H*dirs x 1, as hn[-1])
 *   se(r)   squeeze-excitation / low-rank attention
 *           X * sigma(W2 ReLU(W1 GAP(X))), W1: C/r x C  (Krishna n.d., sec. H)
 *   res(filters,kernel[,stride=1])  relu(conv2(relu(conv1 x)) + skip x),
 *           skip = 1x1 conv (stride) when channels or length change.
 * Default conv padding is "same" (PyTorch padding=(k-1)/2 for odd k).
 *
 * Threads are a property of the network (eo_nn_set_threads, default 1):
 * the engine cuts each batch into that many chunks (layers other than
 * BatchNorm/dropout-in-training run per chunk, each GEMM single-threaded)
 * on a pool of worker threads owned by the network.  Heavy arithmetic is
 * SGEMM (oneDNN by default, OpenBLAS as fallback, see eo_nn_set_gemm).
 * OpenBLAS's own thread count is process-wide: a pass that can reach
 * OpenBLAS (eo_nn_set_gemm OPENBLAS, or a batch too small to cut on a
 * network with threads > 1) sets it once at its start and restores it at its
 * end; a network with threads = 1 on the default AUTO path never touches
 * it, so such networks may compute concurrently in different threads.
 * One eo_nn must not be used from two threads at once.
 * With one thread the same seed gives bit-identical weights; with T threads
 * results are deterministic too (fixed chunking and reduction order). */
#ifndef ECGOPT_NN_H
#define ECGOPT_NN_H

#include "ecgopt/export.h"

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/json.h"
#include "ecgopt/rng.h"
#include "ecgopt/status.h"
#include "ecgopt/util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eo_nn eo_nn;

typedef enum eo_nn_layer_type {
    EO_NN_CONV1D = 0,
    EO_NN_CONVT1D,
    EO_NN_MAXPOOL,
    EO_NN_AVGPOOL,
    EO_NN_GAP,
    EO_NN_UPSAMPLE,
    EO_NN_FLATTEN,
    EO_NN_DENSE,
    EO_NN_DROPOUT,
    EO_NN_BATCHNORM,
    EO_NN_RELU,
    EO_NN_LEAKYRELU,
    EO_NN_ELU,
    EO_NN_SIGMOID,
    EO_NN_TANH,
    EO_NN_SOFTMAX,
    EO_NN_LSTM,
    EO_NN_SE,
    EO_NN_RESIDUAL,
    EO_NN_LAYER_TYPE_COUNT
} eo_nn_layer_type;

#define EO_NN_PAD_SAME (-1)

/* Options of one layer; fill with eo_nn_layer_defaults(type) then edit. */
typedef struct eo_nn_layer_options {
    eo_nn_layer_type type;
    int units;        /* conv/convt/res filters, dense units, lstm hidden size */
    int kernel;       /* conv/convt/res kernel, pooling window */
    int stride;       /* conv/convt/res (default 1); pooling (0 = kernel) */
    int pad;          /* conv: >= 0 each side or EO_NN_PAD_SAME; convt: >= 0 */
    int out_pad;      /* convt output_padding (< stride) */
    int dilation;     /* conv, >= 1 */
    int factor;       /* upsample factor >= 1 */
    int reduction;    /* se: reduction ratio r >= 1 (hidden = max(1, C/r)) */
    int layers;       /* lstm stacked layers >= 1 */
    int bidirectional;/* lstm: 0/1 */
    int return_sequences; /* lstm: 0 last state, 1 every step */
    float rate;       /* dropout probability in [0,1) */
    float alpha;      /* leakyrelu slope, elu alpha */
    float eps;        /* batchnorm epsilon */
    float momentum;   /* batchnorm running-statistics momentum (PyTorch sense) */
} eo_nn_layer_options;

EO_API void eo_nn_layer_defaults(eo_nn_layer_options *o, eo_nn_layer_type type);
/* Spec name of a layer type ("conv", "lstm", ...). */
EO_API const char *eo_nn_layer_type_name(eo_nn_layer_type type);

/* ---- building -------------------------------------------------------- */

/* Empty network for inputs of in_channels x in_length (both >= 1). */
EO_API eo_status eo_nn_create(int in_channels, int in_length, eo_nn **out, eo_error *err);
/* Append one layer; fails (network unchanged) on a bad option or an
 * impossible shape, e.g. maxpool(4) on a length-3 input. New parameters are
 * initialised PyTorch-style (U(+-1/sqrt(fan_in))) from a fixed seed;
 * call eo_nn_init to re-draw. */
EO_API eo_status eo_nn_add(eo_nn *nn, const eo_nn_layer_options *o, eo_error *err);
/* Append the layers of a spec (see the grammar above). */
EO_API eo_status eo_nn_add_spec(eo_nn *nn, const char *spec, eo_error *err);
/* eo_nn_create + eo_nn_add_spec. */
EO_API eo_status eo_nn_from_spec(const char *spec, int in_channels, int in_length, eo_nn **out,
                          eo_error *err);
/* Parse and shape-check a spec without keeping the network. */
EO_API eo_status eo_nn_check_spec(const char *spec, int in_channels, int in_length, eo_error *err);
EO_API void eo_nn_destroy(eo_nn *nn);   /* NULL is a no-op */
/* Deep copy (parameters, running stats, metadata; not the arena). */
EO_API eo_status eo_nn_clone(const eo_nn *nn, eo_nn **out, eo_error *err);

typedef enum eo_nn_init_kind {
    EO_NN_INIT_TORCH = 0, /* U(+-1/sqrt(fan_in)) weights and biases (PyTorch default) */
    EO_NN_INIT_HE,        /* N(0, 2/fan_in) weights, zero biases (He et al. 2015) */
    EO_NN_INIT_XAVIER     /* U(+-sqrt(6/(fan_in+fan_out))), zero biases (Glorot 2010) */
} eo_nn_init_kind;
/* Re-draw every parameter from rng; BatchNorm: gamma 1, beta 0, running
 * mean 0, var 1.  LSTM weights always U(+-1/sqrt(hidden)). */
EO_API void eo_nn_init(eo_nn *nn, eo_nn_init_kind kind, eo_rng *rng);

/* ---- inspection ------------------------------------------------------ */
typedef struct eo_nn_layer_info {
    eo_nn_layer_type type;
    char spec[96];          /* canonical spec token of this layer */
    int in_c, in_l, out_c, out_l;
    size_t params;          /* trainable parameters */
    double flops;           /* forward floating-point operations per sample */
} eo_nn_layer_info;

EO_API int eo_nn_layer_count(const eo_nn *nn);
/* 0 <= i < eo_nn_layer_count; returns -1 when i is out of range. */
EO_API int eo_nn_layer_get(const eo_nn *nn, int i, eo_nn_layer_info *info);
EO_API size_t eo_nn_param_count(const eo_nn *nn);
EO_API double eo_nn_flops(const eo_nn *nn);                 /* forward, per sample */
EO_API const char *eo_nn_spec(const eo_nn *nn);             /* canonical spec, owned by nn */
EO_API void eo_nn_input_shape(const eo_nn *nn, int *c, int *l);
EO_API void eo_nn_output_shape(const eo_nn *nn, int *c, int *l);
/* The network as one JSON object (nn_json.c; `ecgopt model info --json`):
 * source (as given), spec, input and output [C, L], layers (each: layer,
 * output [C, L], params, flops), params, flops_per_sample, then labels and
 * metadata when the network has them. */
EO_API void eo_nn_summary_json(eo_json *j, const eo_nn *nn, const char *source);

/* All trainable parameters, one flat array owned by nn, layer after layer,
 * each layer in PyTorch's order and layout:
 *   conv: weight (out, in, k), bias (out)      convt: weight (in, out, k), bias
 *   dense: weight (units, in), bias            batchnorm: weight, bias (C each)
 *   lstm: per layer, per direction (forward, reverse): weight_ih (4H x I),
 *         weight_hh (4H x H), bias_ih (4H), bias_hh (4H); gates i, f, g, o
 *   se: W1 (C/r x C), b1, W2 (C x C/r), b2
 *   res: conv1 w, b, conv2 w, b, [projection w (out, in, 1), b]
 * eo_nn_grads has the same layout (filled by eo_nn_backward). */
EO_API float *eo_nn_params(eo_nn *nn, size_t *n);
EO_API float *eo_nn_grads(eo_nn *nn, size_t *n);
/* The slice of layer i (offset into eo_nn_params, count). */
EO_API int eo_nn_layer_params(const eo_nn *nn, int i, size_t *offset, size_t *count);
/* Non-trainable state (BatchNorm running mean then var per BN layer). */
EO_API float *eo_nn_buffers(eo_nn *nn, size_t *n);

/* ---- computing -------------------------------------------------------- */

/* Size the activation arena for batches up to n (done on demand by
 * forward; call it first to fail early).  *bytes (may be NULL) receives
 * the arena size: the peak activation memory of a training step. */
EO_API eo_status eo_nn_reserve(eo_nn *nn, int n, size_t *bytes, eo_error *err);
EO_API size_t eo_nn_arena_bytes(const eo_nn *nn);
/* Threads this network computes on (>= 1, at most 64; 0 = all online
 * cores); default 1.  Takes effect at the next pass (the activation arena
 * is resized).  Results are deterministic for a given count. */
EO_API void eo_nn_set_threads(eo_nn *nn, int threads);
EO_API int eo_nn_threads(const eo_nn *nn);

/* Which SGEMM a network's layers call.  AUTO (the default): oneDNN's
 * sgemm on one thread per batch chunk (AVX-512 JIT; 1.6-1.9x OpenBLAS's
 * per-core speed on this engine's shapes, see docs/nn.md), OpenBLAS with
 * its threads for large whole-batch GEMMs when T > 1.  OPENBLAS / ONEDNN
 * force one library (results agree to float rounding, not bitwise). */
typedef enum eo_nn_gemm_kind {
    EO_NN_GEMM_AUTO = 0,
    EO_NN_GEMM_OPENBLAS = 1,
    EO_NN_GEMM_ONEDNN = 2
} eo_nn_gemm_kind;
EO_API void eo_nn_set_gemm(eo_nn *nn, eo_nn_gemm_kind kind);

/* Forward pass of n samples (n x C x L).  train = 1 uses dropout (drawing
 * from rng, which must then be non-NULL) and BatchNorm batch statistics (and
 * updates the running ones); train = 0 is inference.  *out points to the
 * n x out_c x out_l result inside nn.  Keeps what backward needs. */
EO_API eo_status eo_nn_forward(eo_nn *nn, const float *x, int n, int train, eo_rng *rng,
                        const float **out, eo_error *err);
/* Inference-only forward (train = 0) of n samples: the same outputs as
 * eo_nn_forward with train = 0 up to float rounding (fused conv + bias +
 * ReLU + max-pooling, see docs/nn.md), but nothing is kept for backward:
 * a following eo_nn_backward fails with EO_STATUS_USAGE.  *out points
 * into nn as for eo_nn_forward. */
EO_API eo_status eo_nn_infer(eo_nn *nn, const float *x, int n, const float **out, eo_error *err);
/* Backward pass for the last forward: dout is dLoss/dout (n x out_c x
 * out_l).  Overwrites the gradients (eo_nn_grads).  If input gradients were
 * requested (eo_nn_want_input_grad) they are at eo_nn_input_grad. */
EO_API eo_status eo_nn_backward(eo_nn *nn, const float *dout, eo_error *err);
EO_API void eo_nn_want_input_grad(eo_nn *nn, int on);
EO_API const float *eo_nn_input_grad(const eo_nn *nn);
/* Inference of n samples into caller-owned out (n x out_c x out_l),
 * processed in chunks of at most `batch` (0 = 256). */
EO_API eo_status eo_nn_predict(eo_nn *nn, const float *x, int n, int batch, float *out, eo_error *err);

/* ---- losses ------------------------------------------------------------ */
typedef enum eo_nn_loss_type {
    EO_NN_LOSS_CROSS_ENTROPY = 0, /* softmax + NLL on logits; labels; class weights */
    EO_NN_LOSS_FOCAL,             /* -w_y (1-p_y)^gamma log p_y (Lin et al. 2017) */
    EO_NN_LOSS_MSE                /* mean over all elements of (out - target)^2 */
} eo_nn_loss_type;

typedef struct eo_nn_loss {
    eo_nn_loss_type type;
    const float *class_weights; /* NULL = all 1; else n_classes values (caller-owned) */
    float gamma;                /* focal: default 2 */
} eo_nn_loss;
EO_API void eo_nn_loss_defaults(eo_nn_loss *l, eo_nn_loss_type type);

/* Loss of n outputs of `dim` values each.  Classification: labels[i] in
 * [0, dim); cross-entropy is PyTorch's weighted mean (sum w_y nll / sum w_y),
 * focal is the plain mean over samples.  MSE: targets n x dim.  dout (may be
 * NULL) receives dLoss/dout. */
EO_API eo_status eo_nn_loss_eval(const eo_nn_loss *l, const float *out, int n, int dim,
                          const int *labels, const float *targets, double *loss, float *dout,
                          eo_error *err);

/* ---- optimisers ------------------------------------------------------------ */
typedef enum eo_nn_optim_type {
    EO_NN_OPTIM_SGD = 0, /* v = mu v + g (+ wd p); p -= lr v  (PyTorch SGD) */
    EO_NN_OPTIM_ADAM,    /* Kingma & Ba 2015, bias-corrected; wd = L2 added to g */
    EO_NN_OPTIM_ADAMW    /* Loshchilov & Hutter 2019: p -= lr wd p, decoupled */
} eo_nn_optim_type;

typedef struct eo_nn_optim_options {
    eo_nn_optim_type type;
    double lr;           /* 1e-3 */
    double momentum;     /* SGD, 0.9 */
    double beta1, beta2; /* 0.9, 0.999 */
    double eps;          /* 1e-8 */
    double weight_decay; /* L2 (SGD, Adam) or decoupled (AdamW); 0 */
    double lr_decay;     /* Keras "Adam decay": lr_t = lr / (1 + decay * step); 0 */
} eo_nn_optim_options;
EO_API void eo_nn_optim_defaults(eo_nn_optim_options *o, eo_nn_optim_type type);

typedef struct eo_nn_optim eo_nn_optim;
EO_API eo_status eo_nn_optim_create(const eo_nn_optim_options *o, size_t n_params, eo_nn_optim **out,
                             eo_error *err);
EO_API void eo_nn_optim_destroy(eo_nn_optim *opt);
/* One update of params from grads with learning rate scale lr_scale (the
 * schedule's factor, 1 = opts.lr). */
EO_API void eo_nn_optim_step(eo_nn_optim *opt, float *params, const float *grads, size_t n,
                      double lr_scale);
/* Scale grads so that their global L2 norm is at most max_norm; returns the
 * norm before clipping. */
EO_API double eo_nn_clip_grad_norm(float *grads, size_t n, double max_norm);

/* ---- schedules ------------------------------------------------------------ */
typedef enum eo_nn_sched_type {
    EO_NN_SCHED_NONE = 0,
    EO_NN_SCHED_STEP,     /* lr * gamma^(floor(epoch / step_size)) */
    EO_NN_SCHED_COSINE,   /* min + (lr - min) (1 + cos(pi epoch / t_max)) / 2 */
    EO_NN_SCHED_PLATEAU   /* lr *= factor after `patience` epochs without val improvement */
} eo_nn_sched_type;

typedef struct eo_nn_sched {
    eo_nn_sched_type type;
    int step_size;      /* STEP, 10 */
    double gamma;       /* STEP, 0.1 */
    int t_max;          /* COSINE, epochs (0 = training epochs) */
    double min_lr;      /* COSINE floor, 0 */
    double factor;      /* PLATEAU, 0.1 */
    int patience;       /* PLATEAU, 5 */
    /* state of PLATEAU */
    double best, scale;
    int bad_epochs;
} eo_nn_sched;
EO_API void eo_nn_sched_defaults(eo_nn_sched *s, eo_nn_sched_type type);
/* Learning-rate factor (relative to the base lr) for epoch (0-based);
 * PLATEAU uses the previous epoch's validation loss `val` (NaN = none). */
EO_API double eo_nn_sched_factor(eo_nn_sched *s, int epoch, double base_lr, double val);

/* ---- training -------------------------------------------------------------- */
typedef struct eo_nn_data {
    const float *x;       /* n x C x L */
    const int *labels;    /* classification losses: n labels */
    const float *targets; /* MSE: n x out_c x out_l (NULL with MSE = x, autoencoder) */
    int n;
} eo_nn_data;

typedef struct eo_nn_epoch_stats {
    int epoch;            /* 1-based */
    double train_loss, val_loss; /* val_loss NaN without validation data */
    double val_accuracy;  /* classification with validation data, else NaN */
    double lr;
    double seconds;
} eo_nn_epoch_stats;
/* Called after each epoch; returning non-zero stops training. */
typedef int (*eo_nn_epoch_fn)(void *user, const eo_nn_epoch_stats *s);

typedef struct eo_nn_train_options {
    int epochs;             /* 10 */
    int batch_size;         /* 64 */
    eo_nn_loss loss;
    eo_nn_optim_options optim;
    eo_nn_sched sched;
    double clip_norm;       /* > 0 clips the global gradient norm; 0 off */
    int patience;           /* early stopping on val loss: > 0 epochs without improvement */
    int restore_best;       /* with validation: end with the best-val weights (1) */
    uint64_t seed;          /* shuffling and dropout */
    int shuffle;            /* 1 */
    eo_progress_fn progress; void *progress_user;   /* done/total in batches */
    eo_nn_epoch_fn on_epoch; void *epoch_user;
} eo_nn_train_options;
EO_API void eo_nn_train_defaults(eo_nn_train_options *o);

typedef struct eo_nn_train_report {
    int epochs_run;
    int best_epoch;         /* 1-based; 0 without validation */
    double best_val_loss;
    double final_train_loss;
    int nan_epoch;          /* > 0: the epoch whose loss became NaN/Inf */
    int stopped_early;
    int cancelled;
    double seconds;
    size_t arena_bytes;     /* peak activation memory */
} eo_nn_train_report;

/* Train nn on `train` (mini-batches, shuffled from opts->seed), evaluating
 * `val` (may be NULL) after each epoch.  A NaN/Inf loss stops training with
 * EO_STATUS_NUMERIC, report->nan_epoch set and the weights of the last
 * completed good epoch restored.  report may be NULL. */
EO_API eo_status eo_nn_train(eo_nn *nn, const eo_nn_data *train, const eo_nn_data *val,
                      const eo_nn_train_options *opts, eo_nn_train_report *report, eo_error *err);

/* Mean loss and (classification) accuracy of nn on d in inference mode. */
EO_API eo_status eo_nn_evaluate(eo_nn *nn, const eo_nn_data *d, const eo_nn_loss *loss, int batch,
                         double *mean_loss, double *accuracy, eo_error *err);

/* ---- model metadata and files (docs/model-file.md) ------------------------- */
/* Per-input-channel normalisation x' = (x - mean) / std, stored in the file
 * for the user of the model (the engine does not apply it). */
EO_API eo_status eo_nn_set_normalisation(eo_nn *nn, const float *mean, const float *std, int n,
                                  eo_error *err);
EO_API int eo_nn_normalisation(const eo_nn *nn, const float **mean, const float **std);
EO_API eo_status eo_nn_set_labels(eo_nn *nn, const char *const *names, int n, eo_error *err);
EO_API int eo_nn_label_count(const eo_nn *nn);
EO_API const char *eo_nn_label(const eo_nn *nn, int i);
/* Free-form training metadata, "key=value" lines (e.g. epochs, seed, data). */
EO_API eo_status eo_nn_set_meta(eo_nn *nn, const char *key, const char *value, eo_error *err);
/* Copy the value of key into buf (truncated to n-1 chars); 0, or -1 if absent. */
EO_API int eo_nn_meta(const eo_nn *nn, const char *key, char *buf, size_t n);
EO_API const char *eo_nn_meta_text(const eo_nn *nn);

#define EO_NN_FILE_VERSION 1
EO_API eo_status eo_nn_save(const eo_nn *nn, const char *path, eo_error *err);
EO_API eo_status eo_nn_load(const char *path, eo_nn **out, eo_error *err);
/* Parse a model file held in memory; `name` labels error messages. */
EO_API eo_status eo_nn_load_mem(const unsigned char *data, size_t n, const char *name, eo_nn **out,
                         eo_error *err);
/* Serialise into a malloc'd buffer (caller frees). */
EO_API eo_status eo_nn_save_mem(const eo_nn *nn, unsigned char **data, size_t *n, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
