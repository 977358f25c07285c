#!/usr/bin/env bash
# report_html.sh TOPOPLAN DATA OUT: builds the HTML report from stored runs (two allreduce
# documents, a probe document, a plan, an nccl-tests log, a verify document, a replay), renders it with Debian's headless
# Chromium, and checks: a PNG screenshot is produced, the page logs no console errors, and the
# rendered DOM holds the expected SVG series, heatmap cells, islands and bars.
set -euo pipefail
topoplan=$1 data=$2 out=$3
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "FAILED: chromium not found (scripts/setup.sh installs it)"
  exit 1
fi
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAILED: $*"; exit 1; }

"$topoplan" place --cluster "$data/probe/planted-racks.json" --gang 3 --json "$work/plan.json" >/dev/null
"$topoplan" replay --cluster "$data/clusters/alibaba-lingjun-2023-topo.csv" --level-gbps ASW=50,PSW=25 \
  --trace "$data/traces/acme-kalos-gang-jobs.csv" --arrival-scale 0.1 --json "$work/replay.json" >/dev/null
"$topoplan" report "$data/compare/baseline.json" "$data/compare/one-slower.json" \
  "$data/probe/planted-racks.json" "$work/plan.json" "$data/logs/nccl_allreduce.log" \
  "$data/verify/verify-racks.json" "$work/replay.json" \
  --html "$out/report.html" >/dev/null

flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile"
  --enable-logging=stderr --v=0)
"$browser" "${flags[@]}" --window-size=1200,2600 --screenshot="$out/report.png" \
  "file://$out/report.html" 2>"$work/screenshot.log" >/dev/null
"$browser" "${flags[@]}" --dump-dom "file://$out/report.html" >"$work/dom.html" 2>"$work/dom.log"

[ -s "$out/report.png" ] || fail "no screenshot"
[ "$(head -c 8 "$out/report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
  fail "the screenshot is not a PNG"
if grep -hE 'CONSOLE|Uncaught|Failed to load resource|net::ERR' "$work/screenshot.log" "$work/dom.log"; then
  fail "the page logged the errors above"
fi
expect() {  # expect COUNT PATTERN: the rendered DOM holds COUNT matches of PATTERN
  local got
  got=$(grep -oE "$2" "$work/dom.html" | wc -l)
  [ "$got" -eq "$1" ] || fail "expected $1 of /$2/ in the rendered page, found $got"
}
# Series: 2 algorithms x 2 placements x 2 runs, and the nccl-tests log's 2 placements; the
# replay's 4 charts of 6 policies.
expect 34 '<path class="series" data-series="[^"]*"'
expect 6 '<tr class="policy"><td>(topoplan|topoplan-greedy|best-fit|spread|first-fit|random)</td>'
expect 6 '<path class="series" data-series="[a-z-]+" data-points="101"'  # the JCT CDFs
expect 18 '<path class="series" data-series="[a-z-]+" data-points="200"'  # the curves
expect 1 'data-series="allreduce ring float sum in-place \([^)]*baseline.json\)" data-points="6"'
expect 1 'data-series="allreduce nccl float sum out-of-place \([^)]*nccl_allreduce.log\)" data-points="32"'
expect 36 '<rect class="cell"'
expect 2 '<rect class="island"'
expect 5 '<rect class="bar" data-strategy="[a-z-]+"'
expect 1 '<tr class="regressed"><td>regressed</td><td>allreduce ring float sum in-place 16384</td>'
expect 4 '<tr class="gpu-copy"><td>r1n1</td>'
expect 1 '<td>h2d</td><td>host</td><td>cuda0</td><td>pcie</td><td>52.1</td><td title="PCIe Gen5 x16 \(32 GT/s\)">63.0</td><td>82.7</td>'
# Predicted against measured: 5 candidates, 5 measured bars, the gang's error written on it.
expect 5 '<rect class="predicted" data-candidate='
expect 5 '<rect class="measured" data-candidate='
expect 2 'class="error"[^>]*>0.1925 GB/s, error \+23.5%'  # the gang, and best-fit (the same hosts)
grep -q '<script' "$work/dom.html" && fail "the page holds a script"
echo "OK: $out/report.png ($(stat -c %s "$out/report.png") bytes), no console errors, series, heatmap, islands, bars, the regression and the GPU copies as expected"
