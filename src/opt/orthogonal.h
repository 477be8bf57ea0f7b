/* Orthogonal arrays and orthogonal learning (private to src/opt). */
#ifndef EO_OPT_ORTHOGONAL_H
#define EO_OPT_ORTHOGONAL_H

#include <stddef.h>

#include "ecgopt/status.h"

/* Build the orthogonal array L_M(Q^K), M = Q^J rows, K = (Q^J - 1)/(Q - 1)
 * columns, entries 0..Q-1, for prime Q (Leung & Wang 2001, IEEE TEC 5(1),
 * "An orthogonal genetic algorithm with quantization", algorithm for the
 * construction of orthogonal arrays).  *oa is malloc'd, row-major M x K. */
eo_status eo_oa_build(int q, int j, int **oa, int *m, int *k, eo_error *err);

/* 1 if every pair of columns of oa (m x k, levels 0..q-1) holds each of the
 * q*q level pairs equally often (the defining property). */
int eo_oa_check(const int *oa, int m, int k, int q);

/* Factor analysis (Leung & Wang 2001, sec. III-C; Zhan et al. 2011 OLPSO
 * eq. 9): for each factor c, the level whose rows have the lowest mean
 * fitness (minimisation).  f has m entries; best[k] receives the levels. */
void eo_oa_factor_analysis(const int *oa, int m, int k, int q, const double *f, int *best);

#endif
