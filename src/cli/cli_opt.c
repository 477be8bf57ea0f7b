/* ecgopt command line — declarative options: one table per command drives
 * both the parsing (strict numbers with their range, unknown options
 * refused, old spellings accepted with a warning) and the help text, from
 * which scripts/gen-man.sh makes the man page. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The common options every command takes: one table for their parsing
 * (eo_cli_common_parse) and their help.  With v == NULL the destinations
 * are NULL (the help text).  Entries without a help line are other
 * spellings, accepted and not listed. */
#define COMMON_N 16
static void common_table(eo_cli_common_values *v, eo_cli_opt t[COMMON_N])
{
#define D(f) (v ? (void *)&v->f : NULL)
    const eo_cli_opt tab[COMMON_N] = {
        {"--json", EO_OPT_FLAG, D(json), 0, 0, NULL, "the result as one JSON document on stdout", NULL},
        {"--quiet", EO_OPT_FLAG, D(quiet), 0, 0, NULL, "nothing on stderr but errors (-q)", NULL},
        {"-q", EO_OPT_FLAG, D(quiet), 0, 0, NULL, NULL, NULL},
        {"--progress", EO_OPT_FLAG, D(progress), 0, 0, NULL,
         "draw progress even when stderr is not a terminal (--no-progress: never)", NULL},
        {"--no-progress", EO_OPT_FLAG, D(no_progress), 0, 0, NULL, NULL, NULL},
        {"--data", EO_OPT_STR, D(data_dir), 0, 0, "DIR", "look for records in DIR first (it must exist)", NULL},
        {"-o", EO_OPT_STR, D(out), 0, 0, "PATH", "the output (--output); a device, pipe or link is written through", NULL},
        {"--output", EO_OPT_STR, D(out), 0, 0, "PATH", NULL, NULL},
        {"--seed", EO_OPT_STR, D(seed), 0, 0, "N", "seed of every random draw (default 1)", NULL},
        {"--threads", EO_OPT_LONG, D(threads), 0, 1024, "N", "threads in this process (0 = all cores)", NULL},
        {"--force", EO_OPT_FLAG, D(force), 0, 0, NULL,
         "allow writing over an input record, a reference annotator (atr) or beside old annotations", NULL},
        {"--no-verify", EO_OPT_FLAG, D(no_verify), 0, 0, NULL, "skip the checksums of the records read", NULL},
        {"--help", EO_OPT_FLAG, D(help), 0, 0, NULL, NULL, NULL},
        {"-h", EO_OPT_FLAG, D(help), 0, 0, NULL, NULL, NULL},
        EO_OPT_TABLE_END};
#undef D
    memcpy(t, tab, sizeof tab);
}

static const eo_cli_opt *find(const eo_cli_opt *opts, const char *a, size_t *nlen, int *by_alias)
{
    for (const eo_cli_opt *o = opts; o->type != EO_OPT_END; o++) {
        if (o->type == EO_OPT_TEXT)
            continue;
        const char *names[2] = {o->name, o->alias};
        for (int k = 0; k < 2; k++) {
            size_t n = names[k] ? strlen(names[k]) : 0;
            if (n && strncmp(a, names[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
                *nlen = n;
                *by_alias = k;
                return o;
            }
        }
    }
    return NULL;
}

/* The value of option o given as argv[*i] (a, its name n characters long)
 * into o->dst.  Returns 0, or 1 after printing the usage error. */
static int take(const eo_cli *c, const eo_cli_opt *o, const char *a, size_t n, int argc, char **argv, int *i)
{
    if (o->type == EO_OPT_FLAG) {
        if (a[n] == '=')
            return eo_cli_usage(c, "option %s takes no value", o->name);
        if (o->dst)
            *(int *)o->dst = 1;
        return 0;
    }
    const char *v;
    if (a[n] == '=') {
        v = a + n + 1;
    } else {
        if (*i + 1 >= argc)
            return eo_cli_usage(c, "option %s needs a value (%s)", o->name, o->metavar ? o->metavar : "VALUE");
        v = argv[++*i];
    }
    long l;
    switch (o->type) {
    case EO_OPT_STR:
        *(const char **)o->dst = v;
        break;
    case EO_OPT_DOUBLE:
        if (eo_cli_parse_double(c, o->name, v, o->lo, o->hi, (double *)o->dst))
            return 1;
        break;
    case EO_OPT_LONG:
    case EO_OPT_INT:
        if (eo_cli_parse_long(c, o->name, v, (long)o->lo, (long)o->hi, &l))
            return 1;
        if (o->type == EO_OPT_LONG)
            *(long *)o->dst = l;
        else
            *(int *)o->dst = (int)l;
        break;
    default:
        break;
    }
    return 0;
}

int eo_cli_parse(const eo_cli *c, const eo_cli_opt *opts, int argc, char **argv, const char **pos,
                 int max_pos, int *n_pos, const char *what)
{
    int np = 0, only_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_pos && strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            if (np >= max_pos) {
                if (max_pos == 1)
                    return eo_cli_usage(c, "one %s expected, got '%s' and '%s'", what, pos[0], a);
                return eo_cli_usage(c, "unexpected argument '%s'", a);
            }
            pos[np++] = a;
            continue;
        }
        size_t n = 0;
        int by_alias = 0;
        const eo_cli_opt *o = find(opts, a, &n, &by_alias);
        if (!o)
            return eo_cli_usage(c, "unknown option %s", a);
        if (by_alias)
            eo_cli_info(c, "ecgopt %s: warning: %s is deprecated, use %s\n", c->cmd, o->alias,
                        o->name);
        if (take(c, o, a, n, argc, argv, &i))
            return 1;
    }
    if (n_pos)
        *n_pos = np;
    return 0;
}

