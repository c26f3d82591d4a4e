#!/usr/bin/env bash
# Cold wall time of a whole `gobuildrules scan --offline` on a small module against `go env -json`,
# the one command every scan runs anyway, and against the go oracle's own `go list` (offline, on a
# copy of go.mod), by which issue 10 allows the oracle to make a scan slower, and against the same tool built
# without the oracle (-p:GoOracle=off), so that the oracle's cost is measured directly. Each run is a fresh
# process (no warm-up: a user runs the tool once). The tool is measured as users get it: packed,
# installed with `dotnet tool install` (on linux-x64 that is the ReadyToRun package), and, for
# comparison, the portable JIT build.
# Prints, in one run, everything issue 10's criterion needs (with its arithmetic, also in units of
# `go env -json`, since machines differ), one traced scan (GOBUILDRULES_TRACE_TIMINGS=1: where the
# time goes) and which assemblies were JIT-compiled although the package is precompiled.
# Writes bench/results/scan-vs-go-env.{md,json}; copy the figures into docs/performance.md.
#
#   bench/scan-vs-go-env.sh              # 20 runs each
#   RUNS=10 bench/scan-vs-go-env.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version="0.1.0-bench.$(date +%Y%m%d%H%M%S)"
dotnet pack "$here/src/GoBuildRules.Cli" -c Release -o "$work/feed" --nologo -v quiet -p:Version="$version" >/dev/null
dotnet tool install gobuildrules --version "$version" --tool-path "$work/tools" --add-source "$work/feed" >/dev/null
# The same tool built without the go oracle (-p:GoOracle=off; never shipped): the difference between the two
# scans is what the oracle costs, the quantity issue 10's criterion bounds by the oracle's own go list.
dotnet pack "$here/src/GoBuildRules.Cli" -c Release -o "$work/feed-no-oracle" --nologo -v quiet -p:Version="$version-nooracle" -p:GoOracle=off >/dev/null
dotnet tool install gobuildrules --version "$version-nooracle" --tool-path "$work/tools-no-oracle" --add-source "$work/feed-no-oracle" >/dev/null
# Leave the build folders as a normal build has them.
dotnet build "$here/src/GoBuildRules.Cli" -c Release --nologo -v quiet >/dev/null
portable=(dotnet "$here/src/GoBuildRules.Cli/bin/Release/net10.0/gobuildrules.dll")

# A small module with one requirement that needs no network: replaced by a folder beside it.
module="$work/module"
mkdir -p "$module" "$work/lib"
printf 'module example.com/lib\n\ngo 1.19\n' > "$work/lib/go.mod"
printf 'package lib\n\nfunc Hello() string { return "hello" }\n' > "$work/lib/lib.go"
printf 'module example.com/bench\n\ngo 1.19\n\nrequire example.com/lib v1.0.0\n\nreplace example.com/lib => ../lib\n' > "$module/go.mod"
printf 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/lib"\n)\n\nfunc main() { fmt.Println(lib.Hello()) }\n' > "$module/main.go"
cp "$module/go.mod" "$work/oracle.mod"
cd "$module"

# Where the time goes, from one traced scan of the installed tool (after one untimed run, so that
# the page cache holds the tool as it does for the timed runs).
"$work/tools/gobuildrules" scan --offline --fail-on never >/dev/null 2>&1 || true
echo "== one traced scan (GOBUILDRULES_TRACE_TIMINGS=1; start since process start, wall, process CPU over the span):"
GOBUILDRULES_TRACE_TIMINGS=1 "$work/tools/gobuildrules" scan --offline --fail-on never 2>&1 >/dev/null \
  | sed -n 's/^gobuildrules: timing: /   /p' | grep -v '^   rule: ' || true

