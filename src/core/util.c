#include "ecgopt/alloc.h"
#include "ecgopt/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

/* A path that exists and is not a regular file (a device such as /dev/null,
 * a named pipe, a socket, a symbolic link: /dev/stdout is one) is written
 * straight through: replacing it by rename would destroy it (issue 17). */
static int write_through(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode);
}

eo_status eo_atomic_open(eo_atomic_file *af, const char *path, eo_error *err)
{
    memset(af, 0, sizeof *af);
    if (strlen(path) >= sizeof af->path)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: path too long", path);
    strcpy(af->path, path);
    if (write_through(path)) {
        /* tmp_path stays empty: commit flushes and closes, abort removes nothing */
        if (strcmp(path, "/dev/stdout") == 0 || strcmp(path, "/dev/fd/1") == 0) {
            /* stdout may be a file opened for appending: a fresh open would truncate it */
            int fd = dup(1);
            af->fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
            if (!af->fp && fd >= 0)
                close(fd);
        } else {
            af->fp = fopen(path, "wb");
        }
        if (!af->fp)
            return eo_error_set(err, EO_STATUS_IO, "%s: cannot open for writing: %s", path,
                                strerror(errno));
        return EO_STATUS_OK;
    }
    snprintf(af->tmp_path, sizeof af->tmp_path, "%s.tmp.%ld", path, (long)getpid());
    af->fp = fopen(af->tmp_path, "wb");
    if (!af->fp)
        return eo_error_set(err, EO_STATUS_IO, "%s: cannot create: %s", af->path, strerror(errno));
    return EO_STATUS_OK;
}

eo_status eo_atomic_commit(eo_atomic_file *af, eo_error *err)
{
    int bad = 0;
    if (!af->fp)
        return eo_error_set(err, EO_STATUS_INTERNAL, "%s: file not open", af->path);
    errno = 0;
    if (fflush(af->fp) != 0 || ferror(af->fp))
        bad = errno ? errno : EIO;
    /* pipes, terminals and /dev/null cannot be synced: EINVAL, ENOTSUP */
    if (!bad && fsync(fileno(af->fp)) != 0 && errno != EINVAL && errno != ENOTSUP &&
        errno != EROFS)
        bad = errno;
    if (fclose(af->fp) != 0 && !bad)
        bad = errno ? errno : EIO;
    af->fp = NULL;
    if (bad) {
        if (af->tmp_path[0])
            remove(af->tmp_path);
        return eo_error_set(err, EO_STATUS_IO, "%s: write failed: %s", af->path, strerror(bad));
    }
    if (af->tmp_path[0] && rename(af->tmp_path, af->path) != 0) {
        int e = errno;
        remove(af->tmp_path);
        return eo_error_set(err, EO_STATUS_IO, "%s: rename failed: %s", af->path, strerror(e));
    }
    return EO_STATUS_OK;
}

void eo_atomic_abort(eo_atomic_file *af)
{
    if (af->fp) {
        fclose(af->fp);
        af->fp = NULL;
    }
    if (af->tmp_path[0])
        remove(af->tmp_path);
}

void eo_path_dir(const char *path, char *dir, size_t n)
{
    if (n == 0)
        return;
    snprintf(dir, n, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, n, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
}

int eo_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

eo_status eo_output_check(const char *path, eo_error *err)
{
    struct stat sb;
    if (!path || !*path)
        return eo_error_set(err, EO_STATUS_USAGE, "empty output path");
    if (strlen(path) >= 4000)
        return eo_error_set(err, EO_STATUS_USAGE, "%.40s...: path too long", path);
    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return eo_error_set(err, EO_STATUS_IO, "%s: is a directory, not a file", path);
        if (!S_ISREG(sb.st_mode) || write_through(path)) {
            /* written in place; never opened here (a pipe would block) */
            if (access(path, W_OK) != 0)
                return eo_error_set(err, EO_STATUS_IO, "%s: not writable: %s", path, strerror(errno));
            return EO_STATUS_OK;
        }
    } else if (path[strlen(path) - 1] == '/') {
        return eo_error_set(err, EO_STATUS_IO, "%s: names a directory, not a file", path);
    }
    /* a regular file: the temporary file must be creatable next to it */
    char dir[4096];
    eo_path_dir(path, dir, sizeof dir);
    if (stat(dir, &sb) != 0)
        return eo_error_set(err, EO_STATUS_IO, "%s: directory %s does not exist", path, dir);
    if (!S_ISDIR(sb.st_mode))
        return eo_error_set(err, EO_STATUS_IO, "%s: %s is not a directory", path, dir);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *fp = fopen(tmp, "wb");
    if (!fp)
        return eo_error_set(err, EO_STATUS_IO, "%s: cannot create: %s", path, strerror(errno));
    fclose(fp);
    remove(tmp);
    return EO_STATUS_OK;
}

