/* The EC57 figures of a comparison as JSON (the record/database summary
 * that `ecgopt train --test --json` and the library's training run print). */
#include "ecgopt/ec57.h"
#include "ecgopt/json.h"

void eo_ec57_result_json(eo_json *j, const eo_ec57_result *r)
{
    eo_ec57_stats s;
    eo_ec57_class_metrics m;
    eo_ec57_stats_of(r, &s);
    eo_ec57_class_metrics_of(r, &m);
    eo_json_obj_begin(j);
    eo_json_kv_num(j, "veb_se", s.veb_se);
    eo_json_kv_num(j, "veb_ppv", s.veb_ppv);
    eo_json_kv_num(j, "veb_fpr", s.veb_fpr);
    eo_json_kv_num(j, "sveb_se", s.sveb_se);
    eo_json_kv_num(j, "sveb_ppv", s.sveb_ppv);
    eo_json_kv_num(j, "qrs_se", s.qrs_se);
    eo_json_kv_num(j, "qrs_ppv", s.qrs_ppv);
    eo_json_kv_num(j, "accuracy", 100 * m.accuracy);
    eo_json_kv_int(j, "matched", m.total);
    eo_json_obj_end(j);
}
