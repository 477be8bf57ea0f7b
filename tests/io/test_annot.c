/* io: MIT annotation format — code table, AAMI classes, SKIP/NUM/SUB/CHN/AUX
 * on hand-made bytes, write -> read identity, and bad input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/wfdb.h"
#include "eo_test.h"

TEST(code_table)
{
    static const char *syms = "NLRaVFJASEj/Q~";
    for (int c = 1; c <= 14; c++) {
        char s[2] = {syms[c - 1], 0};
        CHECK_MSG(strcmp(eo_annot_code_symbol(c), s) == 0, "code %d", c);
        CHECK_EQ_INT(eo_annot_code_from_symbol(s), c);
    }
    CHECK_EQ_INT(eo_annot_code_from_symbol("|"), 16);
    CHECK_EQ_INT(eo_annot_code_from_symbol("+"), 28);
    CHECK_EQ_INT(eo_annot_code_from_symbol("\""), 22);
    CHECK_EQ_INT(eo_annot_code_from_symbol("!"), 31);
    CHECK_EQ_INT(eo_annot_code_from_symbol("["), 32);
    CHECK_EQ_INT(eo_annot_code_from_symbol("]"), 33);
    CHECK_EQ_INT(eo_annot_code_from_symbol("x"), 37);
    CHECK_EQ_INT(eo_annot_code_from_symbol("f"), 38);
    CHECK_EQ_INT(eo_annot_code_from_symbol("("), 39);
    CHECK_EQ_INT(eo_annot_code_from_symbol("`"), 39);
    CHECK_EQ_INT(eo_annot_code_from_symbol(")"), 40);
    CHECK_EQ_INT(eo_annot_code_from_symbol("'"), 40);
    CHECK_EQ_INT(eo_annot_code_from_symbol("^"), 26);
    CHECK_EQ_INT(eo_annot_code_from_symbol("@"), 36);
    CHECK_EQ_INT(eo_annot_code_from_symbol("zz"), -1);
    CHECK_EQ_INT(eo_annot_code_from_symbol(""), -1);
    CHECK(strcmp(eo_annot_code_symbol(0), "") == 0);
    CHECK(strcmp(eo_annot_code_symbol(99), "") == 0);
    CHECK(strstr(eo_annot_code_description(5), "ventricular") != NULL);
    /* isqrs(): 19 beat codes of WFDB */
    int nb = 0;
    for (int c = 0; c < 64; c++)
        nb += eo_annot_is_beat(c);
    CHECK_EQ_INT(nb, 19);
    CHECK(!eo_annot_is_beat(28) && !eo_annot_is_beat(14) && !eo_annot_is_beat(37));
}

TEST(counts)
{
    /* N N V + A F ~ (noise, not a beat) Q */
    static const char *syms[] = {"N", "N", "V", "+", "A", "F", "~", "Q"};
    eo_annotation_set *a = eo_annot_set_new();
    eo_error err;
    CHECK(a != NULL);
    for (int i = 0; a && i < 8; i++) {
        eo_annotation it;
        memset(&it, 0, sizeof it);
        it.sample = 100 * i;
        it.code = eo_annot_code_from_symbol(syms[i]);
        CHECK_OK(eo_annot_set_push(a, &it, &err), &err);
    }
    eo_annot_counts k;
    eo_annot_count(a, &k);
    CHECK_EQ_INT(k.total, 8);
    CHECK_EQ_INT(k.beats, 6);
    CHECK_EQ_INT(k.by_code[1], 2);
    CHECK_EQ_INT(k.by_code[28], 1);
    CHECK_EQ_INT(k.by_code[14], 1);
    CHECK_EQ_INT(k.by_aami[EO_AAMI_N], 2);
    CHECK_EQ_INT(k.by_aami[EO_AAMI_S], 1);
    CHECK_EQ_INT(k.by_aami[EO_AAMI_V], 1);
    CHECK_EQ_INT(k.by_aami[EO_AAMI_F], 1);
    CHECK_EQ_INT(k.by_aami[EO_AAMI_Q], 1);
    eo_annot_set_destroy(a);
    eo_annot_count(NULL, &k);
    CHECK_EQ_INT(k.total, 0);
    CHECK_EQ_INT(k.beats, 0);
}

TEST(aami_classes)
{
    static const char *n = "NLRej", *s = "AaJS", *v = "VE", *q = "/fQ";
    for (const char *p = n; *p; p++) {
        char b[2] = {*p, 0};
        CHECK_EQ_INT(eo_annot_aami_class(eo_annot_code_from_symbol(b)), EO_AAMI_N);
    }
    for (const char *p = s; *p; p++) {
        char b[2] = {*p, 0};
        CHECK_EQ_INT(eo_annot_aami_class(eo_annot_code_from_symbol(b)), EO_AAMI_S);
    }
    for (const char *p = v; *p; p++) {
        char b[2] = {*p, 0};
        CHECK_EQ_INT(eo_annot_aami_class(eo_annot_code_from_symbol(b)), EO_AAMI_V);
    }
    for (const char *p = q; *p; p++) {
        char b[2] = {*p, 0};
        CHECK_EQ_INT(eo_annot_aami_class(eo_annot_code_from_symbol(b)), EO_AAMI_Q);
    }
    CHECK_EQ_INT(eo_annot_aami_class(6), EO_AAMI_F);
    CHECK_EQ_INT(eo_annot_aami_class(28), EO_AAMI_NONE);
    CHECK_EQ_INT(eo_annot_aami_class(14), EO_AAMI_NONE);
    CHECK(strcmp(eo_aami_class_name(EO_AAMI_F), "F") == 0);
    CHECK(strcmp(eo_aami_class_name(EO_AAMI_NONE), "") == 0);
}

