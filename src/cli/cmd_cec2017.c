/* ecgopt cec2017 — evaluate CEC 2017 benchmark functions (ecgopt/cec2017.h)
 * on points read from standard input, so the suite can be checked against
 * other implementations; the protocol is `ecgopt bench cec2017`. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/cec2017.h"

static const eo_cli_spec SPEC = {
    "cec2017 eval --function F --dim D\n       ecgopt cec2017 list",
    "eval: read points from standard input, one per line (D numbers separated by\n"
    "      blanks or commas; blank lines and lines starting with # are skipped) and\n"
    "      print f(x) for each with 17 significant digits.  The optimum of F is\n"
    "      f* = 100*F.\n"
    "list: the functions and their names.\n"
    "Data: shift/rotation/shuffle files from --data DIR (DIR or DIR/cec2017),\n"
    "      $ECGOPT_DATA/cec2017, ./data/cec2017 or ../shared/data/cec2017.\n",
    NULL, "printf '0 0 0 0 0 0 0 0 0 0\\n' | ecgopt cec2017 eval --function 1 --dim 10\n", NULL};

static void put_value(void *user, double v)
{
    (void)user;
    printf("%.17g\n", v);
}

static int cmd_eval(eo_cli *c, int argc, char **argv, const eo_cli_opt *opts, const long *func, const long *dim)
{
    if (eo_cli_parse(c, opts, argc - 1, argv + 1, NULL, 0, NULL, "argument"))
        return 1;
    if (*func < 0 || *dim < 0)
        return eo_cli_usage(c, "eval needs --function F and --dim D");
    eo_error err;
    eo_cec2017 *p = NULL;
    if (eo_cec2017_create(&p, (int)*func, (int)*dim, c->data_dir, &err))
        return eo_cli_fail(c, &err);
    eo_json j;
    eo_json_init(&j, stdout);
    size_t n = 0;
    eo_status st = c->json ? eo_cec2017_eval_stream_json(p, stdin, "stdin", &j, &n, &err)
                           : eo_cec2017_eval_stream(p, stdin, "stdin", put_value, NULL, &n, &err);
    eo_cec2017_destroy(p);
    if (st)
        return eo_cli_fail(c, &err);
    if (c->json)
        fputc('\n', stdout);
    eo_cli_info(c, "cec2017: F%ld D=%ld: %zu points\n", *func, *dim, n);
    return 0;
}

static int cmd_list(const eo_cli *c)
{
    eo_json j;
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_json_init(&j, stdout);
    if (c->json)
        eo_cec2017_list_json(&j);
    else
        eo_cec2017_list_text(&b);
    fputs(c->json ? "\n" : eo_strbuf_str(&b), stdout);
    eo_strbuf_destroy(&b);
    return 0;
}

int eo_cmd_cec2017(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "cec2017", &argc, argv))
        return c.rc;
    long func = -1, dim = -1;
    const eo_cli_opt opts[] = {
        {"--function", EO_OPT_LONG, &func, 1, 30, "F", "the function: 1 or 3..30 (F2 is excluded as in the suite)", NULL},
        {"--dim", EO_OPT_LONG, &dim, 2, 100, "D", "dimension: 10, 30, 50 or 100 (2 and 20 where data exist)", NULL},
        EO_OPT_TABLE_END};
    if (c.help)
        return eo_cli_help_or_parse(&c, &SPEC, opts, argc, argv, NULL, 0, NULL, NULL);
    if (argc < 2)
        return eo_cli_usage(&c, "missing subcommand (eval or list)");
    if (strcmp(argv[1], "eval") == 0)
        return cmd_eval(&c, argc, argv, opts, &func, &dim);
    if (strcmp(argv[1], "list") == 0)
        return cmd_list(&c);
    return eo_cli_usage(&c, "unknown subcommand '%s' (eval or list)", argv[1]);
}
