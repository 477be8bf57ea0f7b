/* eo_nn_summary_json (nn.h): the layers of a small network with the
 * parameters and FLOPs counted by hand. */
#include <stdio.h>
#include <string.h>

#include "ecgopt/nn.h"
#include "eo_test.h"

TEST(small_cnn_by_hand)
{
    eo_nn *nn = NULL;
    eo_error err;
    CHECK_OK(eo_nn_from_spec("conv(8,5) relu maxpool(2) flatten dense(5)", 1, 64, &nn, &err), &err);
    FILE *fp = tmpfile();
    if (!nn || !fp) {
        eo_nn_destroy(nn);
        if (fp)
            fclose(fp);
        return;
    }
    eo_json j;
    eo_json_init(&j, fp);
    eo_nn_summary_json(&j, nn, "spec");
    char buf[4096];
    rewind(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = 0;
    fclose(fp);
    eo_nn_destroy(nn);
    /* conv: 8 x (5 weights + bias) = 48 parameters, 2 x 5 x 8 x 64 = 5120 FLOPs;
     * dense: 256 x 5 + 5 = 1285 parameters, 2 x 256 x 5 = 2560 FLOPs */
    CHECK_MSG(strstr(buf, "{\"source\":\"spec\",\"spec\":\"conv(8,5,") == buf, "%s", buf);
    CHECK_MSG(strstr(buf, "\"input\":[1,64],\"output\":[5,1],\"layers\":[{\"layer\":\"conv(8,5,"), "%s", buf);
    CHECK_MSG(strstr(buf, "\"output\":[8,64],\"params\":48,\"flops\":5120}"), "%s", buf);
    CHECK_MSG(strstr(buf, "{\"layer\":\"flatten\",\"output\":[256,1],\"params\":0,\"flops\":0}"), "%s", buf);
    CHECK_MSG(strstr(buf, "{\"layer\":\"dense(5)\",\"output\":[5,1],\"params\":1285,\"flops\":2560}]"), "%s", buf);
    CHECK_MSG(strstr(buf, "\"params\":1333,\"flops_per_sample\":8704}") != NULL, "%s", buf);
    CHECK(!strstr(buf, "\"labels\"") && !strstr(buf, "\"metadata\""));
}

int main(void)
{
    RUN(small_cnn_by_hand);
    TEST_END();
}
