/* ecgopt nn — the text spec of an architecture (grammar in nn.h).
 * `conv(32,7) relu maxpool(2) ... dense(5)`: layers separated by white
 * space; arguments positional first, then key=value. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn/nn_internal.h"

typedef struct spec_arg {
    char key[24];  /* empty for positional */
    char val[40];
} spec_arg;

typedef struct {
    const char *name;
    eo_nn_layer_type type;
    const char *pos[3];  /* names of the positional arguments, in order */
} layer_kw;

static const layer_kw kws[] = {
    {"conv", EO_NN_CONV1D, {"filters", "kernel", "stride"}},
    {"conv1d", EO_NN_CONV1D, {"filters", "kernel", "stride"}},
    {"convt", EO_NN_CONVT1D, {"filters", "kernel", "stride"}},
    {"deconv", EO_NN_CONVT1D, {"filters", "kernel", "stride"}},
    {"maxpool", EO_NN_MAXPOOL, {"kernel", "stride", NULL}},
    {"avgpool", EO_NN_AVGPOOL, {"kernel", "stride", NULL}},
    {"gap", EO_NN_GAP, {NULL, NULL, NULL}},
    {"upsample", EO_NN_UPSAMPLE, {"factor", NULL, NULL}},
    {"flatten", EO_NN_FLATTEN, {NULL, NULL, NULL}},
    {"dense", EO_NN_DENSE, {"units", NULL, NULL}},
    {"linear", EO_NN_DENSE, {"units", NULL, NULL}},
    {"dropout", EO_NN_DROPOUT, {"rate", NULL, NULL}},
    {"batchnorm", EO_NN_BATCHNORM, {NULL, NULL, NULL}},
    {"bn", EO_NN_BATCHNORM, {NULL, NULL, NULL}},
    {"relu", EO_NN_RELU, {NULL, NULL, NULL}},
    {"leakyrelu", EO_NN_LEAKYRELU, {"alpha", NULL, NULL}},
    {"elu", EO_NN_ELU, {"alpha", NULL, NULL}},
    {"sigmoid", EO_NN_SIGMOID, {NULL, NULL, NULL}},
    {"tanh", EO_NN_TANH, {NULL, NULL, NULL}},
    {"softmax", EO_NN_SOFTMAX, {NULL, NULL, NULL}},
    {"lstm", EO_NN_LSTM, {"hidden", "layers", NULL}},
    {"se", EO_NN_SE, {"r", NULL, NULL}},
    {"attention", EO_NN_SE, {"r", NULL, NULL}},
    {"res", EO_NN_RESIDUAL, {"filters", "kernel", "stride"}},
    {"residual", EO_NN_RESIDUAL, {"filters", "kernel", "stride"}},
};

