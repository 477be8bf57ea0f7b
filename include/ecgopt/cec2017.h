/* ecgopt — the IEEE CEC 2017 bound-constrained single-objective benchmark
 * suite (Awad, Ali, Liang, Qu, Suganthan 2016, "Problem definitions and
 * evaluation criteria for the CEC 2017 special session and competition on
 * single objective real-parameter numerical optimization").
 *
 * Functions F1 and F3..F30 (F2 is excluded, as in the official suite), search
 * box [-100, 100]^D, optimum value f* = 100 * F.  The values reproduce the
 * competition's official C code (cec17_test_func.cpp) bit for bit up to
 * summation order, including its quirks (documented in docs/cec2017.md): F6
 * uses the shifted but unrotated point, F8's "step" never acts, F9 (Levy) is
 * not 900 at the shift vector, hybrid components that read the scratch
 * vector read its first entries.
 *
 * The shift vectors, rotation matrices and permutations are read once from a
 * data directory into an eo_cec2017 object; there is no global state, so any
 * number of problems can live side by side.  An object has scratch buffers:
 * one object must not be evaluated from two threads at once (create one per
 * thread; they are cheap). */
#ifndef ECGOPT_CEC2017_H
#define ECGOPT_CEC2017_H

#include <stddef.h>

#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eo_cec2017 eo_cec2017;

#define EO_CEC2017_LOWER (-100.0)
#define EO_CEC2017_UPPER 100.0

/* 1 if `function` is one of 1, 3..30 and `dim` one of 2, 10, 20, 30, 50, 100
 * for which the official suite defines it (F11-F20 and F29/F30 have no D=2
 * data); 0 otherwise. Data files may still be missing for a valid pair. */
int eo_cec2017_valid(int function, int dim);

/* Find the CEC 2017 data folder: `dir` itself if it holds shift_data_1.txt,
 * else `<d>/cec2017` for each data folder d of eo_data_dirs(dir) (--data,
 * $ECGOPT_DATA, ./data, ../shared/data).  Writes the folder to out. */
eo_status eo_cec2017_find_dir(const char *dir, char *out, size_t out_size, eo_error *err);

/* Load function `function` (1, 3..30) in dimension `dim` from `data_dir`
 * (NULL: found with eo_cec2017_find_dir(NULL)).  A missing or short data file
 * is an error naming the file.  *out is owned by the caller. */
eo_status eo_cec2017_create(eo_cec2017 **out, int function, int dim, const char *data_dir,
                            eo_error *err);
void eo_cec2017_destroy(eo_cec2017 *p);   /* NULL is a no-op */

/* f(x) for x[0..dim-1]; not thread-safe on one object.  Points outside the
 * box are evaluated anyway (the official code does not clip). */
double eo_cec2017_eval(eo_cec2017 *p, const double *x);

int eo_cec2017_function(const eo_cec2017 *p);
int eo_cec2017_dim(const eo_cec2017 *p);
/* The optimum value f* = 100 * function (the error of x is f(x) - f*). */
double eo_cec2017_optimum(const eo_cec2017 *p);
/* Short name of a function ("Bent Cigar", "Hybrid 1", "Composition 10"). */
const char *eo_cec2017_name(int function);

#ifdef __cplusplus
}
#endif
#endif
