/* A CEC 2017 result reloaded from what `bench cec2017 --csv` and
 * scripts/cec2017-protocol.sh write: one errors.csv, a folder of
 * F<N>/errors.csv (or its own errors.csv), or a glob of errors.csv files. */
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ecgopt/cec2017.h"

eo_status eo_cec_bench_load_path(const char *path, eo_cec_bench_result **out, eo_error *err)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
        return eo_cec_bench_load_errors(&path, 1, out, err);
    char pat[4200];
    glob_t g;
    memset(&g, 0, sizeof g);
    if (strchr(path, '*'))
        snprintf(pat, sizeof pat, "%s", path);
    else
        snprintf(pat, sizeof pat, "%s/F*/errors.csv", path);
    if (glob(pat, 0, NULL, &g) != 0) {
        globfree(&g);
        snprintf(pat, sizeof pat, "%s/errors.csv", path);
        if (glob(pat, 0, NULL, &g) != 0) {
            globfree(&g);
            return eo_error_set(err, EO_STATUS_NOT_FOUND, "%s: no F*/errors.csv or errors.csv", path);
        }
    }
    eo_status st = eo_cec_bench_load_errors((const char *const *)g.gl_pathv, g.gl_pathc, out, err);
    globfree(&g);
    return st;
}
