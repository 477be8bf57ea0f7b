/* libFuzzer harness: the signal decoder through the record reader.  Input:
 * one flag byte, header text, a NUL byte, then the bytes of the signal
 * file(s).  The header may name files "r.dat" and "s.dat" (both get the
 * bytes) and segments; names with '/' are refused so nothing outside the
 * scratch directory is read.  Reads at most 200000 frames by stream, and
 * the whole record when small. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/wfdb.h"

static char dir[64];

static void put(const char *name, const uint8_t *d, size_t n)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f)
        abort();
    if (n)
        fwrite(d, 1, n, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        /* tmpfs when there is one: rewriting files on a disk dominates the run */
        snprintf(dir, sizeof dir, "%s/eo_fuzz_signal_%d",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (int)getpid());
        char cmd[128];
        snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
        if (system(cmd) != 0)
            abort();
    }
    if (size < 2)
        return 0;
    int flags = data[0];
    const uint8_t *hea = data + 1;
    const uint8_t *nul = memchr(hea, 0, size - 1);
    if (!nul)
        return 0;
    size_t hl = (size_t)(nul - hea);
    if (memchr(hea, '/', hl) && !(flags & 4))
        return 0;
    /* with flag 4 a '/' is allowed only as the segment-count separator on the first line */
    for (size_t i = 0; i < hl; i++)
        if (hea[i] == '/') {
            const uint8_t *nl = memchr(hea, '\n', hl);
            if (!nl || hea + i > nl)
                return 0;
        }
    const uint8_t *dat = nul + 1;
    size_t dl = size - 1 - hl - 1;
    put("r.hea", hea, hl);
    put("r.dat", dat, dl);
    put("s.dat", dat, dl / 2);
    /* a plain segment record for multi-segment headers to refer to */
    static const char seg[] = "q 2 100 4\nr.dat 16 200 16 0\nr.dat 16 200 16 0\n";
    put("q.hea", (const uint8_t *)seg, sizeof seg - 1);

    char base[128];
    snprintf(base, sizeof base, "%s/r", dir);
    eo_wfdb_read_options o;
    eo_wfdb_read_defaults(&o);
    o.verify = flags & 1;
    eo_error err;
    eo_wfdb_stream *s = NULL;
    if (eo_wfdb_stream_open(base, &o, &s, &err) == EO_STATUS_OK) {
        const eo_wfdb_header *h = eo_wfdb_stream_header(s);
        long block = (flags & 2) ? 3 : 1000;
        int ns = h->n_signals > 0 ? h->n_signals : 1;
        int32_t *buf = malloc((size_t)block * (size_t)ns * sizeof *buf);
        long total = 0, k = 0;
        if (!buf)
            abort();
        do {
            if (eo_wfdb_stream_read(s, buf, block, &k, &err) != EO_STATUS_OK)
                break;
            total += k;
        } while (k > 0 && total < 200000);
        free(buf);
        int small = h->n_samples >= 0 && h->n_samples < 200000 &&
                    (double)h->n_samples * ns < 1e6;
        eo_wfdb_stream_close(s);
        if (small) {
            eo_wfdb_record *r = NULL;
            if (eo_wfdb_record_load(base, &o, &r, &err) == EO_STATUS_OK) {
                double v[4];
                if (r->n_signals > 0 && r->n_samples >= 4)
                    eo_wfdb_record_physical(r, 0, 0, 4, v, &err);
                eo_wfdb_record_destroy(r);
            }
        }
    }
    return 0;
}
