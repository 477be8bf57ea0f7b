/* ecgopt — ECG codec and the .ecgz container (docs/codec.md).
 *
 * Modes:
 *   lossless  adaptive prediction (first difference + cascade of two integer
 *             NLMS stages, inter-lead taps) and a context-modelled adaptive
 *             binary range coder; bit-exact.
 *   bounded   the same predictor in near-lossless (JPEG-LS style) form: the
 *             prediction residual is quantised with step 2e+1 inside the
 *             prediction loop, so every sample satisfies |x - y| <= e ADU;
 *             e = 0 is the lossless mode.
 *   wavelet   CDF 9/7 (bior4.4) DWT, uniform quantisation with one step for
 *             the record, the same adaptive coder; the step is found by
 *             bisection so that the pooled PRDN meets a target.
 *   ae        1-D convolutional autoencoder with SE attention (Krishna n.d.):
 *             each signal cut into segments, each segment's mean removed and
 *             scaled by the signal's gain (mV), encoded to a latent vector,
 *             latents quantised (uniform step x per-channel scale) and range
 *             coded; the model is named in the file by its SHA-256.
 *
 * Samples are WFDB ADC units (adu, int32).  Every ratio counts every byte
 * of the file: CR = bits_per_sample (11 for MIT-BIH, the ADC resolution) x
 * samples / (8 x file bytes).
 *
 * A file is a header (record metadata, CRC32), blocks of block_seconds
 * (each decodable alone, own CRC32), an index and a trailer, so a reader
 * decodes only the blocks that overlap the requested time span. */
#ifndef ECGOPT_CODEC_H
#define ECGOPT_CODEC_H


#include <stddef.h>
#include <stdint.h>

#include "ecgopt/export.h"
#include "ecgopt/metrics.h"
#include "ecgopt/status.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EO_ECGZ_VERSION 2 /* 2: sign-sign LMS stage, optional mixing coder, embedded model */
/* Largest |sample| the predictive modes accept (adu). */
#define EO_CODEC_MAX_ABS_ADU ((1 << 23) - 1)

typedef enum eo_codec_mode {
    EO_CODEC_LOSSLESS = 0,
    EO_CODEC_BOUNDED = 1,
    EO_CODEC_WAVELET = 2,
    EO_CODEC_AE = 3
} eo_codec_mode;

/* "lossless" | "bounded" | "wavelet" | "ae" */
EO_API const char *eo_codec_mode_name(eo_codec_mode m);
EO_API eo_status eo_codec_mode_parse(const char *s, eo_codec_mode *m, eo_error *err);

/* Residual coder of the lossless and bounded modes. */
typedef enum eo_codec_coder {
    EO_CODEC_CODER_PLAIN = 0, /* one adaptive context per decision: fast */
    EO_CODEC_CODER_MIX = 1    /* context mixing of 4 models + SSE: about 3 %
                                 better CR on MIT-BIH, about 4x the CPU time */
} eo_codec_coder;

typedef struct eo_codec_options {
    eo_codec_mode mode;     /* default lossless */
    int max_error_adu;      /* bounded: e >= 0 (0 = lossless), <= 1000; default 1 */
    double target_prdn;     /* wavelet, ae: target pooled PRDN in percent (0 < t < 100); default 5 */
    double wavelet_step;    /* wavelet: > 0 uses this quantiser step (adu) and skips the search */
    int wavelet_level;      /* wavelet: decomposition levels 1..8; default 5 */
    double block_seconds;   /* length of one block (seekable unit); default 60, >= 0.1 */
    int threads;            /* blocks coded on this many threads (1..64); default 1;
                               the file does not depend on it */
    eo_progress_fn progress; /* may be NULL */
    void *progress_user;
    /* ae: the model (required for mode ae; borrowed, not owned) and the
     * latent quantiser step in units of each channel's training std
     * (paper's model) or of the latent (rate-distortion model, inside the
     * model's trained range); 0 (default): the largest step whose pooled
     * PRDN over the record is <= target_prdn (bisection, as the wavelet
     * mode).  AE mode codes on one thread. */
    const struct eo_codec_ae *ae_model;
    double ae_step;
    /* ae: 1 stores the model (its .eom bytes) in the file, so it decodes
     * without the model file; the file's CR then counts the model bytes
     * (eo_codec_stats gives both figures).  0 (default): only the hash. */
    int embed_model;
    /* lossless/bounded: residual coder (default EO_CODEC_CODER_PLAIN, which
     * keeps compress + decompress of MIT-BIH under the speed bar) */
    eo_codec_coder coder;
} eo_codec_options;
EO_API void eo_codec_defaults(eo_codec_options *o);

