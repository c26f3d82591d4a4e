#!/usr/bin/env bash
# Packs what a rule-pack author needs from this checkout into one local folder feed:
# GoBuildRules.Sdk, GoBuildRules.Testing, GoBuildRules.Templates and the gobuildrules tool.
#   scripts/local-feed.sh [--configuration C] [--no-build] [--no-tool] [FEED]
# FEED defaults to ~/.gobuildrules/feed, the folder `dotnet new gobuildrules-pack` points its
# nuget.config at unless given --feed. See docs/authoring.md.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

configuration=Release
build=()
tool=1
feed=""
while [ $# -gt 0 ]; do
  case "$1" in
    --configuration|-c) configuration="$2"; shift 2 ;;
    --no-build) build=(--no-build); shift ;;
    --no-tool) tool=0; shift ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "local-feed.sh: error: unknown option $1" >&2; exit 2 ;;
    *) feed="$1"; shift ;;
  esac
done
feed="${feed:-$HOME/.gobuildrules/feed}"
mkdir -p "$feed"
feed="$(cd "$feed" && pwd)"

pack() { dotnet pack "$here/$1" -c "$configuration" -o "$feed" --nologo -v quiet "${@:2}"; }
pack src/GoBuildRules.Sdk "${build[@]}"
pack src/GoBuildRules.Testing "${build[@]}"
# Content only: there is nothing to build first.
pack rulepacks/GoBuildRules.Templates
if [ "$tool" = 1 ]; then
  pack src/GoBuildRules.Cli "${build[@]}"
fi

echo "local feed: $feed"
(cd "$feed" && ls -1 ./*.nupkg | sed 's|^\./|  |')
