#!/usr/bin/env bash
# Validates SARIF files with Microsoft's SARIF Multitool, with the SARIF-spec rules and the rules of
# GitHub Advanced Security's ingestion (--rule-kind "Sarif;Ghas"). Exits 0 only when every file
# has zero errors; warnings are printed but allowed.
#
#   tests/sarif/validate.sh FILE.sarif [FILE.sarif ...]
#
# The Multitool is a .NET app shipped inside the npm package @microsoft/sarif-multitool (pinned in
# package.json / package-lock.json beside this script). It is installed here with `npm ci` when
# missing and runs offline. It exits 0 even when it reports errors, so its output is read instead.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$#" -eq 0 ]; then
  echo "usage: $0 FILE.sarif [FILE.sarif ...]" >&2
  exit 2
fi

locate() { (cd "$here" && node -p "require('@microsoft/sarif-multitool')" 2>/dev/null) || true; }
tool="$(locate)"
if [ -z "$tool" ] || [ ! -e "$tool" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
  tool="$(locate)"
fi
if [ -z "$tool" ] || [ ! -e "$tool" ]; then
  echo "validate.sh: the SARIF Multitool is not installed (npm ci in $here failed)" >&2
  exit 2
fi
# npm may skip the package's postinstall (chmod u+x) when install scripts are not allowed.
[ -x "$tool" ] || chmod u+x "$tool"

status=0
for file in "$@"; do
  # Called directly, not through the package's bin.js: that wrapper runs a shell, which would
  # split "Sarif;Ghas" at the semicolon.
  out="$(DOTNET_CLI_TELEMETRY_OPTOUT=1 timeout 120 "$tool" validate --rule-kind "Sarif;Ghas" "$file" 2>&1)" || {
    echo "$out"
    echo "validate.sh: the Multitool failed on $file" >&2
    status=1
    continue
  }
  echo "$out"
  errors="$(printf '%s\n' "$out" | grep -cE ': error [A-Z]+[0-9]+:' || true)"
  if ! printf '%s\n' "$out" | grep -q 'Analysis completed successfully'; then
    echo "validate.sh: $file: the Multitool did not complete its analysis" >&2
    status=1
  elif [ "$errors" -ne 0 ]; then
    echo "validate.sh: $file: $errors error(s)" >&2
    status=1
  else
    echo "validate.sh: $file: 0 errors"
  fi
done
exit "$status"
