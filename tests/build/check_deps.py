#!/usr/bin/env python3
"""The module dependency lists of CMakeLists.txt (EO_DEPS_<module>) are true.

Reads the lists CMake wrote at configure time (<build>/eo_module_deps.txt,
one "module:dep;dep;..." line per module, so the table is always the one
CMakeLists.txt declares) and checks, for every module:
  - each declared module dependency (eo_<x>_s) is used: the module's objects
    reference a symbol that <x> defines;
  - each module whose symbols it references, and each module whose public
    header (include/ecgopt/*.h) it includes, is reachable through the
    declared dependencies;
  - it includes no other module's internal header (src/<x>/*.h);
  - each declared external library is used (its symbols are referenced by
    the module's own objects) and each external library it references is
    reachable through the declared dependencies.
Usage: check_deps.py <build dir> <source dir>
"""
import glob
import os
import re
import subprocess
import sys

# external link item (matched against the CMake token) -> symbols it provides
EXTERNAL = [
    (r"^m$", r"^(sqrtf?|cbrt|expf?|exp2|expm1|logf?|log2|log10|log1p|powf?|sinf?|cosf?|tanf?|tanh|atan2?|asin|acos"
             r"|hypot|erfc?|lgamma|tgamma|fmod|fmin|fmax|lround|llround|round|ceil|floor|trunc|ldexp|frexp"
             r"|cabs|cexp|csqrt|carg|nearbyint|rint|lrint|sinh|cosh|copysign|remainder)f?$"),
    (r"^Threads::Threads$", r"^pthread_"),
    (r"^CURL::libcurl$", r"^curl_"),
    (r"^crypto$", r"^(EVP_|SHA\d)"),
    (r"FFTW3", r"^fftwf?_"),
    (r"lapacke", r"^LAPACKE_"),
    (r"OPENBLAS", r"^(cblas_|openblas_)"),
    (r"OpenMP", r"^(GOMP_|omp_)"),
    (r"^dnnl$", r"^dnnl_"),
    (r"xgboost", r"^XG"),
    (r"SQLite", r"^sqlite3_"),
    (r"MPI", r"^MPI_"),
]


def ext_pattern(token):
    for tok_re, sym_re in EXTERNAL:
        if re.search(tok_re, token):
            return sym_re
    return None


def nm_symbols(archive):
    out = subprocess.run(["nm", "-g", archive], check=True, capture_output=True, text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "TDRBCVW":
            defined.add(f[2])
        elif len(f) == 2 and f[0] in ("U", "w"):
            undefined.add(f[1])
    return defined, undefined - defined


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    build, src = sys.argv[1], sys.argv[2]
    deps_file = os.path.join(build, "eo_module_deps.txt")
    mods, deps, ext = [], {}, {}
    for line in open(deps_file, encoding="utf-8"):
        if not line.strip():
            continue
        m, _, rest = line.strip().partition(":")
        mods.append(m)
        toks = [t for t in rest.split(";") if t]
        deps[m] = [t[3:-2] for t in toks if re.fullmatch(r"eo_\w+_s", t)]
        ext[m] = [t for t in toks if not re.fullmatch(r"eo_\w+_s", t)]

    errors = []
    for m in mods:
        for d in deps[m]:
            if d not in mods:
                errors.append(f"{m}: declares eo_{d}_s, which is not a module")
        for t in ext[m]:
            if ext_pattern(t) is None:
                errors.append(f"{m}: declares {t}, unknown to check_deps.py (add it to EXTERNAL)")

    def closure(m):
        seen, todo = set(), list(deps[m])
        while todo:
            d = todo.pop()
            if d not in seen and d in deps:
                seen.add(d)
                todo.extend(deps[d])
        return seen

    defined, undefined = {}, {}
    for m in mods:
        a = os.path.join(build, f"libeo_{m}_s.a")
        defined[m], undefined[m] = nm_symbols(a) if os.path.exists(a) else (set(), set())
    owner = {s: m for m in mods for s in defined[m]}

    # public header -> the module defining the functions it declares
    header_owner = {}
    for h in glob.glob(os.path.join(src, "include", "ecgopt", "*.h")):
        text = open(h, encoding="utf-8").read()
        names = re.findall(r"\bEO_API\b[^;{(]*?\b(eo_\w+)\s*[(;\[,]", text)
        owners = {owner[n] for n in names if n in owner}
        if len(owners) > 1:
            errors.append(f"include/ecgopt/{os.path.basename(h)}: declares functions of several modules {sorted(owners)}")
        if owners:
            header_owner[os.path.basename(h)] = owners.pop()

    for m in mods:
        reach = closure(m)
        if m in reach:
            errors.append(f"{m}: depends on itself through {sorted(deps[m])}")
        used = {owner[s] for s in undefined[m] if s in owner} - {m}
        for d in deps[m]:
            if d not in used:
                errors.append(f"{m}: declares eo_{d}_s but uses no symbol of {d} (remove it from EO_DEPS_{m})")
        for u in sorted(used - reach):
            syms = sorted(s for s in undefined[m] if owner.get(s) == u)[:3]
            errors.append(f"{m}: uses {u} ({', '.join(syms)}) without depending on it (add eo_{u}_s to EO_DEPS_{m})")
        for f in sorted(glob.glob(os.path.join(src, "src", m, "*.[ch]"))):
            rel = os.path.relpath(f, src)
            for inc in re.findall(r'^\s*#\s*include\s+"([^"]+)"', open(f, encoding="utf-8").read(), re.M):
                parts = inc.split("/")
                if parts[0] == "ecgopt":
                    o = header_owner.get(parts[-1])
                    if o and o != m and o not in reach:
                        errors.append(f"{rel}: includes {inc} of module {o}, which {m} does not depend on")
                elif len(parts) == 2 and parts[0] in mods and parts[0] != m:
                    errors.append(f"{rel}: includes {inc}, an internal header of module {parts[0]}")
        # external libraries
        for t in ext[m]:
            pat = ext_pattern(t)
            if pat and not any(re.search(pat, s) for s in undefined[m]):
                errors.append(f"{m}: declares {t} but uses none of its symbols (remove it from EO_DEPS_{m})")
        reach_ext = set(ext[m])
        for d in reach:
            reach_ext.update(ext[d])
        for s in sorted(undefined[m]):
            if s in owner:
                continue
            for tok_re, sym_re in EXTERNAL:
                if re.search(sym_re, s) and not any(re.search(tok_re, t) for t in reach_ext):
                    errors.append(f"{m}: uses {s} but links no library matching /{tok_re}/")
                    break

    for e in errors:
        print("check_deps: " + e)
    print(f"check_deps: {len(mods)} modules, {sum(len(v) for v in deps.values())} module links, "
          f"{len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
