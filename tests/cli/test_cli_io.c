/* cli: `ecgopt info`, `export` and `fetch` run as a user would ($ECGOPT_BIN),
 * with their outputs, exit codes and error messages.  fetch is tested
 * against `python3 -m http.server` on 127.0.0.1 serving two MIT-BIH records
 * (and a small Range-capable server for resuming). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "eo_test.h"

#include "cli_harness.h"

/* Run "$ECGOPT_BIN args" with stdout -> TMP/out, stderr -> TMP/err; returns exit code. */
static void sh(const char *fmt, const char *a, const char *b)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    if (system(cmd) != 0)
        fprintf(stderr, "command failed: %s\n", cmd);
}

TEST(info_record)
{
    char args[4096];
    snprintf(args, sizeof args, "info --data %s mitdb/100 --json", eo_test_data_dir());
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "\"n_samples\":650000"));
    CHECK(has("out", "\"verified\":true"));
    CHECK(has("out", "\"total\":2274,\"beats\":2273"));
    CHECK(has("out", "\"by_aami\":{\"N\":2239,\"S\":33,\"V\":1,\"F\":0,\"Q\":0}"));
    CHECK(has("out", "\"rhythm_episodes\":[{\"rhythm\":\"N\",\"start\":18,\"end\":650000}]"));
    CHECK(has("out", "\"description\":\"MLII\""));
    snprintf(args, sizeof args, "info --data %s 203", eo_test_data_dir());
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "duration 30:05.556"));
    CHECK(has("out", "annotations (atr): 3108, of them 2980 beats"));
    CHECK(has("out", "by AAMI class: N 2529, S 2, V 444, F 1, Q 4"));
    CHECK(has("out", "rhythm episodes: 45"));
    CHECK(has("out", "AFIB   0:00.039 - 0:46.358"));
    CHECK_EQ_INT(run("info --help"), 0);
    CHECK(has("out", "example: ecgopt info"));
}

TEST(export_record)
{
    char args[4096];
    snprintf(args, sizeof args, "export %s/mitdb/100 --to 0.01 --physical --csv", eo_test_data_dir());
    CHECK_EQ_INT(run(args), 0);
    /* (995 - 1024) / 200 and (1011 - 1024) / 200 */
    CHECK(strcmp(slurp("out"), "sample,time_s,\"MLII\",\"V5\"\n0,0.000000,-0.145,-0.065\n"
                               "1,0.002778,-0.145,-0.065\n2,0.005556,-0.145,-0.065\n"
                               "3,0.008333,-0.145,-0.065\n") == 0);
    snprintf(args, sizeof args, "export %s/mitdb/100 --from 0.05 --to 0.25 --csv --annotations",
             eo_test_data_dir());
    CHECK_EQ_INT(run(args), 0);
    CHECK(strcmp(slurp("out"), "sample,time_s,symbol,code,subtype,chan,num,aux\n"
                               "18,0.050000,\"+\",28,0,0,0,\"(N\"\n"
                               "77,0.213889,\"N\",1,0,0,0,\n") == 0);
    snprintf(args, sizeof args, "export %s/mitdb/100 --to 0.25 --json --annotations -o %s/e.json",
             eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("e.json", "\"samples\":[[995,995,995,995,995,995,995,995,1000,997,"));
    CHECK(has("e.json", "{\"sample\":77,\"symbol\":\"N\",\"code\":1}"));
    CHECK(has("e.json", "\"n_samples\":90"));
    CHECK_EQ_INT(run("export --help"), 0);
    snprintf(args, sizeof args, "export %s/mitdb/100 --csv --json", eo_test_data_dir());
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "give exactly one of --csv and --json"));
    snprintf(args, sizeof args, "export %s/mitdb/100 --csv --from 99999", eo_test_data_dir());
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "past the end"));
}

