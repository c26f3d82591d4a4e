using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class InconsistentVendoringRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD010",
        "vendor/modules.txt is out of sync with go.mod",
        "vendoring",
        Severity.Error,
        "In vendor mode, a module required or replaced in go.mod is missing from vendor/modules.txt, has another version there, or modules.txt names a module go.mod no longer requires.",
        "Since Go 1.14, when go.mod's go version is 1.14 or later and vendor/ exists, builds use vendor/ by default, and the go command first checks that vendor/modules.txt records exactly the requirements and replacements of go.mod. Any difference stops every build with 'inconsistent vendoring', listing the modules. It happens when go.mod changes (go get, a merge, a hand edit) and `go mod vendor` is not run afterwards.")
    {
        HelpMarkdown = "`go build ./...` prints the differing modules; `git diff go.mod vendor/modules.txt` shows which side moved.",
        Tags = ["vendor"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var mod = snapshot.Workspace.GoMod;
        if (mod is null || !BuildMode.Vendor(snapshot))
        {
            yield break;
        }

        var vendor = snapshot.Workspace.Vendor;
        if (vendor is null && Facts.ModFlag(snapshot) == "vendor")
        {
            // GBMOD009 explains a -mod=vendor without vendor/modules.txt.
            yield break;
        }

        var differences = new List<(string Module, string Text, Location Where)>();
        var vendored = (vendor?.Modules ?? []).GroupBy(m => m.Path).ToDictionary(g => g.Key, g => g.First());
        var vendorFile = vendor?.File ?? "vendor/modules.txt";
        foreach (var r in mod.Requires)
        {
            var at = new Location(mod.File, r.Line);
            if (!vendored.TryGetValue(r.Path, out var v))
            {
                differences.Add((r.Path, $"{r.Path}@{r.Version} is explicitly required in go.mod, but not marked as explicit in {vendorFile}", at));
            }
            else if (v.Version != r.Version)
            {
                differences.Add((r.Path, $"{r.Path}@{r.Version} is required in go.mod, but {vendorFile} has {v.Version} (line {v.Line})", at));
            }
            else if (!v.Explicit)
            {
                differences.Add((r.Path, $"{r.Path}@{r.Version} is explicitly required in go.mod, but not marked as explicit in {vendorFile} (line {v.Line})", at));
            }
        }

        var required = mod.Requires.Select(r => r.Path).ToHashSet();
        foreach (var v in vendored.Values.Where(v => v.Explicit && !required.Contains(v.Path)))
        {
            differences.Add((v.Path, $"{v.Path}@{v.Version} is marked as explicit in {vendorFile}, but not explicitly required in go.mod", new Location(vendorFile, v.Line)));
        }

        foreach (var x in mod.Replaces)
        {
            var expected = x.NewPath + (x.NewVersion is null ? "" : " " + x.NewVersion);
            var entry = vendored.Values.FirstOrDefault(v => v.Path == x.OldPath && (x.OldVersion is null || v.Version == x.OldVersion));
            if (entry is not null && entry.Replacement != expected && required.Contains(x.OldPath))
            {
                differences.Add((x.OldPath, $"{x.OldPath} is replaced by {expected} in go.mod, but {vendorFile} has {(entry.Replacement is null ? "no replacement" : entry.Replacement)} (line {entry.Line})", new Location(mod.File, x.Line)));
            }
        }

        foreach (var v in vendored.Values.Where(v => v.Replacement is not null && !mod.Replaces.Any(x => x.OldPath == v.Path)))
        {
            differences.Add((v.Path, $"{v.Path} is replaced by {v.Replacement} in {vendorFile}, but not in go.mod", new Location(vendorFile, v.Line)));
        }

        var flag = Facts.ModFlag(snapshot);
        foreach (var (module, text, where) in differences)
        {
            yield return Descriptor.Finding(
                $"{text}: every build in vendor mode stops with 'inconsistent vendoring'.",
                module) with
            {
                Location = where,
                Evidence =
                [
                    new Evidence("module", module),
                    new Evidence("vendor mode", flag == "vendor" ? $"GOFLAGS={Facts.GoFlags(snapshot)}" : $"go {mod.Go} in go.mod and a vendor/ folder"),
                    new Evidence("vendor/modules.txt", vendor is null ? "missing" : $"{vendor.Modules.Count} modules"),
                ],
                Fixes =
                [
                    required.Contains(module)
                        ? Fix.RunAll("Record the module's hashes, then re-vendor from go.mod", [["go", "mod", "download", module], ["go", "mod", "vendor"]],
                            "Downloads the module (go mod vendor needs its go.sum lines) and rewrites vendor/ to match go.mod; review the diff before committing.", Fix.ShellFor(snapshot))
                            .Automatic(snapshot.Workspace.GoSum?.File ?? "go.sum", "vendor")
                        : Fix.Run("Re-vendor from go.mod", ["go", "mod", "vendor"],
                            "Rewrites vendor/ to match go.mod (adds, removes and updates vendored code); review the diff before committing.")
                            .Automatic(snapshot.Workspace.GoSum?.File ?? "go.sum", "vendor"),
                    Fix.Run("Build from the module cache instead, ignoring vendor/", "go build -mod=mod ./...",
                        "Downloads modules (needs network and GOPROXY) and silently builds code that differs from what is vendored."),
                ],
            };
        }
    }
}
