/* Internal interface of the objectives: the generic object (objective.c),
 * one kind per file (objective_<name>.c) listed in objective_registry.c.
 *
 * A kind is data: its name, its search space as a table of eo_param_def,
 * the paper's optimiser defaults, and the functions that prepare its data,
 * evaluate a configuration and (optionally) train and test the winner. */
#ifndef EO_STUDY_OBJECTIVE_INTERNAL_H
#define EO_STUDY_OBJECTIVE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/beats.h"
#include "ecgopt/ml.h"
#include "ecgopt/opt.h"
#include "ecgopt/study.h"

/* One dimension of a preset's search space. */
typedef struct eo_param_def {
    const char *name;
    eo_param_kind kind;
    double lo, hi;               /* continuous/integer bounds */
    int log_scale;               /* continuous/integer: 1 = log scale */
    const char *const *choices;  /* categorical */
    size_t n_choices;
} eo_param_def;

#define EO_PARAM_REAL_DEF(n, l, h, lg) {(n), EO_PARAM_CONTINUOUS, (l), (h), (lg), NULL, 0}
#define EO_PARAM_INT_DEF(n, l, h, lg) {(n), EO_PARAM_INTEGER, (l), (h), (lg), NULL, 0}
#define EO_PARAM_CAT_DEF(n, c) {(n), EO_PARAM_CATEGORICAL, 0, 0, 0, (c), sizeof(c) / sizeof *(c)}

typedef struct eo_objective_kind eo_objective_kind;

struct eo_objective {
    char name[64];
    const eo_objective_kind *kind; /* NULL: a function objective (fn/user) */
    eo_space *space;
    eo_study_objective_fn fn;
    void *user;
    char default_opt[32];
    size_t pop;
    long long iters;
    double timeout;
    eo_objective_options oo;  /* oo.data_dir is NULL: the copy is data_dir */
    char data_dir[4096];      /* "" = the default data directories */
    int prepared;
    void *state;              /* the kind's data, freed by kind->free_state */
};

struct eo_objective_kind {
    const char *name;
    const char *summary;          /* one line, with the paper (author, year) */
    const eo_param_def *space;
    size_t dim;
    const char *optimizer;
    size_t pop;
    long long iters;
    double timeout_s;
    const void *config;           /* kind-specific constants */
    /* load the data the evaluations need into o->state; NULL: nothing */
    eo_status (*prepare)(eo_objective *o, eo_error *err);
    eo_status (*eval)(eo_objective *o, const double *values, uint64_t seed, double fidelity,
                      eo_trial_result *res, eo_error *err);
    /* the winner on the test split: *n_out figures in test[]/names[];
     * NULL: the kind has no final step */
    eo_status (*finalize)(eo_objective *o, const double *values, uint64_t seed,
                          const char *model_path, double test[4], const char *names[4],
                          int *n_out, eo_error *err);
    void (*free_state)(void *state);
};

/* objective_registry.c: every preset kind, NULL-terminated */
const eo_objective_kind *const *eo_objective_kinds(void);
const eo_objective_kind *eo_objective_kind_find(const char *name);

/* objective.c */
/* A new objective of `kind` (NULL: none) with an empty space. */
eo_status eo_objective_alloc(const char *name, const eo_objective_kind *kind, eo_objective **out,
                             eo_error *err);
/* The data directory to search (NULL: the default directories). */
const char *eo_objective_data_dir(const eo_objective *o);
/* Value of a categorical parameter whose choices are numbers. */
double eo_objective_cat_num(const eo_objective *o, const double *values, const char *name);
/* Value of parameter `name` (the space must have it). */
double eo_objective_value(const eo_objective *o, const double *values, const char *name);

/* objective_classify.c: shared by the three beat-classifier presets */
typedef struct eo_cls_config {
    eo_label_set labels;
    /* the network (spec) and training options of a configuration */
    void (*options)(const eo_objective *o, const double *values, int n_classes,
                    eo_classifier_options *co, char *spec, size_t n);
} eo_cls_config;
eo_status eo_cls_prepare(eo_objective *o, eo_error *err);
eo_status eo_cls_eval(eo_objective *o, const double *values, uint64_t seed, double fidelity,
                      eo_trial_result *res, eo_error *err);
eo_status eo_cls_finalize(eo_objective *o, const double *values, uint64_t seed,
                          const char *model_path, double test[4], const char *names[4],
                          int *n_out, eo_error *err);
void eo_cls_destroy(void *state);

/* the kinds */
extern const eo_objective_kind eo_objective_toy, eo_objective_compress_cae,
    eo_objective_compress_cae_attention, eo_objective_compress_cae_baseline,
    eo_objective_compress_cae_baseline_attention, eo_objective_classify_rescnn_bo,
    eo_objective_classify_cnnlstm_gwo, eo_objective_classify_cnn_olcpa,
    eo_objective_denoise_vmd_iaoa, eo_objective_compress_cae_rd,
    eo_objective_compress_cae_rd_noattention;

/* objective_compress_cae_rd.c (exposed for test_compress_cae_rd) */
struct eo_codec_ae;
struct eo_wfdb_record;
/* USAGE naming the first DS2 record among names (a trial may read DS1 only). */
eo_status eo_cae_rd_check_split(const char *const *names, int n, eo_error *err);
/* The prepared objective's validation records (MLII spans) into recs[5]; their number. */
int eo_cae_rd_val_records(const eo_objective *o, struct eo_wfdb_record **recs);
/* Train the configuration's model (prepared objective) at fidelity. */
eo_status eo_cae_rd_train(const eo_objective *o, const double *values, uint64_t seed,
                          double fidelity, struct eo_codec_ae **out, eo_error *err);
/* Code recs in ae mode: at target_prdn (fixed_step NULL) or at fixed_step[i];
 * *bps = 8 x all file bytes / all samples, *mean_prdn over records, steps[i]
 * (may be NULL) the step used. */
eo_status eo_cae_rd_measure(const struct eo_codec_ae *ae, struct eo_wfdb_record *const *recs,
                            int n, double target_prdn, const double *fixed_step, double *bps,
                            double *mean_prdn, double *steps, eo_error *err);


#endif