TEST(bad_input_exit_codes)
{
    char args[4096];
    CHECK_EQ_INT(run("info"), 1);
    CHECK(has("err", "missing RECORD"));
    CHECK_EQ_INT(run("info --bogus 100"), 1);
    CHECK_EQ_INT(run("info --data /tmp nosuchrecord"), 2);
    CHECK(has("err", "ecgopt: nosuchrecord.hea: record not found") && has("err", "ecgopt fetch mitdb"));
    /* a copy of 100 with a wrong checksum, a truncated .dat, a missing .dat */
    sh("mkdir -p %s/bad%s", TMP, "");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cp %s/mitdb/100.dat %s/bad/100.dat && head -c 1000 %s/mitdb/100.dat > %s/bad/tr.dat",
             eo_test_data_dir(), TMP, eo_test_data_dir(), TMP);
    CHECK(system(cmd) == 0);
    snprintf(cmd, sizeof cmd,
             "printf '100 2 360 650000\\n100.dat 212 200 11 1024 995 -22132 0 MLII\\n100.dat 212 200 11 1024 1011 20052 0 V5\\n' > %s/bad/100.hea && "
             "printf 'tr 1 360 650000\\ntr.dat 16 200 16 0 0 0 0 X\\n' > %s/bad/tr.hea && "
             "printf 'ms 1 360 10\\nmissing.dat 16\\n' > %s/bad/ms.hea && "
             "printf 'ff 1 0 10\\nff.dat 16\\n' > %s/bad/ff.hea",
             TMP, TMP, TMP, TMP);
    CHECK(system(cmd) == 0);
    snprintf(args, sizeof args, "info %s/bad/100", TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "100.hea: signal 0 (MLII): checksum of the 650000 samples is -22131, header says -22132"));
    CHECK(strchr(slurp("err"), '\n') == slurp("err") + strlen(slurp("err")) - 1); /* one line */
    snprintf(args, sizeof args, "info %s/bad/100 --no-verify", TMP);
    CHECK_EQ_INT(run(args), 0);
    snprintf(args, sizeof args, "export %s/bad/100 --csv --to 1", TMP);
    CHECK_EQ_INT(run(args), 2);
    snprintf(args, sizeof args, "info %s/bad/tr", TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "tr.dat: truncated: 650000 frames of format 16 need 1300000 bytes"));
    snprintf(args, sizeof args, "info %s/bad/ms", TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "missing.dat: cannot open signal file"));
    snprintf(args, sizeof args, "info %s/bad/ff --json", TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "ff.hea: line 1: sampling frequency '0' must be a number > 0"));
    CHECK(has("out", "\"exit_code\":2"));
}

/* ---- fetch ------------------------------------------------------------ */

static const char *RANGE_SERVER =
    "import http.server, os, sys\n"
    "class H(http.server.SimpleHTTPRequestHandler):\n"
    "    def send_head(self):\n"
    "        rng = self.headers.get('Range')\n"
    "        if not rng:\n"
    "            return super().send_head()\n"
    "        try:\n"
    "            f = open(self.translate_path(self.path), 'rb')\n"
    "        except OSError:\n"
    "            self.send_error(404)\n"
    "            return None\n"
    "        size = os.fstat(f.fileno()).st_size\n"
    "        start = int(rng.split('=')[1].split('-')[0])\n"
    "        if start >= size:\n"
    "            f.close()\n"
    "            self.send_error(416)\n"
    "            return None\n"
    "        self.send_response(206)\n"
    "        self.send_header('Content-Range', 'bytes %d-%d/%d' % (start, size - 1, size))\n"
    "        self.send_header('Content-Length', str(size - start))\n"
    "        self.end_headers()\n"
    "        f.seek(start)\n"
    "        return f\n"
    "    def log_message(self, *a):\n"
    "        pass\n"
    "os.chdir(sys.argv[2])\n"
    "http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()\n";

static pid_t start_server(int port, const char *dir, int ranges)
{
    char ps[16], script[128];
    snprintf(ps, sizeof ps, "%d", port);
    snprintf(script, sizeof script, "%s/range_server.py", TMP);
    if (ranges) {
        FILE *f = fopen(script, "w");
        if (!f)
            return -1;
        fputs(RANGE_SERVER, f);
        fclose(f);
    }
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr) || !freopen("/dev/null", "w", stdout))
            _exit(127);
        /* bounded: the server dies after 120 s whatever happens here */
        if (ranges)
            execlp("timeout", "timeout", "120", "python3", script, ps, dir, (char *)NULL);
        else
            execlp("timeout", "timeout", "120", "python3", "-m", "http.server", ps, "--bind",
                   "127.0.0.1", "--directory", dir, (char *)NULL);
        _exit(127);
    }
    /* wait until it accepts connections (at most 10 s) */
    for (int i = 0; i < 100; i++) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_port = htons((uint16_t)port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
        close(s);
        if (ok)
            return pid;
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return -1;
}

static void stop_server(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
}

