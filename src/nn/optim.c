/* ecgopt nn — optimisers and gradient clipping, with PyTorch's update rules.
 *  SGD (momentum mu, Sutskever et al. 2013 as torch.optim.SGD):
 *      g += wd p;  v = mu v + g;  p -= lr v
 *  Adam (Kingma & Ba 2015, Algorithm 1):  g += wd p (L2);
 *      m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
 *      p -= lr / (1-b1^t) * m / (sqrt(v / (1-b2^t)) + eps)
 *  AdamW (Loshchilov & Hutter 2019): p -= lr wd p before the Adam step.
 *  lr_decay (Keras "decay", the Adam decay tuned in Fki et al. 2023):
 *      lr_t = lr / (1 + decay * t), t = step count before this step. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "nn/nn_internal.h"

struct eo_nn_optim {
    eo_nn_optim_options o;
    size_t n;
    long t;
    float *m, *v;
};

void eo_nn_optim_defaults(eo_nn_optim_options *o, eo_nn_optim_type type)
{
    memset(o, 0, sizeof *o);
    o->type = type;
    o->lr = type == EO_NN_OPTIM_SGD ? 0.01 : 1e-3;
    o->momentum = 0.9;
    o->beta1 = 0.9;
    o->beta2 = 0.999;
    o->eps = 1e-8;
    o->weight_decay = type == EO_NN_OPTIM_ADAMW ? 0.01 : 0.0;
}

eo_status eo_nn_optim_create(const eo_nn_optim_options *o, size_t n_params, eo_nn_optim **out,
                             eo_error *err)
{
    *out = NULL;
    if (!(o->lr > 0) || !(o->momentum >= 0 && o->momentum < 1) || !(o->beta1 >= 0 && o->beta1 < 1) ||
        !(o->beta2 >= 0 && o->beta2 < 1) || !(o->eps > 0) || !(o->weight_decay >= 0) ||
        !(o->lr_decay >= 0) || (unsigned)o->type > EO_NN_OPTIM_ADAMW)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "optimiser: lr > 0, momentum/beta in [0,1), eps > 0, decays >= 0 required");
    eo_nn_optim *p = eo_calloc(1, sizeof *p);
    if (!p)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimiser: out of memory");
    p->o = *o;
    p->n = n_params;
    p->m = eo_calloc(n_params ? n_params : 1, sizeof(float));
    p->v = eo_calloc(n_params ? n_params : 1, sizeof(float));
    if (!p->m || !p->v) {
        eo_nn_optim_destroy(p);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimiser: out of memory for %zu parameters",
                            n_params);
    }
    *out = p;
    return EO_STATUS_OK;
}

void eo_nn_optim_destroy(eo_nn_optim *opt)
{
    if (!opt)
        return;
    free(opt->m);
    free(opt->v);
    free(opt);
}

/* The constants of one update (after the step count is advanced). */
typedef struct step_plan {
    eo_nn_optim *opt;
    float *p;
    const float *g;
    size_t n;
    int sgd, adamw, first;
    float wd, mu, flr, b1, b2, step, isb2, eps, decay;
} step_plan;

static void plan_step(eo_nn_optim *opt, float *p, const float *g, size_t n, double lr_scale,
                      step_plan *s)
{
    const eo_nn_optim_options *o = &opt->o;
    double lr = o->lr * lr_scale / (1.0 + o->lr_decay * (double)opt->t);
    opt->t++;
    memset(s, 0, sizeof *s);
    s->opt = opt;
    s->p = p;
    s->g = g;
    s->n = n > opt->n ? opt->n : n;
    s->wd = (float)o->weight_decay;
    s->sgd = o->type == EO_NN_OPTIM_SGD;
    s->first = opt->t == 1;
    s->mu = (float)o->momentum;
    s->flr = (float)lr;
    if (!s->sgd) {
        const double bc1 = 1.0 - pow(o->beta1, (double)opt->t), bc2 = 1.0 - pow(o->beta2, (double)opt->t);
        s->b1 = (float)o->beta1;
        s->b2 = (float)o->beta2;
        s->step = (float)(lr / bc1);
        s->isb2 = (float)(1.0 / sqrt(bc2));
        s->eps = (float)o->eps;
        s->adamw = o->type == EO_NN_OPTIM_ADAMW;
        s->decay = (float)(1.0 - lr * o->weight_decay);
    }
}

/* elements [a, b) of the planned update; element-wise, so any split gives
 * the same result */
static void apply_step(const step_plan *s, size_t a, size_t b)
{
    float *p = s->p, *mm = s->opt->m, *vv = s->opt->v;
    const float *g = s->g;
    if (s->sgd) {
        for (size_t i = a; i < b; i++) {
            float gi = g[i] + s->wd * p[i];
            float v = s->first ? gi : s->mu * mm[i] + gi; /* torch: first buffer = g */
            mm[i] = v;
            p[i] -= s->flr * v;
        }
        return;
    }
    /* AdamW decays the weight itself, Adam + L2 adds wd*p to the gradient:
     * with decay = 1 and wd = 0 respectively both are one loop without a
     * branch, which vectorises (sqrt and division are correctly rounded in
     * vector form too, so the result is that of the scalar loop) */
    const float b1 = s->b1, b2 = s->b2, step = s->step, isb2 = s->isb2, eps = s->eps;
    const float decay = s->adamw ? s->decay : 1.0f, wd = s->adamw ? 0.0f : s->wd;
    EO_SIMD
    for (size_t i = a; i < b; i++) {
        const float pi = p[i] * decay;
        const float gi = g[i] + wd * pi;
        const float m = b1 * mm[i] + (1.0f - b1) * gi;
        const float v = b2 * vv[i] + (1.0f - b2) * gi * gi;
        mm[i] = m;
        vv[i] = v;
        p[i] = pi - step * m / (sqrtf(v) * isb2 + eps);
    }
}

void eo_nn_optim_step(eo_nn_optim *opt, float *p, const float *g, size_t n, double lr_scale)
{
    step_plan s;
    plan_step(opt, p, g, n, lr_scale, &s);
    apply_step(&s, 0, s.n);
}

static void apply_slice(void *ctx, int t, int T)
{
    const step_plan *s = ctx;
    apply_step(s, s->n * (size_t)t / T, s->n * (size_t)(t + 1) / T);
}

void eo_nn_optim_step_nn(eo_nn_optim *opt, eo_nn *nn, double lr_scale)
{
    /* the update is serial work between batches (5% of a one-thread CNN
     * epoch, 10% of a two-thread one's wall time): split it across the
     * network's threads */
    step_plan s;
    plan_step(opt, nn->params, nn->grads, nn->n_params, lr_scale, &s);
    eo_nn_parallel(nn, apply_slice, &s);
}

double eo_nn_clip_grad_norm(float *g, size_t n, double max_norm)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += (double)g[i] * g[i];
    const double norm = sqrt(s);
    if (max_norm > 0 && norm > max_norm) {
        const float f = (float)(max_norm / (norm + 1e-6));
        for (size_t i = 0; i < n; i++)
            g[i] *= f;
    }
    return norm;
}
