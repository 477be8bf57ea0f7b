/* ecgopt cec2017 — placeholder until the owning module lands. */
#include "cli.h"

int eo_cmd_cec2017(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "cec2017", &argc, argv))
        return 1;
    eo_error err;
    eo_error_set(&err, EO_STATUS_UNSUPPORTED, "cec2017: not implemented yet");
    return eo_cli_fail(&c, &err);
}
