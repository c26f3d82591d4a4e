#!/usr/bin/env bash
# Module-cache scan benchmark (issue 4): builds synthetic GOMODCACHEs under /tmp (reused between
# runs), then measures the whole `gobuildrules scan` (wall time and peak RSS with /usr/bin/time -v)
# and the ModCache collector's own walk time, at 20k, 200k and 2M files under cache/download.
# The 200k cache also holds 1,000,000 extracted files, which the scan must never walk.
#
#   bench/modcache.sh            build what is missing, measure, print a markdown table
#   bench/modcache.sh --clean    delete the synthetic caches (about 3.2M inodes)
#   SIZES="20000 200000" bench/modcache.sh    measure only some sizes
#   NICE=-19 bench/modcache.sh   run the scans at a higher CPU priority (needs root): on a machine
#                                shared with other busy jobs this approximates an idle machine
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${GBMOD_BENCH_DIR:-/tmp/gbmod-bench}"
sizes="${SIZES:-20000 200000 2000000}"
runs="${RUNS:-3}"

if [[ "${1:-}" == "--clean" ]]; then
  rm -rf "$work"
  exit 0
fi

mkdir -p "$work"
gen="$work/modcache-gen"
if [[ ! -x "$gen" || "$repo/bench/modcache-gen.c" -nt "$gen" ]]; then
  gcc -O2 -o "$gen" "$repo/bench/modcache-gen.c"
fi

extracted_for() { [[ "$1" == 200000 ]] && echo 1000000 || echo 0; }

for n in $sizes; do
  mc="$work/mc-$n"
  if [[ ! -f "$mc/.complete" ]]; then
    rm -rf "$mc"
    start=$(date +%s.%N)
    "$gen" "$mc" "$n" "$(extracted_for "$n")"
    echo "generated in $(echo "$(date +%s.%N) - $start" | bc) s" >&2
    touch "$mc/.complete"
  fi
done

# A module requiring 20 of the synthetic modules, with go.sum lines matching their .ziphash files.
app="$work/app"
if [[ ! -f "$app/go.mod" ]]; then
  mkdir -p "$app"
  { printf 'module example.com/benchapp\n\ngo 1.19\n\nrequire (\n'
    for i in $(seq 0 19); do printf '\texample.com/o0/m%d v1.0.0\n' "$i"; done
    printf ')\n'; } > "$app/go.mod"
  for i in $(seq 0 19); do
    printf 'example.com/o0/m%d v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n' "$i"
    printf 'example.com/o0/m%d v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n' "$i"
  done > "$app/go.sum"
  printf 'package main\n\nfunc main() {}\n' > "$app/main.go"
fi

tool="$repo/src/GoBuildRules.Cli/bin/Release/net10.0/gobuildrules.dll"
if [[ ! -f "$tool" || -n "$(find "$repo/plugins/GoBuildRules.Rules.ModCache" "$repo/src" -name '*.cs' -newer "$tool" -print -quit)" ]]; then
  dotnet build -c Release "$repo/src/GoBuildRules.Cli" -v q -nologo >&2
fi

export GOPROXY=off GOFLAGS=-mod=mod GOSUMDB=off GOENV="$work/goenv" GOCACHE="$work/gocache" NO_COLOR=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| files under cache/download | extracted files | scan wall | scan CPU user+sys | peak RSS | walk wall | walk on CPU | walk waiting for a CPU | entries walked / runs cut short | load average |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"
for n in $sizes; do
  mc="$work/mc-$n"
  export GOMODCACHE="$mc" GOPATH="$work/gopath"
  # Warm the page cache once, as a developer's second scan would find it.
  nice -n "${NICE:-0}" dotnet "$tool" snapshot --path "$app" --timeout 30 -o "$work/snapshot-$n.json" >/dev/null
  walls=(); rss=(); cpus=(); walks=(); walkcpus=(); walkwaits=(); seens=(); cut=0
  load=$(cut -d' ' -f1 /proc/loadavg)
  for _ in $(seq "$runs"); do
    nice -n "${NICE:-0}" /usr/bin/time -v -o "$work/time.txt" dotnet "$tool" scan --path "$app" --format json --fail-on never --timeout 30 -o "$work/report-$n.json" >/dev/null
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2, t, ":"); print (length(t) == 3 ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2])}' "$work/time.txt")")
    rss+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")")
    cpus+=("$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f", u + s}' "$work/time.txt")")
    # The collector's own figures for its walk, from a snapshot (the report does not carry facts).
    nice -n "${NICE:-0}" dotnet "$tool" snapshot --path "$app" --timeout 30 -o "$work/snapshot-$n.json" >/dev/null
    read -r walk walkcpu walkwait seen truncated < <(python3 - "$work/snapshot-$n.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["extensions"]["GoBuildRules.Rules.ModCache"]["download"]
print(d["elapsedMilliseconds"], d.get("cpuMilliseconds", "?"), d.get("runQueueMilliseconds", "?"), d["filesSeen"] + d["directoriesSeen"], "yes" if d.get("truncated") else "no")
PY
)
    walks+=("$walk"); walkcpus+=("$walkcpu"); walkwaits+=("$walkwait"); seens+=("$seen")
    [[ "$truncated" == yes ]] && cut=$((cut + 1))
  done
  echo "| $n | $(extracted_for "$n") | $(printf '%s\n' "${walls[@]}" | median) s | $(printf '%s\n' "${cpus[@]}" | median) s | $(( $(printf '%s\n' "${rss[@]}" | sort -n | tail -1) / 1024 )) MB | $(printf '%s\n' "${walks[@]}" | median) ms | $(printf '%s\n' "${walkcpus[@]}" | median) ms | $(printf '%s\n' "${walkwaits[@]}" | median) ms | $(printf '%s\n' "${seens[@]}" | median) entries / ${cut} of ${runs} | ${load} |"
done
echo
echo "Medians of $runs runs (peak RSS: the largest). Scan = the whole \`gobuildrules scan\` process (.NET start-up, core facts, every pack, report)."
