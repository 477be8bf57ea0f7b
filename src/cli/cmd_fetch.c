/* ecgopt fetch — download a PhysioNet database, resumable, every file
 * verified against the database's SHA256SUMS.txt. */
#include <stdio.h>
#include <string.h>

#include "cli_args.h"
#include "ecgopt/json.h"
#include "ecgopt/wfdb.h"

static const eo_cli_spec SPEC = {
    "fetch DB [--dir DIR] [--base-url URL] [--records LIST] [--timeout S]",
    "Download PhysioNet database DB (mitdb nstdb svdb incartdb edb qtdb afdb ltdb cudb\n"
    "vfdb ltafdb) into DIR/DB (default DIR: ./data, the first place other commands\n"
    "look).  The file list comes from DB's SHA256SUMS.txt; every file is checked\n"
    "against it.  Files already present with the right SHA-256 are skipped, and a\n"
    "partial download (FILE.part) is resumed with an HTTP Range request, so an\n"
    "interrupted fetch is simply run again.  (--to DIR, the old spelling of --dir,\n"
    "still works: --to is a time in seconds in every other command.)\n",
    NULL, "ecgopt fetch mitdb --dir data\n",
    "0 ok, 1 usage, 2 bad input (checksum mismatch, bad list), 3 internal;\n"
    "  network failures exit 2 and leave FILE.part for the next run"};

int eo_cmd_fetch(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "fetch", &argc, argv))
        return c.rc;
    eo_fetch_options o;
    eo_fetch_defaults(&o);
    const char *db = NULL, *to = "data";
    const eo_cli_opt opts[] = {
        {"--dir", EO_OPT_STR, &to, 0, 0, "DIR", "the data folder (default ./data; -o DIR is the same)", "--to"},
        {"--base-url", EO_OPT_STR, &o.base_url, 0, 0, "URL",
         "server folder holding SHA256SUMS.txt (default https://physionet.org/files/DB/1.0.0/)", NULL},
        {"--records", EO_OPT_STR, &o.records, 0, 0, "LIST", "only these records, e.g. 100,101 (files named 100.*, 101.*)", NULL},
        {"--timeout", EO_OPT_LONG, &o.timeout_s, 1, 86400, "S", "give up on a transfer stalled for S seconds (default 60)", NULL},
        EO_OPT_TABLE_END};
    int prc = eo_cli_args(&c, &SPEC, opts, argc, argv, &db, "DB", "missing DB (e.g. mitdb)", NULL);
    if (prc >= 0)
        return prc;
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
