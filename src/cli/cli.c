#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecgopt/json.h"
#include "ecgopt/util.h"
#include "ecgopt/record_files.h"

/* "%g" of a bound, with the infinities spelt "inf" */
static void bound_str(char *buf, size_t n, double x)
{
    if (isinf(x))
        snprintf(buf, n, "%sinf", x < 0 ? "-" : "");
    else
        snprintf(buf, n, "%g", x);
}

int eo_cli_parse_double(const eo_cli *c, const char *opt, const char *s, double lo, double hi,
                        double *v)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(x) || x < lo || x > hi) {
        char a[32], b[32];
        bound_str(a, sizeof a, lo);
        bound_str(b, sizeof b, hi);
        eo_cli_usage(c, "%s must be a number in [%s, %s], got '%s'", opt, a, b, s);
        return -1;
    }
    *v = x;
    return 0;
}

int eo_cli_parse_long(const eo_cli *c, const char *opt, const char *s, long lo, long hi, long *v)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (end == s || *end || errno || x < lo || x > hi) {
        eo_cli_usage(c, "%s must be an integer in [%ld, %ld], got '%s'", opt, lo, hi, s);
        return -1;
    }
    *v = x;
    return 0;
}

int eo_cli_common(eo_cli *c, const char *cmd, int *argc, char **argv)
{
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    c->seed = 1;
    c->verify = 1;
    c->progress = isatty(2);
    c->t_start = eo_time_now();
    eo_cli_common_values v = {0};
    v.threads = -1;
    if (eo_cli_common_parse(c, &v, argc, argv))
        return c->rc = 1;
    c->json = v.json;
    c->quiet = v.quiet;
    c->help = v.help;
    c->force = v.force;
    c->verify = !v.no_verify;
    c->data_dir = v.data_dir;
    c->out = v.out;
    if (v.progress)
        c->progress = 2;
    else if (v.no_progress)
        c->progress = 0;
    if (v.threads >= 0)
        c->threads = (int)v.threads;
    if (v.seed) {
        long s;
        if (eo_cli_parse_long(c, "--seed", v.seed, 0, LONG_MAX, &s))
            return c->rc = 1;
        c->seed = (uint64_t)s;
        c->seed_set = 1;
    }
    if (c->quiet && c->progress != 2)
        c->progress = 0;
    struct stat sb;
    if (c->data_dir && !c->help && (stat(c->data_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        eo_error e;
        eo_error_set(&e, EO_STATUS_NOT_FOUND, "%s: --data directory %s", c->data_dir,
                     stat(c->data_dir, &sb) != 0 ? "does not exist" : "is not a directory");
        return c->rc = eo_cli_fail(c, &e);
    }
    return 0;
}

int eo_cli_fail(const eo_cli *c, const eo_error *err)
{
    int code = eo_status_exit_code(err->status);
    /* nothing new remains: remove what this run created, newest first */
    for (int i = c ? c->n_outputs - 1 : -1; i >= 0; i--) {
        struct stat sb;
        const char *p = c->outputs[i].path;
        if (lstat(p, &sb) != 0)
            continue;
        if (c->outputs[i].is_dir && S_ISDIR(sb.st_mode))
            rmdir(p); /* only when empty */
        else if (!c->outputs[i].is_dir && S_ISREG(sb.st_mode))
            remove(p);
    }
    if (c && c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "error", err->msg);
        eo_json_kv_str(&j, "status", eo_status_str(err->status));
        eo_json_kv_int(&j, "exit_code", code);
        eo_json_obj_end(&j);
    }
    fprintf(stderr, "ecgopt: %s\n", err->msg[0] ? err->msg : eo_status_str(err->status));
    return code;
}

int eo_cli_usage(const eo_cli *c, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "ecgopt %s: ", c && c->cmd ? c->cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see `ecgopt %s --help`)\n", c && c->cmd ? c->cmd : "");
    return 1;
}

void eo_cli_info(const eo_cli *c, const char *fmt, ...)
{
    va_list ap;
    if (c->quiet)
        return;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

void eo_cli_print(eo_strbuf *b)
{
    fputs(eo_strbuf_str(b), stdout);
    eo_strbuf_destroy(b);
}

int eo_cli_progress(void *user, double done, double total, const char *what)
{
    eo_cli *c = user;
    if (!c || !c->progress)
        return 0;
    double now = eo_time_now();
    if (done < total && now - c->t_last_draw < 0.1)
        return 0;
    c->t_last_draw = now;
    double frac = total > 0 ? done / total : 0;
    if (frac < 0) frac = 0;
    if (frac > 1) frac = 1;
    char bar[31];
    int fill = (int)(frac * 30 + 0.5);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : ' ';
    bar[30] = 0;
    double el = now - c->t_start;
    double eta = frac > 1e-9 ? el * (1 - frac) / frac : 0;
    fprintf(stderr, "\r%-24.24s [%s] %3d%%  %d:%02d elapsed  ETA %d:%02d ", what ? what : "",
            bar, (int)(frac * 100), (int)el / 60, (int)el % 60, (int)eta / 60, (int)eta % 60);
    fflush(stderr);
    c->bar_drawn = 1;
    return 0;
}

void eo_cli_progress_end(eo_cli *c)
{
    if (c->bar_drawn) {
        fputc('\n', stderr);
        c->bar_drawn = 0;
    }
}

int eo_cli_split_record(const char *path, char *dir, size_t nd, char *name, size_t nn)
{
    return eo_wfdb_split_record(path, dir, nd, name, nn);
}

int eo_cli_check_names(const eo_cli *c, const char *opt, const char *list,
                       const char *const *names, const char *extra)
{
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        int ok = extra && strlen(extra) == l && strncmp(extra, p, l) == 0;
        for (size_t k = 0; !ok && names && names[k]; k++)
            ok = strlen(names[k]) == l && strncmp(names[k], p, l) == 0;
        if (!ok) {
            char known[1024] = "";
            for (size_t k = 0; names && names[k]; k++) {
                size_t n = strlen(known);
                snprintf(known + n, sizeof known - n, "%s%s", n ? ", " : "", names[k]);
            }
            eo_cli_usage(c, "%s %.*s: unknown (known: %s%s%s)", opt, (int)l, p, known,
                         extra ? ", " : "", extra ? extra : "");
            return 1;
        }
        p = comma ? comma + 1 : p + l;
    }
    return 0;
}

