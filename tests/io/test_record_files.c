/* io: record_files.h — the files of a record found by device and inode
 * (another spelling of the path too), annotation extensions, and the
 * annotation files beside a record name. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecgopt/record_files.h"
#include "eo_test.h"

static void touch(const char *path)
{
    FILE *f = fopen(path, "w");
    if (f)
        fclose(f);
}

TEST(record_files_of_100)
{
    char base[1024], p[1200];
    snprintf(base, sizeof base, "%s/mitdb/100", eo_test_data_dir());
    snprintf(p, sizeof p, "%s.hea", base);
    CHECK_EQ_INT(eo_wfdb_is_record_file(p, base), 1);
    snprintf(p, sizeof p, "%s.dat", base);
    CHECK_EQ_INT(eo_wfdb_is_record_file(p, base), 1);
    snprintf(p, sizeof p, "%s/mitdb/./100.dat", eo_test_data_dir()); /* another spelling */
    CHECK_EQ_INT(eo_wfdb_is_record_file(p, base), 1);
    snprintf(p, sizeof p, "%s.atr", base); /* annotations are no signal file */
    CHECK_EQ_INT(eo_wfdb_is_record_file(p, base), 0);
    snprintf(p, sizeof p, "%s/mitdb/101.dat", eo_test_data_dir());
    CHECK_EQ_INT(eo_wfdb_is_record_file(p, base), 0);
    CHECK_EQ_INT(eo_wfdb_is_record_file(p, NULL), 0);
    CHECK_EQ_INT(eo_wfdb_is_record_file("/nonexistent/x.dat", "/nonexistent/x"), 0);
}

TEST(annotation_extensions)
{
    CHECK_EQ_INT(eo_wfdb_is_annotation_ext("atr"), 1);
    CHECK_EQ_INT(eo_wfdb_is_annotation_ext("qrs"), 1);
    CHECK_EQ_INT(eo_wfdb_is_annotation_ext("cls_2"), 1);
    CHECK_EQ_INT(eo_wfdb_is_annotation_ext("hea"), 0);
    CHECK_EQ_INT(eo_wfdb_is_annotation_ext("dat"), 0);
    CHECK_EQ_INT(eo_wfdb_is_annotation_ext("html"), 0);
    CHECK_EQ_INT(eo_wfdb_is_annotation_ext(""), 0);
    CHECK_EQ_INT(eo_wfdb_is_annotation_ext("a.b"), 0);
    CHECK_EQ_INT(eo_wfdb_is_annotation_ext("abcdefghijklmnopq"), 0); /* 17 characters */
}

TEST(annotations_beside_a_name)
{
    char dir[] = "test_record_files.d", p[256], found[64] = "";
    mkdir(dir, 0777);
    snprintf(p, sizeof p, "%s/rec.hea", dir);
    touch(p);
    snprintf(p, sizeof p, "%s/rec.csv", dir);
    touch(p);
    snprintf(p, sizeof p, "%s/record.atr", dir); /* another name that starts alike */
    touch(p);
    CHECK_EQ_INT(eo_wfdb_find_annotations(dir, "rec", found, sizeof found), 0);
    snprintf(p, sizeof p, "%s/rec.qrs", dir);
    touch(p);
    CHECK_EQ_INT(eo_wfdb_find_annotations(dir, "rec", found, sizeof found), 1);
    CHECK(strcmp(found, "rec.qrs") == 0);
    CHECK_EQ_INT(eo_wfdb_find_annotations("/nonexistent-dir", "rec", found, sizeof found), 0);
    const char *names[] = {"rec.hea", "rec.csv", "record.atr", "rec.qrs"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

TEST(split_record_paths)
{
    char dir[16], name[16];
    CHECK_EQ_INT(eo_wfdb_split_record("out/rec.hea", dir, sizeof dir, name, sizeof name), 0);
    CHECK(strcmp(dir, "out") == 0 && strcmp(name, "rec") == 0);
    CHECK_EQ_INT(eo_wfdb_split_record("rec", dir, sizeof dir, name, sizeof name), 0);
    CHECK(strcmp(dir, ".") == 0 && strcmp(name, "rec") == 0);
    CHECK_EQ_INT(eo_wfdb_split_record("/rec", dir, sizeof dir, name, sizeof name), 0);
    CHECK(strcmp(dir, "/") == 0 && strcmp(name, "rec") == 0);
    CHECK_EQ_INT(eo_wfdb_split_record("a/b/c.dat", dir, sizeof dir, name, sizeof name), 0);
    CHECK(strcmp(dir, "a/b") == 0 && strcmp(name, "c.dat") == 0);
    CHECK_EQ_INT(eo_wfdb_split_record("out/", dir, sizeof dir, name, sizeof name), -1);
    CHECK_EQ_INT(eo_wfdb_split_record("out/.hea", dir, sizeof dir, name, sizeof name), 0);
    CHECK(strcmp(name, ".hea") == 0); /* only a ".hea" after a name is cut */
    CHECK_EQ_INT(eo_wfdb_split_record("a-very-long-folder-name/rec", dir, sizeof dir, name, sizeof name), -1);
}

int main(void)
{
    RUN(record_files_of_100);
    RUN(annotation_extensions);
    RUN(annotations_beside_a_name);
    RUN(split_record_paths);
    TEST_END();
}
