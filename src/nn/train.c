/* ecgopt nn — the training loop: seeded shuffling, mini-batches, loss,
 * backward, clipping, optimiser step, schedule, validation, early stopping,
 * NaN handling (stop, report the epoch, keep the last good weights). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "nn/nn_internal.h"

void eo_nn_train_defaults(eo_nn_train_options *o)
{
    memset(o, 0, sizeof *o);
    o->epochs = 10;
    o->batch_size = 64;
    eo_nn_loss_defaults(&o->loss, EO_NN_LOSS_CROSS_ENTROPY);
    eo_nn_optim_defaults(&o->optim, EO_NN_OPTIM_ADAM);
    eo_nn_sched_defaults(&o->sched, EO_NN_SCHED_NONE);
    o->restore_best = 1;
    o->seed = 1;
    o->shuffle = 1;
}

static eo_status check_data(const eo_nn *nn, const eo_nn_data *d, const eo_nn_loss *loss,
                            const char *what, eo_error *err)
{
    if (!d || !d->x || d->n < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "train: %s set is empty", what);
    if (loss->type != EO_NN_LOSS_MSE && !d->labels)
        return eo_error_set(err, EO_STATUS_USAGE, "train: %s set has no labels", what);
    int oc, ol;
    eo_nn_output_shape(nn, &oc, &ol);
    if (loss->type == EO_NN_LOSS_MSE && !d->targets && (oc != nn->in_c || ol != nn->in_l))
        return eo_error_set(err, EO_STATUS_USAGE,
                            "train: %s set has no targets and the output %dx%d is not the input shape",
                            what, oc, ol);
    if (loss->type != EO_NN_LOSS_MSE) {
        for (int i = 0; i < d->n; i++)
            if (d->labels[i] < 0 || d->labels[i] >= oc * ol)
                return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                    "train: %s label %d of sample %d outside [0, %d)", what,
                                    d->labels[i], i, oc * ol);
    }
    return EO_STATUS_OK;
}

eo_status eo_nn_evaluate(eo_nn *nn, const eo_nn_data *d, const eo_nn_loss *loss, int batch,
                         double *mean_loss, double *accuracy, eo_error *err)
{
    if (batch <= 0)
        batch = 256;
    int oc, ol;
    eo_nn_output_shape(nn, &oc, &ol);
    const int dim = oc * ol;
    const size_t isz = (size_t)nn->in_c * nn->in_l;
    double tot = 0.0;
    long correct = 0;
    for (int i = 0; i < d->n; i += batch) {
        const int b = d->n - i < batch ? d->n - i : batch;
        const float *y;
        eo_status st = eo_nn_infer(nn, d->x + i * isz, b, &y, err);
        if (st)
            return st;
        double l;
        const float *tg = NULL;
        if (loss->type == EO_NN_LOSS_MSE)
            tg = d->targets ? d->targets + (size_t)i * dim : d->x + i * isz;
        st = eo_nn_loss_eval(loss, y, b, dim, d->labels ? d->labels + i : NULL, tg, &l, NULL, err);
        if (st)
            return st;
        tot += l * b;
        if (d->labels && loss->type != EO_NN_LOSS_MSE)
            for (int k = 0; k < b; k++) {
                const float *z = y + (size_t)k * dim;
                int am = 0;
                for (int j = 1; j < dim; j++)
                    if (z[j] > z[am])
                        am = j;
                correct += am == d->labels[i + k];
            }
    }
    if (mean_loss)
        *mean_loss = tot / d->n;
    if (accuracy)
        *accuracy = (d->labels && loss->type != EO_NN_LOSS_MSE) ? (double)correct / d->n : NAN;
    return EO_STATUS_OK;
}

eo_status eo_nn_train(eo_nn *nn, const eo_nn_data *train, const eo_nn_data *val,
                      const eo_nn_train_options *opts, eo_nn_train_report *report, eo_error *err)
{
    eo_nn_train_report rep;
    memset(&rep, 0, sizeof rep);
    rep.best_val_loss = NAN;
    if (report)
        *report = rep;
    if (!nn || !opts || nn->n_layers == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "train: no network or options");
    if (opts->epochs < 1 || opts->batch_size < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "train: epochs %d and batch size %d must be >= 1",
                            opts->epochs, opts->batch_size);
    eo_status st = check_data(nn, train, &opts->loss, "training", err);
    if (!st && val)
        st = check_data(nn, val, &opts->loss, "validation", err);
    if (st)
        return st;
    const double t0 = eo_time_now();
    const int bs = opts->batch_size < train->n ? opts->batch_size : train->n;
    int oc, ol;
    eo_nn_output_shape(nn, &oc, &ol);
    const int dim = oc * ol;
    const size_t isz = (size_t)nn->in_c * nn->in_l;
    st = eo_nn_reserve(nn, bs, &rep.arena_bytes, err);
    if (st)
        return st;
    eo_nn_optim *opt = NULL;
    st = eo_nn_optim_create(&opts->optim, nn->n_params, &opt, err);
    if (st)
        return st;
    float *xb = eo_malloc(sizeof(float) * isz * bs);
    float *tb = opts->loss.type == EO_NN_LOSS_MSE ? eo_malloc(sizeof(float) * (size_t)dim * bs) : NULL;
    int *lb = eo_malloc(sizeof(int) * bs);
    float *dout = eo_malloc(sizeof(float) * (size_t)dim * bs);
    size_t *idx = eo_malloc(sizeof(size_t) * train->n);
    float *good = eo_malloc(sizeof(float) * (nn->n_params + nn->n_bufs + 1));
    float *best = val ? eo_malloc(sizeof(float) * (nn->n_params + nn->n_bufs + 1)) : NULL;
    if (!xb || !lb || !dout || !idx || !good || (val && !best) ||
        (opts->loss.type == EO_NN_LOSS_MSE && !tb)) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "train: out of memory for batch buffers");
        goto done;
    }
    memcpy(good, nn->params, sizeof(float) * nn->n_params);
    memcpy(good + nn->n_params, nn->bufs, sizeof(float) * nn->n_bufs);
    eo_rng rng;
    eo_rng_seed(&rng, opts->seed);
    for (int i = 0; i < train->n; i++)
        idx[i] = (size_t)i;
    eo_nn_sched sched = opts->sched;
    if (sched.type == EO_NN_SCHED_COSINE && sched.t_max <= 0)
        sched.t_max = opts->epochs;
    const int nbatches = (train->n + bs - 1) / bs;
    double prev_val = NAN, best_val = INFINITY;
    int since_best = 0;
    for (int ep = 0; ep < opts->epochs; ep++) {
        const double te = eo_time_now();
        const double lr_scale = eo_nn_sched_factor(&sched, ep, opts->optim.lr, prev_val);
        if (opts->shuffle)
            eo_rng_shuffle_size(&rng, idx, (size_t)train->n);
        double tot = 0.0;
        int bad = 0;
        for (int b = 0; b < nbatches; b++) {
            const int lo = b * bs, nb = train->n - lo < bs ? train->n - lo : bs;
            for (int k = 0; k < nb; k++) {
                const size_t s = idx[lo + k];
                memcpy(xb + (size_t)k * isz, train->x + s * isz, sizeof(float) * isz);
                if (tb)
                    memcpy(tb + (size_t)k * dim, train->targets ? train->targets + s * dim : train->x + s * isz,
                           sizeof(float) * dim);
                else
                    lb[k] = train->labels[s];
            }
            const float *y;
            st = eo_nn_forward(nn, xb, nb, 1, &rng, &y, err);
            if (st)
                goto done;
            double l;
            st = eo_nn_loss_eval(&opts->loss, y, nb, dim, tb ? NULL : lb, tb, &l, dout, err);
            if (st)
                goto done;
            if (!isfinite(l)) {
                bad = 1;
                break;
            }
            tot += l * nb;
            st = eo_nn_backward(nn, dout, err);
            if (st)
                goto done;
            if (opts->clip_norm > 0)
                eo_nn_clip_grad_norm(nn->grads, nn->n_params, opts->clip_norm);
            eo_nn_optim_step_nn(opt, nn, lr_scale);
            if (opts->progress &&
                opts->progress(opts->progress_user, (double)ep * nbatches + b + 1,
                               (double)opts->epochs * nbatches, "train")) {
                rep.cancelled = 1;
                break;
            }
        }
        if (!bad) {
            for (size_t i = 0; i < nn->n_params && !bad; i++)
                bad = !isfinite(nn->params[i]);
        }
        if (bad) {
            rep.nan_epoch = ep + 1;
            memcpy(nn->params, good, sizeof(float) * nn->n_params);
            memcpy(nn->bufs, good + nn->n_params, sizeof(float) * nn->n_bufs);
            st = eo_error_set(err, EO_STATUS_NUMERIC,
                              "train: loss became NaN/Inf in epoch %d; kept the weights of epoch %d "
                              "(lower the learning rate or clip gradients)",
                              ep + 1, ep);
            goto done;
        }
        if (rep.cancelled)
            break;
        memcpy(good, nn->params, sizeof(float) * nn->n_params);
        memcpy(good + nn->n_params, nn->bufs, sizeof(float) * nn->n_bufs);
        rep.epochs_run = ep + 1;
        rep.final_train_loss = tot / train->n;
        eo_nn_epoch_stats es = {ep + 1, rep.final_train_loss, NAN, NAN,
                                opts->optim.lr * lr_scale, 0.0};
        if (val) {
            st = eo_nn_evaluate(nn, val, &opts->loss, bs, &es.val_loss, &es.val_accuracy, err);
            if (st)
                goto done;
            prev_val = es.val_loss;
            if (es.val_loss < best_val) {
                best_val = es.val_loss;
                rep.best_epoch = ep + 1;
                rep.best_val_loss = best_val;
                since_best = 0;
                memcpy(best, nn->params, sizeof(float) * nn->n_params);
                memcpy(best + nn->n_params, nn->bufs, sizeof(float) * nn->n_bufs);
            } else {
                since_best++;
            }
        }
        es.seconds = eo_time_now() - te;
        if (opts->on_epoch && opts->on_epoch(opts->epoch_user, &es)) {
            rep.cancelled = 1;
            break;
        }
        if (val && opts->patience > 0 && since_best >= opts->patience) {
            rep.stopped_early = 1;
            break;
        }
    }
    if (val && opts->restore_best && rep.best_epoch > 0) {
        memcpy(nn->params, best, sizeof(float) * nn->n_params);
        memcpy(nn->bufs, best + nn->n_params, sizeof(float) * nn->n_bufs);
    }
    st = EO_STATUS_OK;
done:
    rep.seconds = eo_time_now() - t0;
    if (report)
        *report = rep;
    eo_nn_optim_destroy(opt);
    free(xb);
    free(tb);
    free(lb);
    free(dout);
    free(idx);
    free(good);
    free(best);
    return st;
}
