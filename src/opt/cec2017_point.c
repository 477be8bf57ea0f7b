/* One point of `ecgopt cec2017 eval`'s input: a line of numbers separated
 * by blanks or commas; blank lines and '#' comments hold none. */
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