TEST(fetch_from_local_server)
{
    if (system("python3 -c 'import http.server' >/dev/null 2>&1") != 0)
        SKIP("python3 not available");
    char cmd[8192], args[4096], srv[128];
    snprintf(srv, sizeof srv, "%s/srv", TMP);
    /* a tiny copy of mitdb: records 100 and 101 and their lines of
     * PhysioNet's checksum list, served as SHA256SUMS.txt */
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s && cd %s/mitdb && cp 100.hea 100.dat 100.atr 101.hea 101.dat 101.atr %s/ && "
             "grep -E ' (100|101)\\.(hea|dat|atr)$' PHYSIONET_SHA256SUMS.txt > %s/SHA256SUMS.txt",
             srv, eo_test_data_dir(), srv, srv);
    CHECK(system(cmd) == 0);
    srand((unsigned)getpid());
    int port = 20000 + rand() % 20000;
    pid_t pid = start_server(port, srv, 0);
    CHECK(pid > 0);
    if (pid <= 0)
        return;
    snprintf(args, sizeof args, "fetch mitdb --dir %s/dl --base-url http://127.0.0.1:%d/ --json", TMP, port);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "\"files\":6,\"downloaded\":6,\"up_to_date\":0"));
    snprintf(args, sizeof args, "info %s/dl/mitdb/101 --json", TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "\"total\":1874,\"beats\":1865"));
    /* second run: everything up to date, nothing transferred */
    snprintf(args, sizeof args, "fetch mitdb --dir %s/dl --base-url http://127.0.0.1:%d/ --json", TMP, port);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "\"downloaded\":0,\"up_to_date\":6,\"resumed\":0,\"bytes\":0"));
    /* --records filter, and a stale partial file with a server that
     * ignores Range: the download starts over and verifies */
    snprintf(cmd, sizeof cmd, "rm %s/dl/mitdb/100.dat && head -c 5000 %s/mitdb/101.dat > %s/dl/mitdb/100.dat.part",
             TMP, eo_test_data_dir(), TMP);
    CHECK(system(cmd) == 0);
    snprintf(args, sizeof args, "fetch mitdb --records 100 --dir %s/dl --base-url http://127.0.0.1:%d/ --json", TMP, port);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "\"files\":3,\"downloaded\":1,\"up_to_date\":2"));
    /* a file whose checksum does not match the list: exit 2, named */
    snprintf(cmd, sizeof cmd, "sed -i 's/^[0-9a-f]\\{4\\}/0000/' %s/SHA256SUMS.txt && rm -rf %s/dl2", srv, TMP);
    CHECK(system(cmd) == 0);
    snprintf(args, sizeof args, "fetch mitdb --records 101 -o %s/dl2 --base-url http://127.0.0.1:%d/", TMP, port);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "ecgopt: http://127.0.0.1:") && has("err", "SHA-256") && has("err", "SHA256SUMS.txt says 0000"));
    stop_server(pid);
    /* server gone: network error, exit 2 */
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "SHA256SUMS.txt: Couldn't connect"));
    CHECK_EQ_INT(run("fetch nosuchdb"), 1);
    CHECK(has("err", "unknown database 'nosuchdb'"));
    CHECK_EQ_INT(run("fetch"), 1);
}

TEST(fetch_resumes_with_range)
{
    if (system("python3 -c 'import http.server' >/dev/null 2>&1") != 0)
        SKIP("python3 not available");
    char cmd[8192], args[4096], srv[128];
    snprintf(srv, sizeof srv, "%s/srv2", TMP);
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s %s/dl3/mitdb && cd %s/mitdb && cp 100.dat %s/ && "
             "grep -E ' 100\\.dat$' PHYSIONET_SHA256SUMS.txt > %s/SHA256SUMS.txt && "
             "head -c 400000 100.dat > %s/dl3/mitdb/100.dat.part",
             srv, TMP, eo_test_data_dir(), srv, srv, TMP);
    CHECK(system(cmd) == 0);
    int port = 40000 + rand() % 20000;
    pid_t pid = start_server(port, srv, 1);
    CHECK(pid > 0);
    if (pid <= 0)
        return;
    /* the old spelling --to DIR still works, with a warning */
    snprintf(args, sizeof args, "fetch mitdb --to %s/dl3 --base-url http://127.0.0.1:%d --json", TMP, port);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("err", "--to is deprecated, use --dir"));
    /* 100.dat is 1950000 bytes: only the missing 1550000 were transferred */
    CHECK(has("out", "\"files\":1,\"downloaded\":1,\"up_to_date\":0,\"resumed\":1,\"bytes\":1550000"));
    snprintf(cmd, sizeof cmd, "cmp -s %s/dl3/mitdb/100.dat %s/mitdb/100.dat", TMP, eo_test_data_dir());
    CHECK(system(cmd) == 0);
    stop_server(pid);
}

int main(void)
{
    BIN = getenv("ECGOPT_BIN");
    if (!BIN || !*BIN) {
        fprintf(stderr, "ECGOPT_BIN not set (run through ctest)\n");
        return 1;
    }
    snprintf(TMP, sizeof TMP, "/tmp/eo_cli_io_XXXXXX");
    if (!mkdtemp(TMP))
        return 1;
    RUN(info_record);
    RUN(export_record);
    RUN(bad_input_exit_codes);
    RUN(fetch_from_local_server);
    RUN(fetch_resumes_with_range);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", TMP);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", TMP);
    TEST_END();
}