# ReadyToRun check: methods of the tool's own assemblies and packs should not need the JIT
# (generic instantiations over framework types do). /tmp/perf-PID.map lists what was JIT-compiled.
pid_file="$work/pid"
DOTNET_PerfMapEnabled=1 bash -c 'echo $$ > "$0"; exec "$@"' "$pid_file" "$work/tools/gobuildrules" scan --offline --fail-on never >/dev/null 2>&1 || true
map="/tmp/perf-$(cat "$pid_file").map"
if [ -f "$map" ]; then
  echo "== methods JIT-compiled although the package is ReadyToRun, by the assembly that defines them (non-generic code of gobuildrules' own assemblies should be 0):"
  grep -E '\[(QuickJitted|Optimized|OptimizedTier1|Instrumented[A-Za-z]*)\]$' "$map" | grep -oE '\[[A-Za-z0-9.]+\] ' | sort | uniq -c | sort -rn | head -15 | sed 's/^/   /'
  own=$(grep -E '\[QuickJitted\]$' "$map" | grep -cE '\[GoBuildRules\.[A-Za-z.]+\] GoBuildRules|\[gobuildrules\] GoBuildRules' || true)
  echo "== of them, non-generic methods of gobuildrules' own assemblies and packs: $own"
  rm -f "$map" /tmp/perfinfo-"$(cat "$pid_file")".map
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$here/bench/results"
hyperfine --warmup 0 --runs "${RUNS:-20}" -N \
  --export-markdown "$here/bench/results/scan-vs-go-env.md" \
  --export-json "$here/bench/results/scan-vs-go-env.json" \
  -n 'go env -json' 'go env -json' \
  -n 'go list (the oracle'"'"'s command)' "env GOPROXY=off GOSUMDB=off go list -modfile=$work/oracle.mod -e -json -deps ./..." \
  -n 'gobuildrules scan --offline (installed)' "$work/tools/gobuildrules scan --offline --fail-on never" \
  -n 'gobuildrules scan --offline (installed, built without the oracle)' "$work/tools-no-oracle/gobuildrules scan --offline --fail-on never" \
  -n 'gobuildrules scan --offline (portable, JIT)' "${portable[*]} scan --offline --fail-on never"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== load average before: $load_before, after: $load_after ($(nproc) cores); $(go version)"
python3 - "$here/bench/results/scan-vs-go-env.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
go = r["go env -json"]["median"]
for name, x in r.items():
    print(f"{name}: median {x['median']*1000:.0f} ms, mean {x['mean']*1000:.0f} ± {x['stddev']*1000:.0f} ms ({x['median']/go:.2f}x go env -json)")
# Issue 10's criterion: the oracle may make a scan slower by at most its own go list time. Before the
# oracle, on a quiet machine, the installed scan took 471 ms median where go env -json took 60 ms
# (docs/performance.md): 7.85x go env. That figure is not rebuilt here, so it is carried over in
# units of this run's go env -json.
before_ms, before_go_ms = 471.0, 60.0
lst = r["go list (the oracle's command)"]["median"]
scan = r["gobuildrules scan --offline (installed)"]["median"]
allow = before_ms / before_go_ms * go + lst
print(f"criterion: scan {scan*1000:.0f} ms <= {before_ms:.0f}/{before_go_ms:.0f} x go env {go*1000:.0f} ms + go list {lst*1000:.0f} ms "
      f"= {allow*1000:.0f} ms ({allow/go:.2f}x go env): {'met' if scan <= allow else 'NOT met'}")
print(f"criterion on a machine like the first measurement's (go env 60 ms): scan <= 471 ms + go list; here {scan/go*60:.0f} ms vs {471 + lst/go*60:.0f} ms")
# The criterion read directly, in one run on one machine: the scan with the oracle against the same build without it.
without = r["gobuildrules scan --offline (installed, built without the oracle)"]["median"]
print(f"criterion, direct: scan {scan*1000:.0f} ms - scan without the oracle {without*1000:.0f} ms = {(scan-without)*1000:.0f} ms "
      f"<= go list {lst*1000:.0f} ms: {'met' if scan - without <= lst else 'NOT met'}")
PY
