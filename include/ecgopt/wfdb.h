/* ecgopt — PhysioNet WFDB records and annotations.
 *
 * Written from the WFDB specifications header(5), signal(5) and annot(5); no
 * WFDB library is involved.  Samples are kept in ADC units (adu) as int32;
 * eo_wfdb_adu_to_mv() converts exactly as WFDB's aduphys():
 *     physical = (adu - baseline) / gain,   adu == EO_WFDB_INVALID -> NaN.
 *
 * OWNER: io module.  The declarations below are the contract other modules
 * code against; extend, do not change, once other modules use them. */
#ifndef ECGOPT_WFDB_H
#define ECGOPT_WFDB_H

#include "ecgopt/export.h"

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/status.h"
#include "ecgopt/util.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EO_WFDB_INVALID (-32768) /* WFDB_INVALID_SAMPLE */
#define EO_WFDB_DEFAULT_GAIN 200.0
#define EO_WFDB_DEFAULT_FS 250.0

typedef struct eo_wfdb_signal_info {
    char file_name[256];   /* signal file, "~" for none (null segment) */
    int format;            /* 8 16 61 80 160 212 310 311 ... */
    int samples_per_frame; /* default 1 */
    int skew;              /* samples */
    long byte_offset;      /* bytes before the first sample in the file */
    double gain;           /* adu per physical unit; 0 in the file -> 200 with gain_given=0 */
    int gain_given;
    int baseline;          /* adu corresponding to 0 physical units */
    int baseline_given;
    char units[32];        /* default "mV" */
    int adc_resolution;    /* bits; default 12 (format 212...), 16 for 16 */
    int adc_zero;          /* adu at the middle of the ADC range */
    int initial_value;     /* first sample, for difference formats and checks */
    int initial_value_given;
    int checksum;          /* 16-bit sum of all samples (signed short) */
    int checksum_given;
    int block_size;
    char description[128]; /* e.g. "MLII", "V5" */
} eo_wfdb_signal_info;

typedef struct eo_wfdb_segment {
    char record_name[64]; /* "~" for a null segment */
    long n_samples;
} eo_wfdb_segment;

typedef struct eo_wfdb_header {
    char record_name[64];
    int n_segments;        /* 0: single-segment record */
    int n_signals;
    double fs_hz;          /* frames per second */
    double counter_freq;   /* 0 if absent */
    double base_counter;
    long n_samples;        /* samples per signal; -1 if not given */
    char base_time[32];    /* as written, "" if absent */
    char base_date[32];
    eo_wfdb_signal_info *signals; /* n_signals entries */
    eo_wfdb_segment *segments;    /* n_segments entries (multi-segment only) */
    char **comments;              /* comment lines without the leading '#' */
    int n_comments;
} eo_wfdb_header;

/* ---- headers ----------------------------------------------------------- */

/* Parse header text (any line endings).  `source` names the file in error
 * messages ("100.hea").  Errors name the line and the field. */
EO_API eo_status eo_wfdb_header_parse(const char *text, size_t len, const char *source,
                               eo_wfdb_header **out, eo_error *err);
EO_API eo_status eo_wfdb_header_read(const char *hea_path, eo_wfdb_header **out, eo_error *err);
/* Serialise to header(5) text (malloc'd, '\n' line endings). */
EO_API eo_status eo_wfdb_header_format(const eo_wfdb_header *h, char **text, eo_error *err);
EO_API void eo_wfdb_header_destroy(eo_wfdb_header *h);
/* Index of the signal whose description equals `desc` (e.g. "MLII"), or -1. */
EO_API int eo_wfdb_find_signal(const eo_wfdb_header *h, const char *desc);
/* adu -> physical units (NaN for EO_WFDB_INVALID). */
EO_API double eo_wfdb_adu_to_mv(const eo_wfdb_signal_info *s, int32_t adu);

/* ---- records ----------------------------------------------------------- */

typedef struct eo_wfdb_read_options {
    int verify;  /* 1 (default): check checksum and initial value of every signal */
} eo_wfdb_read_options;
EO_API void eo_wfdb_read_defaults(eo_wfdb_read_options *o);

