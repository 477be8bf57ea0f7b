/* Genetic algorithm — placeholder vtable (filled in below in a later commit). */
#include "ecgopt/opt.h"
static eo_status ga_init(eo_optimizer *opt, void **state, eo_error *err)
{
    (void)state;
    return eo_error_set(err, EO_STATUS_UNSUPPORTED, "optimizer %s: not built yet",
                        eo_optimizer_name(opt));
}
const eo_optimizer_vtable eo_opt_ga_vtable = {"ga", "genetic algorithm [not built yet]", NULL,
                                              50, ga_init, NULL, NULL, NULL, NULL, NULL};
