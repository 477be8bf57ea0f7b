/* Wirth's selection of the k-th smallest element (Algorithms + Data
 * Structures = Programs, 1976), one text for both element types (util.h):
 * ml selects on floats, the denoiser's beat template on doubles. */
#include "ecgopt/util.h"

#define EO_SELECT_KTH_DEFINE(name, T)                                                              \
    T name(T *v, size_t n, size_t kth)                                                      \
    {                                                                                              \
        long k = (long)kth, l = 0, m = (long)n - 1;                                                \
        while (l < m) {                                                                            \
            T x = v[k];                                                                            \
            long i = l, j = m;                                                                     \
            do {                                                                                   \
                while (v[i] < x)                                                                   \
                    i++;                                                                           \
                while (x < v[j])                                                                   \
                    j--;                                                                           \
                if (i <= j) {                                                                      \
                    T t_ = v[i];                                                                   \
                    v[i] = v[j];                                                                   \
                    v[j] = t_;                                                                     \
                    i++;                                                                           \
                    j--;                                                                           \
                }                                                                                  \
            } while (i <= j);                                                                      \
            if (j < k)                                                                             \
                l = i;                                                                             \
            if (k < i)                                                                             \
                m = j;                                                                             \
        }                                                                                          \
        return v[k];                                                                               \
    }


EO_SELECT_KTH_DEFINE(eo_select_kth, double)
EO_SELECT_KTH_DEFINE(eo_select_kth_float, float)