/* What the encoder did. */
typedef struct eo_codec_stats {
    size_t file_bytes;      /* whole file, headers included */
    size_t header_bytes;    /* header + index + trailer */
    long n_samples;         /* per signal */
    int n_signals;
    double bits_per_sample; /* ADC resolution used for CR (max over signals) */
    double cr;              /* bits_per_sample x n_samples x n_signals / file bits */
    double wavelet_step;    /* wavelet: the step used */
    size_t model_bytes;     /* ae: size of the model (.eom bytes), embedded or not */
    size_t model_section_bytes; /* bytes of the embedded-model section (model + 12
                               bytes of framing); 0 when not embedded */
    double cr_without_model; /* CR with the model section's bytes left out
                               (= cr when no model is embedded) */
} eo_codec_stats;

/* Compress a whole record into a malloc'd buffer (*buf, *len; caller frees).
 * Errors: USAGE (bad options), OUT_OF_RANGE (a sample beyond
 * EO_CODEC_MAX_ABS_ADU, unsupported sampling rate/length), UNSUPPORTED (ae). */
EO_API eo_status eo_codec_encode(const eo_wfdb_record *rec, const eo_codec_options *o,
                          unsigned char **buf, size_t *len, eo_codec_stats *stats,
                          eo_error *err);
/* Same, written atomically to path (temporary file renamed into place). */
EO_API eo_status eo_codec_compress_file(const eo_wfdb_record *rec, const eo_codec_options *o,
                                 const char *path, eo_codec_stats *stats, eo_error *err);

/* ---- reading ----------------------------------------------------------- */

typedef struct eo_ecgz eo_ecgz;

typedef struct eo_ecgz_info {
    int version;
    eo_codec_mode mode;
    int n_signals;
    double fs_hz;
    long n_samples;            /* per signal */
    long block_frames;         /* samples per block (last block may be shorter) */
    long n_blocks;
    int max_error_adu;         /* bounded/lossless: guaranteed bound (0 lossless); -1 otherwise */
    double wavelet_step;
    int wavelet_level;
    char record_name[64];
    char base_time[32];
    char base_date[32];
    uint8_t model_hash[32];    /* ae: identity of the model; zeros otherwise */
    int model_embedded;        /* 1: the file carries the model (header flag 1) */
    eo_codec_coder coder;      /* lossless/bounded: residual coder (header flag 2) */
    size_t model_bytes;        /* size of the embedded model; 0 when none */
    /* the rest of the source header (header flag 4; absent in older files):
     * counter frequency and base counter, and its comment lines ("69 M 1085
     * 1629 x1", medication) joined by '\n' without the '#'; NULL when none.
     * The writer reads them from here; the reader owns its copy. */
    double counter_freq;
    double base_counter;
    const char *comments;
    const eo_wfdb_signal_info *signals; /* n_signals entries, owned by the reader */
    size_t file_bytes;
} eo_ecgz_info;

/* Append info->comments to h's comment lines (one per '\n'-separated
 * line); 0, or -1 when out of memory (h keeps what was added). */
EO_API int eo_ecgz_header_comments(const eo_ecgz_info *info, eo_wfdb_header *h);

/* Open a file held in memory (copied; `source` names it in messages) or on
 * disk.  Checks the header, index and trailer (magic, version, CRCs, sizes);
 * blocks are checked when decoded.  Errors name the file and the part.
 * An embedded model is checked (CRC32, SHA-256 against the header's hash)
 * and loaded here, so such an ae file needs no eo_ecgz_set_ae_model. */
EO_API eo_status eo_ecgz_open_mem(const unsigned char *data, size_t len, const char *source,
                           eo_ecgz **out, eo_error *err);
EO_API eo_status eo_ecgz_open(const char *path, eo_ecgz **out, eo_error *err);
EO_API void eo_ecgz_close(eo_ecgz *z); /* NULL is a no-op */
EO_API const eo_ecgz_info *eo_ecgz_get_info(const eo_ecgz *z);

/* Decode samples [start, start+count) of every signal into adu[s][0..count)
 * (caller-allocated, n_signals arrays).  Only the blocks overlapping the
 * span are decoded; each block's CRC is checked first.  Errors name the
 * block: "x.ecgz: block 3 (30.0-40.0 s): CRC mismatch". */
EO_API eo_status eo_ecgz_read(eo_ecgz *z, long start, long count, int32_t *const *adu, eo_error *err);

/* Threads used by eo_ecgz_to_record (1..64, default 1; blocks are decoded
 * in parallel, the result does not depend on it). */
EO_API void eo_ecgz_set_threads(eo_ecgz *z, int threads);

