/* eo_ec57_result_json (ec57.h): the figures of a hand-made matrix, NaN as null. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/ec57.h"
#include "eo_test.h"

TEST(hand_made_matrix)
{
    eo_ec57_result g;
    memset(&g, 0, sizeof g);
    g.m[0][0] = 90; /* N as N */
    g.m[2][2] = 8;  /* V as V */
    g.m[0][2] = 2;  /* N as V: 2 false VEB */
    char buf[1024] = "";
    FILE *fp = tmpfile();
    CHECK(fp != NULL);
    if (!fp)
        return;
    eo_json j;
    eo_json_init(&j, fp);
    eo_ec57_result_json(&j, &g);
    rewind(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = 0;
    fclose(fp);
    /* VEB Se 8/8, +P 8/10, FPR 2/(90+2); no S beat: SVEB Se undefined */
    CHECK_MSG(strstr(buf, "\"veb_se\":100,\"veb_ppv\":80,\"veb_fpr\":2.17391304347826") != NULL, "%s", buf);
    CHECK_MSG(strstr(buf, "\"sveb_se\":null") != NULL, "%s", buf);
    CHECK_MSG(strstr(buf, "\"qrs_se\":100,\"qrs_ppv\":100,\"accuracy\":98,\"matched\":100}") != NULL, "%s", buf);
}

int main(void)
{
    RUN(hand_made_matrix);
    TEST_END();
}