/* A whole record in memory, channel-major: adu[signal][sample]. */
typedef struct eo_wfdb_record {
    eo_wfdb_header *header; /* owned; for multi-segment records the merged layout */
    int n_signals;
    long n_samples;
    double fs_hz;
    int32_t **adu;
} eo_wfdb_record;

/* Load a record.  `base` is the path without extension ("data/mitdb/100");
 * signal files are resolved relative to the header's directory. */
EO_API eo_status eo_wfdb_record_load(const char *base, const eo_wfdb_read_options *opt,
                              eo_wfdb_record **out, eo_error *err);
EO_API void eo_wfdb_record_destroy(eo_wfdb_record *r);
/* Physical values of one signal, samples [start, start+count), into out. */
EO_API eo_status eo_wfdb_record_physical(const eo_wfdb_record *r, int signal, long start, long count,
                                  double *out, eo_error *err);

/* Load record `base` and return signal `signal`'s physical values over
 * samples [start, start + count) (count < 0: to the end) in a malloc'd
 * array *out of *n values.  Errors name the record and what is short. */
EO_API eo_status eo_wfdb_load_physical(const char *base, int signal, long start, long count, int verify,
                                double **out, long *n, eo_error *err);

/* Streaming reader: blocks of frames, so a 24-hour record never sits in
 * memory whole.  Frames are returned interleaved: out[i*n_signals + s]. */
typedef struct eo_wfdb_stream eo_wfdb_stream;
EO_API eo_status eo_wfdb_stream_open(const char *base, const eo_wfdb_read_options *opt,
                              eo_wfdb_stream **out, eo_error *err);
EO_API const eo_wfdb_header *eo_wfdb_stream_header(const eo_wfdb_stream *s);
/* Read up to max_frames frames; *n_read is 0 at the end of the record.  When
 * verify is on, checksums are checked as the end is reached. */
EO_API eo_status eo_wfdb_stream_read(eo_wfdb_stream *s, int32_t *out, long max_frames, long *n_read,
                              eo_error *err);
EO_API void eo_wfdb_stream_close(eo_wfdb_stream *s);

/* Write a single-segment record: header `<dir>/<name>.hea` and one signal
 * file `<dir>/<name>.dat` in format 16 or 212 holding all signals; fills in
 * checksum and initial value.  Gains/baselines/units/descriptions are taken
 * from `like` (may be NULL: gain 200, baseline 0, mV). Atomic writes. */
EO_API eo_status eo_wfdb_record_write(const char *dir, const char *name, int format, double fs_hz,
                               int n_signals, long n_samples, int32_t *const *adu,
                               const eo_wfdb_signal_info *like, eo_error *err);

/* As eo_wfdb_record_write, and the header keeps what `meta` (may be NULL)
 * says of the recording: base time and date, counter frequency, and its
 * comment lines ("# 69 M 1085 1629 x1", medication). */
EO_API eo_status eo_wfdb_record_write_ex(const char *dir, const char *name, int format, double fs_hz,
                                  int n_signals, long n_samples, int32_t *const *adu,
                                  const eo_wfdb_signal_info *like, const eo_wfdb_header *meta,
                                  eo_error *err);

/* The format eo_wfdb_record_write should store `adu` in: 212 when every
 * signal of `like` (may be NULL) was 212 and every sample fits 12 bits,
 * otherwise 16.  A sample outside 16 bits is an error naming `what`, the
 * signal and the sample (offset by first_sample). */
EO_API eo_status eo_wfdb_fit_format(int32_t *const *adu, int n_signals, long n_samples,
                                    const eo_wfdb_signal_info *like, const char *what,
                                    long first_sample, int *format, eo_error *err);

/* ---- annotations ------------------------------------------------------- */

typedef struct eo_annotation {
    long sample;   /* time in samples (frame number) */
    int code;      /* anntyp: 1..49 (see eo_annot_code_symbol) */
    int subtype;   /* subtyp, signed */
    int chan;
    int num;
    char *aux;     /* NUL-terminated AUX string or NULL (e.g. "(AFIB") */
    int aux_len;   /* bytes of aux (aux may contain NUL only per spec) */
} eo_annotation;

typedef struct eo_annotation_set {
    eo_annotation *items;
    size_t n;
    size_t cap;
} eo_annotation_set;

