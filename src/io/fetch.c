/* ecgopt io — downloading PhysioNet databases with libcurl: the file list
 * and checksums come from the database's SHA256SUMS.txt; each file is
 * fetched into <file>.part (resumed with an HTTP Range request when a
 * partial one exists), its SHA-256 checked, and renamed into place. */
#include <curl/curl.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

static const char *const KNOWN_DB[] = {"mitdb", "nstdb", "svdb", "incartdb", "edb", "qtdb",
                                       "afdb",  "ltdb",  "cudb", "vfdb",     "ltafdb", NULL};

void eo_fetch_defaults(eo_fetch_options *o)
{
    memset(o, 0, sizeof *o);
    o->timeout_s = 60;
}

eo_status eo_sha256_file(const char *path, char hex[65], eo_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return eo_error_set(err, EO_STATUS_NOT_FOUND, "%s: cannot open: %s", path, strerror(errno));
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        fclose(f);
        return eo_error_set(err, EO_STATUS_INTERNAL, "%s: SHA-256 unavailable", path);
    }
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        EVP_DigestUpdate(ctx, buf, n);
    int bad = ferror(f);
    fclose(f);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int ml = 0;
    EVP_DigestFinal_ex(ctx, md, &ml);
    EVP_MD_CTX_free(ctx);
    if (bad)
        return eo_error_set(err, EO_STATUS_IO, "%s: read error", path);
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    hex[64] = 0;
    return EO_STATUS_OK;
}

typedef struct membuf {
    char *p;
    size_t n, cap;
} membuf;

static size_t mem_write(char *data, size_t sz, size_t nm, void *user)
{
    membuf *m = user;
    size_t k = sz * nm;
    if (m->n + k + 1 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 65536;
        while (nc < m->n + k + 1)
            nc *= 2;
        if (nc > ((size_t)64 << 20))
            return 0; /* a checksum list is never this big */
        char *q = realloc(m->p, nc);
        if (!q)
            return 0;
        m->p = q;
        m->cap = nc;
    }
    memcpy(m->p + m->n, data, k);
    m->n += k;
    m->p[m->n] = 0;
    return k;
}

typedef struct file_sink {
    FILE *fp;
    long long bytes;
    const eo_fetch_options *o;
    const char *name;
    long long next_report;
} file_sink;

static size_t file_write(char *data, size_t sz, size_t nm, void *user)
{
    file_sink *s = user;
    size_t k = fwrite(data, sz, nm, s->fp) * sz;
    s->bytes += (long long)k;
    if (s->o->progress && s->bytes >= s->next_report) {
        s->next_report = s->bytes + (1 << 20);
        if (s->o->progress(s->o->progress_user, (double)s->bytes, 0, s->name))
            return 0;
    }
    return k;
}

static CURL *make_curl(const char *url, const eo_fetch_options *o, char *errbuf)
{
    CURL *c = curl_easy_init();
    if (!c)
        return NULL;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->timeout_s > 0 ? o->timeout_s : 60L);
    /* abort a stalled transfer: under 1 byte/s for timeout_s seconds */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o->timeout_s > 0 ? o->timeout_s : 60L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "ecgopt-fetch/0.1");
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    errbuf[0] = 0;
    return c;
}

static int safe_name(const char *s)
{
    if (!*s || s[0] == '/' || strstr(s, ".."))
        return 0;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == '\\')
            return 0;
    return 1;
}

