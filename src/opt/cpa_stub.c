/* Placeholder CPA / OLCPA vtables until src/opt/cpa.c lands (its author
 * deletes this file).  Weak, so a strong definition elsewhere wins when both
 * are linked as objects. */
#include "ecgopt/opt.h"

static eo_status stub_init(eo_optimizer *opt, void **state, eo_error *err)
{
    (void)state;
    return eo_error_set(err, EO_STATUS_UNSUPPORTED, "optimizer %s: not built yet",
                        eo_optimizer_name(opt));
}

__attribute__((weak)) const eo_optimizer_vtable eo_opt_cpa_vtable = {
    "cpa", "Colony Predation Algorithm (Tu et al. 2021) [not built yet]", NULL, 30,
    stub_init, NULL, NULL, NULL, NULL, NULL};
__attribute__((weak)) const eo_optimizer_vtable eo_opt_olcpa_vtable = {
    "olcpa", "CPA with orthogonal learning [not built yet]", NULL, 30,
    stub_init, NULL, NULL, NULL, NULL, NULL};
