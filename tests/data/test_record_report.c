/* data: the record reports of `ecgopt export --report` and `ecgopt info
 * --report` on MIT-BIH 100 (its first 10 s hold 13 beats, the first at
 * sample 77), the beat marks of an annotation set, and the same HTML as
 * the command wrote before the report moved into the library. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/record_report.h"
#include "eo_test.h"

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *s = malloc((size_t)n + 1);
    if (s)
        s[fread(s, 1, (size_t)n, fp)] = 0;
    fclose(fp);
    return s;
}

static int count(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = s; p && (p = strstr(p, what)) != NULL; p += strlen(what))
        n++;
    return n;
}

TEST(strip_marks_of_100)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/mitdb/100.atr", eo_test_data_dir());
    eo_annotation_set *a = NULL;
    eo_error err;
    CHECK_OK(eo_annot_read(path, &a, &err), &err);
    if (!a)
        return;
    eo_strip_mark *m = NULL;
    size_t n = 0;
    /* the '+' rhythm annotation at sample 18 is no beat */
    CHECK_OK(eo_annot_strip_marks(a, 0, 3600, &m, &n, &err), &err);
    CHECK_EQ_INT((long)n, 13);
    CHECK(m && m[0].sample == 77 && strcmp(m[0].ref_label, "N") == 0);
    CHECK(m && m[12].sample == 3560);
    free(m);
    eo_annot_set_destroy(a);
}

TEST(export_and_info_reports)
{
    char base[1024], path[64] = "test_record_report.html";
    snprintf(base, sizeof base, "%s/mitdb/100", eo_test_data_dir());
    eo_error err;
    CHECK_OK(eo_record_report_export(path, "mitdb/100", base, NULL, 0, 3600, 60, "atr", NULL, &err), &err);
    char *html = slurp(path);
    CHECK(html && strstr(html, "Exported span 0.00-10.00 s (samples 0-3600) of 1805.6 s; drawn: 0.00-10.00 s, "
                               "2 signal(s) at 360 Hz; beat labels: atr.") != NULL);
    CHECK(html && strstr(html, "ecgopt export: record mitdb/100") != NULL);
    CHECK_EQ_INT(count(html, "<svg"), 2);
    free(html);
    /* an empty span is refused with the report's name */
    CHECK_EQ_INT(eo_record_report_export(path, "mitdb/100", base, NULL, 100, 100, 60, "atr", NULL, &err),
                 EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, path) != NULL);
    CHECK_EQ_INT(eo_record_report_export(NULL, "mitdb/100", base, NULL, 0, 10, 60, "atr", NULL, &err),
                 EO_STATUS_USAGE);
    CHECK_EQ_INT(eo_record_report_info(path, "mitdb/100", base, NULL, NULL, 0, 60, &err), EO_STATUS_USAGE);

    eo_record_summary *s = NULL;
    CHECK_OK(eo_record_summarize(base, NULL, "atr", NULL, NULL, &s, &err), &err);
    CHECK_OK(eo_record_report_info(path, "mitdb/100", base, NULL, s, 0, 60, &err), &err);
    html = slurp(path);
    CHECK(html && strstr(html, "2 signal(s) at 360 Hz, 1805.6 s; shown: 0.0-60.0 s. Beat labels are the atr "
                               "annotation symbols.") != NULL);
    CHECK(html && strstr(html, "2274 annotations in mitdb/100.atr over the whole record.") != NULL);
    CHECK(html && strstr(html, "Signal 1: V5") != NULL);
    CHECK_EQ_INT(count(html, "<svg"), 17); /* as `ecgopt info 100 --report` drew before */
    free(html);
    eo_record_summary_destroy(s);
    unlink(path);
}

int main(void)
{
    RUN(strip_marks_of_100);
    RUN(export_and_info_reports);
    TEST_END();
}
