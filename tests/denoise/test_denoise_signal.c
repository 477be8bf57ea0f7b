/* eo_denoise_signal (include/ecgopt/denoise.h): the method by name
 * at the defaults gives exactly eo_denoise()'s output; bad input is refused. */
#include "eo_test.h"

#include "ecgopt/denoise.h"

#define N 3600

static void synth(double *x)
{
    for (int i = 0; i < N; i++) {
        double t = i / 360.0, ph = fmod(t, 0.8) / 0.8;
        x[i] = 0.3 * sin(2 * M_PI * 0.3 * t) + 1.2 * exp(-pow((ph - 0.3) / 0.01, 2)) +
               0.05 * sin(2 * M_PI * 50 * t) + 0.02 * sin(i * 1.7);
    }
}

TEST(same_as_eo_denoise)
{
    static double x[N], y[N], ref[N];
    synth(x);
    const char *names[] = {"bandpass", "wavelet", "median"};
    const eo_denoise_method m[] = {EO_DENOISE_BANDPASS, EO_DENOISE_WAVELET, EO_DENOISE_MEDIAN};
    for (int k = 0; k < 3; k++) {
        eo_error err;
        eo_denoise_options o;
        eo_denoise_defaults(&o);
        o.method = m[k];
        eo_denoise_report rep;
        CHECK_OK(eo_denoise(x, N, 360.0, &o, ref, &rep, &err), &err);
        CHECK_OK(eo_denoise_signal(x, N, 360.0, names[k], 1, y, &err), &err);
        CHECK_MSG(memcmp(y, ref, sizeof y) == 0, "%s differs from eo_denoise", names[k]);
        double d = 0;
        for (int i = 0; i < N; i++)
            d += fabs(y[i] - x[i]);
        CHECK_MSG(d > 1e-3 * N, "%s left the signal unchanged", names[k]);
    }
}

TEST(bad_input)
{
    static double x[N], y[N];
    synth(x);
    eo_error err;
    CHECK_EQ_INT(eo_denoise_signal(x, N, 360.0, "fft", 1, y, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "fft") != NULL);
    CHECK_EQ_INT(eo_denoise_signal(x, N, 0.0, "wavelet", 1, y, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_denoise_signal(x, 0, 360.0, "wavelet", 1, y, &err), EO_STATUS_USAGE);
    CHECK_EQ_INT(eo_denoise_signal(NULL, N, 360.0, "wavelet", 1, y, &err), EO_STATUS_USAGE);
    x[123] = NAN;
    CHECK_EQ_INT(eo_denoise_signal(x, N, 360.0, "wavelet", 1, y, &err), EO_STATUS_NUMERIC);
    CHECK(strstr(err.msg, "123") != NULL);
}

int main(void)
{
    RUN(same_as_eo_denoise);
    RUN(bad_input);
    TEST_END();
}
