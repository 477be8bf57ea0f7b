/* ecgopt — command-line entry point: dispatches to src/cli/cmd_<name>.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/version.h"

typedef struct {
    const char *name;
    const char *desc;
    int (*run)(int argc, char **argv);
} command;

#define EO_CLI_ENTRY(name, desc) {#name, desc, eo_cmd_##name},
static const command commands[] = {EO_CLI_COMMANDS(EO_CLI_ENTRY)};
#undef EO_CLI_ENTRY

static void usage(FILE *fp)
{
    fprintf(fp,
            "ecgopt %s — nature-inspired optimisers tune the ECG pipeline\n\n"
            "usage: ecgopt COMMAND [options]   (ecgopt COMMAND --help for details)\n\ncommands:\n",
            EO_VERSION_STRING);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "  %-11s %s\n", commands[i].name, commands[i].desc);
    fprintf(fp,
            "\ncommon options: --data DIR  -o PATH  --seed N  --threads N  --json  --quiet  "
            "--progress  --force  --help\n"
            "data lookup: --data DIR, $ECGOPT_DATA, ./data, ../shared/data\n"
            "outputs: checked before the work, removed again when a command fails; a device,\n"
            "  pipe or link at -o is written through (-o /dev/stdout works); an input record,\n"
            "  a reference annotator (atr) or a name beside old annotations needs --force\n"
            "exit codes: 0 ok, 1 usage (unknown option or name, bad or out-of-range value),\n"
            "  2 bad input or output (missing/corrupt file, unwritable path), 3 internal error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        if (argc > 2 && strcmp(argv[1], "help") == 0) {
            char help[] = "--help";
            char *av[3] = {argv[2], help, NULL};
            for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
                if (strcmp(commands[i].name, argv[2]) == 0)
                    return commands[i].run(2, av);
        }
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("ecgopt %s\n", EO_VERSION_STRING);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, argv[1]) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "ecgopt: unknown command '%s' (see `ecgopt --help`)\n", argv[1]);
    return 1;
}