/* Decode a whole file into a record (header built from the stored metadata;
 * free with eo_wfdb_record_destroy). */
EO_API eo_status eo_ecgz_to_record(eo_ecgz *z, eo_wfdb_record **out, eo_error *err);

/* Fidelity of a decoded record against the original, pooled over signals,
 * PRD offset = each signal's ADC zero (metrics.h definitions); PRDN and SNR
 * use each signal's own mean: PRDN = 100 sqrt(sum_s sum (x-y)^2 /
 * sum_s sum (x - mean_s)^2).  The running sums in *fid are the plain pooled
 * ones (sum_ref etc. over all signals). */
EO_API eo_status eo_codec_fidelity(const eo_wfdb_record *orig, int32_t *const *decoded, long start,
                            long count, eo_fidelity *fid, eo_error *err);

/* ---- rate-distortion points (src/codec/sweep.c) ------------------------- */

/* Encode rec with o in memory, decode it again and score it: the stats of
 * the file and the pooled fidelity (eo_codec_fidelity). */
EO_API eo_status eo_codec_measure(const eo_wfdb_record *rec, const eo_codec_options *o,
                                  eo_codec_stats *cs, eo_fidelity *fid, eo_error *err);

/* One point of a rate-distortion sweep. */
typedef struct eo_codec_rd {
    eo_codec_mode mode;
    double setting;   /* bounded: max error (adu); wavelet: target PRDN (%); else 0 */
    char label[48];   /* the setting in words: "max error 2 adu", "target PRDN 4 %", "" */
    double cr, prdn;  /* CR (every bit of the file) and pooled PRDN (%) */
} eo_codec_rd;

/* The setting of o in words (eo_codec_rd.label). */
EO_API void eo_codec_setting_label(const eo_codec_options *o, char *buf, size_t n);

/* The points a report draws around an encoding made with base: lossless,
 * and base's mode (bounded or wavelet) at its usual settings (max error
 * 1, 2, 4, 8, 16 adu; target PRDN 1, 2, 4, 8, 15 %), each measured with
 * eo_codec_measure on the whole of rec.  Other options (level, coder,
 * threads, block length) are base's.  ae: lossless only.  Writes at most
 * max points to out, *n of them. */
EO_API eo_status eo_codec_sweep(const eo_wfdb_record *rec, const eo_codec_options *base, eo_codec_rd *out,
                                int max, int *n, eo_error *err);

/* ---- autoencoder model (src/codec/ae.c) --------------------------------- */

typedef struct eo_codec_ae eo_codec_ae;

typedef struct eo_codec_ae_options {
    int segment;          /* samples per segment: 720 (default), 512 or 256 */
    int latent_channels;  /* channels of the bottleneck (1..64); latent size =
                             latent_channels x segment/pool product; default 4 */
    int pools[3];         /* max-pool sizes of the three encoder stages (each
                             1..16, product dividing segment); all 0 (default):
                             4,5,6 for 720 and 4,4,4 / 4,4,2 for 512 / 256.
                             3,4,2 at 720 gives 30 latent positions, a finer
                             time resolution (docs/codec.md) */
    int filters;          /* first conv layer's filters (second has 2x); default 16 */
    int max_segments;     /* training segments drawn at random (default 6000) */
    int epochs;           /* default 8 */
    int batch_size;       /* default 64 */
    double lr;            /* Adam learning rate, default 2e-3 */
    uint64_t seed;        /* segment sampling and initialisation */
    int threads;          /* nn threads, default 1 */
    /* Rate-distortion training (Balle et al. 2017; docs/codec.md): lambda > 0
     * minimises MSE (mV^2 per sample) + lambda x estimated bits per sample,
     * with uniform noise of width step on the latents, the step drawn
     * log-uniformly in [step_min, step_max] per batch (one model for a
     * continuous range of rates), and a factorised entropy model (mixture
     * of `mixture` logistics per latent channel, 1..4) that the range coder
     * uses.  lambda = 0: the paper's MSE-only model. */
    double lambda;
    double step_min, step_max;
    int mixture;
    /* rate-distortion architecture: 0 = the paper's transposed-convolution
     * stack (kernel = stride: each latent position draws its own block of
     * samples), 1 = a conv(k=5/9) after each transposed convolution, so
     * neighbouring latent positions overlap; 2 = a learned lapped
     * transform: the encoder one convolution of latent_channels filters of
     * 2S taps at hop S (S = the pools' product) then se(2), the decoder one
     * transposed convolution (docs/codec.md) */
    int decoder;
    /* rate-distortion encoder: 1 (default) ends with the paper's low-rank
     * squeeze-excitation attention se(2); 0 leaves it out (the
     * no-attention arm of Table I).  The paper's model (lambda = 0) always
     * has it. */
    int attention;
    /* rate-distortion entropy model: 0 (default) factorised, one density
     * per channel; 1 with a context model, each latent's density scaled by
     * the magnitudes already coded around it (its channel's last two
     * positions, the other channels at its position; Minnen et al. 2018's
     * idea with two learned weights per channel; docs/codec.md) */
    int context;
    eo_progress_fn progress; void *progress_user;
} eo_codec_ae_options;
/* Defaults = the rate-distortion configuration `ecgopt train --task
 * compress` trains (eo_codec_ae_rd_defaults). */
