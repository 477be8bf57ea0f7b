/* ecgopt cec2017 — evaluate CEC 2017 benchmark functions on points read from
 * standard input (one point per line), so the suite can be checked against
 * other implementations.  The functions live in the library
 * (ecgopt/cec2017.h); the protocol is `ecgopt bench cec2017`. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/cec2017.h"
#include "ecgopt/json.h"

/* eval's options; list takes none */
#define CEC_OPTS(func, dim)                                                                        \
    {"--function", EO_OPT_LONG, (func), 1, 30, "F", "the function: 1 or 3..30 (F2 is excluded as in the suite)", NULL}, \
    {"--dim", EO_OPT_LONG, (dim), 2, 100, "D", "dimension: 10, 30, 50 or 100 (2 and 20 where data exist)", NULL}

/* Parse one line of numbers; returns count (up to max), -1 on junk. */
static int parse_line(char *s, double *v, int max, int *junk_at)
{
    int n = 0;
    char *p = s;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == ',' || *p == '\r' || *p == '\n')
            p++;
        if (!*p)
            return n;
        char *end;
        double d = strtod(p, &end);
        if (end == p) {
            *junk_at = (int)(p - s) + 1;
            return -1;
        }
        if (n < max)
            v[n] = d;
        n++;
        p = end;
    }
}

static int cmd_eval(eo_cli *c, int argc, char **argv)
{
    long func = -1, dim = -1;
    const eo_cli_opt opts[] = {CEC_OPTS(&func, &dim), EO_OPT_TABLE_END};
    if (eo_cli_parse(c, opts, argc - 1, argv + 1, NULL, 0, NULL, "argument"))
        return 1;
    if (func < 0 || dim < 0)
        return eo_cli_usage(c, "eval needs --function F and --dim D");
    eo_error err;
    eo_cec2017 *p = NULL;
    if (func > 1000 || dim > 1000)
        return eo_cli_usage(c, "--function/--dim out of range");
    eo_status st = eo_cec2017_create(&p, (int)func, (int)dim, c->data_dir, &err);
    if (st)
        return eo_cli_fail(c, &err);
    double *x = malloc(sizeof(double) * (size_t)dim);
    size_t n = 0;
    char *line = NULL;
    size_t lcap = 0;
    long lineno = 0;
    int rc = 0;
    eo_json j;
    if (c->json) {
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_int(&j, "function", func);
        eo_json_kv_int(&j, "dim", dim);
        eo_json_kv_num(&j, "optimum", eo_cec2017_optimum(p));
        eo_json_key(&j, "values");
        eo_json_arr_begin(&j);
    }
    if (!x) {
        eo_error_set(&err, EO_STATUS_NO_MEMORY, "cec2017: out of memory");
        rc = eo_cli_fail(c, &err);
        goto done;
    }
    while (getline(&line, &lcap, stdin) >= 0) {
        lineno++;
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '#' || *s == '\n' || *s == '\r' || !*s)
            continue;
        int junk = 0;
        int k = parse_line(s, x, (int)dim, &junk);
        if (k < 0) {
            eo_error_set(&err, EO_STATUS_BAD_FORMAT, "stdin: line %ld: not a number at column %d",
                         lineno, junk);
            rc = eo_cli_fail(c, &err);
            goto done;
        }
        if (k != dim) {
            eo_error_set(&err, EO_STATUS_BAD_FORMAT,
                         "stdin: line %ld: expected %ld numbers (D), found %d", lineno, dim, k);
            rc = eo_cli_fail(c, &err);
            goto done;
        }
        double f = eo_cec2017_eval(p, x);
        if (c->json)
            eo_json_num(&j, f);
        else
            printf("%.17g\n", f);
        n++;
    }
done:
    if (c->json && rc == 0) {
        eo_json_arr_end(&j);
        eo_json_obj_end(&j);
        fputc('\n', stdout);
    }
    free(line);
    free(x);
    eo_cec2017_destroy(p);
    if (rc == 0)
        eo_cli_info(c, "cec2017: F%ld D=%ld: %zu points\n", func, dim, n);
    return rc;
}

static int cmd_list(eo_cli *c)
{
    eo_json j;
    if (c->json) {
        eo_json_init(&j, stdout);
        eo_json_arr_begin(&j);
    }
    for (int f = 1; f <= 30; f++) {
        if (f == 2)
            continue;
        if (c->json) {
            eo_json_obj_begin(&j);
            eo_json_kv_int(&j, "function", f);
            eo_json_kv_str(&j, "name", eo_cec2017_name(f));
            eo_json_kv_num(&j, "optimum", 100.0 * f);
            eo_json_obj_end(&j);
        } else {
            printf("F%-3d f*=%-5d %s\n", f, 100 * f, eo_cec2017_name(f));
        }
    }
    if (c->json) {
        eo_json_arr_end(&j);
        fputc('\n', stdout);
    }
    return 0;
}

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

int eo_cmd_cec2017(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "cec2017", &argc, argv))
        return c.rc;
    if (c.help) {
        long f, d;
        const eo_cli_opt opts[] = {CEC_OPTS(&f, &d), EO_OPT_TABLE_END};
        eo_cli_spec sp = SPEC;
        sp.opts = opts;
        eo_cli_help(&c, &sp);
        return 0;
    }
    if (argc < 2)
        return eo_cli_usage(&c, "missing subcommand (eval or list)");
    if (strcmp(argv[1], "eval") == 0)
        return cmd_eval(&c, argc, argv);
    if (strcmp(argv[1], "list") == 0)
        return cmd_list(&c);
    return eo_cli_usage(&c, "unknown subcommand '%s' (eval or list)", argv[1]);
}
