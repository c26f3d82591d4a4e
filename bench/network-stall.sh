#!/usr/bin/env bash
# Network probes with every endpoint stalled: `gobuildrules scan` against the check a user would
# script by hand (dig, a TCP connect with a 3 s timeout, then curl -v with a 5 s timeout, per
# endpoint, one after the other). Every endpoint is a tarpit on 127.0.0.1 that accepts TCP and
# never answers; nothing leaves the machine.
#
#   bench/network-stall.sh [ENDPOINTS]      (default 4: 3 GOPROXY entries + GOSUMDB)
#
# Uses hyperfine when it is installed (apt-get install -y hyperfine), else a timed loop.
# Needs python3 for the tarpits and a built tool (it builds Release when missing).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ENDPOINTS="${1:-4}"
RUNS="${RUNS:-5}"
HAND_RUNS="${HAND_RUNS:-2}"
TOOL="$ROOT/src/GoBuildRules.Cli/bin/Release/net10.0/gobuildrules.dll"
[ -f "$TOOL" ] || dotnet build -c Release "$ROOT/src/GoBuildRules.Cli" >/dev/null

WORK="$(mktemp -d)"
TARPIT_PID=""
cleanup() {
  [ -n "$TARPIT_PID" ] && kill "$TARPIT_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# One process holds all tarpits; it prints their ports and keeps every connection open, silent.
python3 - "$ENDPOINTS" >"$WORK/ports" <<'PY' &
import socket, sys, select, time
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks), flush=True)
held, end = [], time.time() + 3600
while time.time() < end:
    ready, _, _ = select.select(socks, [], [], 1)
    for s in ready:
        c, _ = s.accept(); held.append(c)
PY
TARPIT_PID=$!
for _ in $(seq 50); do [ -s "$WORK/ports" ] && break; sleep 0.1; done
read -r -a PORTS <"$WORK/ports"

# GOPROXY: every port but the last, joined by '|' (fall back on errors: the friendliest setup);
# GOSUMDB: the last port.
PROXIES=()
for p in "${PORTS[@]:0:$((ENDPOINTS - 1))}"; do PROXIES+=("http://127.0.0.1:$p"); done
GOPROXY_VALUE="$(IFS='|'; echo "${PROXIES[*]}")"
SUMDB_URL="http://127.0.0.1:${PORTS[$((ENDPOINTS - 1))]}"
URLS=("${PROXIES[@]}" "$SUMDB_URL")

mkdir -p "$WORK/app"
printf 'module example.com/app\n\ngo 1.19\n\nrequire example.com/hello v1.0.0\n' >"$WORK/app/go.mod"
export GOPROXY="$GOPROXY_VALUE" GOSUMDB="sum.golang.org $SUMDB_URL" GOENV="$WORK/goenv" GOFLAGS=-mod=mod NO_COLOR=1
unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy GONOSUMDB GOPRIVATE GONOPROXY || true

cat >"$WORK/by-hand.sh" <<SH
#!/usr/bin/env bash
for url in ${URLS[*]}; do
  hostport=\${url#*://}; host=\${hostport%%:*}; port=\${hostport##*:}
  if command -v dig >/dev/null; then dig +time=2 +tries=1 +short "\$host" >/dev/null 2>&1 || true
  else getent ahosts "\$host" >/dev/null 2>&1 || true; fi
  timeout 3 bash -c "exec 3<>/dev/tcp/\$host/\$port" 2>/dev/null || true
  curl -v --max-time 5 "\$url/example.com/hello/@v/list" >/dev/null 2>&1 || true
done
SH
chmod +x "$WORK/by-hand.sh"

SCAN="dotnet $TOOL scan --path $WORK/app"
echo "endpoints: ${#URLS[@]} stalled (GOPROXY=$GOPROXY_VALUE, GOSUMDB=$GOSUMDB)"
echo "default scan deadline 5 s, per-endpoint probe budget ${GOBUILDRULES_PROBE_BUDGET:-1.5} s"

if command -v hyperfine >/dev/null; then
  hyperfine --ignore-failure --runs "$RUNS" --export-json "$WORK/scan.json" -n "gobuildrules scan" "$SCAN" >&2
  hyperfine --ignore-failure --runs "$HAND_RUNS" --export-json "$WORK/hand.json" -n "by hand" "$WORK/by-hand.sh" >&2
  # The floor: the same scan without probes (process start, core facts, rules, rendering).
  hyperfine --ignore-failure --runs "$RUNS" --export-json "$WORK/offline.json" -n "gobuildrules scan --offline" "$SCAN --offline" >&2
  OFFLINE_S=$(python3 -c "import json;print(json.load(open('$WORK/offline.json'))['results'][0]['mean'])")
  SCAN_S=$(python3 -c "import json;print(json.load(open('$WORK/scan.json'))['results'][0]['mean'])")
  HAND_S=$(python3 -c "import json;print(json.load(open('$WORK/hand.json'))['results'][0]['mean'])")
  SCAN_MAX=$(python3 -c "import json;print(json.load(open('$WORK/scan.json'))['results'][0]['max'])")
else
  t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
  total=0; SCAN_MAX=0
  for _ in $(seq "$RUNS"); do x=$(t $SCAN); total=$(echo "$total + $x" | bc -l); SCAN_MAX=$(echo "if ($x > $SCAN_MAX) $x else $SCAN_MAX" | bc -l); done
  SCAN_S=$(echo "$total / $RUNS" | bc -l)
  total=0
  for _ in $(seq "$HAND_RUNS"); do x=$(t "$WORK/by-hand.sh"); total=$(echo "$total + $x" | bc -l); done
  HAND_S=$(echo "$total / $HAND_RUNS" | bc -l)
  total=0
  for _ in $(seq "$RUNS"); do x=$(t $SCAN --offline); total=$(echo "$total + $x" | bc -l); done
  OFFLINE_S=$(echo "$total / $RUNS" | bc -l)
fi

python3 - "$SCAN_S" "$SCAN_MAX" "$HAND_S" "${#URLS[@]}" "$OFFLINE_S" <<'PY'
import sys
scan, scan_max, hand, n, offline = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], float(sys.argv[5])
print("| stalled endpoints | gobuildrules scan (mean, max) | scan --offline (mean) | by hand (mean) | by hand / scan |")
print(f"| {n} | {scan:.2f} s ({scan_max:.2f} s max) | {offline:.2f} s | {hand:.2f} s | {hand/scan:.1f}x |")
PY
