/* ecgopt nn — losses on the network output.
 * Cross-entropy: softmax + negative log-likelihood on logits, PyTorch's
 * weighted mean  L = sum_i w_{y_i} (-log p_{i,y_i}) / sum_i w_{y_i}.
 * Focal loss (Lin et al. 2017, eq. 5): FL = -w_y (1 - p_y)^gamma log p_y,
 * mean over samples; its gradient w.r.t. the logits z_j is
 *   dFL/dz_j = w_y [gamma (1-p_y)^(gamma-1) p_y log p_y - (1-p_y)^gamma] (d_jy - p_j).
 * MSE: mean over every element of (out - target)^2. */
#include <math.h>
#include <string.h>

#include "nn/nn_internal.h"

void eo_nn_loss_defaults(eo_nn_loss *l, eo_nn_loss_type type)
{
    memset(l, 0, sizeof *l);
    l->type = type;
    l->gamma = 2.0f;
}

eo_status eo_nn_loss_eval(const eo_nn_loss *l, const float *out, int n, int dim,
                          const int *labels, const float *targets, double *loss, float *dout,
                          eo_error *err)
{
    if (!l || !out || n < 1 || dim < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "loss: no output or empty batch");
    double total = 0.0;
    if (l->type == EO_NN_LOSS_MSE) {
        if (!targets)
            return eo_error_set(err, EO_STATUS_USAGE, "loss: MSE needs targets");
        const size_t m = (size_t)n * dim;
        for (size_t i = 0; i < m; i++) {
            double d = (double)out[i] - targets[i];
            total += d * d;
            if (dout)
                dout[i] = (float)(2.0 * d / m);
        }
        *loss = total / m;
        return EO_STATUS_OK;
    }
    if (!labels)
        return eo_error_set(err, EO_STATUS_USAGE, "loss: classification needs labels");
    if (l->type != EO_NN_LOSS_CROSS_ENTROPY && l->type != EO_NN_LOSS_FOCAL)
        return eo_error_set(err, EO_STATUS_USAGE, "loss: unknown type %d", (int)l->type);
    double wsum = 0.0;
    for (int i = 0; i < n; i++) {
        if (labels[i] < 0 || labels[i] >= dim)
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "loss: label %d of sample %d outside [0, %d)",
                                labels[i], i, dim);
        wsum += l->class_weights ? l->class_weights[labels[i]] : 1.0;
    }
    if (l->type == EO_NN_LOSS_FOCAL)
        wsum = n;
    if (!(wsum > 0.0))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "loss: class weights of the batch sum to %g", wsum);
    for (int i = 0; i < n; i++) {
        const float *z = out + (size_t)i * dim;
        const int y = labels[i];
        const double w = l->class_weights ? l->class_weights[y] : 1.0;
        double mx = z[0];
        for (int j = 1; j < dim; j++)
            if (z[j] > mx)
                mx = z[j];
        double s = 0.0;
        for (int j = 0; j < dim; j++)
            s += exp(z[j] - mx);
        const double logp = z[y] - mx - log(s);
        const double py = exp(logp);
        double coef; /* dL_i/dz_j = coef * (p_j - d_jy) */
        if (l->type == EO_NN_LOSS_CROSS_ENTROPY) {
            total += -w * logp;
            coef = w;
        } else {
            const double g = l->gamma, q = 1.0 - py;
            const double qg = pow(q, g);
            total += -w * qg * logp;
            /* d/dz_j of -(1-p)^g log p = (d_jy - p_j) [g (1-p)^(g-1) p log p - (1-p)^g] */
            const double a = (g > 0 && q > 0 ? g * pow(q, g - 1.0) * py * logp : 0.0) - qg;
            coef = -w * a;
        }
        if (dout) {
            float *d = dout + (size_t)i * dim;
            for (int j = 0; j < dim; j++) {
                double pj = exp(z[j] - mx) / s;
                d[j] = (float)(coef * (pj - (j == y ? 1.0 : 0.0)) / wsum);
            }
        }
    }
    *loss = total / wsum;
    return EO_STATUS_OK;
}