/* bytes by hand: N at 5; SKIP 70000 then V; SUB -1; CHN 2; NUM 7; AUX "(AFIB" on a '+' */
static const unsigned char HAND[] = {
    0x05, 0x04,             /* A=1 (N), I=5 -> t=5 */
    0x00, 0xec,             /* SKIP (59<<10) */
    0x01, 0x00, 0x6b, 0x11, /* high word 0x0001, low word 0x116b: 70000 - 5 = 69995 */
    0x00, 0x14,             /* A=5 (V), I=0 -> t=70000 */
    0xff, 0xf7,             /* SUB (61<<10) | 0x3ff -> -1 */
    0x02, 0xf8,             /* CHN 2 */
    0x07, 0xf0,             /* NUM 7 */
    0x0a, 0x70,             /* A=28 (+), I=10 -> t=70010 */
    0x05, 0xfc,             /* AUX, 5 bytes */
    '(', 'A', 'F', 'I', 'B', 0x00,
    0x00, 0x00,             /* end */
};

TEST(hand_made_bytes)
{
    eo_annotation_set *a = NULL;
    eo_error err;
    CHECK_OK(eo_annot_parse(HAND, sizeof HAND, "h.atr", &a, &err), &err);
    if (!a)
        return;
    CHECK_EQ_INT(a->n, 3);
    CHECK_EQ_INT(a->items[0].sample, 5);
    CHECK_EQ_INT(a->items[0].code, 1);
    CHECK_EQ_INT(a->items[1].sample, 70000);
    CHECK_EQ_INT(a->items[1].code, 5);
    CHECK_EQ_INT(a->items[1].subtype, -1);
    CHECK_EQ_INT(a->items[1].chan, 2);
    CHECK_EQ_INT(a->items[1].num, 7);
    CHECK_EQ_INT(a->items[2].sample, 70010);
    CHECK_EQ_INT(a->items[2].subtype, 0); /* SUB applies to one annotation */
    CHECK_EQ_INT(a->items[2].chan, 2);    /* CHN and NUM carry over */
    CHECK_EQ_INT(a->items[2].num, 7);
    CHECK(a->items[2].aux && strcmp(a->items[2].aux, "(AFIB") == 0);
    CHECK_EQ_INT(a->items[2].aux_len, 5);
    /* writing gives back exactly these bytes (the order putann() uses) */
    char path[] = "/tmp/eo_annot_XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    CHECK_OK(eo_annot_write(path, a, &err), &err);
    FILE *f = fopen(path, "rb");
    unsigned char buf[256];
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    CHECK_EQ_INT(n, sizeof HAND);
    CHECK(n == sizeof HAND && memcmp(buf, HAND, n) == 0);
    /* a negative time step goes through SKIP too */
    eo_annotation_set *b = eo_annot_set_new();
    eo_annotation it = {0};
    it.sample = 100;
    it.code = 1;
    CHECK_OK(eo_annot_set_push(b, &it, &err), &err);
    it.sample = 40;
    it.code = 22;
    it.aux = "odd";
    CHECK_OK(eo_annot_set_push(b, &it, &err), &err);
    CHECK_OK(eo_annot_write(path, b, &err), &err);
    eo_annotation_set *c = NULL;
    CHECK_OK(eo_annot_read(path, &c, &err), &err);
    if (c) {
        CHECK_EQ_INT(c->n, 2);
        CHECK_EQ_INT(c->items[1].sample, 40);
        CHECK(c->items[1].aux && strcmp(c->items[1].aux, "odd") == 0);
    }
    /* bad values are refused */
    b->items[0].code = 0;
    CHECK(eo_annot_write(path, b, &err) == EO_STATUS_OUT_OF_RANGE);
    unlink(path);
    eo_annot_set_destroy(a);
    eo_annot_set_destroy(b);
    eo_annot_set_destroy(c);
    eo_annot_set_destroy(NULL);
}

TEST(bad_annotation_files)
{
    eo_annotation_set *a = NULL;
    eo_error err;
    /* cut in the middle of the SKIP interval */
    CHECK(eo_annot_parse(HAND, 6, "h.atr", &a, &err) == EO_STATUS_BAD_FORMAT && !a);
    CHECK_MSG(strstr(err.msg, "h.atr: byte 2: SKIP needs 4 more bytes"), "%s", err.msg);
    /* cut mid-word */
    CHECK(eo_annot_parse(HAND, 3, "h.atr", &a, &err) == EO_STATUS_BAD_FORMAT);
    CHECK_MSG(strstr(err.msg, "h.atr: byte 2: file cut in the middle of a 16-bit word"), "%s", err.msg);
    /* AUX past the end */
    CHECK(eo_annot_parse(HAND, 22, "h.atr", &a, &err) == EO_STATUS_BAD_FORMAT);
    CHECK_MSG(strstr(err.msg, "h.atr: byte 18: AUX of 5 bytes runs past the end"), "%s", err.msg);
    /* NUM before any annotation */
    static const unsigned char num_first[] = {0x07, 0xf0, 0x00, 0x00};
    CHECK(eo_annot_parse(num_first, 4, "h.atr", &a, &err) == EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "byte 0: NUM before the first annotation") != NULL);
    /* missing end marker is tolerated (as getann()) */
    CHECK_OK(eo_annot_parse(HAND, sizeof HAND - 2, "h.atr", &a, &err), &err);
    CHECK(a && a->n == 3);
    eo_annot_set_destroy(a);
    a = NULL;
    CHECK(eo_annot_read("/nonexistent/x.atr", &a, &err) != EO_STATUS_OK && strstr(err.msg, "x.atr"));
}

int main(void)
{
    RUN(code_table);
    RUN(aami_classes);
    RUN(counts);
    RUN(hand_made_bytes);
    RUN(bad_annotation_files);
    TEST_END();
}
