/* eo_denoise_train_report_json (denoise.h): a hand-made report, every key
 * with its value, NaN as null, no model key without a path; the top-level
 * object ends with a newline (eo_json). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ecgopt/denoise.h"
#include "eo_test.h"

static void json_of(const eo_denoise_train_report *rep, const char *model, char *buf, size_t n)
{
    buf[0] = 0;
    FILE *fp = tmpfile();
    if (!fp)
        return;
    eo_json j;
    eo_json_init(&j, fp);
    eo_denoise_train_report_json(&j, rep, model);
    rewind(fp);
    size_t got = fread(buf, 1, n - 1, fp);
    buf[got] = 0;
    fclose(fp);
}

TEST(hand_made_report)
{
    eo_denoise_train_report rep = {8, 6, 0.25, 0.5, 0.125, 4321, 12.5};
    char buf[512];
    json_of(&rep, "m.eom", buf, sizeof buf);
    CHECK_MSG(!strcmp(buf, "{\"model\":\"m.eom\",\"params\":4321,\"epochs_run\":8,\"best_epoch\":6,"
                           "\"val_mse\":0.25,\"val_mse_median_only\":0.5,\"seconds\":12.5}\n"), "%s", buf);
    rep.best_val_loss = NAN;
    json_of(&rep, NULL, buf, sizeof buf);
    CHECK_MSG(!strcmp(buf, "{\"params\":4321,\"epochs_run\":8,\"best_epoch\":6,\"val_mse\":null,"
                           "\"val_mse_median_only\":0.5,\"seconds\":12.5}\n"), "%s", buf);
}

int main(void)
{
    RUN(hand_made_report);
    TEST_END();
}
