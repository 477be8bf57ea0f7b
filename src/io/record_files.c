/* Which files belong to a WFDB record: its header and signal files (by
 * device and inode, so another spelling of the path is caught), and the
 * annotation files beside a record name. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "ecgopt/record_files.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

int eo_wfdb_is_record_file(const char *path, const char *base)
{
    char hea[4200];
    if (!path || !base)
        return 0;
    snprintf(hea, sizeof hea, "%s.hea", base);
    if (eo_same_file(path, hea))
        return 1;
    eo_wfdb_header *h = NULL;
    eo_error e;
    if (eo_wfdb_header_read(hea, &h, &e))
        return 0;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", base);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[1] = '\0';
    else
        dir[0] = '\0';
    int hit = 0;
    for (int s = 0; s < h->n_signals && !hit; s++) {
        char f[4400];
        snprintf(f, sizeof f, "%s%s", dir, h->signals[s].file_name);
        hit = eo_same_file(path, f);
    }
    eo_wfdb_header_destroy(h);
    return hit;
}

int eo_wfdb_is_annotation_ext(const char *ext)
{
    static const char *const not_annot[] = {"hea", "dat", "ecgz", "csv", "json", "html", "htm",
                                            "svg", "png", "txt", "md", "db", "eom", "log", "mat",
                                            "xws", "edf", "wav", "gz", "zip", "tar"};
    size_t n = strlen(ext);
    if (n < 1 || n > 16)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(ext[i] == '_' || ext[i] == '-' || (ext[i] >= '0' && ext[i] <= '9') ||
              (ext[i] >= 'a' && ext[i] <= 'z') || (ext[i] >= 'A' && ext[i] <= 'Z')))
            return 0;
    for (size_t i = 0; i < sizeof not_annot / sizeof not_annot[0]; i++)
        if (strcmp(ext, not_annot[i]) == 0)
            return 0;
    return 1;
}

int eo_wfdb_find_annotations(const char *dir, const char *name, char *found, size_t n)
{
    DIR *d = opendir(dir);
    size_t ln = strlen(name);
    struct dirent *e;
    int hit = 0;
    while (d && !hit && (e = readdir(d)) != NULL) {
        hit = strncmp(e->d_name, name, ln) == 0 && e->d_name[ln] == '.' &&
              eo_wfdb_is_annotation_ext(e->d_name + ln + 1);
        if (hit)
            snprintf(found, n, "%s", e->d_name);
    }
    if (d)
        closedir(d);
    return hit;
}

int eo_wfdb_split_record(const char *path, char *dir, size_t nd, char *name, size_t nn)
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