static int mkdirs(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static int record_selected(const char *file, const char *records)
{
    if (!records || !*records)
        return 1;
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t bl = strcspn(base, ".");
    const char *p = records;
    while (*p) {
        size_t l = strcspn(p, ",");
        if (l == bl && strncmp(p, base, l) == 0)
            return 1;
        p += l;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* Download url into dest via dest.part; returns status. */
static eo_status fetch_one(const char *url, const char *dest, const char *want_hex,
                           const eo_fetch_options *o, eo_fetch_stats *st, eo_error *err)
{
    char part[4200];
    snprintf(part, sizeof part, "%s.part", dest);
    for (int attempt = 0; attempt < 2; attempt++) {
        struct stat sb;
        long long have = (stat(part, &sb) == 0) ? (long long)sb.st_size : 0;
        FILE *fp = fopen(part, have > 0 ? "ab" : "wb");
        if (!fp)
            return eo_error_set(err, EO_STATUS_IO, "%s: cannot write: %s", part, strerror(errno));
        char errbuf[CURL_ERROR_SIZE];
        CURL *c = make_curl(url, o, errbuf);
        if (!c) {
            fclose(fp);
            return eo_error_set(err, EO_STATUS_INTERNAL, "%s: curl_easy_init failed", url);
        }
        file_sink sink = {fp, 0, o, dest, 0};
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, file_write);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
        if (have > 0)
            curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)have);
        CURLcode rc = curl_easy_perform(c);
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        curl_easy_cleanup(c);
        int wbad = fclose(fp) != 0;
        st->bytes += sink.bytes;
        if (rc == CURLE_RANGE_ERROR || (rc == CURLE_HTTP_RETURNED_ERROR && code == 416)) {
            /* the server ignores or refuses ranges: start over */
            unlink(part);
            continue;
        }
        if (rc != CURLE_OK) {
            return eo_error_set(err, EO_STATUS_NETWORK, "%s: download failed: %s%s%s (partial data kept in %s; rerun to resume)",
                                url, curl_easy_strerror(rc), errbuf[0] ? ": " : "", errbuf, part);
        }
        if (wbad)
            return eo_error_set(err, EO_STATUS_IO, "%s: write failed", part);
        char hex[65];
        eo_status s = eo_sha256_file(part, hex, err);
        if (s)
            return s;
        if (strcmp(hex, want_hex) != 0) {
            unlink(part);
            if (have > 0 && attempt == 0)
                continue; /* the old partial data may have been stale: once more from 0 */
            return eo_error_set(err, EO_STATUS_BAD_CHECKSUM,
                                "%s: SHA-256 %s, SHA256SUMS.txt says %s", url, hex, want_hex);
        }
        if (have > 0)
            st->n_resumed++;
        if (rename(part, dest) != 0)
            return eo_error_set(err, EO_STATUS_IO, "%s: cannot rename into place: %s", dest,
                                strerror(errno));
        st->n_downloaded++;
        return EO_STATUS_OK;
    }
    return eo_error_set(err, EO_STATUS_NETWORK, "%s: download failed twice", url);
}

