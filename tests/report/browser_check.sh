#!/bin/sh
# Headless-Chromium check of the HTML reports (issue 9).
#
# Opens the demo report and a classification report (ecgopt evaluate
# --report) in Debian's chromium, and checks that
#   - the browser logs no console message and no failed resource load (the
#     reports are self-contained: no scripts, no external files);
#   - the DOM it parsed has every expected figure, each non-empty: ECG strips
#     with 4 traces of 10 s x fs points, heat map cells, bars, line plots
#     with points;
#   - a screenshot (1400 x 3000) can be taken;
#   - Firefox (firefox-esr), when installed, renders both headless too.
# Skips (exit 77, ctest SKIP_RETURN_CODE) when chromium or the MIT-BIH data
# is absent.
#
# usage: tests/report/browser_check.sh [BUILD_DIR]
#   ECGOPT_BIN   the ecgopt binary (default BUILD_DIR/ecgopt)
#   ECGOPT_DATA  data folder with mitdb/ (default ../shared/data of the source)
#   DEMO_REPORT  an existing demo report to check instead of running the demo
#                (test_demo leaves BUILD_DIR/test-demo-report.html)
#   SCREENSHOT_DIR  copy the screenshots there (docs/img to update the README's)
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-${ECGOPT_BUILD:-$src/build}}
bin=${ECGOPT_BIN:-$build/ecgopt}
data=${ECGOPT_DATA:-$src/../shared/data}

fail() { echo "browser_check: FAIL: $*"; exit 1; }

browser=""
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
    echo "browser_check: SKIP: no chromium on PATH (apt-get install chromium)"
    exit 77
fi
[ -x "$bin" ] || fail "no ecgopt binary at $bin (set ECGOPT_BIN)"
if [ ! -f "$data/mitdb/233.hea" ] || [ ! -f "$data/mitdb/200.hea" ]; then
    echo "browser_check: SKIP: MIT-BIH not found in $data (ecgopt fetch mitdb)"
    exit 77
fi

