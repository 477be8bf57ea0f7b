/* User objectives from a small text file (format in docs/study.md): a
 * search space and a shell command whose last output line is the fitness;
 * {name} in the command is replaced by the parameter's value, {seed} by
 * the trial's seed. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/strbuf.h"
#include "ecgopt/util.h"
#include "study/objective_internal.h"

static eo_status command_eval(eo_objective *o, const double *v, uint64_t seed, double fidelity,
                              eo_trial_result *res, eo_error *err)
{
    (void)fidelity;
    const char *command = o->state;
    eo_strbuf cmd;
    eo_strbuf_init(&cmd);
    for (const char *p = command; *p;) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            char name[64];
            size_t len = e ? (size_t)(e - p - 1) : 0;
            if (e && len > 0 && len < sizeof name) {
                memcpy(name, p + 1, len);
                name[len] = '\0';
                long i = eo_space_find(o->space, name);
                if (i >= 0) {
                    eo_param_kind kd = eo_space_kind(o->space, (size_t)i);
                    if (kd == EO_PARAM_CATEGORICAL)
                        eo_strbuf_append(&cmd, eo_space_choice(o->space, (size_t)i, (size_t)v[i]));
                    else if (kd == EO_PARAM_INTEGER)
                        eo_strbuf_printf(&cmd, "%lld", (long long)v[i]);
                    else
                        eo_strbuf_printf(&cmd, "%.10g", v[i]);
                    p = e + 1;
                    continue;
                }
                if (!strcmp(name, "seed")) {
                    eo_strbuf_printf(&cmd, "%llu", (unsigned long long)seed);
                    p = e + 1;
                    continue;
                }
            }
        }
        eo_strbuf_append_n(&cmd, p, 1);
        p++;
    }
    FILE *fp = popen(eo_strbuf_str(&cmd), "r");
    eo_strbuf_destroy(&cmd);
    if (!fp)
        return eo_error_set(err, EO_STATUS_IO, "%s: cannot run command: %s", o->name,
                            strerror(errno));
    char line[512], last[512] = "";
    while (fgets(line, sizeof line, fp))
        if (line[0] != '\n')
            snprintf(last, sizeof last, "%s", line);
    int rc = pclose(fp);
    if (rc != 0)
        return eo_error_set(err, EO_STATUS_IO, "%s: command exited with status %d", o->name, rc);
    char *end;
    double f = strtod(last, &end);
    if (end == last)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: command's last output line is not a number: '%.60s'", o->name,
                            last);
    res->fitness = f;
    snprintf(res->info, sizeof res->info, "%s", "command");
    return EO_STATUS_OK;
}

static void command_free(void *state) { free(state); }

/* the state is the command line (a string); no data to prepare */
static const eo_objective_kind command_kind = {
    .name = "command",
    .summary = "a user space file's shell command",
    .optimizer = "ga",
    .pop = 10,
    .iters = 10,
    .eval = command_eval,
    .free_state = command_free,
};

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

eo_status eo_objective_from_file(const char *path, eo_objective **out, eo_error *err)
{
    *out = NULL;
    unsigned char *data = NULL;
    size_t n = 0;
    eo_status st = eo_read_file(path, &data, &n, err);
    if (st != EO_STATUS_OK)
        return st;
    const char *slash = strrchr(path, '/');
    char name[64];
    snprintf(name, sizeof name, "space:%s", slash ? slash + 1 : path);
    eo_objective *o = NULL;
    st = eo_objective_alloc(name, &command_kind, &o, err);
    if (st != EO_STATUS_OK) {
        free(data);
        return st;
    }
    o->prepared = 1;
    int lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r((char *)data, "\n", &save); line && st == EO_STATUS_OK;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char kw[32] = "", a[64] = "", rest[4096] = "";
        int nf = sscanf(s, "%31s %63s %4095[^\n]", kw, a, rest);
        if (!strcmp(kw, "command")) {
            const char *c = trim(s + 7);
            if (!*c) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s:%d: empty command", path, lineno);
                break;
            }
            free(o->state);
            o->state = strdup(c);
            if (!o->state)
                st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
        } else if (!strcmp(kw, "real") || !strcmp(kw, "int")) {
            double lo, hi;
            char logw[16] = "";
            int k = sscanf(rest, "%lf %lf %15s", &lo, &hi, logw);
            if (nf < 3 || k < 2 || (k == 3 && strcmp(logw, "log") != 0)) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                  "%s:%d: expected '%s NAME LO HI [log]'", path, lineno, kw);
                break;
            }
            if (!strcmp(kw, "real"))
                st = eo_space_add_real(o->space, a, lo, hi, k == 3, err);
            else if (lo != floor(lo) || hi != floor(hi))
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s:%d: int bounds must be integers",
                                  path, lineno);
            else
                st = eo_space_add_int(o->space, a, (long long)lo, (long long)hi, k == 3, err);
            if (st != EO_STATUS_OK)
                eo_error_prefix(err, "%s:%d", path, lineno);
        } else if (!strcmp(kw, "cat")) {
            const char *ch[64];
            size_t nc = 0;
            char *sv = NULL;
            for (char *t = strtok_r(rest, " \t", &sv); t && nc < 64; t = strtok_r(NULL, " \t", &sv))
                ch[nc++] = t;
            if (nf < 3 || nc == 0) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s:%d: expected 'cat NAME A B ...'",
                                  path, lineno);
                break;
            }
            st = eo_space_add_categorical(o->space, a, ch, nc, err);
            if (st != EO_STATUS_OK)
                eo_error_prefix(err, "%s:%d", path, lineno);
        } else if (!strcmp(kw, "optimizer") && nf >= 2) {
            snprintf(o->default_opt, sizeof o->default_opt, "%s", a);
        } else if ((!strcmp(kw, "pop") || !strcmp(kw, "iters") || !strcmp(kw, "timeout")) &&
                   nf >= 2) {
            char *e;
            double x = strtod(a, &e);
            if (*e || !(x > 0) || x > 1e9) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s:%d: %s needs a positive number",
                                  path, lineno, kw);
                break;
            }
            if (!strcmp(kw, "pop"))
                o->pop = (size_t)x;
            else if (!strcmp(kw, "iters"))
                o->iters = (long long)x;
            else
                o->timeout = x;
        } else {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                              "%s:%d: unknown line '%.40s' (real|int|cat|command|optimizer|pop|"
                              "iters|timeout)",
                              path, lineno, s);
        }
    }
    free(data);
    if (st == EO_STATUS_OK && eo_space_dim(o->space) == 0)
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: no dimensions (real/int/cat lines)", path);
    if (st == EO_STATUS_OK && !o->state)
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: no 'command' line", path);
    if (st != EO_STATUS_OK) {
        eo_objective_destroy(o);
        return st;
    }
    *out = o;
    return EO_STATUS_OK;
}