eo_status eo_fetch_database(const char *db, const char *dir, const eo_fetch_options *opt,
                            eo_fetch_stats *stats, eo_error *err)
{
    eo_fetch_options def;
    if (!opt) {
        eo_fetch_defaults(&def);
        opt = &def;
    }
    eo_fetch_stats local;
    eo_fetch_stats *st = stats ? stats : &local;
    memset(st, 0, sizeof *st);
    if (!db || !*db || strlen(db) > 64 || strspn(db, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(db))
        return eo_error_set(err, EO_STATUS_USAGE, "fetch: bad database name '%s'", db ? db : "");
    int known = 0;
    for (int i = 0; KNOWN_DB[i]; i++)
        known |= strcmp(KNOWN_DB[i], db) == 0;
    if (!known && !opt->base_url)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "fetch: unknown database '%s' (known: mitdb nstdb svdb incartdb edb qtdb "
                            "afdb ltdb cudb vfdb ltafdb; others need --base-url)",
                            db);
    char base[2048];
    if (opt->base_url) {
        size_t l = strlen(opt->base_url);
        if (l == 0 || l > 2000)
            return eo_error_set(err, EO_STATUS_USAGE, "fetch: bad base URL");
        snprintf(base, sizeof base, "%s%s", opt->base_url, opt->base_url[l - 1] == '/' ? "" : "/");
    } else {
        snprintf(base, sizeof base, "https://physionet.org/files/%s/1.0.0/", db);
    }
    char outdir[4096];
    if (eo_path_join(outdir, sizeof outdir, dir && *dir ? dir : "data", db) || mkdirs(outdir))
        return eo_error_set(err, EO_STATUS_IO, "%s: cannot create directory: %s", outdir,
                            strerror(errno));
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
        return eo_error_set(err, EO_STATUS_INTERNAL, "fetch: curl_global_init failed");

    char url[4200], errbuf[CURL_ERROR_SIZE];
    snprintf(url, sizeof url, "%sSHA256SUMS.txt", base);
    membuf m = {0};
    CURL *c = make_curl(url, opt, errbuf);
    if (!c)
        return eo_error_set(err, EO_STATUS_INTERNAL, "%s: curl_easy_init failed", url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, mem_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &m);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK) {
        free(m.p);
        return eo_error_set(err, EO_STATUS_NETWORK, "%s: %s%s%s", url, curl_easy_strerror(rc),
                            errbuf[0] ? ": " : "", errbuf);
    }
    if (!m.p) {
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: empty checksum list", url);
    }
    /* keep a copy of the list beside the files */
    char sums_path[4200];
    snprintf(sums_path, sizeof sums_path, "%s/SHA256SUMS.txt", outdir);
    eo_status s = eo_write_file_atomic(sums_path, m.p, m.n, err);
    /* count the entries first, for progress */
    int total = 0;
    for (int pass = 0; pass < 2 && s == EO_STATUS_OK; pass++) {
        int idx = 0, ln = 0;
        char *save = NULL;
        char *copy = strdup(m.p);
        if (!copy) {
            s = eo_error_set(err, EO_STATUS_NO_MEMORY, "fetch: out of memory");
            break;
        }
        for (char *line = strtok_r(copy, "\n", &save); line && s == EO_STATUS_OK;
             line = strtok_r(NULL, "\n", &save)) {
            ln++;
            size_t l = strlen(line);
            while (l && (line[l - 1] == '\r' || line[l - 1] == ' '))
                line[--l] = 0;
            if (!l)
                continue;
            /* "<64 hex>  <name>" (sha256sum output; '*' marks binary mode) */
            if (l < 66 || strspn(line, "0123456789abcdef") != 64 || line[64] != ' ') {
                s = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                 "%s: line %d: expected '<64 hex digits>  <file name>'", url, ln);
                break;
            }
            char *name = line + 65;
            while (*name == ' ' || *name == '*')
                name++;
            line[64] = 0;
            if (!safe_name(name)) {
                s = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: line %d: unsafe file name '%s'",
                                 url, ln, name);
                break;
            }
            if (!record_selected(name, opt->records))
                continue;
            if (pass == 0) {
                total++;
                continue;
            }
            idx++;
            char dest[4200];
            if (eo_path_join(dest, sizeof dest, outdir, name)) {
                s = eo_error_set(err, EO_STATUS_USAGE, "%s: path too long", name);
                break;
            }
            char *sl = strrchr(dest, '/');
            if (sl && sl > dest + strlen(outdir)) {
                *sl = 0;
                if (mkdirs(dest)) {
                    s = eo_error_set(err, EO_STATUS_IO, "%s: cannot create directory", dest);
                    break;
                }
                *sl = '/';
            }
            if (opt->progress &&
                opt->progress(opt->progress_user, (double)(idx - 1), (double)total, name)) {
                s = eo_error_set(err, EO_STATUS_USAGE, "fetch: interrupted");
                break;
            }
            st->n_files++;
            char hex[65];
            eo_error e2;
            if (access(dest, F_OK) == 0 && eo_sha256_file(dest, hex, &e2) == EO_STATUS_OK &&
                strcmp(hex, line) == 0) {
                st->n_up_to_date++;
                continue;
            }
            snprintf(url, sizeof url, "%s%s", base, name);
            s = fetch_one(url, dest, line, opt, st, err);
        }
        free(copy);
    }
    if (s == EO_STATUS_OK && opt->progress)
        opt->progress(opt->progress_user, (double)total, (double)total, "done");
    free(m.p);
    if (s == EO_STATUS_OK && st->n_files == 0)
        return eo_error_set(err, EO_STATUS_NOT_FOUND,
                            "%sSHA256SUMS.txt: no file matches the records asked for", base);
    return s;
}
