/* The optimiser registry: every algorithm is a const eo_optimizer_vtable
 * (declared in ecgopt/opt.h) listed here in a fixed order.  Adding an
 * algorithm = one new file defining its vtable + one line here. */
#include "ecgopt/opt.h"

#include <string.h>

static const eo_optimizer_vtable *const registry[] = {
    &eo_opt_ga_vtable,  &eo_opt_pso_vtable,   &eo_opt_pso_constriction_vtable,
    &eo_opt_gwo_vtable, &eo_opt_cpa_vtable,   &eo_opt_olcpa_vtable,
    &eo_opt_aoa_vtable, &eo_opt_iaoa_vtable,  &eo_opt_bo_vtable,
    &eo_opt_random_vtable, &eo_opt_grid_vtable, NULL,
};

const eo_optimizer_vtable *const *eo_opt_registry_all(void);
const eo_optimizer_vtable *eo_opt_registry_find(const char *name);

const eo_optimizer_vtable *const *eo_opt_registry_all(void) { return registry; }

const eo_optimizer_vtable *eo_opt_registry_find(const char *name)
{
    for (size_t i = 0; registry[i]; i++)
        if (name && strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

static const char *const names_const[] = {
    "ga", "pso", "pso-constriction", "gwo", "cpa", "olcpa",
    "aoa", "iaoa", "bo", "random", "grid", NULL,
};

const char *const *eo_optimizer_names(void)
{
    return names_const;
}

const char *eo_optimizer_summary(const char *name)
{
    const eo_optimizer_vtable *vt = eo_opt_registry_find(name);
    return vt ? vt->summary : NULL;
}

const char *const *eo_optimizer_param_keys(const char *name)
{
    static const char *const none[] = {NULL};
    const eo_optimizer_vtable *vt = eo_opt_registry_find(name);
    if (!vt)
        return NULL;
    return vt->param_keys ? vt->param_keys : none;
}
