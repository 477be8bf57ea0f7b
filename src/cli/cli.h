/* ecgopt command line — shared option handling for every subcommand.
 * Commands are thin: parse arguments, call the library, print. */
#ifndef ECGOPT_CLI_H
#define ECGOPT_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ecgopt/status.h"
#include "ecgopt/strbuf.h"

#define EO_CLI_MAX_OUTPUTS 12

typedef struct eo_cli {
    const char *cmd;       /* subcommand name, for messages */
    const char *data_dir;  /* --data DIR */
    const char *out;       /* -o / --output PATH */
    int json;              /* --json: machine-readable output on stdout */
    int quiet;             /* --quiet: nothing on stderr but errors */
    int progress;          /* 1 = draw progress bars (tty or --progress) */
    int help;              /* --help / -h given */
    int seed_set;
    uint64_t seed;         /* --seed N (default 1) */
    int threads;           /* --threads N (0 = all cores) */
    int verify;            /* 0 with --no-verify */
    int force;             /* --force: may overwrite an input record or a reference annotator */
    int rc;                /* exit code when eo_cli_common fails (1 usage, 2 bad input) */
    /* outputs checked before the work (eo_cli_output*): those that did not
     * exist are removed again by eo_cli_fail, so a failed command leaves
     * nothing new behind */
    int n_outputs;
    struct {
        char path[4096];
        int is_dir;
    } outputs[EO_CLI_MAX_OUTPUTS];
    /* progress bar state */
    double t_start;
    double t_last_draw;
    int bar_drawn;
} eo_cli;

/* The common options as given (cli_opt.c's table parses them into it). */
typedef struct eo_cli_common_values {
    int json, quiet, progress, no_progress, help, no_verify, force;
    const char *data_dir, *out, *seed;
    long threads;
} eo_cli_common_values;
/* Take the common options out of argv in place (the command's own stay, in
 * order).  Returns 0, or 1 after printing the usage error. */
int eo_cli_common_parse(const eo_cli *c, eo_cli_common_values *v, int *argc, char **argv);

/* Take the common options (--data --json --quiet --progress --seed --threads
 * -o --help --no-verify --force) out of argv in place; argv[0] stays the
 * command name.  Returns 0, or (message printed) the exit code, also in
 * c->rc: 1 for a usage error, 2 for a --data directory that does not exist. */
int eo_cli_common(eo_cli *c, const char *cmd, int *argc, char **argv);

/* Strict numeric parsing: the whole string must be a finite number within
 * [lo, hi]; a negative number never means "unset".  Returns 0, or -1 after
 * printing "ecgopt CMD: --to must be a number in [0, 1e+07], got '-5'". */
int eo_cli_parse_double(const eo_cli *c, const char *opt, const char *s, double lo, double hi,
                        double *v);
int eo_cli_parse_long(const eo_cli *c, const char *opt, const char *s, long lo, long hi, long *v);

/* A choice option: every comma-separated item of `list` must be one of
 * `names` (NULL-terminated) or `extra` (may be NULL).  Returns 0, or 1 after
 * "ecgopt CMD: --optimizer nope: unknown (known: ga, pso, ...)": an unknown
 * name is a usage error (exit 1) in every command. */
int eo_cli_check_names(const eo_cli *c, const char *opt, const char *list,
                       const char *const *names, const char *extra);

/* ---- outputs: check every output path before the work starts ---------- */
/* Check that `path` can be written (eo_output_check) and remember it, so that
 * eo_cli_fail removes it again if it did not exist.  Returns the status. */
eo_status eo_cli_output(eo_cli *c, const char *path, eo_error *err);
/* -o DIR/ (or a directory for several outputs): create it (one level) when
 * missing, remembered like eo_cli_output (removed again if left empty). */
eo_status eo_cli_output_dir(eo_cli *c, const char *dir, eo_error *err);
/* An output WFDB record `out` ("dir/name[.hea]"): split it into dir and name
 * and, unless --force, refuse (exit 2, message naming the file and "give
 * --force")
 *  - writing over the header or signal file of the input record `in_base`
 *    (may be NULL), e.g. `denoise rec/233 -o rec/233`;
 *  - a name beside which annotation files (name.atr, name.qrs ...) exist:
 *    new signals would be mixed with old annotations;
 * then check and remember name.hea and name.dat as eo_cli_output does. */
eo_status eo_cli_output_record(eo_cli *c, const char *out, const char *in_base, char *dir,
                               size_t nd, char *name, size_t nn, eo_error *err);