static int parse_int(const char *s, long lo, long hi, int *out)
{
    char *e;
    errno = 0;
    long v = strtol(s, &e, 10);
    if (errno || e == s || *e || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_flt(const char *s, float *out)
{
    char *e;
    errno = 0;
    double v = strtod(s, &e);
    if (errno || e == s || *e || !isfinite(v))
        return -1;
    *out = (float)v;
    return 0;
}

/* Apply one argument to o; returns 0, or -1 with the message in err. */
static int apply(eo_nn_layer_options *o, const char *lname, const char *key, const char *val,
                 eo_error *err)
{
    int bad = 0, known = 1;
    const long BIG = 1L << 24;
    if (!strcmp(key, "filters") || !strcmp(key, "units") || !strcmp(key, "hidden"))
        bad = parse_int(val, 1, BIG, &o->units);
    else if (!strcmp(key, "kernel") || !strcmp(key, "k"))
        bad = parse_int(val, 1, BIG, &o->kernel);
    else if (!strcmp(key, "stride"))
        bad = parse_int(val, 1, BIG, &o->stride);
    else if (!strcmp(key, "dilation"))
        bad = parse_int(val, 1, BIG, &o->dilation);
    else if (!strcmp(key, "pad") || !strcmp(key, "padding")) {
        if (!strcmp(val, "same"))
            o->pad = EO_NN_PAD_SAME;
        else if (!strcmp(val, "valid"))
            o->pad = 0;
        else
            bad = parse_int(val, 0, BIG, &o->pad);
    } else if (!strcmp(key, "outpad") || !strcmp(key, "output_padding"))
        bad = parse_int(val, 0, BIG, &o->out_pad);
    else if (!strcmp(key, "factor") || !strcmp(key, "scale"))
        bad = parse_int(val, 1, 1 << 16, &o->factor);
    else if (!strcmp(key, "r") || !strcmp(key, "reduction"))
        bad = parse_int(val, 1, BIG, &o->reduction);
    else if (!strcmp(key, "layers"))
        bad = parse_int(val, 1, 64, &o->layers);
    else if (!strcmp(key, "bidir") || !strcmp(key, "bidirectional"))
        bad = parse_int(val, 0, 1, &o->bidirectional);
    else if (!strcmp(key, "seq") || !strcmp(key, "return_sequences"))
        bad = parse_int(val, 0, 1, &o->return_sequences);
    else if (!strcmp(key, "rate") || !strcmp(key, "p"))
        bad = parse_flt(val, &o->rate);
    else if (!strcmp(key, "alpha") || !strcmp(key, "slope"))
        bad = parse_flt(val, &o->alpha);
    else if (!strcmp(key, "eps"))
        bad = parse_flt(val, &o->eps);
    else if (!strcmp(key, "momentum"))
        bad = parse_flt(val, &o->momentum);
    else
        known = 0;
    if (!known) {
        eo_error_set(err, EO_STATUS_USAGE, "spec: %s: unknown option '%s'", lname, key);
        return -1;
    }
    if (bad) {
        eo_error_set(err, EO_STATUS_USAGE, "spec: %s: bad value '%s' for %s", lname, val, key);
        return -1;
    }
    return 0;
}

eo_status eo_nn_add_spec(eo_nn *nn, const char *spec, eo_error *err)
{
    if (!nn || !spec)
        return eo_error_set(err, EO_STATUS_USAGE, "spec: NULL argument");
    const char *p = spec;
    int index = 0;
    for (;;) {
        while (isspace((unsigned char)*p) || *p == ',' || *p == ';')
            p++;
        if (!*p)
            break;
        index++;
        char name[32];
        size_t nl = 0;
        while (isalnum((unsigned char)*p) || *p == '_') {
            if (nl + 1 >= sizeof name)
                return eo_error_set(err, EO_STATUS_USAGE, "spec: layer %d: name too long", index);
            name[nl++] = (char)tolower((unsigned char)*p++);
        }
        name[nl] = 0;
        if (!nl)
            return eo_error_set(err, EO_STATUS_USAGE, "spec: layer %d: unexpected character '%c'",
                                index, *p);
        const layer_kw *kw = NULL;
        for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++)
            if (!strcmp(kws[i].name, name))
                kw = &kws[i];
        if (!kw)
            return eo_error_set(err, EO_STATUS_USAGE,
                                "spec: layer %d: unknown layer '%s' (conv convt maxpool avgpool gap "
                                "upsample flatten dense dropout batchnorm relu leakyrelu elu sigmoid "
                                "tanh softmax lstm se res)",
                                index, name);
        eo_nn_layer_options o;
        eo_nn_layer_defaults(&o, kw->type);
        char lname[48];
        snprintf(lname, sizeof lname, "layer %d (%s)", index, name);
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '(') {
            p++;
            int npos = 0;
            for (;;) {
                while (isspace((unsigned char)*p))
                    p++;
                if (*p == ')') {
                    p++;
                    break;
                }
                char tok[72];
                size_t tl = 0;
                while (*p && *p != ',' && *p != ')' && !isspace((unsigned char)*p)) {
                    if (tl + 1 >= sizeof tok)
                        return eo_error_set(err, EO_STATUS_USAGE, "spec: %s: argument too long", lname);
                    tok[tl++] = *p++;
                }
                tok[tl] = 0;
                while (isspace((unsigned char)*p))
                    p++;
                if (!*p)
                    return eo_error_set(err, EO_STATUS_USAGE, "spec: %s: missing ')'", lname);
                if (*p == ',')
                    p++;
                if (!tl)
                    return eo_error_set(err, EO_STATUS_USAGE, "spec: %s: empty argument", lname);
                char *eq = strchr(tok, '=');
                if (eq) {
                    *eq = 0;
                    if (apply(&o, lname, tok, eq + 1, err))
                        return err ? err->status : EO_STATUS_USAGE;
                    npos = 99;
                } else {
                    if (npos >= 3 || !kw->pos[npos])
                        return eo_error_set(err, EO_STATUS_USAGE,
                                            npos == 99 ? "spec: %s: positional argument '%s' after key=value"
                                                       : "spec: %s: too many arguments at '%s'",
                                            lname, tok);
                    if (apply(&o, lname, kw->pos[npos], tok, err))
                        return err ? err->status : EO_STATUS_USAGE;
                    npos++;
                }
            }
            if (kw->pos[0] && npos == 0 && kw->type != EO_NN_LEAKYRELU && kw->type != EO_NN_ELU)
                return eo_error_set(err, EO_STATUS_USAGE, "spec: %s: needs %s", lname, kw->pos[0]);
        } else if (kw->pos[0] && kw->type != EO_NN_LEAKYRELU && kw->type != EO_NN_ELU &&
                   kw->type != EO_NN_UPSAMPLE) {
            return eo_error_set(err, EO_STATUS_USAGE, "spec: %s: needs (%s%s%s)", lname, kw->pos[0],
                                kw->pos[1] ? "," : "", kw->pos[1] ? kw->pos[1] : "");
        }
        eo_status st = eo_nn_add(nn, &o, err);
        if (st) {
            eo_error_prefix(err, "spec: %s", lname);
            return st;
        }
    }
    if (nn->n_layers == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "spec: no layers in '%s'", spec);
    return EO_STATUS_OK;
}

eo_status eo_nn_from_spec(const char *spec, int in_channels, int in_length, eo_nn **out,
                          eo_error *err)
{
    *out = NULL;
    eo_nn *nn;
    eo_status st = eo_nn_create(in_channels, in_length, &nn, err);
    if (st)
        return st;
    st = eo_nn_add_spec(nn, spec, err);
    if (st) {
        eo_nn_destroy(nn);
        return st;
    }
    *out = nn;
    return EO_STATUS_OK;
}

eo_status eo_nn_check_spec(const char *spec, int in_channels, int in_length, eo_error *err)
{
    eo_nn *nn;
    eo_status st = eo_nn_from_spec(spec, in_channels, in_length, &nn, err);
    eo_nn_destroy(nn);
    return st;
}
