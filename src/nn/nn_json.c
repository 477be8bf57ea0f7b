/* A network's summary as JSON (nn.h eo_nn_summary_json): its layers with
 * output shapes, parameters and forward FLOPs per sample. */
#include "ecgopt/json.h"
#include "ecgopt/nn.h"

static void shape(eo_json *j, const char *key, int c, int l)
{
    eo_json_key(j, key);
    eo_json_arr_begin(j);
    eo_json_int(j, c);
    eo_json_int(j, l);
    eo_json_arr_end(j);
}

void eo_nn_summary_json(eo_json *j, const eo_nn *nn, const char *source)
{
    int ic, il, oc, ol;
    eo_nn_input_shape(nn, &ic, &il);
    eo_nn_output_shape(nn, &oc, &ol);
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "source", source);
    eo_json_kv_str(j, "spec", eo_nn_spec(nn));
    shape(j, "input", ic, il);
    shape(j, "output", oc, ol);
    eo_json_key(j, "layers");
    eo_json_arr_begin(j);
    for (int i = 0; i < eo_nn_layer_count(nn); i++) {
        eo_nn_layer_info li;
        eo_nn_layer_get(nn, i, &li);
        eo_json_obj_begin(j);
        eo_json_kv_str(j, "layer", li.spec);
        shape(j, "output", li.out_c, li.out_l);
        eo_json_kv_int(j, "params", (long long)li.params);
        eo_json_kv_num(j, "flops", li.flops);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
    eo_json_kv_int(j, "params", (long long)eo_nn_param_count(nn));
    eo_json_kv_num(j, "flops_per_sample", eo_nn_flops(nn));
    if (eo_nn_label_count(nn) > 0) {
        eo_json_key(j, "labels");
        eo_json_arr_begin(j);
        for (int i = 0; i < eo_nn_label_count(nn); i++)
            eo_json_str(j, eo_nn_label(nn, i));
        eo_json_arr_end(j);
    }
    if (*eo_nn_meta_text(nn))
        eo_json_kv_str(j, "metadata", eo_nn_meta_text(nn));
    eo_json_obj_end(j);
}
