/* The preset registry: every preset is a const eo_objective_kind defined in
 * its own objective_<name>.c and listed here once.  Adding a preset = one
 * new file + one line here (and its name in the list below, in the same
 * order; test_study_core checks they agree). */
#include <string.h>

#include "study/objective_internal.h"

static const eo_objective_kind *const KINDS[] = {
    &eo_objective_compress_cae,
    &eo_objective_compress_cae_attention,
    &eo_objective_compress_cae_baseline,
    &eo_objective_compress_cae_baseline_attention,
    &eo_objective_compress_cae_rd,
    &eo_objective_compress_cae_rd_noattention,
    &eo_objective_classify_rescnn_bo,
    &eo_objective_classify_cnnlstm_gwo,
    &eo_objective_classify_cnn_olcpa,
    &eo_objective_denoise_vmd_iaoa,
    &eo_objective_toy,
    NULL,
};

static const char *const NAMES[] = {
    "compress-cae",
    "compress-cae-attention",
    "compress-cae-baseline",
    "compress-cae-baseline-attention",
    "compress-cae-rd",
    "compress-cae-rd-noattention",
    "classify-rescnn-bo",
    "classify-cnnlstm-gwo",
    "classify-cnn-olcpa",
    "denoise-vmd-iaoa",
    "toy",
    NULL,
};

const eo_objective_kind *const *eo_objective_kinds(void) { return KINDS; }

const char *const *eo_objective_preset_names(void) { return NAMES; }

const eo_objective_kind *eo_objective_kind_find(const char *name)
{
    for (size_t i = 0; KINDS[i]; i++)
        if (name && strcmp(KINDS[i]->name, name) == 0)
            return KINDS[i];
    return NULL;
}