/* Read `<base>.<annotator>` (e.g. base "data/mitdb/100", annotator "atr").
 * A file cut mid-word or with an AUX that runs past the end is an error that
 * names the byte offset. */
EO_API eo_status eo_annot_read(const char *path, eo_annotation_set **out, eo_error *err);
EO_API eo_status eo_annot_parse(const unsigned char *data, size_t len, const char *source,
                         eo_annotation_set **out, eo_error *err);
EO_API eo_status eo_annot_write(const char *path, const eo_annotation_set *a, eo_error *err);
EO_API eo_annotation_set *eo_annot_set_new(void);
/* Append a copy (aux copied). */
EO_API eo_status eo_annot_set_push(eo_annotation_set *a, const eo_annotation *item, eo_error *err);
EO_API void eo_annot_set_destroy(eo_annotation_set *a);

/* WFDB code table (ecgcodes.h): 'N' for 1, "(AFIB"-style rhythm in aux for 28. */
EO_API const char *eo_annot_code_symbol(int code);    /* "N", "V", ... "" for unused */
EO_API const char *eo_annot_code_description(int code);
EO_API int eo_annot_code_from_symbol(const char *sym); /* -1 if unknown */
/* 1 if the code is a beat annotation (isqrs() in WFDB). */
EO_API int eo_annot_is_beat(int code);

/* AAMI EC57 classes of beat codes. */
typedef enum eo_aami_class {
    EO_AAMI_N = 0, EO_AAMI_S = 1, EO_AAMI_V = 2, EO_AAMI_F = 3, EO_AAMI_Q = 4,
    EO_AAMI_NONE = -1 /* not a beat */
} eo_aami_class;
/* N: N L R e j; S: A a J S; V: V E; F: F; Q: / f Q.  Beat codes absent from
 * MIT-BIH map to their EC57 superclass: B -> N, n -> S, r -> V, ? -> Q. */
EO_API eo_aami_class eo_annot_aami_class(int code);
EO_API const char *eo_aami_class_name(eo_aami_class c); /* "N" ... "Q" */

/* Counts of an annotation set: every annotation by code (codes 0..63),
 * the beats (eo_annot_is_beat) and the beats by AAMI class (N S V F Q). */
typedef struct eo_annot_counts {
    long total;        /* annotations */
    long beats;        /* beat annotations */
    long by_code[64];  /* annotations of each code */
    long by_aami[5];   /* beats of each eo_aami_class */
} eo_annot_counts;
EO_API void eo_annot_count(const eo_annotation_set *a, eo_annot_counts *out);


/* ---- rhythm episodes (added) -------------------------------------------- */

/* A rhythm episode from the rhythm-change annotations ('+', code 28) whose
 * AUX holds the label, e.g. "(AFIB": it lasts until the next rhythm change
 * or the end of the record.  label is a copy of the AUX text without the
 * leading '('. */
typedef struct eo_rhythm_episode {
    char label[32];
    long start;   /* sample */
    long end;     /* sample (exclusive) */
} eo_rhythm_episode;
/* Episodes in time order (malloc'd array in *out, count in *n; free()).
 * n_samples is the record length (end of the last episode). */
EO_API eo_status eo_annot_rhythm_episodes(const eo_annotation_set *a, long n_samples,
                                   eo_rhythm_episode **out, size_t *n, eo_error *err);

/* ---- PhysioNet download (added) ----------------------------------------- */

/* SHA-256 of a file as 64 lowercase hex digits (FIPS 180-4, via OpenSSL). */
EO_API eo_status eo_sha256_file(const char *path, char hex[65], eo_error *err);

typedef struct eo_fetch_options {
    const char *base_url;    /* NULL: https://physionet.org/files/<db>/1.0.0/ */
    const char *records;     /* NULL: all files; else comma list "100,101": only
                                files whose name before the first '.' is listed */
    long timeout_s;          /* per-transfer stall timeout, default 60 */
    eo_progress_fn progress; /* called per file and per MiB; may be NULL */
    void *progress_user;
} eo_fetch_options;
EO_API void eo_fetch_defaults(eo_fetch_options *o);