/* ---- outputs ---- */

static void remember(eo_cli *c, const char *path, int is_dir)
{
    if (c->n_outputs >= EO_CLI_MAX_OUTPUTS || strlen(path) >= sizeof c->outputs[0].path)
        return; /* checked, but not removed on failure */
    snprintf(c->outputs[c->n_outputs].path, sizeof c->outputs[0].path, "%s", path);
    c->outputs[c->n_outputs++].is_dir = is_dir;
}

eo_status eo_cli_output(eo_cli *c, const char *path, eo_error *err)
{
    struct stat sb;
    int existed = lstat(path, &sb) == 0;
    eo_status st = eo_output_check(path, err);
    if (!st && !existed)
        remember(c, path, 0);
    return st;
}

eo_status eo_cli_output_dir(eo_cli *c, const char *dir, eo_error *err)
{
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode))
            return eo_error_set(err, EO_STATUS_IO, "%s: exists and is not a directory", dir);
        if (access(dir, W_OK) != 0)
            return eo_error_set(err, EO_STATUS_IO, "%s: directory not writable", dir);
        return EO_STATUS_OK;
    }
    if (mkdir(dir, 0777) != 0)
        return eo_error_set(err, EO_STATUS_IO, "%s: cannot create directory: %s", dir, strerror(errno));
    remember(c, dir, 1);
    return EO_STATUS_OK;
}

int eo_cli_is_reference_annotator(const char *annotator)
{
    return annotator && strcmp(annotator, "atr") == 0;
}

eo_status eo_cli_output_record(eo_cli *c, const char *out, const char *in_base, char *dir,
                               size_t nd, char *name, size_t nn, eo_error *err)
{
    if (eo_cli_split_record(out, dir, nd, name, nn))
        return eo_error_set(err, EO_STATUS_USAGE, "-o %s: not a record path (DIR/NAME)", out);
    char hea[4400], dat[4400];
    if (eo_path_join(hea, sizeof hea, dir, name) || strlen(hea) + 5 > sizeof hea)
        return eo_error_set(err, EO_STATUS_USAGE, "-o %s: path too long", out);
    snprintf(dat, sizeof dat, "%s.dat", hea);
    strcat(hea, ".hea");
    if (!c->force) {
        if (eo_wfdb_is_record_file(hea, in_base) || eo_wfdb_is_record_file(dat, in_base))
            return eo_error_set(err, EO_STATUS_IO,
                                "%s: is the input record %s; writing would destroy it (give "
                                "another -o, or --force)",
                                hea, in_base);
        char found[512];
        if (eo_wfdb_find_annotations(dir, name, found, sizeof found))
            return eo_error_set(err, EO_STATUS_IO,
                                "%s/%s: annotations of an existing record %s; new signals there would "
                                "be mixed with them (give another -o, or --force)",
                                dir, found, name);
    }
    eo_status st = eo_cli_output(c, hea, err);
    if (!st)
        st = eo_cli_output(c, dat, err);
    return st;
}

eo_status eo_cli_output_file(eo_cli *c, const char *path, const char *in_base, eo_error *err)
{
    if (!c->force && eo_wfdb_is_record_file(path, in_base))
        return eo_error_set(err, EO_STATUS_IO,
                            "%s: is a file of the input record %s; writing would destroy it (give "
                            "another -o, or --force)",
                            path, in_base);
    return eo_cli_output(c, path, err);
}

eo_status eo_cli_output_annot(eo_cli *c, const char *path, const char *in_base, eo_error *err)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    struct stat sb;
    if (!c->force && dot && (!slash || dot > slash) && eo_cli_is_reference_annotator(dot + 1) &&
        lstat(path, &sb) == 0)
        return eo_error_set(err, EO_STATUS_IO,
                            "%s: reference annotations exist; refusing to overwrite them (give "
                            "another --annotator or -o, or --force)",
                            path);
    return eo_cli_output_file(c, path, in_base, err);
}
