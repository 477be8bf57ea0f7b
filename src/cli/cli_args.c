/* ecgopt command line — the argument skeleton of a command with at most
 * one positional argument and an output. */
#include "cli_args.h"

int eo_cli_args(const eo_cli *c, const eo_cli_spec *spec, const eo_cli_opt *opts, int argc, char **argv,
                const char **pos, const char *what, const char *pos_need, const char *out_need)
{
    int rc = eo_cli_help_or_parse(c, spec, opts, argc, argv, pos, pos ? 1 : 0, NULL, what);
    if (rc >= 0)
        return rc;
    if (pos_need && !*pos)
        return eo_cli_usage(c, "%s", pos_need);
    if (out_need && !c->out)
        return eo_cli_usage(c, "%s", out_need);
    return -1;
}
