#include "ecgopt/json.h"

#include <math.h>

void eo_json_init(eo_json *j, FILE *fp)
{
    j->fp = fp;
    j->depth = 0;
    j->count[0] = 0;
    j->after_key = 0;
}

static void sep(eo_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->count[j->depth]++ > 0)
        fputc(',', j->fp);
}

static void open_(eo_json *j, int c)
{
    sep(j);
    fputc(c, j->fp);
    if (j->depth + 1 < EO_JSON_MAX_DEPTH)
        j->depth++;
    j->count[j->depth] = 0;
}

static void close_(eo_json *j, int c)
{
    fputc(c, j->fp);
    if (j->depth > 0)
        j->depth--;
    if (j->depth == 0)
        fputc('\n', j->fp);
}

void eo_json_obj_begin(eo_json *j) { open_(j, '{'); }
void eo_json_obj_end(eo_json *j) { close_(j, '}'); }
void eo_json_arr_begin(eo_json *j) { open_(j, '['); }
void eo_json_arr_end(eo_json *j) { close_(j, ']'); }

void eo_json_write_escaped(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", fp); break;
        case '\\': fputs("\\\\", fp); break;
        case '\n': fputs("\\n", fp); break;
        case '\r': fputs("\\r", fp); break;
        case '\t': fputs("\\t", fp); break;
        default:
            if (*p < 0x20)
                fprintf(fp, "\\u%04x", *p);
            else
                fputc(*p, fp);
        }
    }
    fputc('"', fp);
}

void eo_json_key(eo_json *j, const char *key)
{
    sep(j);
    eo_json_write_escaped(j->fp, key);
    fputc(':', j->fp);
    j->after_key = 1;
}

void eo_json_str(eo_json *j, const char *s)
{
    sep(j);
    eo_json_write_escaped(j->fp, s);
}

void eo_json_num(eo_json *j, double v)
{
    sep(j);
    if (isfinite(v))
        fprintf(j->fp, "%.17g", v);
    else
        fputs("null", j->fp);
}

void eo_json_int(eo_json *j, long long v)
{
    sep(j);
    fprintf(j->fp, "%lld", v);
}

void eo_json_bool(eo_json *j, int v)
{
    sep(j);
    fputs(v ? "true" : "false", j->fp);
}

void eo_json_null(eo_json *j)
{
    sep(j);
    fputs("null", j->fp);
}

void eo_json_kv_str(eo_json *j, const char *key, const char *s) { eo_json_key(j, key); eo_json_str(j, s); }
void eo_json_kv_num(eo_json *j, const char *key, double v) { eo_json_key(j, key); eo_json_num(j, v); }
void eo_json_kv_int(eo_json *j, const char *key, long long v) { eo_json_key(j, key); eo_json_int(j, v); }
void eo_json_kv_bool(eo_json *j, const char *key, int v) { eo_json_key(j, key); eo_json_bool(j, v); }
