#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/json.h"
#include "ecgopt/util.h"

int eo_cli_take_value(const eo_cli *c, int argc, char **argv, int *i, const char *name,
                      const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        eo_cli_usage(c, "option %s needs a value", name);
        return -1;
    }
    *value = argv[++*i];
    return 1;
}

int eo_cli_parse_double(const eo_cli *c, const char *opt, const char *s, double *v)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(x)) {
        eo_cli_usage(c, "%s: '%s' is not a number", opt, s);
        return -1;
    }
    *v = x;
    return 0;
}

int eo_cli_parse_long(const eo_cli *c, const char *opt, const char *s, long *v)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (end == s || *end || errno) {
        eo_cli_usage(c, "%s: '%s' is not an integer", opt, s);
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
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *v = NULL;
        int r;
        char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            for (; i < *argc; i++)
                argv[out++] = argv[i];
            break;
        }
        if (strcmp(a, "--json") == 0) { c->json = 1; continue; }
        if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) { c->quiet = 1; continue; }
        if (strcmp(a, "--progress") == 0) { c->progress = 2; continue; }
        if (strcmp(a, "--no-progress") == 0) { c->progress = 0; continue; }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) { c->help = 1; continue; }
        if (strcmp(a, "--no-verify") == 0) { c->verify = 0; continue; }
        if ((r = eo_cli_take_value(c, *argc, argv, &i, "--data", &v)) != 0) {
            if (r < 0) return 1;
            c->data_dir = v;
            continue;
        }
        if ((r = eo_cli_take_value(c, *argc, argv, &i, "--output", &v)) != 0 ||
            (r = eo_cli_take_value(c, *argc, argv, &i, "-o", &v)) != 0) {
            if (r < 0) return 1;
            c->out = v;
            continue;
        }
        if ((r = eo_cli_take_value(c, *argc, argv, &i, "--seed", &v)) != 0) {
            long s;
            if (r < 0 || eo_cli_parse_long(c, "--seed", v, &s)) return 1;
            c->seed = (uint64_t)s;
            c->seed_set = 1;
            continue;
        }
        if ((r = eo_cli_take_value(c, *argc, argv, &i, "--threads", &v)) != 0) {
            long t;
            if (r < 0 || eo_cli_parse_long(c, "--threads", v, &t)) return 1;
            if (t < 0 || t > 1024) return eo_cli_usage(c, "--threads must be 0..1024");
            c->threads = (int)t;
            continue;
        }
        argv[out++] = a;
    }
    *argc = out;
    argv[out] = NULL;
    if (c->quiet && c->progress != 2)
        c->progress = 0;
    return 0;
}

int eo_cli_fail(const eo_cli *c, const eo_error *err)
{
    int code = eo_status_exit_code(err->status);
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
    const char *slash = strrchr(path, '/');
    if (slash) {
        size_t l = (size_t)(slash - path);
        if (l == 0)
            l = 1; /* "/name" */
        if (l >= nd)
            return -1;
        memcpy(dir, path, l);
        dir[l] = 0;
        snprintf(name, nn, "%s", slash + 1);
    } else {
        snprintf(dir, nd, ".");
        snprintf(name, nn, "%s", path);
    }
    size_t ln = strlen(name);
    if (ln > 4 && strcmp(name + ln - 4, ".hea") == 0)
        name[ln - 4] = 0;
    return name[0] ? 0 : -1;
}
