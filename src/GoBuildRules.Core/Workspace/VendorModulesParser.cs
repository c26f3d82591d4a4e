using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Workspace;

/// <summary>Reads vendor/modules.txt as cmd/go writes it ("# path version [=> replacement]", "## explicit; go 1.21", package lines).</summary>
public static class VendorModulesParser
{
    public static VendorModulesFile Parse(string relativePath, string text)
    {
        var modules = new List<VendoredModule>();
        VendoredModule? current = null;
        var packages = new List<string>();
        var lines = text.Split('\n');

        void Flush()
        {
            if (current is not null)
            {
                modules.Add(current with { Packages = packages.ToList() });
            }

            packages.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.StartsWith("## ", StringComparison.Ordinal) && current is not null)
            {
                foreach (var part in line[3..].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (part == "explicit")
                    {
                        current = current with { Explicit = true };
                    }
                    else if (part.StartsWith("go ", StringComparison.Ordinal))
                    {
                        current = current with { GoVersion = part[3..].Trim() };
                    }
                }
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                Flush();
                var fields = line[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var arrow = Array.IndexOf(fields, "=>");
                var head = arrow >= 0 ? fields[..arrow] : fields;
                current = new VendoredModule(head.ElementAtOrDefault(0) ?? "", head.ElementAtOrDefault(1) ?? "", i + 1)
                {
                    Replacement = arrow >= 0 ? string.Join(' ', fields[(arrow + 1)..]) : null,
                };
            }
            else if (line.Length > 0 && !line.StartsWith('#') && current is not null)
            {
                packages.Add(line.Trim());
            }
        }

        Flush();
        return new VendorModulesFile(relativePath) { Modules = modules };
    }
}
