using System.Text;
using GoBuildRules.Rules.Cgo.Analysis;
using GoBuildRules.Rules.Cgo.Facts;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Cgo.Rules;

public sealed class DisallowedCgoFlagRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBCGO006",
        "A #cgo line uses a flag that cmd/go refuses",
        "cgo",
        Severity.Error,
        "A #cgo CFLAGS/LDFLAGS/… line has an argument outside cmd/go's allow-list, or is malformed.",
        "cmd/go checks every argument of #cgo CFLAGS, CPPFLAGS, CXXFLAGS, FFLAGS and LDFLAGS lines against an allow-list, because a dependency could otherwise run code at build time (-fplugin=, @file, -Wl,--plugin). A flag outside the list stops the build with 'invalid flag in #cgo CFLAGS: …'. Flags given in the CGO_CFLAGS… environment variables are not checked; CGO_CFLAGS_ALLOW / CGO_CFLAGS_DISALLOW (and the LDFLAGS… variants) widen or narrow the list with a regular expression that must match the whole flag.")
    {
        HelpMarkdown = "Confirm with `go build ./...` (the error names the flag and https://golang.org/s/invalidflag). Remove or respell the flag, pass it in CGO_CFLAGS, or allow exactly that flag with CGO_CFLAGS_ALLOW.",
        Tags = ["cgo", "security", "flags"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (CgoView.Of(snapshot) is not { } view || view.CgoEnabled.Effective == "0")
        {
            yield break;
        }

        var overrides = view.Facts.FlagOverrides.ToDictionary(o => o.Name, o => o.Value);
        var root = snapshot.Workspace.Root.Length > 0 ? snapshot.Workspace.Root.Replace('\\', '/').TrimEnd('/') : "/module";
        foreach (var file in view.NeedingFiles)
        {
            var folder = file.Path.Contains('/') ? root + "/" + file.Path[..file.Path.LastIndexOf('/')] : root;
            foreach (var d in file.Directives)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (d.Conditions.Count > 0 && !d.Conditions.Any(c => BuildConstraints.MatchCondition(c, view.Target)))
                {
                    continue;
                }

                var problem = Problem(d, folder, overrides);
                if (problem is null) continue;
                yield return Report(view, file, d, problem.Value.Flag, problem.Value.Message, overrides);
            }
        }
    }

    private static (string Flag, string Message)? Problem(CgoDirective d, string folder, IReadOnlyDictionary<string, string> overrides)
    {
        if (d.Error is not null) return (d.Text, $"{d.Error}: {d.Text}");
        if (d.Verb != "pkg-config" && !FlagSecurity.IsCheckedVerb(d.Verb)) return (d.Verb, $"invalid #cgo verb: {d.Text}");
        if (d.Verb == "pkg-config")
        {
            // cmd/go moves "--flags" to the front; everything else is a package name and must be a SafeArg.
            var bad = d.Arguments.FirstOrDefault(a => a != "--" && !a.StartsWith("--", StringComparison.Ordinal) && !FlagSecurity.SafeArg(a));
            return bad is null ? null : (bad, $"invalid pkg-config package name: {bad}");
        }

        if (!FlagSecurity.IsCheckedVerb(d.Verb)) return null;
        var (args, malformed) = FlagSecurity.Prepare(d.Verb, d.Arguments, folder);
        if (malformed is not null) return (malformed, $"malformed #cgo argument: {malformed}");
        return FlagSecurity.Check(d.Verb, args, overrides) is { } v ? (v.Flag, v.Message) : null;
    }

    private Finding Report(CgoView view, CgoGoFile file, CgoDirective d, string flag, string goMessage, IReadOnlyDictionary<string, string> overrides)
    {
        var evidence = new List<Evidence>
        {
            new("file", $"{file.Path}:{d.Line}{(file.Vendor ? " (vendored dependency)" : "")}"),
            new("#cgo line", d.Text),
            new("flag", flag),
            new("go build says", goMessage),
        };
        var (allowName, disallowName) = FlagSecurity.OverrideNames(d.Verb);
        foreach (var o in view.Facts.FlagOverrides.Where(o => o.Name == allowName || o.Name == disallowName))
        {
            evidence.Add(new Evidence(o.Name, $"{o.Value} ({o.Source})"));
        }

        evidence.Add(new Evidence("CGO_ENABLED", view.CgoEnabledText()));

        var fixes = new List<Fix>();
        var isFlagCheck = goMessage.StartsWith("invalid flag", StringComparison.Ordinal);
        var disallowed = overrides.TryGetValue(disallowName, out var dis) && dis.Length > 0 && isFlagCheck;
        if (file.Vendor)
        {
            var module = VendoredModule(view.Snapshot, file.Path);
            fixes.Add(Fix.RunAll($"The line is in the vendored dependency {module}: upgrade it (or report it upstream)",
                [["go", "get", $"{module}@latest"], ["go", "mod", "vendor"]],
                "An upgrade may change the dependency's behaviour and its requirements; edits made directly in vendor/ are lost on the next `go mod vendor`."));
        }
        else
        {
            fixes.Add(Fix.EditFile(file.Path, $"line {d.Line}: remove or respell `{flag}` in `{d.Text}` (e.g. -I dir instead of -I@dir; move exotic flags to the build command)",
                "Change the #cgo line", "The C code may need the flag; test the build and the behaviour after the change."));
        }

        if (isFlagCheck && FlagSecurity.IsCheckedVerb(d.Verb))
        {
            if (disallowed)
            {
                fixes.AddRange(SettingFixes.Unset(view.Snapshot, disallowName, $"{disallowName} rejects this flag; remove it if that was not meant",
                    "Flags it was meant to block are allowed again."));
            }

            fixes.Add(Fix.Run($"Pass the flag through CGO_{d.Verb}, which cmd/go does not check",
                $"CGO_{d.Verb}={Fix.ShellQuote(flag)} go build -o /dev/null ./...",
                $"Applies to every cgo package of the build, dependencies included{(d.Verb == "CPPFLAGS" ? "" : $", replaces the default CGO_{d.Verb} of -g -O2")}, and every build (CI too) must set it."));

            // A two-part flag (-I -foo) would need both parts allowed one by one; only single flags get a pattern.
            if (!flag.Contains(' '))
            {
                fixes.AddRange(SettingFixes.Set(view.Snapshot, allowName, "^" + QuoteMeta(flag) + "$", $"Allow exactly this flag in #cgo {d.Verb} lines",
                    $"Every package's #cgo lines, dependencies included, may then use it; flags such as -fplugin= or -Wl,--plugin run code at build time. Keep the pattern exact.{(overrides.ContainsKey(allowName) ? $" Replaces the current {allowName}." : "")}"));
            }
        }

        var subject = $"{file.Path} #cgo {d.Verb} {flag}";
        return Descriptor.Finding(
            $"{file.Path}:{d.Line}: `go build` fails with '{goMessage}'{(file.Vendor ? " (in a vendored dependency)" : "")}.",
            subject) with
        {
            Location = new Location(file.Path, d.Line),
            Evidence = evidence,
            Fixes = fixes,
        };
    }

    /// <summary>The module a vendored file belongs to: the longest vendor/modules.txt path that prefixes its folder.</summary>
    private static string VendoredModule(Snapshot snapshot, string path)
    {
        var package = path["vendor/".Length..path.LastIndexOf('/')];
        return snapshot.Workspace.Vendor?.Modules
            .Select(m => m.Path)
            .Where(m => package == m || package.StartsWith(m + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Length)
            .FirstOrDefault() ?? package;
    }

    /// <summary>Go's regexp.QuoteMeta: the pattern then matches the flag literally.</summary>
    private static string QuoteMeta(string s)
    {
        var sb = new StringBuilder();
        foreach (var c in s)
        {
            if (@"\.+*?()|[]{}^$".Contains(c)) sb.Append('\\');
            sb.Append(c);
        }

        return sb.ToString();
    }
}
