/* ecgopt fetch — download a PhysioNet database, resumable, every file
 * verified against the database's SHA256SUMS.txt. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/json.h"
#include "ecgopt/wfdb.h"

static void help(void)
{
    printf("usage: ecgopt fetch DB [--dir DIR] [--base-url URL] [--records LIST] [--timeout S]\n\n"
           "Download PhysioNet database DB (mitdb nstdb svdb incartdb edb qtdb afdb ltdb cudb\n"
           "vfdb ltafdb) into DIR/DB (default DIR: ./data, the first place other commands\n"
           "look).  The file list comes from DB's SHA256SUMS.txt; every file is checked\n"
           "against it.  Files already present with the right SHA-256 are skipped, and a\n"
           "partial download (FILE.part) is resumed with an HTTP Range request, so an\n"
           "interrupted fetch is simply run again.\n"
           "  --dir DIR       the data folder (default ./data; -o DIR is the same); the old\n"
           "                  spelling --to DIR still works, with a warning (--to is a time\n"
           "                  in seconds in every other command)\n"
           "  --base-url URL  server folder holding SHA256SUMS.txt\n"
           "                  (default https://physionet.org/files/DB/1.0.0/)\n"
           "  --records LIST  only these records, e.g. 100,101 (files named 100.*, 101.*)\n"
           "  --timeout S     give up on a transfer stalled for S seconds (default 60)\n\n"
           "common options: --json (result as JSON on stdout)  --quiet (errors only on stderr)\n"
           "  --progress (draw progress even when stderr is not a terminal)  --data DIR\n"
           "example: ecgopt fetch mitdb --dir data\n"
           "exit codes: 0 ok, 1 usage, 2 bad input (checksum mismatch, bad list), 3 internal;\n"
           "network failures exit 2 and leave FILE.part for the next run\n");
}

int eo_cmd_fetch(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "fetch", &argc, argv))
        return c.rc;
    if (c.help) {
        help();
        return 0;
    }
    eo_fetch_options o;
    eo_fetch_defaults(&o);
    const char *db = NULL, *to = "data", *v;
    for (int i = 1; i < argc; i++) {
        int r;
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--dir", &to)) != 0) {
            if (r < 0)
                return 1;
            continue;
        }
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--to", &to)) != 0) {
            if (r < 0)
                return 1;
            eo_cli_info(&c, "ecgopt fetch: warning: --to DIR is deprecated, use --dir %s\n", to);
            continue;
        }
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--base-url", &o.base_url)) != 0) {
            if (r < 0)
                return 1;
            continue;
        }
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--records", &o.records)) != 0) {
            if (r < 0)
                return 1;
            continue;
        }
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--timeout", &v)) != 0) {
            if (r < 0 || eo_cli_parse_long(&c, "--timeout", v, 1, 86400, &o.timeout_s))
                return 1;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return eo_cli_usage(&c, "unknown option %s", argv[i]);
        if (db)
            return eo_cli_usage(&c, "one DB expected, got '%s' and '%s'", db, argv[i]);
        db = argv[i];
    }
    if (!db)
        return eo_cli_usage(&c, "missing DB (e.g. mitdb)");
    if (c.out)
        to = c.out;
    o.progress = eo_cli_progress;
    o.progress_user = &c;
    eo_fetch_stats st;
    eo_error err;
    eo_error_clear(&err);
    eo_status s = eo_fetch_database(db, to, &o, &st, &err);
    eo_cli_progress_end(&c);
    if (s != EO_STATUS_OK)
        return eo_cli_fail(&c, &err);
    if (c.json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "database", db);
        eo_json_kv_str(&j, "dir", to);
        eo_json_kv_int(&j, "files", st.n_files);
        eo_json_kv_int(&j, "downloaded", st.n_downloaded);
        eo_json_kv_int(&j, "up_to_date", st.n_up_to_date);
        eo_json_kv_int(&j, "resumed", st.n_resumed);
        eo_json_kv_int(&j, "bytes", st.bytes);
        eo_json_kv_bool(&j, "verified", 1);
        eo_json_obj_end(&j);
        printf("\n");
    } else if (!c.quiet) {
        printf("%s: %d files in %s/%s verified (SHA-256): %d downloaded (%d resumed), %d already "
               "up to date, %lld bytes\n",
               db, st.n_files, to, db, st.n_downloaded, st.n_resumed, st.n_up_to_date, st.bytes);
    }
    return 0;
}
