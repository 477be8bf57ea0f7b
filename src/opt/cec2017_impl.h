/* Private to the CEC 2017 implementation: the problem object and the
 * component functions, each with the official code's signature plus the
 * object that holds what the official code kept in globals. */
#ifndef EO_CEC2017_IMPL_H
#define EO_CEC2017_IMPL_H

#include "ecgopt/cec2017.h"

struct eo_cec2017 {
    int func, nx, ncomp;
    double *os;   /* ncomp shift vectors of nx */
    double *mr;   /* ncomp row-major nx*nx rotations */
    int *ss;      /* permutation(s), 1-based as in the files; NULL if none */
    double *y, *z; /* the official code's global scratch vectors */
    double *tmp;   /* per-call scratch (Levy's w, bi-Rastrigin's tmpx) */
};

typedef struct eo_cec2017 eo_cec_ctx;

#define EO_CEC_BASIC(name)                                                                  \
    void name(eo_cec_ctx *c, const double *x, double *f, int nx, const double *Os,          \
              const double *Mr, int s_flag, int r_flag)

EO_CEC_BASIC(eo_cec_ellips);
EO_CEC_BASIC(eo_cec_bent_cigar);
EO_CEC_BASIC(eo_cec_discus);
EO_CEC_BASIC(eo_cec_zakharov);
EO_CEC_BASIC(eo_cec_rosenbrock);
EO_CEC_BASIC(eo_cec_schaffer_f7);
EO_CEC_BASIC(eo_cec_ackley);
EO_CEC_BASIC(eo_cec_weierstrass);
EO_CEC_BASIC(eo_cec_griewank);
EO_CEC_BASIC(eo_cec_rastrigin);
EO_CEC_BASIC(eo_cec_step_rastrigin);
EO_CEC_BASIC(eo_cec_schwefel);
EO_CEC_BASIC(eo_cec_katsuura);
EO_CEC_BASIC(eo_cec_bi_rastrigin);
EO_CEC_BASIC(eo_cec_grie_rosen);
EO_CEC_BASIC(eo_cec_escaffer6);
EO_CEC_BASIC(eo_cec_happycat);
EO_CEC_BASIC(eo_cec_hgbat);
EO_CEC_BASIC(eo_cec_levy);

/* Hybrid function k = 1..10 (F10+k). */
void eo_cec_hybrid(eo_cec_ctx *c, int k, const double *x, double *f, int nx, const double *Os,
                   const double *Mr, const int *S, int s_flag, int r_flag);
/* Composition function k = 1..10 (F20+k). */
void eo_cec_composition(eo_cec_ctx *c, int k, const double *x, double *f, int nx,
                        const double *Os, const double *Mr, const int *S);

/* Shift by Os (if s_flag), scale by sh_rate, rotate by Mr (if r_flag) into
 * sr_x; like the official sr_func it leaves the scaled shifted point in c->y
 * when rotating. */
void eo_cec_sr(eo_cec_ctx *c, const double *x, double *sr_x, int nx, const double *Os,
               const double *Mr, double sh_rate, int s_flag, int r_flag);

#endif