EO_API void eo_codec_ae_defaults(eo_codec_ae_options *o);
EO_API void eo_codec_ae_rd_defaults(eo_codec_ae_options *o);

/* Train on the ECG signal of each record whose description is "MLII"
 * (signal 0 when none is), segments drawn from all records; MSE loss.
 * The caller chooses the records (the protocol: DS1 only). */
EO_API eo_status eo_codec_ae_train(const eo_wfdb_record *const *recs, int n_recs,
                            const eo_codec_ae_options *o, eo_codec_ae **out, eo_error *err);
/* Model file (.eom of the nn engine with ae_* metadata). */
EO_API eo_status eo_codec_ae_save(const eo_codec_ae *ae, const char *path, eo_error *err);
EO_API eo_status eo_codec_ae_load(const char *path, eo_codec_ae **out, eo_error *err);
EO_API eo_status eo_codec_ae_load_mem(const unsigned char *d, size_t n, const char *name,
                               eo_codec_ae **out, eo_error *err);
EO_API void eo_codec_ae_destroy(eo_codec_ae *ae); /* NULL is a no-op */
/* SHA-256 of the serialised model (the identity stored in .ecgz files). */
EO_API void eo_codec_ae_hash(const eo_codec_ae *ae, uint8_t hash[32]);
/* Segment length, latent values per segment (paper CR = segment/latent). */
EO_API int eo_codec_ae_segment(const eo_codec_ae *ae);
EO_API int eo_codec_ae_latent(const eo_codec_ae *ae);
EO_API size_t eo_codec_ae_model_bytes(const eo_codec_ae *ae);
/* 1 for a rate-distortion model (with an entropy model); its trained
 * latent-step range (0, 0 for the paper's model, which takes any step). */
/* Sampling rate the model was trained at (records at another rate are
 * refused: resample them first, include/ecgopt/resample.h). */
EO_API double eo_codec_ae_fs(const eo_codec_ae *ae);
EO_API int eo_codec_ae_is_rd(const eo_codec_ae *ae, double *step_min, double *step_max);
/* Rate estimate of a rate-distortion model for every signal of rec coded
 * at `step` in blocks of block_frames: *model_bits = sum of -log2 P(q) of
 * the entropy model, *table_bits = what its integer frequency tables
 * spend on the same latents (the range coder adds at most a few bytes per
 * block; the segment means are not included). */
EO_API eo_status eo_codec_ae_estimate(const eo_codec_ae *ae, const eo_wfdb_record *rec,
                                      long block_frames, double step, double *model_bits,
                                      double *table_bits, eo_error *err);
/* Give the model an ae-mode file needs; fails (naming the file and both
 * hashes) when its hash differs from the one in the file.  Optional when
 * the file embeds its model (the given one, same hash, is then used). */
EO_API eo_status eo_ecgz_set_ae_model(eo_ecgz *z, const eo_codec_ae *ae, eo_error *err);
/* Hex of the first n bytes of a hash into buf (2n+1 chars). */
EO_API void eo_codec_hash_hex(const uint8_t *hash, int n, char *buf);

/* Compress n_signals x n_samples digital samples (adu, channel-major:
 * adu[s * n_samples + i]) into an in-memory .ecgz file (*buf, *len; free
 * with eo_free).  gain[s] (adu per mV; NULL: 200) and baseline[s] (NULL: 0)
 * go into the file's signal table; adc_bits (0..24; 0: the codec's 12) is
 * the bits per sample the compression ratio counts.  mode is "lossless",
 * "bounded" (level = the largest error in adu, an integer 0..1000) or
 * "wavelet" (level = the target PRDN in percent, 0 < level < 100).  The
 * autoencoder mode needs a model and is not offered here. */
EO_API eo_status eo_codec_compress_samples(const int32_t *adu, int n_signals, long n_samples,
                                           double fs_hz, const double *gain, const int *baseline,
                                           int adc_bits, const char *mode, double level,
                                           unsigned char **buf, size_t *len, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
