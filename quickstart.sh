#!/usr/bin/env bash
# Builds and installs gobuildrules from this checkout, then scans a Go module.
#   ./quickstart.sh                      installs the tool globally (~/.dotnet/tools) and scans
#                                        samples/cgo-missing-compiler with a C compiler that does not
#                                        exist, to show a real diagnosis and its fix
#   ./quickstart.sh DIR                  scans the Go module in DIR with your own environment
#   ./quickstart.sh --tool-path TOOLS    installs into the folder TOOLS instead (nothing global changes)
# An existing gobuildrules in the same place is replaced; the script says which one first.
# Needs only the .NET 10 SDK; Go itself is optional (its absence is one of the things diagnosed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

usage() { echo "usage: $0 [--tool-path DIR] [MODULE_DIR]" >&2; exit 2; }

tool_path=""
module=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tool-path) [ $# -ge 2 ] || usage; tool_path="$2"; shift 2 ;;
    --tool-path=*) tool_path="${1#--tool-path=}"; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "quickstart.sh: error: unknown option $1" >&2; usage ;;
    *) [ -z "$module" ] || usage; module="$1"; shift ;;
  esac
done

if [ -n "$tool_path" ]; then
  mkdir -p "$tool_path"
  tool_path="$(cd "$tool_path" && pwd)"
  where=(--tool-path "$tool_path")
  tool="$tool_path/gobuildrules"
  place="$tool_path"
else
  where=(--global)
  tool="${DOTNET_TOOLS:-$HOME/.dotnet/tools}/gobuildrules"
  place="the global tools ($(dirname "$tool"))"
fi

# A version of its own for every local build: NuGet caches packages by id and version, so reusing
# one would install the cached, older build.
version="0.1.0-local.$(date +%Y%m%d%H%M%S)"
echo "packing gobuildrules $version from $here ..."
# PackageVersion, not Version: Version would also stamp (and so rebuild) the SDK and every pack.
dotnet pack "$here/src/GoBuildRules.Cli" -c Release -o "$here/artifacts/packages" --nologo -v quiet -p:PackageVersion="$version"

# `dotnet tool list` prints a header, then "id  version  commands".
installed="$(dotnet tool list "${where[@]}" 2>/dev/null | awk 'tolower($1) == "gobuildrules" { print $2 }' || true)"
if [ -n "$installed" ]; then
  echo "replacing gobuildrules $installed in $place with $version"
  dotnet tool uninstall "${where[@]}" gobuildrules >/dev/null
fi
dotnet tool install "${where[@]}" gobuildrules --version "$version" --add-source "$here/artifacts/packages" >/dev/null
echo "installed: $tool"
"$tool" --version | sed 's/^/  /'
echo

if [ -n "$module" ]; then
  exec "$tool" scan --path "$module"
fi
cd "$here/samples/cgo-missing-compiler"
echo "\$ CGO_ENABLED=1 CC=/nonexistent/gcc gobuildrules scan"
CGO_ENABLED=1 CC=/nonexistent/gcc exec "$tool" scan
