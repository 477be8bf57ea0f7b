/* Allocation-failure injection (include/ecgopt/alloc.h) over the WFDB I/O,
 * .ecgz and model-file paths: one run counts the allocations the operation
 * makes; then for every N = 1..count the N-th allocation fails, and the
 * operation must return EO_STATUS_NO_MEMORY with an error message, leave no
 * output file behind and leak nothing (LeakSanitizer in the sanitizer
 * build).  Builds without ECGOPT_ALLOC_HOOK skip (exit 77). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec_test_util.h"
#include "ecgopt/alloc.h"
#include "ecgopt/codec.h"
#include "ecgopt/nn.h"
#include "ecgopt/wfdb.h"
#include "eo_test.h"

typedef eo_status (*op_fn)(void *ctx, eo_error *err);

static char tmpdir[256];

/* files in tmpdir (the outputs a failed write must not leave) */
static int dir_entries(void)
{
    DIR *d = opendir(tmpdir);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void clear_dir(void)
{
    DIR *d = opendir(tmpdir);
    if (!d)
        return;
    char p[512];
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
            remove(p);
        }
    closedir(d);
}

/* Run op with no failure (counting), then with each allocation failing.
 * `writes`: the op writes into tmpdir, which must stay as it was before. */
static void fail_each(const char *what, op_fn op, void *ctx, int writes, long min_allocs)
{
    eo_error err;
    eo_alloc_hook h = {0, 0, 0};
    clear_dir();
    CHECK(eo_alloc_hook_install(&h) == 1);
    eo_status st = op(ctx, &err);
    eo_alloc_hook_install(NULL);
    CHECK_MSG(st == EO_STATUS_OK, "%s without failures: %s", what, err.msg);
    const long n = h.count;
    CHECK_MSG(n >= min_allocs, "%s: only %ld allocations counted (expected >= %ld)", what, n,
              min_allocs);
    int bad = 0;
    for (long k = 1; k <= n && bad < 5; k++) {
        clear_dir();
        eo_alloc_hook f = {k, 0, 0};
        eo_alloc_hook_install(&f);
        err.msg[0] = '\0';
        st = op(ctx, &err);
        eo_alloc_hook_install(NULL);
        if (f.failed != 1 || st != EO_STATUS_NO_MEMORY || !err.msg[0] ||
            (writes && dir_entries() != 0)) {
            bad++;
            CHECK_MSG(0, "%s: allocation %ld of %ld failed (%ld): status %d '%s', %d files left",
                      what, k, n, f.failed, (int)st, err.msg, writes ? dir_entries() : 0);
        }
    }
    clear_dir();
    printf("     %s: %ld allocations, each failure clean\n", what, n);
}

/* ---- WFDB ---- */

static char rec_base[4096];

static eo_status op_record_load(void *ctx, eo_error *err)
{
    (void)ctx;
    eo_wfdb_read_options o;
    eo_wfdb_read_defaults(&o);
    eo_wfdb_record *r = NULL;
    eo_status st = eo_wfdb_record_load(rec_base, &o, &r, err);
    if (st == EO_STATUS_OK && (r->n_signals != 2 || r->n_samples != 650000))
        st = eo_error_set(err, EO_STATUS_INTERNAL, "record 100: wrong shape");
    eo_wfdb_record_destroy(r);
    return st;
}

static eo_status op_annot_read(void *ctx, eo_error *err)
{
    (void)ctx;
    char p[4200];
    snprintf(p, sizeof p, "%s.atr", rec_base);
    eo_annotation_set *a = NULL;
    eo_status st = eo_annot_read(p, &a, err);
    eo_annot_set_destroy(a);
    return st;
}

static eo_status op_stream(void *ctx, eo_error *err)
{
    (void)ctx;
    eo_wfdb_read_options o;
    eo_wfdb_read_defaults(&o);
    o.verify = 0;
    eo_wfdb_stream *s = NULL;
    eo_status st = eo_wfdb_stream_open(rec_base, &o, &s, err);
    int32_t buf[2 * 4096];
    long n = 0;
    if (st == EO_STATUS_OK)
        st = eo_wfdb_stream_read(s, buf, 4096, &n, err);
    eo_wfdb_stream_close(s);
    return st;
}

static eo_status op_record_write(void *ctx, eo_error *err)
{
    const eo_wfdb_record *r = ctx;
    return eo_wfdb_record_write(tmpdir, "w", 212, r->fs_hz, r->n_signals, r->n_samples, r->adu,
                                r->header->signals, err);
}

TEST(wfdb_paths)
{
    eo_error err;
    snprintf(rec_base, sizeof rec_base, "%s/mitdb/100", eo_test_data_dir());
    char hea[4200];
    snprintf(hea, sizeof hea, "%s.hea", rec_base);
    if (access(hea, R_OK) != 0)
        SKIP("MIT-BIH record 100 not found");
    fail_each("record load mitdb/100", op_record_load, NULL, 0, 3);
    fail_each("annotations mitdb/100.atr", op_annot_read, NULL, 0, 2);
    fail_each("stream mitdb/100", op_stream, NULL, 0, 2);
    eo_wfdb_record *r = synth_record(2, 3600, 360, 7);
    fail_each("record write (212)", op_record_write, r, 1, 2);
    /* and what it wrote reads back */
    CHECK_OK(op_record_write(r, &err), &err);
    char base[512];
    snprintf(base, sizeof base, "%s/w", tmpdir);
    eo_wfdb_read_options o;
    eo_wfdb_read_defaults(&o);
    eo_wfdb_record *back = NULL;
    CHECK_OK(eo_wfdb_record_load(base, &o, &back, &err), &err);
    CHECK(back && back->n_samples == 3600 && back->adu[1][1234] == r->adu[1][1234]);
    eo_wfdb_record_destroy(back);
    clear_dir();
    eo_wfdb_record_destroy(r);
}