/* An output file made from input record `in_base` (may be NULL): unless
 * --force, refuse to write over that record's header or signal files; then
 * eo_cli_output. */
eo_status eo_cli_output_file(eo_cli *c, const char *path, const char *in_base, eo_error *err);
/* An output annotation file: as eo_cli_output_file, and unless --force refuse
 * to write over an existing reference annotator (extension atr, the
 * cardiologists' labels). */
eo_status eo_cli_output_annot(eo_cli *c, const char *path, const char *in_base, eo_error *err);
/* 1 when annotator names a reference annotation file (atr). */
int eo_cli_is_reference_annotator(const char *annotator);

/* Split an output record path "dir/name[.hea]" into dir ("." when none) and
 * name; returns 0, or -1 when it does not fit or the name is empty. */
int eo_cli_split_record(const char *path, char *dir, size_t nd, char *name, size_t nn);

/* Print "ecgopt: <message>" (or a JSON error object with --json), remove the
 * outputs registered with eo_cli_output* that did not exist before, and
 * return the exit code of err->status. */
int eo_cli_fail(const eo_cli *c, const eo_error *err);
/* Print "ecgopt <cmd>: <message>" plus a hint to --help; returns 1. */
int eo_cli_usage(const eo_cli *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Informational text on stderr unless --quiet (the caller ends it with '\n'). */
void eo_cli_info(const eo_cli *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The text a library function wrote into b (eo_strbuf) on stdout; frees b. */
void eo_cli_print(eo_strbuf *b);

/* An eo_progress_fn: user must be an eo_cli*.  Draws "what [####    ] 42%
 * ETA 0:12" on stderr when c->progress, at most 10 times a second. */
int eo_cli_progress(void *user, double done, double total, const char *what);
/* Finish the bar line (newline) if one was drawn. */
void eo_cli_progress_end(eo_cli *c);

/* Sampling rates a command accepts (records and --fs). */
#define EO_CLI_FS_MIN 100.0
#define EO_CLI_FS_MAX 10000.0

/* --lead NAME|INDEX of a record (src/cli/cli_lead.c): the lead asked for,
 * else the model's (model_lead may be NULL), else the fallback order of
 * ecgopt/lead.h; says which on stderr when none was asked for, and warns
 * about another lead than the model's, an uncalibrated signal (gain 0) and
 * units other than mV.  A record outside EO_CLI_FS_MIN..MAX is an error.
 * Fills *index and the lead's description. */
eo_status eo_cli_pick_lead(const eo_cli *c, const char *record, const char *base,
                           const char *lead, const char *model_lead, int *index, char *desc,
                           size_t desc_size, eo_error *err);

/* ---- declarative options (cli_opt.c) -----------------------------------
 * A command lists its options as a table; eo_cli_parse parses argv with it
 * (strict numbers with their range, unknown options refused) and
 * eo_cli_help prints the help text, and through scripts/gen-man.sh the man
 * page, from the same table. */
typedef enum eo_opt_type {
    EO_OPT_END = 0, /* ends a table */
    EO_OPT_FLAG,    /* no value; *(int *)dst = 1 */
    EO_OPT_STR,     /* *(const char **)dst = value */
    EO_OPT_DOUBLE,  /* *(double *)dst, within [lo, hi] */
    EO_OPT_LONG,    /* *(long *)dst, within [lo, hi] */
    EO_OPT_INT,     /* *(int *)dst, within [lo, hi] */
    EO_OPT_TEXT     /* no option: a line of help text between options */
} eo_opt_type;

typedef struct eo_cli_opt {
    const char *name;    /* "--to"; for EO_OPT_TEXT the text */
    eo_opt_type type;
    void *dst;
    double lo, hi;       /* numeric range, inclusive */
    const char *metavar; /* "S", "FILE.html"; NULL for flags */
    const char *help;    /* one line (may hold '\n' for a second line) */
    const char *alias;   /* an old spelling, accepted with a deprecation warning */
} eo_cli_opt;

/* Shared option groups, defined once: the span of a record, the lead of a
 * single-signal command, an HTML report. */
#define EO_OPT_SPAN(from, to)                                                              \
    {"--from", EO_OPT_DOUBLE, (from), 0, 1e9, "S", "start, seconds from the record's start (default 0)", NULL}, \
    {"--to", EO_OPT_DOUBLE, (to), 0, 1e9, "S", "end, seconds (default: the end of the record)", NULL}
#define EO_OPT_LEAD(lead)                                                                  \
    {"--lead", EO_OPT_STR, (lead), 0, 0, "NAME|INDEX", "the signal to use: a description (MLII) or an index from 0", NULL}
#define EO_OPT_REPORT(path)                                                                \
    {"--report", EO_OPT_STR, (path), 0, 0, "FILE.html", "also write a self-contained HTML report (checked before the work)", NULL}
#define EO_OPT_REPORT_SPAN(from, seconds)                                                          \
    {"--report-from", EO_OPT_DOUBLE, (from), 0, 1e7, "S", "start of the span the report draws (default 0 s)", NULL}, \
    {"--report-seconds", EO_OPT_DOUBLE, (seconds), 1, 600, "S", "length of the span the report draws (default 60 s)", NULL}
#define EO_OPT_TABLE_END {NULL, EO_OPT_END, NULL, 0, 0, NULL, NULL, NULL}

/* A command's help: usage synopsis, prose, its option table, examples. */
typedef struct eo_cli_spec {
    const char *synopsis;    /* after "usage: ecgopt " */
    const char *description; /* paragraphs, '\n'-terminated lines */
    const eo_cli_opt *opts;
    const char *examples;    /* '\n'-terminated "ecgopt ..." lines */
    const char *exit_codes;  /* NULL: the common rule */
} eo_cli_spec;

/* Parse argv[1..argc) with opts: options anywhere, positionals into pos[]
 * (at most max_pos; more is a usage error naming `what`), "--" ends options.
 * Returns 0, or 1 after printing the usage error. */
int eo_cli_parse(const eo_cli *c, const eo_cli_opt *opts, int argc, char **argv, const char **pos,
                 int max_pos, int *n_pos, const char *what);
/* Print the help of a command on stdout: usage, description, options (with
 * their ranges), the common options, examples, exit codes. */
void eo_cli_help(const eo_cli *c, const eo_cli_spec *spec);

/* A command's --help or its arguments: with --help print spec's help with
 * `opts` (spec->opts ignored) and return 0; otherwise eo_cli_parse and
 * return -1 to go on, or 1 after a usage error. */
int eo_cli_help_or_parse(const eo_cli *c, const eo_cli_spec *spec, const eo_cli_opt *opts, int argc,
                         char **argv, const char **pos, int max_pos, int *n_pos, const char *what);

/* `ecgopt train --task compress` (src/cli/cmd_train_compress.c). */
int eo_cmd_train_compress(int argc, char **argv);
int eo_cmd_train_denoise(int argc, char **argv);

/* Subcommands: each lives in src/cli/cmd_<name>.c. */
#define EO_CLI_COMMANDS(X)                                                                   \
    X(info, "header summary, signals, annotation counts, rhythm episodes of a record")    \
    X(export, "samples and annotations out as CSV or JSON")                                \
    X(fetch, "download a PhysioNet database (mitdb, nstdb, ...), resumable, verified")   \
    X(synth, "synthetic ECG (ECGSYN) with ground-truth R peaks, written as a WFDB record") \
    X(denoise, "denoise a record (bandpass, wavelet, median, vmd, iaoa-vmd)")             \
    X(resample, "a record at another sampling rate, annotations moved to the new grid")  \
    X(detect, "QRS detection; writes a WFDB annotation file")                              \
    X(evaluate, "compare two annotators beat by beat the ANSI/AAMI EC57 way")              \
    X(train, "train a classifier or a compression autoencoder")                            \
    X(classify, "label the beats of a record with a trained model")                        \
    X(compress, "compress a record into an .ecgz file")                                    \
    X(decompress, "decompress an .ecgz file into a WFDB record")                           \
    X(model, "inspect a network spec or model file: layers, parameters, FLOPs")            \
    X(tune, "run a tuning study (optimiser x objective), resumable")                       \
    X(study, "show a tuning study: best trials and convergence")                           \
    X(cec2017, "CEC 2017 benchmark functions: eval points, run the protocol")              \
    X(bench, "benchmark protocols: bench cec2017 --algorithms ... --dim D --runs R")        \
    X(demo, "run the whole pipeline on the data found and write demo-report.html")

#define EO_CLI_DECLARE(name, desc) int eo_cmd_##name(int argc, char **argv);
EO_CLI_COMMANDS(EO_CLI_DECLARE)
#undef EO_CLI_DECLARE

#endif