int eo_cli_common_parse(const eo_cli *c, eo_cli_common_values *v, int *argc, char **argv)
{
    eo_cli_opt t[COMMON_N];
    common_table(v, t);
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            for (; i < *argc; i++)
                argv[out++] = argv[i];
            break;
        }
        size_t n = 0;
        int by_alias = 0;
        const eo_cli_opt *o = a[0] == '-' ? find(t, a, &n, &by_alias) : NULL;
        if (!o) {
            argv[out++] = argv[i]; /* the command's own */
            continue;
        }
        if (take(c, o, a, n, *argc, argv, &i))
            return 1;
    }
    *argc = out;
    argv[out] = NULL;
    return 0;
}

static void print_opts(const eo_cli_opt *opts)
{
    for (const eo_cli_opt *o = opts; o->type != EO_OPT_END; o++) {
        if (o->type != EO_OPT_TEXT && !o->help)
            continue; /* another spelling */
        if (o->type == EO_OPT_TEXT) {
            printf("%s\n", o->name);
            continue;
        }
        char lhs[64];
        snprintf(lhs, sizeof lhs, "%s%s%s", o->name, o->metavar ? " " : "", o->metavar ? o->metavar : "");
        char range[80] = "";
        if (o->type == EO_OPT_DOUBLE || ((o->type == EO_OPT_LONG || o->type == EO_OPT_INT) && o->hi > o->lo))
            snprintf(range, sizeof range, " [%g..%g]", o->lo, o->hi);
        printf("  %-20s ", lhs);
        /* a second help line is indented under the first */
        for (const char *p = o->help ? o->help : ""; *p; p++) {
            putchar(*p);
            if (*p == '\n')
                printf("  %-20s ", "");
        }
        printf("%s", range);
        if (o->alias)
            printf(" (old spelling %s still accepted)", o->alias);
        putchar('\n');
    }
}

void eo_cli_help(const eo_cli *c, const eo_cli_spec *spec)
{
    (void)c;
    printf("usage: ecgopt %s\n\n", spec->synopsis);
    if (spec->description)
        printf("%s\n", spec->description);
    if (spec->opts && spec->opts[0].type != EO_OPT_END) {
        printf("options:\n");
        print_opts(spec->opts);
    }
    printf("common options:\n");
    eo_cli_opt common[COMMON_N];
    common_table(NULL, common);
    print_opts(common);
    if (spec->examples) {
        const char *p = spec->examples;
        printf("example: ");
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t l = nl ? (size_t)(nl - p) : strlen(p);
            printf("%.*s\n", (int)l, p);
            p += l + (nl != NULL);
            if (*p)
                printf("         ");
        }
    }
    printf("exit codes: %s\n",
           spec->exit_codes ? spec->exit_codes
                            : "0 ok, 1 usage (unknown option or name, bad or out-of-range value), 2 bad\n"
                              "  input or output (missing/corrupt file, unwritable path, data to protect), 3 internal");
}

int eo_cli_help_or_parse(const eo_cli *c, const eo_cli_spec *spec, const eo_cli_opt *opts, int argc,
                         char **argv, const char **pos, int max_pos, int *n_pos, const char *what)
{
    if (c->help) {
        eo_cli_spec sp = *spec;
        sp.opts = opts;
        eo_cli_help(c, &sp);
        return 0;
    }
    return eo_cli_parse(c, opts, argc, argv, pos, max_pos, n_pos, what) ? 1 : -1;
}