/* ---- .ecgz ---- */

typedef struct codec_ctx {
    const eo_wfdb_record *rec;
    eo_codec_mode mode;
    char path[512];
} codec_ctx;

static eo_status op_compress(void *ctx, eo_error *err)
{
    codec_ctx *c = ctx;
    eo_codec_options o;
    eo_codec_defaults(&o);
    o.mode = c->mode;
    o.block_seconds = 4;
    o.max_error_adu = 2;
    return eo_codec_compress_file(c->rec, &o, c->path, NULL, err);
}

static eo_status op_decompress(void *ctx, eo_error *err)
{
    codec_ctx *c = ctx;
    eo_ecgz *z = NULL;
    eo_wfdb_record *r = NULL;
    eo_status st = eo_ecgz_open(c->path, &z, err);
    if (st == EO_STATUS_OK)
        st = eo_ecgz_to_record(z, &r, err);
    if (st == EO_STATUS_OK && c->mode == EO_CODEC_LOSSLESS &&
        memcmp(r->adu[0], c->rec->adu[0], sizeof(int32_t) * (size_t)r->n_samples) != 0)
        st = eo_error_set(err, EO_STATUS_INTERNAL, "%s: not lossless", c->path);
    if (st == EO_STATUS_OK &&
        (r->header->n_comments != 2 || strcmp(r->header->comments[1], " Aldomet, Inderal") != 0))
        st = eo_error_set(err, EO_STATUS_INTERNAL, "%s: header comments lost", c->path);
    eo_wfdb_record_destroy(r);
    eo_ecgz_close(z);
    return st;
}

TEST(codec_paths)
{
    static const eo_codec_mode modes[] = {EO_CODEC_LOSSLESS, EO_CODEC_BOUNDED, EO_CODEC_WAVELET};
    eo_wfdb_record *rec = synth_record(2, 360 * 10, 360, 11);
    /* header comments travel through the file too (and must not be dropped
     * when memory runs out) */
    rec->header->comments = calloc(2, sizeof *rec->header->comments);
    rec->header->comments[0] = strdup(" 69 M 1085 1629 x1");
    rec->header->comments[1] = strdup(" Aldomet, Inderal");
    rec->header->n_comments = 2;
    eo_error err;
    for (int m = 0; m < 3; m++) {
        codec_ctx c = {rec, modes[m], ""};
        char what[96];
        snprintf(c.path, sizeof c.path, "%s/x.ecgz", tmpdir);
        snprintf(what, sizeof what, "compress %s", eo_codec_mode_name(modes[m]));
        fail_each(what, op_compress, &c, 1, 5);
        /* the file to read lives outside tmpdir (which must stay empty) */
        snprintf(c.path, sizeof c.path, "%s.in.ecgz", tmpdir);
        CHECK_OK(op_compress(&c, &err), &err);
        snprintf(what, sizeof what, "decompress %s", eo_codec_mode_name(modes[m]));
        fail_each(what, op_decompress, &c, 0, 5);
        remove(c.path);
    }
    eo_wfdb_record_destroy(rec);
}

/* ---- model files ---- */

typedef struct model_ctx {
    eo_nn *nn;
    char path[512];
} model_ctx;

static eo_status op_model_save(void *ctx, eo_error *err)
{
    model_ctx *c = ctx;
    return eo_nn_save(c->nn, c->path, err);
}

static eo_status op_model_load(void *ctx, eo_error *err)
{
    model_ctx *c = ctx;
    eo_nn *nn = NULL;
    eo_status st = eo_nn_load(c->path, &nn, err);
    if (st == EO_STATUS_OK && eo_nn_param_count(nn) != eo_nn_param_count(c->nn))
        st = eo_error_set(err, EO_STATUS_INTERNAL, "%s: wrong network", c->path);
    eo_nn_destroy(nn);
    return st;
}

TEST(model_paths)
{
    eo_error err;
    model_ctx c;
    CHECK_OK(eo_nn_from_spec("conv(4,5) relu maxpool(2) se(2) lstm(6) dense(3)", 1, 64, &c.nn, &err),
             &err);
    if (!c.nn)
        return;
    eo_rng rng;
    eo_rng_seed(&rng, 1);
    eo_nn_init(c.nn, EO_NN_INIT_TORCH, &rng);
    static const char *const labels[] = {"N", "S", "V"};
    CHECK_OK(eo_nn_set_labels(c.nn, labels, 3, &err), &err);
    CHECK_OK(eo_nn_set_meta(c.nn, "note", "alloc test", &err), &err);
    snprintf(c.path, sizeof c.path, "%s/m.eom", tmpdir);
    fail_each("model save", op_model_save, &c, 1, 1);
    snprintf(c.path, sizeof c.path, "%s.in.eom", tmpdir);
    CHECK_OK(op_model_save(&c, &err), &err);
    fail_each("model load", op_model_load, &c, 0, 5);
    remove(c.path);
    eo_nn_destroy(c.nn);
}

int main(void)
{
    eo_alloc_hook probe = {0, 0, 0};
    if (!eo_alloc_hook_install(&probe)) {
        printf("skip: built without ECGOPT_ALLOC_HOOK\n");
        return 77;
    }
    eo_alloc_hook_install(NULL);
    snprintf(tmpdir, sizeof tmpdir, "%s/alloc_fail_XXXXXX", EO_TEST_BINARY_DIR);
    if (!mkdtemp(tmpdir)) {
        printf("cannot create %s\n", tmpdir);
        return 1;
    }
    RUN(wfdb_paths);
    RUN(codec_paths);
    RUN(model_paths);
    clear_dir();
    rmdir(tmpdir);
    TEST_END();
}
