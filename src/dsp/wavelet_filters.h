/* Private: the generated table of wavelet filter banks (wavelet_filters.c). */
#ifndef EO_DSP_WAVELET_FILTERS_H
#define EO_DSP_WAVELET_FILTERS_H
#include "ecgopt/dsp.h"
extern const eo_wavelet eo_wavelet_table[];
extern const int eo_wavelet_table_len;
#endif
