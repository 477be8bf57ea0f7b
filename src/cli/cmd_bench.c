/* ecgopt bench — placeholder until the owning module lands. */
#include "cli.h"

int eo_cmd_bench(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "bench", &argc, argv))
        return 1;
    eo_error err;
    eo_error_set(&err, EO_STATUS_UNSUPPORTED, "bench: not implemented yet");
    return eo_cli_fail(&c, &err);
}
