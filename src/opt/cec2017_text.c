/* `ecgopt cec2017 eval` and `list`: points read from text (a line of
 * numbers separated by blanks or commas; blank lines and '#' comments hold
 * none) and evaluated, and the list of the functions. */
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/cec2017.h"

static int is_sep(char c) { return c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\n'; }

eo_status eo_cec2017_parse_point(const char *line, int dim, double *x, int *found, eo_error *err)
{
    *found = 0;
    while (*line == ' ' || *line == '\t')
        line++;
    if (*line == '#' || *line == '\n' || *line == '\r' || !*line)
        return EO_STATUS_OK;
    const char *p = line;
    int n = 0;
    for (;;) {
        while (is_sep(*p))
            p++;
        if (!*p)
            break;
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT, "not a number at column %d", (int)(p - line) + 1);
        if (n < dim)
            x[n] = v;
        n++;
        p = end;
    }
    if (n != dim)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "expected %d numbers (D), found %d", dim, n);
    *found = n;
    return EO_STATUS_OK;
}

eo_status eo_cec2017_eval_stream(eo_cec2017 *p, FILE *in, const char *name, eo_cec2017_value_fn on_value,
                                 void *user, size_t *n_points, eo_error *err)
{
    int dim = eo_cec2017_dim(p);
    double *x = malloc(sizeof(double) * (size_t)dim);
    char *line = NULL;
    size_t cap = 0;
    eo_error e2;
    eo_status st = x ? EO_STATUS_OK : eo_error_set(err, EO_STATUS_NO_MEMORY, "cec2017: out of memory");
    *n_points = 0;
    for (long lineno = 1; !st && getline(&line, &cap, in) >= 0; lineno++) {
        int found;
        if ((st = eo_cec2017_parse_point(line, dim, x, &found, &e2)) != EO_STATUS_OK)
            eo_error_set(err, st, "%s: line %ld: %s", name, lineno, e2.msg);
        else if (found) {
            on_value(user, eo_cec2017_eval(p, x));
            ++*n_points;
        }
    }
    free(line);
    free(x);
    return st;
}

static void json_value(void *user, double v) { eo_json_num(user, v); }

eo_status eo_cec2017_eval_stream_json(eo_cec2017 *p, FILE *in, const char *name, eo_json *j, size_t *n_points,
                                      eo_error *err)
{
    eo_json_obj_begin(j);
    eo_json_kv_int(j, "function", eo_cec2017_function(p));
    eo_json_kv_int(j, "dim", eo_cec2017_dim(p));
    eo_json_kv_num(j, "optimum", eo_cec2017_optimum(p));
    eo_json_key(j, "values");
    eo_json_arr_begin(j);
    eo_status st = eo_cec2017_eval_stream(p, in, name, json_value, j, n_points, err);
    if (st)
        return st;
    eo_json_arr_end(j);
    eo_json_obj_end(j);
    return EO_STATUS_OK;
}

void eo_cec2017_list_text(eo_strbuf *b)
{
    for (int f = 1; f <= 30; f += f == 1 ? 2 : 1) /* F2 is excluded */
        eo_strbuf_printf(b, "F%-3d f*=%-5d %s\n", f, 100 * f, eo_cec2017_name(f));
}

void eo_cec2017_list_json(eo_json *j)
{
    eo_json_arr_begin(j);
    for (int f = 1; f <= 30; f += f == 1 ? 2 : 1) {
        eo_json_obj_begin(j);
        eo_json_kv_int(j, "function", f);
        eo_json_kv_str(j, "name", eo_cec2017_name(f));
        eo_json_kv_num(j, "optimum", 100.0 * f);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
}
