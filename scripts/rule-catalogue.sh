#!/usr/bin/env bash
# Regenerates docs/rules/README.md, the rule catalogue, from the rules the built tool loads.
# The test suite checks that the catalogue names every rule of every bundled pack.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tool="$here/src/GoBuildRules.Cli/bin/${CONFIGURATION:-Debug}/net10.0/gobuildrules.dll"
[ -f "$tool" ] || dotnet build "$here/src/GoBuildRules.Cli" --nologo -v quiet >/dev/null
dotnet "$tool" rules list | python3 -c '
import sys, re
out = ["# Rule catalogue", "",
       "Every rule of the packs bundled with gobuildrules, by pack. Each id links to its page: what the",
       "finding means, how to confirm it by hand, and how to fix it with what each fix risks.",
       "Regenerate with `scripts/rule-catalogue.sh`.", ""]
for line in sys.stdin:
    pack = re.match(r"^(\S+) (\S+) \((\d+) rules\)", line)
    rule = re.match(r"^\s+(\S+)\s+(error|warning|note)\s+(.*)$", line)
    if pack:
        out += ["", f"## {pack.group(1)}", "", "| Rule | Default | Title |", "|---|---|---|"]
    elif rule:
        title = rule.group(3).replace("|", "\\|")
        out.append(f"| [{rule.group(1)}]({rule.group(1)}.md) | {rule.group(2)} | {title} |")
print("\n".join(out).replace("\n\n\n", "\n\n"))
' > "$here/docs/rules/README.md"
echo "wrote docs/rules/README.md ($(grep -c '^| \[' "$here/docs/rules/README.md") rules)"
