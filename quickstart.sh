#!/usr/bin/env bash
# Builds and installs gobuildrules from this checkout, then scans a Go module.
#   ./quickstart.sh          scans samples/cgo-missing-compiler with a C compiler that does not exist,
#                            to show a real diagnosis and its fix
#   ./quickstart.sh DIR      scans the Go module in DIR with your own environment
# Needs only the .NET 10 SDK; Go itself is optional (its absence is one of the things diagnosed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

dotnet pack "$here/src/GoBuildRules.Cli" -c Release -o "$here/artifacts/packages" --nologo -v quiet
# install or update the global tool from the package just built
dotnet tool update --global gobuildrules --add-source "$here/artifacts/packages" --ignore-failed-sources >/dev/null
tool="${DOTNET_TOOLS:-$HOME/.dotnet/tools}/gobuildrules"
echo "installed: $("$tool" --version)  ($tool)"
echo

if [ $# -gt 0 ]; then
  exec "$tool" scan --path "$1"
fi
cd "$here/samples/cgo-missing-compiler"
echo "\$ CGO_ENABLED=1 CC=/nonexistent/gcc gobuildrules scan"
CGO_ENABLED=1 CC=/nonexistent/gcc exec "$tool" scan
