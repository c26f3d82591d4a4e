#!/usr/bin/env bash
# Cold wall time of a whole `gobuildrules scan --offline` on a small module against `go env -json`,
# the one command every scan runs anyway. Each run is a fresh process (no warm-up: a user runs the
# tool once). Writes bench/results/scan-vs-go-env.md; copy the figures into docs/performance.md.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

dotnet build "$here/src/GoBuildRules.Cli" -c Release --nologo -v quiet >/dev/null
tool=(dotnet "$here/src/GoBuildRules.Cli/bin/Release/net10.0/gobuildrules.dll")

module="$(mktemp -d)"
trap 'rm -rf "$module"' EXIT
printf 'module example.com/bench\n\ngo 1.19\n\nrequire github.com/pkg/errors v0.9.1\n' > "$module/go.mod"
printf 'package main\n\nimport _ "github.com/pkg/errors"\n\nfunc main() {}\n' > "$module/main.go"

mkdir -p "$here/bench/results"
cd "$module"
hyperfine --warmup 0 --runs "${RUNS:-15}" -N \
  --export-markdown "$here/bench/results/scan-vs-go-env.md" \
  --export-json "$here/bench/results/scan-vs-go-env.json" \
  -n 'go env -json' 'go env -json' \
  -n 'gobuildrules scan --offline' "${tool[*]} scan --offline --fail-on never"
python3 - "$here/bench/results/scan-vs-go-env.json" <<'PY'
import json, sys, statistics
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
go, scan = r["go env -json"], r["gobuildrules scan --offline"]
print(f"median go env -json: {go['median']*1000:.0f} ms; median scan: {scan['median']*1000:.0f} ms; ratio {scan['median']/go['median']:.1f}x")
PY
