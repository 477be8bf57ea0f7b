/* The training records of one or more databases, DB[:SUBSET][,DB[:SUBSET]...]
 * (`ecgopt train --train`; train.h).  DB is mitdb, svdb or a folder with WFDB records
 * (its RECORDS file, else every *.hea); SUBSET all (default), ds1, ds2
 * (MIT-BIH's de Chazal halves) or records joined by '+'.  MIT-BIH's paced
 * records (102 104 107 217) are always left out. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ecgopt/beats.h"
#include "ecgopt/train.h"
#include "ecgopt/util.h"

static int is_paced(const char *r)
{
    return !strcmp(r, "102") || !strcmp(r, "104") || !strcmp(r, "107") || !strcmp(r, "217");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* the folder of database `db`: a path as given, else <data dir>/<db> */
static int db_folder(const char *data_dir, const char *db, char *out, size_t n)
{
    struct stat sb;
    if (strchr(db, '/') && stat(db, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        snprintf(out, n, "%s", db);
        return 0;
    }
    char dirs[4][4096];
    int nd = eo_data_dirs(data_dir, dirs, 4);
    for (int i = 0; i < nd; i++) {
        snprintf(out, n, "%s/%s", dirs[i], db);
        if (stat(out, &sb) == 0 && S_ISDIR(sb.st_mode))
            return 0;
    }
    if (stat(db, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        snprintf(out, n, "%s", db);
        return 0;
    }
    return -1;
}

/* every record of a folder: RECORDS, else the *.hea files (sorted) */
static int folder_records(const char *dir, char (*rec)[64], int max)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/RECORDS", dir);
    FILE *f = fopen(p, "r");
    int n = 0;
    if (f) {
        char line[256];
        while (n < max && fgets(line, sizeof line, f)) {
            line[strcspn(line, " \t\r\n")] = 0;
            if (line[0] && strlen(line) < 64)
                snprintf(rec[n++], 64, "%s", line);
        }
        fclose(f);
        return n;
    }
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *de;
    while (n < max && (de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l > 4 && l < 68 && !strcmp(de->d_name + l - 4, ".hea")) {
            snprintf(rec[n], 64, "%.*s", (int)(l - 4), de->d_name);
            n++;
        }
    }
    closedir(d);
    qsort(rec, (size_t)n, sizeof rec[0], cmp_str);
    return n;
}

/* The records of one DB[:SUBSET] item in `dir` into all[] (at most 4096). */
static eo_status subset_records(const char *spec, const char *dir, const char *subset, int is_mitdb,
                                char (*all)[64], int *na, eo_error *err)
{
    *na = 0;
    if (!strcmp(subset, "all")) {
        *na = folder_records(dir, all, 4096);
    } else if (!strcmp(subset, "ds1") || !strcmp(subset, "ds2")) {
        if (!is_mitdb)
            return eo_error_set(err, EO_STATUS_USAGE, "--train %s: subset %s exists only for mitdb", spec, subset);
        const char *const *s = !strcmp(subset, "ds1") ? eo_split_ds1 : eo_split_ds2;
        for (int i = 0; i < 22; i++)
            snprintf(all[(*na)++], 64, "%s", s[i]);
    } else {
        char sb[1024];
        snprintf(sb, sizeof sb, "%s", subset);
        char *s2 = NULL;
        for (char *r = strtok_r(sb, "+", &s2); r && *na < 4096; r = strtok_r(NULL, "+", &s2))
            snprintf(all[(*na)++], 64, "%s", r);
    }
    return EO_STATUS_OK;
}

/* Append the records of all[0..na) in `dir` to names[] (*n of max). */
static eo_status add_records(const char *spec, const char *dir, int is_mitdb, char (*all)[64], int na,
                             char (*names)[EO_TRAIN_REC_LEN], int max, int *n, int *has_mitdb_ds2,
                             eo_train_note_fn note, void *user, eo_error *err)
{
    for (int i = 0; i < na; i++) {
        if (is_mitdb && is_paced(all[i])) {
            if (note) {
                char msg[128];
                snprintf(msg, sizeof msg, "--train: paced MIT-BIH record %s left out", all[i]);
                note(user, msg);
            }
            continue;
        }
        for (int k = 0; is_mitdb && k < 22; k++)
            if (!strcmp(all[i], eo_split_ds2[k]))
                *has_mitdb_ds2 = 1;
        if (*n >= max)
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "--train %s: more than %d records", spec, max);
        snprintf(names[*n], EO_TRAIN_REC_LEN, "%s/%s", dir, all[i]);
        for (int k = 0; k < *n; k++)
            if (!strcmp(names[k], names[*n]))
                return eo_error_set(err, EO_STATUS_USAGE, "--train %s: record %s named twice", spec, names[*n]);
        (*n)++;
    }
    return EO_STATUS_OK;
}

eo_status eo_train_records(const char *data_dir, const char *spec, char (*names)[EO_TRAIN_REC_LEN], int max,
                           int *n_out, int *has_mitdb_ds2, eo_train_note_fn note, void *user, eo_error *err)
{
    *n_out = 0;
    *has_mitdb_ds2 = 0;
    char buf[2048];
    if (!spec || !*spec || strlen(spec) >= sizeof buf)
        return eo_error_set(err, EO_STATUS_USAGE, "--train: empty or too long (DB[:SUBSET],...)");
    snprintf(buf, sizeof buf, "%s", spec);
    char *save = NULL;
    int n = 0;
    eo_status st = EO_STATUS_OK;
    for (char *item = strtok_r(buf, ",", &save); item && !st; item = strtok_r(NULL, ",", &save)) {
        char *colon = strrchr(item, ':');
        const char *subset = colon ? colon + 1 : "all";
        if (colon)
            *colon = 0;
        char dir[4096];
        if (!*item || db_folder(data_dir, item, dir, sizeof dir))
            return eo_error_set(err, EO_STATUS_NOT_FOUND, "--train %s: no database '%s' (mitdb, svdb or a folder "
                                "of WFDB records, in --data or ../shared/data)", spec, item);
        const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
        int is_mitdb = !strcmp(base, "mitdb"), na = 0;
        char (*all)[64] = malloc(4096 * sizeof *all);
        if (!all)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "--train: out of memory");
        st = subset_records(spec, dir, subset, is_mitdb, all, &na, err);
        if (!st && na == 0)
            st = eo_error_set(err, EO_STATUS_NOT_FOUND, "--train %s: no records in %s%s%s", spec, dir,
                              colon ? " subset " : "", colon ? subset : "");
        if (!st)
            st = add_records(spec, dir, is_mitdb, all, na, names, max, &n, has_mitdb_ds2, note, user, err);
        free(all);
    }
    *n_out = st ? 0 : n;
    return st;
}
