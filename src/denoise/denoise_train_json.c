/* The learned denoiser's training report as JSON (`ecgopt train --task
 * denoise --json`). */
#include "ecgopt/denoise.h"
#include "ecgopt/json.h"

void eo_denoise_train_report_json(eo_json *j, const eo_denoise_train_report *rep, const char *model)
{
    eo_json_obj_begin(j);
    if (model)
        eo_json_kv_str(j, "model", model);
    eo_json_kv_int(j, "params", (long long)rep->params);
    eo_json_kv_int(j, "epochs_run", rep->epochs_run);
    eo_json_kv_int(j, "best_epoch", rep->best_epoch);
    eo_json_kv_num(j, "val_mse", rep->best_val_loss);
    eo_json_kv_num(j, "val_mse_median_only", rep->val_loss_median);
    eo_json_kv_num(j, "seconds", rep->seconds);
    eo_json_obj_end(j);
}
