/* ecgopt nn — learning-rate schedules (factors of the base lr), as
 * torch.optim.lr_scheduler StepLR, CosineAnnealingLR (closed form, SGDR eq. 5
 * of Loshchilov & Hutter 2017 without restarts) and ReduceLROnPlateau (mode
 * min, relative threshold 1e-4, no cooldown). */
#include <math.h>
#include <string.h>

#include "nn/nn_internal.h"

void eo_nn_sched_defaults(eo_nn_sched *s, eo_nn_sched_type type)
{
    memset(s, 0, sizeof *s);
    s->type = type;
    s->step_size = 10;
    s->gamma = 0.1;
    s->factor = 0.1;
    s->patience = 5;
    s->best = INFINITY;
    s->scale = 1.0;
}

double eo_nn_sched_factor(eo_nn_sched *s, int epoch, double base_lr, double val)
{
    switch (s->type) {
    case EO_NN_SCHED_STEP:
        return pow(s->gamma, (double)(epoch / (s->step_size > 0 ? s->step_size : 1)));
    case EO_NN_SCHED_COSINE: {
        const int tm = s->t_max > 0 ? s->t_max : 1;
        const double e = epoch > tm ? tm : epoch;
        const double mn = base_lr > 0 ? s->min_lr / base_lr : 0.0;
        return mn + (1.0 - mn) * 0.5 * (1.0 + cos(M_PI * e / tm));
    }
    case EO_NN_SCHED_PLATEAU:
        if (s->scale <= 0)
            s->scale = 1.0;
        if (!isnan(val)) {
            if (val < s->best * (1.0 - 1e-4) || isinf(s->best)) {
                s->best = val;
                s->bad_epochs = 0;
            } else if (++s->bad_epochs > s->patience) {
                s->scale *= s->factor;
                s->bad_epochs = 0;
            }
        }
        return s->scale;
    default:
        return 1.0;
    }
}
