#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine (as root), then runs every test once.
# The integration tests use the real go binary, gcc, git, Chromium and Node; nothing is mocked.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

need=()
command -v go >/dev/null || need+=(golang-go)
command -v gcc >/dev/null || need+=(gcc)
command -v git >/dev/null || need+=(git)
command -v chromium >/dev/null || need+=(chromium)
command -v node >/dev/null || need+=(nodejs npm)
command -v hyperfine >/dev/null || need+=(hyperfine)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: missing ${need[*]}; run as root or install them with apt-get" >&2
    exit 2
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The SARIF Multitool (a pinned npm package) validates the SARIF the tests write.
[ -d tests/sarif/node_modules ] || npm ci --prefix tests/sarif --no-audit --no-fund --silent

# A report snapshot that is missing fails instead of being written and passing.
export SNAPSHOOTER_STRICT_MODE="${SNAPSHOOTER_STRICT_MODE:-true}"

log="$(mktemp)"
set +e
dotnet test GoBuildRules.sln --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line for the whole suite, summed over every test assembly.
grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' \
  | awk '{f+=$1; p+=$2; s+=$3} END {printf "%d passed, %d failed, %d skipped\n", p, f, s}'
# Each test assembly's own duration, for finding what makes the suite long.
grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Duration: *([^-]+) - ([^ ]+).*/\1|\2/' \
  | awk -F'|' '{n=split($1,w," "); s=0; for(i=1;i<n;i+=2){v=w[i]; u=w[i+1]; s+= (u=="m"?60*v:(u=="ms"?v/1000:v))} printf "%6.0f s  %s\n", s, $2}' \
  | sort -rn | head -8
rm -f "$log"
exit "$status"
