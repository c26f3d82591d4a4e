#!/usr/bin/env bash
# Speed budget of the Vendor and Ide packs on a large repository: a Go module with 100,000
# directories (vendor/ and web/node_modules/ included) generated under /tmp, scanned by the real
# tool (Release build) with /usr/bin/time -v. Budget: under 1 s wall and 150 MB peak RSS for a
# whole `gobuildrules scan`. Prints every run and exits 1 when the best run misses the budget.
#
#   bench/vendor-walk.sh            # generate (once) and measure 5 runs
#   RUNS=10 BENCH_REPO=/tmp/x bench/vendor-walk.sh
#   BENCH_KEEP=0 bench/vendor-walk.sh   # delete the generated tree afterwards
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
repo=${BENCH_REPO:-/tmp/gbr-bench-vendor-walk}
runs=${RUNS:-5}
wall_budget=1.0
rss_budget_kb=$((150 * 1024))
tool="$root/src/GoBuildRules.Cli/bin/Release/net10.0/gobuildrules.dll"

[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }

echo "== building the tool (Release)"
dotnet build "$root/src/GoBuildRules.Cli" -c Release -v q -nologo >/dev/null

if [ ! -f "$repo/.generated" ]; then
  echo "== generating $repo"
  rm -rf "$repo"
  mkdir -p "$repo"
  cd "$repo"
  printf 'module example.com/bench\n\ngo 1.19\n' > go.mod
  printf 'package main\n\nfunc main() {}\n' > main.go
  # vendor/: 200 modules x 250 packages; web/node_modules: 160 x 250; internal/: 40 x 240.
  for m in $(seq 0 199); do mkdir -p vendor/example.com/m$m/p{0..249}; done
  for m in $(seq 0 159); do mkdir -p web/node_modules/n$m/q{0..249}; done
  for m in $(seq 0 39); do mkdir -p internal/i$m/s{0..239}; done
  printf '# example.com/m0 v1.0.0\n## explicit\nexample.com/m0/p0\n' > vendor/modules.txt
  mkdir -p .vscode
  printf '{\n  // bench workspace\n  "gopls": { "build.directoryFilters": ["-vendor",], },\n}\n' > .vscode/settings.json
  printf '[build]\n  cmd = "go build -o ./tmp/main ."\n  exclude_dir = ["tmp"]\n' > .air.toml
  touch .generated
fi
cd "$repo"
dirs=$(find . -path ./.git -prune -o -type d -print | wc -l)
echo "== $repo: $dirs directories ($(find vendor -type d | wc -l) in vendor/, $(find web/node_modules -type d | wc -l) in web/node_modules/)"

# What the packs saw: the walk's own count and time, and that the walk was not cut short.
dotnet "$tool" snapshot --path "$repo" --timeout 30 > /tmp/gbr-bench-snapshot.json
python3 - <<'PY'
import json
d = json.load(open("/tmp/gbr-bench-snapshot.json"))
t = d["extensions"]["GoBuildRules.Rules.Vendor"]["tree"]
print(f"== Vendor pack walk: {t['directories']} directories, {t['entries']} entries, {t['elapsedMilliseconds']} ms, truncated={t['truncated']}")
if t["truncated"]:
    print(f"== WARNING: the walk stopped at its {t['truncatedBy']}: this machine is slower than the budget assumes")
PY

echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
# Reference points on this machine right now: the kernel's own walk (find) and the tool's fixed cost (an empty module).
/usr/bin/time -f "== reference: find -type d over the tree: %e s" find "$repo" -type d > /dev/null
empty=$(mktemp -d /tmp/gbr-bench-empty-XXXXXX)
printf 'module example.com/empty\n\ngo 1.19\n' > "$empty/go.mod"
dotnet "$tool" scan --path "$empty" --format json --fail-on never -o /dev/null
/usr/bin/time -f "== reference: scan of an empty module: %e s, peak RSS %M KB" dotnet "$tool" scan --path "$empty" --format json --fail-on never -o /dev/null
rm -rf "$empty"
dotnet "$tool" scan --path "$repo" --format json --fail-on never --timeout 30 -o /tmp/gbr-bench-report.json  # warm-up
python3 -c "
import json; r = json.load(open('/tmp/gbr-bench-report.json'))
print('== findings:', ', '.join(sorted({f['ruleId'] for f in r['findings']})), '| timings', r['timings'])"

best_wall=999; best_rss=0; walls=()
for i in $(seq 1 "$runs"); do
  /usr/bin/time -v -o /tmp/gbr-bench-time.txt dotnet "$tool" scan --path "$repo" --format json --fail-on never --timeout 30 -o /tmp/gbr-bench-report.json
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(j=1;j<=n;j++) s=s*60+a[j]; print s}' /tmp/gbr-bench-time.txt)
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' /tmp/gbr-bench-time.txt)
  echo "run $i: wall ${wall} s, peak RSS $((rss / 1024)) MB"
  walls+=("$wall")
  if awk "BEGIN {exit !($wall < $best_wall)}"; then best_wall=$wall; best_rss=$rss; fi
done
median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "== best wall ${best_wall} s (peak RSS $((best_rss / 1024)) MB), median wall ${median} s; budget ${wall_budget} s / $((rss_budget_kb / 1024)) MB"

[ "${BENCH_KEEP:-1}" = "0" ] && rm -rf "$repo"
if awk "BEGIN {exit !($best_wall < $wall_budget && $best_rss < $rss_budget_kb)}"; then echo "PASS"; else echo "FAIL"; exit 1; fi
