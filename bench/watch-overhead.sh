#!/usr/bin/env bash
# What `gobuildrules watch` adds to a healthy build: hyperfine times `go build` bare and under watch
# on a small module, twice: with a warm build cache (nothing to compile: the cost is watch's own
# start-up) and cold (`go build -a`, every package compiled: the cost of sampling the tree while
# go, compile and link run). The tool is run as built (dotnet gobuildrules.dll, Release unless
# CONFIGURATION says otherwise).
# Writes bench/results/watch-overhead.{md,json}; copy the figures into docs/performance.md.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

configuration="${CONFIGURATION:-Release}"
dotnet build "$here/src/GoBuildRules.Cli" -c "$configuration" --nologo -v quiet >/dev/null
tool="dotnet $here/src/GoBuildRules.Cli/bin/$configuration/net10.0/gobuildrules.dll"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
module="$work/module"
mkdir -p "$module/a" "$module/b"
printf 'module example.com/bench\n\ngo 1.19\n' > "$module/go.mod"
printf 'package a\n\nimport "fmt"\n\nfunc A() string { return fmt.Sprint("a", 1) }\n' > "$module/a/a.go"
printf 'package b\n\nimport (\n\t"encoding/json"\n\t"net/http"\n)\n\nvar _ = http.StatusOK\n\nfunc B() ([]byte, error) { return json.Marshal(1) }\n' > "$module/b/b.go"
printf 'package main\n\nimport (\n\t"example.com/bench/a"\n\t"example.com/bench/b"\n)\n\nfunc main() { println(a.A()); b.B() }\n' > "$module/main.go"
export GOCACHE="$work/gocache" GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local
cd "$module"
go build -o /dev/null ./... # warm the cache

mkdir -p "$here/bench/results"
hyperfine --warmup 1 --runs "${RUNS:-10}" -N \
  --export-markdown "$here/bench/results/watch-overhead.md" \
  --export-json "$here/bench/results/watch-overhead.json" \
  -n 'go build (warm cache)' 'go build -o /dev/null ./...' \
  -n 'watch -- go build (warm cache)' "$tool watch -- go build -o /dev/null ./..." \
  -n 'go build -a (cold)' 'go build -a -o /dev/null ./...' \
  -n 'watch -- go build -a (cold)' "$tool watch -- go build -a -o /dev/null ./..."
python3 - "$here/bench/results/watch-overhead.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
for kind in ("warm cache", "cold"):
    bare = r[f"go build{' -a' if kind == 'cold' else ''} ({kind})"]["median"]
    watched = r[f"watch -- go build{' -a' if kind == 'cold' else ''} ({kind})"]["median"]
    print(f"{kind}: bare {bare*1000:.0f} ms, under watch {watched*1000:.0f} ms (+{(watched-bare)*1000:.0f} ms, x{watched/bare:.2f})")
PY
