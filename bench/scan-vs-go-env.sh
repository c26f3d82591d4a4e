#!/usr/bin/env bash
# Cold wall time of a whole `gobuildrules scan --offline` on a small module against `go env -json`,
# the one command every scan runs anyway. Each run is a fresh process (no warm-up: a user runs the
# tool once). The tool is measured as users get it: packed, installed with `dotnet tool install`
# (on linux-x64 that is the ReadyToRun package), and, for comparison, the portable JIT build.
# Writes bench/results/scan-vs-go-env.{md,json}; copy the figures into docs/performance.md.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version="0.1.0-bench.$(date +%Y%m%d%H%M%S)"
dotnet pack "$here/src/GoBuildRules.Cli" -c Release -o "$work/feed" --nologo -v quiet -p:Version="$version" >/dev/null
dotnet tool install gobuildrules --version "$version" --tool-path "$work/tools" --add-source "$work/feed" >/dev/null
portable=(dotnet "$here/src/GoBuildRules.Cli/bin/Release/net10.0/gobuildrules.dll")

module="$work/module"
mkdir -p "$module"
printf 'module example.com/bench\n\ngo 1.19\n\nrequire github.com/pkg/errors v0.9.1\n' > "$module/go.mod"
printf 'package main\n\nimport _ "github.com/pkg/errors"\n\nfunc main() {}\n' > "$module/main.go"

mkdir -p "$here/bench/results"
cd "$module"
hyperfine --warmup 0 --runs "${RUNS:-20}" -N \
  --export-markdown "$here/bench/results/scan-vs-go-env.md" \
  --export-json "$here/bench/results/scan-vs-go-env.json" \
  -n 'go env -json' 'go env -json' \
  -n 'gobuildrules scan --offline (installed)' "$work/tools/gobuildrules scan --offline --fail-on never" \
  -n 'gobuildrules scan --offline (portable, JIT)' "${portable[*]} scan --offline --fail-on never"
python3 - "$here/bench/results/scan-vs-go-env.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
go = r["go env -json"]["median"]
for name, x in r.items():
    print(f"{name}: median {x['median']*1000:.0f} ms ({x['median']/go:.1f}x go env -json)")
PY
