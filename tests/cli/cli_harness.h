/* The CLI tests' harness, included once by each tests/cli/test_*.c: the
 * ecgopt binary under test ($ECGOPT_BIN, in BIN) run with its stdout in
 * TMP/out and its stderr in TMP/err, and the files of the scratch folder TMP
 * read back.  A test file sets TMP and BIN in its main(). */
#ifndef ECGOPT_TESTS_CLI_HARNESS_H
#define ECGOPT_TESTS_CLI_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static char TMP[64];
static const char *BIN;

/* "$ECGOPT_BIN args >TMP/out 2>TMP/err": the exit code, -1 if killed. */
static inline int run(const char *args)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s %s >%s/out 2>%s/err", BIN, args, TMP, TMP);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* TMP/name as a string (the first MiB; "" when it does not exist). */
static inline char *slurp(const char *name)
{
    static char buf[1 << 20];
    char p[256];
    snprintf(p, sizeof p, "%s/%s", TMP, name);
    FILE *f = fopen(p, "rb");
    buf[0] = 0;
    if (!f)
        return buf;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static inline int has(const char *file, const char *needle)
{
    return strstr(slurp(file), needle) != NULL;
}

#endif
