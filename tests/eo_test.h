/* ecgopt — minimal test harness.  Each test executable runs its cases with
 * RUN(case) and ends with TEST_END(), which prints "N passed, N failed". */
#ifndef EO_TEST_H
#define EO_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/status.h"

static int eo_t_passed, eo_t_failed, eo_t_case_failed, eo_t_skipped_case;

#define TEST(name) static void name(void)

#define RUN(name)                                                            \
    do {                                                                     \
        eo_t_case_failed = 0;                                                \
        eo_t_skipped_case = 0;                                               \
        name();                                                              \
        if (eo_t_skipped_case) {                                             \
            printf("skip %s\n", #name);                                      \
        } else if (eo_t_case_failed) {                                       \
            eo_t_failed++;                                                   \
            printf("FAIL %s\n", #name);                                      \
        } else {                                                             \
            eo_t_passed++;                                                   \
            printf("ok   %s\n", #name);                                      \
        }                                                                    \
        fflush(stdout);                                                      \
    } while (0)

/* Only for data that CI always has; never to hide a failure. */
#define SKIP(why)                                                            \
    do {                                                                     \
        printf("     skipped: %s\n", why);                                   \
        eo_t_skipped_case = 1;                                               \
        return;                                                              \
    } while (0)

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, \
                    #cond);                                                  \
            eo_t_case_failed++;                                              \
        }                                                                    \
    } while (0)

#define CHECK_MSG(cond, ...)                                                 \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, \
                    #cond);                                                  \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            eo_t_case_failed++;                                              \
        }                                                                    \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                   \
    do {                                                                     \
        long long eo_a_ = (long long)(a), eo_b_ = (long long)(b);            \
        if (eo_a_ != eo_b_) {                                                \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n",      \
                    __FILE__, __LINE__, #a, eo_a_, #b, eo_b_);               \
            eo_t_case_failed++;                                              \
        }                                                                    \
    } while (0)

/* |a - b| <= atol + rtol * |b| */
#define CHECK_CLOSE(a, b, rtol, atol)                                        \
    do {                                                                     \
        double eo_a_ = (double)(a), eo_b_ = (double)(b);                     \
        if (!(fabs(eo_a_ - eo_b_) <= (atol) + (rtol)*fabs(eo_b_))) {         \
            fprintf(stderr, "%s:%d: %s = %.17g, expected %.17g (%s)\n",      \
                    __FILE__, __LINE__, #a, eo_a_, eo_b_, #b);               \
            eo_t_case_failed++;                                              \
        }                                                                    \
    } while (0)

/* The expression must return EO_STATUS_OK; prints the error otherwise. */
#define CHECK_OK(expr, errp)                                                 \
    do {                                                                     \
        eo_status eo_st_ = (expr);                                           \
        if (eo_st_ != EO_STATUS_OK) {                                        \
            fprintf(stderr, "%s:%d: %s -> %s: %s\n", __FILE__, __LINE__,     \
                    #expr, eo_status_str(eo_st_), (errp)->msg);              \
            eo_t_case_failed++;                                              \
        }                                                                    \
    } while (0)

#define TEST_END()                                                           \
    do {                                                                     \
        printf("%d passed, %d failed\n", eo_t_passed, eo_t_failed);          \
        return eo_t_failed ? 1 : 0;                                          \
    } while (0)

/* Path of the shared data folder: $ECGOPT_DATA or ../shared/data. */
static inline const char *eo_test_data_dir(void)
{
    const char *e = getenv("ECGOPT_DATA");
    return (e && *e) ? e : EO_TEST_DATA_DIR;
}

#endif
