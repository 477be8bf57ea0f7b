#!/usr/bin/env python3
"""libecgopt.so exports exactly the public API.

Every dynamic symbol that libecgopt.so defines must be declared with EO_API
in a header under include/ecgopt/, every EO_API declaration must be defined
and exported, and every function the headers declare must be EO_API. Usage: check_exports.py <libecgopt.so> <include/ecgopt>
"""
import glob
import os
import re
import subprocess
import sys


def public_names(include_dir):
    names = set()
    for h in sorted(glob.glob(os.path.join(include_dir, "*.h"))):
        text = open(h, encoding="utf-8").read()
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
        text = re.sub(r"//[^\n]*", " ", text)
        for m in re.finditer(r"\bEO_API\b([^;{]*)[;{]", text):
            decl = m.group(1)
            fn = re.search(r"\b([A-Za-z_]\w*)\s*\(", decl)
            if fn and not decl.lstrip().startswith("extern"):
                names.add(fn.group(1))
            else:  # extern data, possibly several declarators
                body = re.sub(r"\[[^\]]*\]", "", decl)
                for part in body.split(","):
                    ident = re.findall(r"[A-Za-z_]\w*", part)
                    if ident:
                        names.add(ident[-1])
    return names


def unmarked_declarations(include_dir):
    """Function declarations at file scope of the public headers without
    EO_API (they would be hidden in libecgopt.so)."""
    bad = []
    for h in sorted(glob.glob(os.path.join(include_dir, "*.h"))):
        text = open(h, encoding="utf-8").read()
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
        text = re.sub(r"//[^\n]*", " ", text)
        text = re.sub(r"#ifdef __cplusplus.*?#endif", " ", text, flags=re.S)
        text = re.sub(r"^[ \t]*#.*$", " ", text, flags=re.M)
        depth, stmt = 0, ""
        for ch in text:
            if ch == "{":
                if depth == 0 and "static" in stmt:
                    stmt = ""  # a static inline function's body follows
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    stmt = ""
            elif depth == 0:
                if ch == ";":
                    st = " ".join(stmt.split())
                    m = re.search(r"\b(eo_\w+)\s*\(", st)
                    if (m and not st.startswith(("typedef", "static")) and "EO_API" not in st
                            and "(*" not in st[:m.start()]):
                        bad.append((os.path.basename(h), m.group(1)))
                    stmt = ""
                else:
                    stmt += ch
    return bad


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        # names starting with '_' are the toolchain's (e.g. ASan's
        # __odr_asan.* indicators in sanitizer builds), not ecgopt's
        if len(f) == 3 and not f[2].startswith("_"):
            syms[f[2]] = f[1]
    return syms


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    lib, inc = sys.argv[1], sys.argv[2]
    api = public_names(inc)
    syms = exported(lib)
    if len(api) < 100:
        print(f"check_exports: only {len(api)} EO_API names parsed from {inc}", file=sys.stderr)
        return 1
    unmarked = unmarked_declarations(inc)
    for h, name in unmarked:
        print(f"check_exports: {inc}/{h}: {name} is declared without EO_API (hidden in {lib})")
    extra = sorted(s for s in syms if s not in api)
    missing = sorted(n for n in api if n not in syms)
    for s in extra:
        print(f"check_exports: {lib}: exports {s} ({syms[s]}), not declared EO_API in {inc}")
    for n in missing:
        print(f"check_exports: {lib}: {n} is declared EO_API but not exported")
    print(f"check_exports: {len(syms)} exported symbols, {len(api)} EO_API names, "
          f"{len(extra)} exported but not EO_API, {len(missing)} EO_API but not exported, "
          f"{len(unmarked)} declared without EO_API")
    return 1 if extra or missing or unmarked else 0


if __name__ == "__main__":
    sys.exit(main())
