"""The structs python/ecgopt/_lib.py lays out in ctypes have the members of
the C headers, in the same order: a field added to one of them in
include/ecgopt/*.h fails here, naming the struct, instead of shifting the
fields the package reads."""
import glob
import os
import re

import pytest

from ecgopt import _lib as L
from conftest import REPO

STRUCTS = {
    "eo_wfdb_signal_info": L.SignalInfo, "eo_wfdb_header": L.Header, "eo_wfdb_record": L.Record,
    "eo_wfdb_read_options": L.ReadOptions, "eo_annotation": L.Annotation,
    "eo_annotation_set": L.AnnotationSet, "eo_qrs_options": L.QrsOptions,
    "eo_ec57_options": L.Ec57Options, "eo_ec57_result": L.Ec57Result,
    "eo_ec57_stats": L.Ec57Stats, "eo_ec57_class_metrics": L.Ec57ClassMetrics,
    "eo_budget": L.Budget, "eo_opt_options": L.OptOptions, "eo_ecgz_info": L.EcgzInfo,
    "eo_error": L.ErrorBuf,
}


def header_members():
    text = ""
    for h in sorted(glob.glob(os.path.join(REPO, "include", "ecgopt", "*.h"))):
        text += open(h, encoding="utf-8").read() + "\n"
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    out = {}
    for m in re.finditer(r"typedef struct (\w+) \{(.*?)\} (\w+);", text, flags=re.S):
        names = []
        for decl in m.group(2).split(";"):
            decl = re.sub(r"\[[^\]]*\]", "", decl).strip()
            if not decl:
                continue
            # "double a, b" declares two members; the name is the last word of each part
            first, *rest = decl.split(",")
            names.append(re.findall(r"\w+", first)[-1])
            names += [re.findall(r"\w+", r)[-1] for r in rest]
        out[m.group(3)] = names
    return out


@pytest.mark.skipif(not os.path.isdir(os.path.join(REPO, "include", "ecgopt")),
                    reason="not in a checkout (no include/ecgopt)")
@pytest.mark.parametrize("name", sorted(STRUCTS))
def test_ctypes_layout_matches_header(name):
    members = header_members()
    assert name in members, f"{name} not found in include/ecgopt"
    ours = [f[0] for f in STRUCTS[name]._fields_]
    assert ours == members[name], (f"{name}: include/ecgopt has {members[name]}, "
                                   f"python/ecgopt/_lib.py lays out {ours}")