tmp=$(mktemp -d /tmp/ecgopt-browser.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

# ---- the reports --------------------------------------------------------
demo=${DEMO_REPORT:-}
if [ -z "$demo" ] && [ -f "$build/test-demo-report.html" ]; then
    demo=$build/test-demo-report.html
fi
if [ -z "$demo" ]; then
    "$bin" demo --quick --quiet --data "$data" -o "$tmp/demo.html" || fail "ecgopt demo failed"
    demo=$tmp/demo.html
fi
[ -s "$demo" ] || fail "$demo: missing or empty"

# classification report: a small GBM on DS1, detector beats of two DS2 records
"$bin" train --task classify --model gbm --rounds 30 --quiet --data "$data" -o "$tmp/gbm.model" \
    || fail "ecgopt train failed"
for r in 200 233; do
    "$bin" classify --model "$tmp/gbm.model" $r --beats detector --quiet --data "$data" \
        -o "$tmp/$r.cls" || fail "ecgopt classify $r failed"
done
"$bin" evaluate --ref atr --test cls --test-dir "$tmp" --data "$data" --quiet \
    --report "$tmp/classification.html" 200 233 >/dev/null || fail "ecgopt evaluate --report failed"

# per-command reports (docs/report.md): classify and detect on 233, info on 200
"$bin" classify --model "$tmp/gbm.model" 233 --beats detector --quiet --data "$data" -o "$tmp/233d.cls" \
    --report "$tmp/classify.html" --report-seconds 30 || fail "ecgopt classify --report failed"
"$bin" detect 233 --quiet --data "$data" -o "$tmp/233.qrs" --report "$tmp/detect.html" --report-seconds 30 \
    || fail "ecgopt detect --report failed"
"$bin" info 200 --quiet --data "$data" --report "$tmp/info.html" --report-seconds 20 >/dev/null \
    || fail "ecgopt info --report failed"

# ---- browser -------------------------------------------------------------
run_browser() { # $1 html, $2 out prefix, $3 window height (px)
    # a fresh profile each time; no network, no GPU, no sandbox (containers)
    prof=$(mktemp -d "$tmp/profile.XXXXXX")
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$prof" --enable-logging=stderr --v=0 \
        --dump-dom "file://$1" >"$2.dom" 2>"$2.log" || fail "$browser --dump-dom $1 failed: $(tail -3 "$2.log")"
    prof=$(mktemp -d "$tmp/profile.XXXXXX")
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$prof" --hide-scrollbars --window-size=1400,$3 \
        --screenshot="$2.png" "file://$1" >/dev/null 2>"$2.shot.log" || fail "$browser --screenshot $1 failed"
    [ -s "$2.png" ] || fail "no screenshot of $1"
    # console messages (a report has no scripts: any is an error) and
    # resources that failed to load
    if grep -E ':CONSOLE\(|Uncaught|Failed to load resource|net::ERR_' "$2.log" >/dev/null; then
        grep -E ':CONSOLE\(|Uncaught|Failed to load resource|net::ERR_' "$2.log" | head -5
        fail "$1: console errors"
    fi
    grep -q '</html>' "$2.dom" || fail "$1: DOM dump incomplete"
}

# One line per figure of the DOM dump: kind id polylines min_points
# max_points cells bars traces trace_min_points
figures() {
    awk 'BEGIN { RS = "<figure"; }
         NR > 1 {
            kind = "?"; id = "-";
            if (match($0, /data-kind="[^"]*"/)) kind = substr($0, RSTART + 11, RLENGTH - 12);
            if (match($0, /id="[^"]*"/)) id = substr($0, RSTART + 4, RLENGTH - 5);
            end = index($0, "</figure>"); body = end ? substr($0, 1, end) : $0;
            np = 0; minp = -1; maxp = 0; ntr = 0; trmin = -1; rest = body;
            while (match(rest, /<polyline[^>]*>/)) {
                tag = substr(rest, RSTART, RLENGTH); rest = substr(rest, RSTART + RLENGTH);
                np++;
                pts = 0;
                if (match(tag, /points="[^"]*"/)) { p = substr(tag, RSTART, RLENGTH); pts = gsub(/,/, ",", p); }
                if (minp < 0 || pts < minp) minp = pts; if (pts > maxp) maxp = pts;
                if (tag ~ /class="trace"/) { ntr++; if (trmin < 0 || pts < trmin) trmin = pts; }
            }
            c = body; cells = gsub(/class="cell"/, "", c);
            b = body; bars = gsub(/class="bar"/, "", b);
            printf "%s %s %d %d %d %d %d %d %d\n", kind, id, np, minp, maxp, cells, bars, ntr, trmin;
         }' "$1"
}

count_kind() { awk -v k="$2" '$1 == k' "$1" | wc -l; }

check_demo() {
    f=$1.fig
    figures "$1.dom" >"$f"
    [ "$(count_kind "$f" ecg-overview)" -eq 1 ] || fail "demo: expected 1 ECG overview"
    ns=$(count_kind "$f" ecg-strip)
    [ "$ns" -ge 3 ] || fail "demo: expected >= 3 ECG strips, found $ns"
    # every 10-s strip: 4 traces (original, denoised, reconstructed, error)
    # of 10 s x 360 Hz = 3600 points
    awk '$1 == "ecg-strip" && ($8 != 4 || $9 != 3600) { print; bad = 1 } END { exit bad }' "$f" \
        || fail "demo: an ECG strip lacks its 4 traces of 3600 points"
    awk '$1 == "heatmap" && $6 != 49 { bad = 1 } END { exit bad }' "$f" || fail "demo: confusion heat map is not 7x7"
    [ "$(count_kind "$f" heatmap)" -eq 1 ] || fail "demo: expected 1 heat map"
    [ "$(count_kind "$f" bar-chart)" -ge 2 ] || fail "demo: expected Se/+P and importance bar charts"
    awk '$1 == "bar-chart" && $7 < 2 { bad = 1 } END { exit bad }' "$f" || fail "demo: an empty bar chart"
    [ "$(count_kind "$f" vmd-mode)" -ge 3 ] || fail "demo: expected the signal and >= 2 VMD modes"
    for id in snr-0 snr-1 rate-distortion convergence study-trials confusion class-se-ppv study-importance; do
        grep -q " $id " "$f" || fail "demo: figure $id missing"
    done
    # line plots: a polyline per series with points
    awk '($1 == "line-plot" || $1 == "vmd-mode") && ($3 < 1 || $4 < 1) { print; bad = 1 } END { exit bad }' "$f" \
        || fail "demo: an empty line plot"
    # convergence: 5 optimisers
    awk '$2 == "convergence" && $3 < 5 { bad = 1 } END { exit bad }' "$f" || fail "demo: convergence lacks curves"
    # denoising: 4 methods + y = x per noise
    awk '$2 ~ /^snr-/ && $3 < 5 { bad = 1 } END { exit bad }' "$f" || fail "demo: SNR plot lacks curves"
    echo "browser_check: demo report: $(wc -l <"$f") figures, $ns strips OK"
}

check_classification() {
    f=$1.fig
    figures "$1.dom" >"$f"
    awk '$1 == "heatmap" && $6 == 49 { ok = 1 } END { exit !ok }' "$f" || fail "classification: no 7x7 heat map"
    awk '$2 == "class-se-ppv" && $7 >= 4 { ok = 1 } END { exit !ok }' "$f" || fail "classification: Se/+P bars missing"
    grep -q 'ANSI/AAMI EC57 statistics' "$1.dom" || fail "classification: EC57 table missing"
    grep -q '<td>233</td>' "$1.dom" || fail "classification: per-record table missing"
    echo "browser_check: classification report: $(wc -l <"$f") figures OK"
}

# classify/detect/info --report: strips of one trace x 3600 points, the
# matrix, the bars, the tachogram, the rhythm time line
check_command_reports() {
    f=$tmp/classify.fig
    figures "$tmp/classify.dom" >"$f"
    [ "$(count_kind "$f" ecg-strip)" -eq 3 ] || fail "classify: expected 3 ECG strips"
    awk '$1 == "ecg-strip" && ($8 != 1 || $9 != 3600) { bad = 1 } END { exit bad }' "$f" \
        || fail "classify: a strip lacks its trace of 3600 points"
    awk '$2 == "confusion" && $6 == 49 { ok = 1 } END { exit !ok }' "$f" || fail "classify: no 7x7 heat map"
    awk '$2 == "predicted-classes" && $7 == 5 { ok = 1 } END { exit !ok }' "$f" || fail "classify: class bars"
    grep -q 'class="beat"' "$tmp/classify.dom" || fail "classify: no beat labels"
    f=$tmp/detect.fig
    figures "$tmp/detect.dom" >"$f"
    # the RR figures are points (no lines): the figure present, no polyline
    awk '$2 == "tachogram" && $3 == 0 { ok = 1 } END { exit !ok }' "$f" || fail "detect: tachogram"
    awk '$2 == "poincare" { ok = 1 } END { exit !ok }' "$f" || fail "detect: Poincare plot"
    [ "$(grep -o '<circle class="series"' "$tmp/detect.dom" | wc -l)" -ge 1000 ] || fail "detect: RR points missing"
    [ "$(count_kind "$f" ecg-strip)" -eq 3 ] || fail "detect: expected 3 ECG strips"
    f=$tmp/info.fig
    figures "$tmp/info.dom" >"$f"
    [ "$(count_kind "$f" ecg-overview)" -eq 2 ] || fail "info: expected an overview per signal"
    [ "$(count_kind "$f" ecg-strip)" -eq 4 ] || fail "info: expected 2 strips per signal"
    awk '$2 == "beats-by-aami" && $7 == 5 { ok = 1 } END { exit !ok }' "$f" || fail "info: AAMI bars"
    grep -q 'class="episode"' "$tmp/info.dom" || fail "info: rhythm time line empty"
    echo "browser_check: classify, detect and info reports OK"
}

run_browser "$demo" "$tmp/demo" 3000
check_demo "$tmp/demo"
run_browser "$tmp/classification.html" "$tmp/classification" 1300
check_classification "$tmp/classification"
for rep in classify detect info; do
    run_browser "$tmp/$rep.html" "$tmp/$rep" 1600
done
check_command_reports

# Firefox, when installed (Debian firefox-esr): the same reports render
# headless to a screenshot without error (layout compared by eye once:
# docs/report.md).
ff=""
for b in firefox-esr firefox; do
    if command -v "$b" >/dev/null 2>&1; then ff=$b; break; fi
done
if [ -n "$ff" ]; then
    for rep in demo classification; do
        html=$demo
        [ $rep = classification ] && html=$tmp/classification.html
        prof=$(mktemp -d "$tmp/ffprofile.XXXXXX")
        timeout 120 "$ff" --headless --no-remote --profile "$prof" --window-size=1400,3000 \
            --screenshot "$tmp/$rep-firefox.png" "file://$html" >"$tmp/$rep-firefox.log" 2>&1 \
            || fail "$ff --screenshot $html failed: $(tail -3 "$tmp/$rep-firefox.log")"
        [ -s "$tmp/$rep-firefox.png" ] || fail "$ff wrote no screenshot of $html"
    done
    echo "browser_check: $ff renders both reports"
else
    echo "browser_check: no firefox-esr: Firefox rendering not checked"
fi

if [ -n "${SCREENSHOT_DIR:-}" ]; then
    mkdir -p "$SCREENSHOT_DIR"
    cp "$tmp/demo.png" "$SCREENSHOT_DIR/demo-report.png"
    cp "$tmp/classification.png" "$SCREENSHOT_DIR/classification-report.png"
    echo "browser_check: screenshots in $SCREENSHOT_DIR"
fi
echo "browser_check: OK"
exit 0
