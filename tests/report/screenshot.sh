#!/bin/sh
# Screenshot of chosen figures of an ecgopt HTML report (for docs/img):
# the report's <style> and the figures with the given ids (plus the table
# or paragraph right after each, when WITH_TABLES=1) on one page, rendered by
# headless Chromium.
# usage: tests/report/screenshot.sh REPORT.html OUT.png WIDTHxHEIGHT ID...
set -eu
rep=$1 out=$2 size=$3
shift 3
tmp=$(mktemp -d /tmp/ecgopt-shot.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
{
    sed -n 's/.*\(<style>.*<\/style>\).*/<!DOCTYPE html><html><head><meta charset="utf-8">\1<\/head><body>/p' "$rep" | head -1
    for id in "$@"; do
        # the figure (one or more lines) from its opening tag to </figure>,
        # and with WITH_TABLES=1 what follows it up to the next figure/heading
        awk -v id="$id" -v tables="${WITH_TABLES:-0}" '
            index($0, "<figure") && index($0, "id=\"" id "\"") { on = 1 }
            on { print; if (index($0, "</figure>")) { on = 0; after = tables } ; next }
            after && (index($0, "<figure") || index($0, "<h2")) { after = 0 }
            after { print }' "$rep"
    done
    echo '</body></html>'
} >"$tmp/page.html"
timeout 90 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/prof" \
    --window-size="$(echo "$size" | tr x ,)" --screenshot="$out" "file://$tmp/page.html" >/dev/null 2>&1
[ -s "$out" ]
