/* ecgopt model — inspect a network spec or a model file: layers, output
 * shapes, parameter count, FLOPs per sample.  The work is in src/nn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/denoise.h"
#include "ecgopt/json.h"
#include "ecgopt/nn.h"
#include "ecgopt/util.h"

static void print_model(const eo_cli *c, const eo_nn *nn, const char *source)
{
    int ic, il, oc, ol;
    eo_nn_input_shape(nn, &ic, &il);
    eo_nn_output_shape(nn, &oc, &ol);
    const int nl = eo_nn_layer_count(nn);
    if (c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_nn_summary_json(&j, nn, source);
        fputc('\n', stdout);
        return;
    }
    printf("%s\ninput %dx%d\n", source, ic, il);
    printf("%3s  %-44s %14s %10s %12s\n", "#", "layer", "output", "params", "MFLOPs");
    for (int i = 0; i < nl; i++) {
        eo_nn_layer_info li;
        eo_nn_layer_get(nn, i, &li);
        char shape[32];
        snprintf(shape, sizeof shape, "%dx%d", li.out_c, li.out_l);
        printf("%3d  %-44s %14s %10zu %12.3f\n", i + 1, li.spec, shape, li.params, li.flops / 1e6);
    }
    printf("total parameters %zu, forward %.3f MFLOPs per sample, output %dx%d\n",
           eo_nn_param_count(nn), eo_nn_flops(nn) / 1e6, oc, ol);
    if (eo_nn_label_count(nn) > 0) {
        printf("labels:");
        for (int i = 0; i < eo_nn_label_count(nn); i++)
            printf(" %s", eo_nn_label(nn, i));
        printf("\n");
    }
    if (*eo_nn_meta_text(nn))
        printf("metadata:\n%s", eo_nn_meta_text(nn));
}

/* A model file, or a denoising ensemble's members one after the other
 * (JSON: {"ensemble": FILE, "members": [...]}) */
static int model_file_info(eo_cli *c, const char *file)
{
    eo_error err;
    unsigned char *data = NULL;
    size_t n = 0, len[EO_DENOISE_ENSEMBLE_MAX];
    const unsigned char *member[EO_DENOISE_ENSEMBLE_MAX];
    int count = 0;
    eo_status st = eo_read_file(file, &data, &n, &err);
    if (!st)
        st = eo_denoise_ensemble_members(data, n, file, member, len, &count, &err);
    const int ensemble = !st && n >= 8 && !memcmp(data, "ECGOPTDE", 8);
    eo_json j;
    eo_json_init(&j, stdout);
    if (!st && ensemble && c->json) {
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "ensemble", file);
        eo_json_key(&j, "members");
        eo_json_arr_begin(&j);
    }
    for (int k = 0; k < count && !st; k++) {
        char src[4200];
        snprintf(src, sizeof src, ensemble ? "%s (member %d of %d)" : "%s", file, k + 1, count);
        eo_nn *nn = NULL;
        st = eo_nn_load_mem(member[k], len[k], src, &nn, &err);
        if (st)
            break;
        if (ensemble && c->json)
            eo_nn_summary_json(&j, nn, src);
        else {
            if (k > 0)
                printf("\n");
            print_model(c, nn, src);
        }
        eo_nn_destroy(nn);
    }
    if (!st && ensemble && c->json) {
        eo_json_arr_end(&j);
        eo_json_obj_end(&j);
        fputc('\n', stdout);
    }
    free(data);
    return st ? eo_cli_fail(c, &err) : 0;
}

static const eo_cli_spec SPEC = {
    "model info --spec SPEC [--input CxL]\n       ecgopt model info FILE.eom",
    "Prints each layer with its output shape, parameters and forward FLOPs per sample;\n"
    "for a denoising ensemble (the built-in denoiser is one), each member in turn.\n",
    NULL,
    "ecgopt model info --spec \"conv(32,7) relu maxpool(2) conv(64,5) relu maxpool(2) "
    "flatten dense(128) relu dropout(0.3) dense(5)\" --input 1x256\n",
    NULL};

int eo_cmd_model(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "model", &argc, argv))
        return c.rc;
    const char *spec = NULL, *input = "1x256", *file = NULL, *sub = NULL;
    const eo_cli_opt opts[] = {
        {"--spec", EO_OPT_STR, &spec, 0, 0, "SPEC", "a network spec (nn.h grammar) instead of a model file", NULL},
        {"--input", EO_OPT_STR, &input, 0, 0, "CxL", "input channels x length (default 1x256)", NULL},
        EO_OPT_TABLE_END};
    const char *pos[2] = {NULL, NULL};
    int prc = eo_cli_help_or_parse(&c, &SPEC, opts, argc, argv, pos, 2, NULL, "argument");
    if (prc >= 0)
        return prc;
    sub = pos[0];
    file = pos[1];
    if (!sub || strcmp(sub, "info"))
        return eo_cli_usage(&c, "expected 'info' (ecgopt model info --spec SPEC | FILE.eom)");
    if (!!spec == !!file)
        return eo_cli_usage(&c, "give either --spec SPEC or a model FILE");
    eo_error err;
    eo_nn *nn = NULL;
    if (spec) {
        long ch, len;
        char extra;
        if (sscanf(input, "%ldx%ld%c", &ch, &len, &extra) != 2 || ch < 1 || len < 1 ||
            ch > (1 << 20) || len > (1 << 24))
            return eo_cli_usage(&c, "--input %s: expected CxL, e.g. 1x256", input);
        if (eo_nn_from_spec(spec, (int)ch, (int)len, &nn, &err))
            return eo_cli_fail(&c, &err);
        print_model(&c, nn, "spec");
    } else {
        return model_file_info(&c, file);
    }
    eo_nn_destroy(nn);
    return 0;
}
