/* ecgopt command line — the argument skeleton of a command with at most
 * one positional argument and an output (src/cli/cli_args.c). */
#ifndef ECGOPT_CLI_ARGS_H
#define ECGOPT_CLI_ARGS_H

#include "cli.h"

/* --help printed from spec with opts, or argv parsed with opts (the one
 * positional, `what` in messages, into *pos when pos is not NULL); then a
 * usage error `pos_need` ("needs a RECORD") when the positional is missing
 * and `out_need` ("needs -o OUTRECORD") when -o is (either may be NULL: not
 * required).  Returns -1 to go on, or the exit code. */
int eo_cli_args(const eo_cli *c, const eo_cli_spec *spec, const eo_cli_opt *opts, int argc, char **argv,
                const char **pos, const char *what, const char *pos_need, const char *out_need);

#endif
