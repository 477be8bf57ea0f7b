#!/bin/sh
# Layout check of the HTML reports in headless Chromium (issue 17, 4).
#
# Generates reports -- the synthetic all-sections fixture
# (report_layout_fixture), and with MIT-BIH: compress --report, detect
# --report (RR tachogram and Poincare plot), info --report, and the demo
# report test_demo leaves in the build folder -- loads them all in iframes of
# a harness page running tests/report/layout_check.js, in
# one `chromium --headless --dump-dom` run and reads the verdicts: text
# overlapping text, anything cut off at its figure's edge, ECG traces
# clipped at their band, labels over the ECG paper, legends over the plot
# area, data outside the plot area (layout_check.js).  Then the deliberately
# broken fixtures (tests/report/fixtures/broken-*.html) must FAIL with the
# problem they carry, so the check is shown to bite.
# Exit 77 (ctest SKIP_RETURN_CODE) only when chromium is missing; without
# MIT-BIH the record reports are left out (said on stdout).
#
# usage: tests/report/layout_check.sh [BUILD_DIR]
#   ECGOPT_BIN, ECGOPT_DATA as in browser_check.sh
#   LAYOUT_KEEP=DIR  keep the reports and verdicts there
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-${ECGOPT_BUILD:-$src/build}}
bin=${ECGOPT_BIN:-$build/ecgopt}
fixture=${LAYOUT_FIXTURE:-$build/report_layout_fixture}
data=${ECGOPT_DATA:-$src/../shared/data}

fail() { echo "layout_check: FAIL: $*"; exit 1; }

browser=""
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
    echo "layout_check: SKIP: no chromium on PATH (scripts/install-deps.sh installs it)"
    exit 77
fi
[ -x "$fixture" ] || fail "no fixture generator at $fixture"

tmp=$(mktemp -d /tmp/ecgopt-layout.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

# ---- reports ----------------------------------------------------------------
"$fixture" "$tmp/fixture.html" || fail "report_layout_fixture failed"
reports="fixture"
if [ -x "$bin" ] && [ -f "$data/mitdb/233.hea" ] && [ -f "$data/mitdb/200.hea" ]; then
    "$bin" compress 233 --data "$data" --mode bounded --max-error 4 --quiet -o "$tmp/233.ecgz" \
        --report "$tmp/compress.html" >/dev/null || fail "ecgopt compress --report failed"
    "$bin" detect 233 --data "$data" --quiet -o "$tmp/233.qrs" --report "$tmp/detect.html" \
        --report-seconds 20 >/dev/null || fail "ecgopt detect --report failed"
    "$bin" info 200 --data "$data" --quiet --report "$tmp/info.html" --report-seconds 20 >/dev/null \
        || fail "ecgopt info --report failed"
    reports="$reports compress detect info"
    if [ -f "$build/test-demo-report.html" ]; then
        cp "$build/test-demo-report.html" "$tmp/demo.html"
        reports="$reports demo"
    else
        echo "layout_check: no $build/test-demo-report.html (run test_demo first): demo report not checked"
    fi
else
    echo "layout_check: MIT-BIH or ecgopt missing: record reports not checked, fixtures only"
fi
for f in "$here"/fixtures/broken-*.html; do
    n=$(basename "$f" .html)
    cp "$f" "$tmp/$n.html"
    reports="$reports $n"
done

# ---- browser ------------------------------------------------------------------
# One Chromium run: a harness page iframes every report (same folder;
# --allow-file-access-from-files lets the script read the frames) and
# appends a verdict per report.
{
    echo '<!DOCTYPE html><html><head><meta charset="utf-8"><title>layout check</title></head><body>'
    for n in $reports; do
        echo "<iframe data-name=\"$n\" src=\"$n.html\" width=\"1400\" height=\"900\"></iframe>"
    done
    echo '<script>'
    cat "$here/layout_check.js"
    echo '</script></body></html>'
} >"$tmp/harness.html"
prof=$(mktemp -d "$tmp/profile.XXXXXX")
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --allow-file-access-from-files --user-data-dir="$prof" --window-size=1400,1000 \
    --dump-dom "file://$tmp/harness.html" >"$tmp/harness.dom" 2>"$tmp/harness.log" \
    || fail "$browser --dump-dom failed: $(tail -3 "$tmp/harness.log")"
# one file per verdict
for n in $reports; do
    grep -o "^@@$n@@ .*" "$tmp/harness.dom" | sed "s/^@@$n@@ //; s/<\/pre>.*//" |
        sed 's/&quot;/"/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g' >"$tmp/$n.verdict"
done

status=0
for n in $reports; do
    v=$tmp/$n.verdict
    case "$n" in
    broken-*)
        # broken-<kind>[-...]: must fail with a problem of that kind
        kind=$(echo "$n" | cut -d- -f2)
        if grep -q '^FAIL' "$v" && grep -q "^$kind: " "$v"; then
            echo "layout_check: $n: fails as it must ($(grep -c "^$kind: " "$v") $kind)"
        else
            echo "layout_check: FAIL: $n: the check did not catch the broken layout:"; cat "$v"
            status=1
        fi ;;
    *)
        if grep -q '^OK' "$v"; then
            echo "layout_check: $n: $(head -1 "$v")"
        else
            echo "layout_check: FAIL: $n:"; head -25 "$v"
            [ -s "$v" ] || tail -5 "$tmp/harness.log"
            status=1
        fi ;;
    esac
done
if [ -n "${LAYOUT_KEEP:-}" ]; then
    mkdir -p "$LAYOUT_KEEP" && cp "$tmp"/*.html "$tmp"/*.verdict "$tmp"/harness.dom "$LAYOUT_KEEP"/
fi
[ $status -eq 0 ] && echo "layout_check: OK"
exit $status