typedef struct eo_fetch_stats {
    int n_files;        /* listed in SHA256SUMS.txt (after the records filter) */
    int n_downloaded;   /* fetched in this call */
    int n_up_to_date;   /* already present with the right SHA-256 */
    int n_resumed;      /* continued from a partial <file>.part with HTTP Range */
    long long bytes;    /* bytes transferred */
} eo_fetch_stats;

/* Download PhysioNet database `db` (mitdb, nstdb, svdb, incartdb, edb, qtdb;
 * others need base_url) into <dir>/<db>/: fetch SHA256SUMS.txt, then each
 * listed file into <file>.part (resuming a partial one with an HTTP Range
 * request), check its SHA-256 and rename it into place.  Files already
 * present with the right checksum are skipped, so a rerun resumes. */
EO_API eo_status eo_fetch_database(const char *db, const char *dir, const eo_fetch_options *o,
                            eo_fetch_stats *stats, eo_error *err);


/* ---- batch reader: reused buffers, physical units (added) ---------------- */

/* Precision of the physical values a reader produces.  F64 is bit-exact with
 * eo_wfdb_record_physical(); F32 is that double value rounded to the nearest
 * float ((float)(double)), NaN for invalid samples in both. */
typedef enum eo_wfdb_precision { EO_WFDB_F64 = 0, EO_WFDB_F32 = 1 } eo_wfdb_precision;

/* A record in physical units, channel-major.  Everything it points to is
 * owned by the reader and stays valid (and writable, for in-place filters)
 * until the next eo_wfdb_reader_read_physical() on that reader or its
 * destroy. */
typedef struct eo_wfdb_physical {
    const eo_wfdb_header *header; /* merged layout for multi-segment records */
    int n_signals;
    long n_samples;               /* per signal */
    double fs_hz;
    eo_wfdb_precision precision;
    double *const *f64;           /* f64[signal][sample] when precision is F64, else NULL */
    float *const *f32;            /* f32[signal][sample] when precision is F32, else NULL */
} eo_wfdb_physical;

/* Reads many records one after another (a database pass, a training set)
 * through buffers it keeps: the sample arrays, the file buffer and the
 * annotation set are allocated once and grown when a record needs more, so
 * reading the next record faults in no fresh memory.  Records with one
 * format-212 file, one sample per frame and no skew (MIT-BIH, NSTDB, what
 * eo_wfdb_record_write writes in 212) are decoded straight from the file
 * bytes to physical values in one pass (a per-signal table of the 4096
 * 12-bit codes, so the values are exactly aduphys()'s); every other record
 * goes through eo_wfdb_record_load() and is converted, with the same
 * results.  Checksums and initial values are verified as by
 * eo_wfdb_record_load() (opt->verify; opt NULL: defaults) with the same
 * error messages.  A reader is not thread-safe; use one per thread. */
typedef struct eo_wfdb_reader eo_wfdb_reader;
EO_API eo_status eo_wfdb_reader_create(const eo_wfdb_read_options *opt, eo_wfdb_reader **out,
                                eo_error *err);
EO_API void eo_wfdb_reader_destroy(eo_wfdb_reader *rd); /* NULL: no-op */
/* Read record `base` (path without extension, as eo_wfdb_record_load) in
 * physical units at `precision` into *out (see eo_wfdb_physical for
 * lifetime).  On error *out is zeroed. */
EO_API eo_status eo_wfdb_reader_read_physical(eo_wfdb_reader *rd, const char *base,
                                       eo_wfdb_precision precision, eo_wfdb_physical *out,
                                       eo_error *err);
/* Read an annotation file (as eo_annot_read) into a set owned by the reader,
 * valid until the next eo_wfdb_reader_read_annotations() on it or its
 * destroy; the item array and file buffer are reused between calls. */
EO_API eo_status eo_wfdb_reader_read_annotations(eo_wfdb_reader *rd, const char *path,
                                          const eo_annotation_set **out, eo_error *err);
/* Parse annotation bytes into `a`, replacing its contents (items and their
 * AUX strings are freed, the item array's capacity is kept).  On error `a`
 * is left empty. */
EO_API eo_status eo_annot_parse_into(eo_annotation_set *a, const unsigned char *data, size_t len,
                              const char *source, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
