#!/usr/bin/env bash
# Builds and installs gobuildrules from this checkout, then scans a Go module.
#   ./quickstart.sh          scans samples/cgo-missing-compiler with a C compiler that does not exist,
#                            to show a real diagnosis and its fix
#   ./quickstart.sh DIR      scans the Go module in DIR with your own environment
# Needs only the .NET 10 SDK; Go itself is optional (its absence is one of the things diagnosed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# A version of its own for every local build: NuGet caches packages by id and version, so reusing
# one would install the cached, older build.
version="0.1.0-local.$(date +%Y%m%d%H%M%S)"
dotnet pack "$here/src/GoBuildRules.Cli" -c Release -o "$here/artifacts/packages" --nologo -v quiet -p:Version="$version"
dotnet tool uninstall --global gobuildrules >/dev/null 2>&1 || true
dotnet tool install --global gobuildrules --version "$version" --add-source "$here/artifacts/packages" >/dev/null
tool="${DOTNET_TOOLS:-$HOME/.dotnet/tools}/gobuildrules"
echo "installed: $("$tool" --version)  ($tool)"
echo

if [ $# -gt 0 ]; then
  exec "$tool" scan --path "$1"
fi
cd "$here/samples/cgo-missing-compiler"
echo "\$ CGO_ENABLED=1 CC=/nonexistent/gcc gobuildrules scan"
CGO_ENABLED=1 CC=/nonexistent/gcc exec "$tool" scan