eo_status eo_write_file_atomic(const char *path, const void *data, size_t n, eo_error *err)
{
    eo_atomic_file af;
    eo_status st = eo_atomic_open(&af, path, err);
    if (st)
        return st;
    if (n && fwrite(data, 1, n, af.fp) != n) {
        eo_atomic_abort(&af);
        return eo_error_set(err, EO_STATUS_IO, "%s: write failed", path);
    }
    return eo_atomic_commit(&af, err);
}

eo_status eo_read_file(const char *path, unsigned char **data, size_t *n, eo_error *err)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t cap = 0, len = 0;
    *data = NULL;
    *n = 0;
    if (!fp)
        return eo_error_set(err, errno == ENOENT ? EO_STATUS_NOT_FOUND : EO_STATUS_IO,
                            "%s: cannot open: %s", path, strerror(errno));
    for (;;) {
        if (len + 65536 + 1 > cap) {
            size_t ncap = cap ? cap * 2 : 131072;
            unsigned char *nb = eo_realloc(buf, ncap);
            if (!nb) {
                free(buf);
                fclose(fp);
                return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, fp);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        free(buf);
        fclose(fp);
        return eo_error_set(err, EO_STATUS_IO, "%s: read failed", path);
    }
    fclose(fp);
    buf[len] = 0;
    *data = buf;
    *n = len;
    return EO_STATUS_OK;
}

uint32_t eo_crc32(uint32_t crc, const void *data, size_t n)
{
    /* Bitwise-by-nibble table keeps this free of a 1 KiB static table build. */
    static const uint32_t t[16] = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
        0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
        0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c};
    const unsigned char *p = data;
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ t[crc & 15];
        crc = (crc >> 4) ^ t[crc & 15];
    }
    return ~crc;
}

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int is_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

int eo_path_join(char *out, size_t n, const char *dir, const char *name)
{
    int k = snprintf(out, n, "%s/%s", dir, name);
    return (k < 0 || (size_t)k >= n) ? -1 : 0;
}

int eo_data_dirs(const char *cli_dir, char dirs[][4096], int max_dirs)
{
    const char *cand[4];
    int nc = 0, nd = 0;
    if (cli_dir && *cli_dir)
        cand[nc++] = cli_dir;
    const char *env = getenv("ECGOPT_DATA");
    if (env && *env)
        cand[nc++] = env;
    cand[nc++] = "./data";
    cand[nc++] = "../shared/data";
    for (int i = 0; i < nc && nd < max_dirs; i++) {
        if (!is_dir(cand[i]) || strlen(cand[i]) >= 4096)
            continue;
        strcpy(dirs[nd++], cand[i]);
    }
    return nd;
}

static int try_base(const char *base, const char *ext, char *out, size_t out_size)
{
    char p[4200];
    if (snprintf(p, sizeof p, "%s.%s", base, ext) >= (int)sizeof p)
        return 0;
    if (!is_file(p) || strlen(base) >= out_size)
        return 0;
    strcpy(out, base);
    return 1;
}

eo_status eo_data_find_record(const char *cli_dir, const char *name, const char *ext,
                              char *out, size_t out_size, eo_error *err)
{
    char base[4096];
    size_t ln = strlen(name), le = strlen(ext);
    if (ln == 0 || ln >= sizeof base)
        return eo_error_set(err, EO_STATUS_USAGE, "empty or too long record name");
    strcpy(base, name);
    /* "path/100.hea" -> "path/100" */
    if (ln > le + 1 && base[ln - le - 1] == '.' && strcmp(base + ln - le, ext) == 0)
        base[ln - le - 1] = 0;
    else if (ln > 4 && strcmp(base + ln - 4, ".hea") == 0)
        base[ln - 4] = 0;
    /* A path that exists as given wins when it contains a slash. */
    if (strchr(base, '/') && try_base(base, ext, out, out_size))
        return EO_STATUS_OK;
    char dirs[4][4096];
    int nd = eo_data_dirs(cli_dir, dirs, 4);
    for (int i = 0; i < nd; i++) {
        char p[8300];
        if (eo_path_join(p, sizeof p, dirs[i], base) == 0 && p[0] && try_base(p, ext, out, out_size))
            return EO_STATUS_OK;
        DIR *d = opendir(dirs[i]);
        if (!d)
            continue;
        struct dirent *de;
        int found = 0;
        while (!found && (de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            char sub[8300], q[12600];
            if (eo_path_join(sub, sizeof sub, dirs[i], de->d_name) || !is_dir(sub))
                continue;
            if (eo_path_join(q, sizeof q, sub, base) == 0 && try_base(q, ext, out, out_size))
                found = 1;
        }
        closedir(d);
        if (found)
            return EO_STATUS_OK;
    }
    if (!strchr(base, '/') && try_base(base, ext, out, out_size))
        return EO_STATUS_OK;
    return eo_error_set(err, EO_STATUS_NOT_FOUND,
                        "%s.%s: record not found in --data, $ECGOPT_DATA, ./data or ../shared/data "
                        "(download it with `ecgopt fetch mitdb`)", base, ext);
}

double eo_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
