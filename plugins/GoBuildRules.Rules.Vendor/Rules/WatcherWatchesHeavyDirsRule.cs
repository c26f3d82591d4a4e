using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Vendor.Rules;

public sealed class WatcherWatchesHeavyDirsRule : IRule
{
    /// <summary>Below this many directories a watched vendor/ or node_modules/ costs nothing worth a finding.</summary>
    public const int HeavyThreshold = 50;

    /// <summary>air's exclude_dir when .air.toml does not set it.</summary>
    public static readonly IReadOnlyList<string> AirDefaultExcludes = ["assets", "tmp", "vendor", "testdata"];

    public RuleDescriptor Descriptor { get; } = new(
        "GBVND003",
        "A file watcher watches vendor/, node_modules/ or testdata/",
        "watchers",
        Severity.Warning,
        "A watcher's configuration leaves a large vendor/, node_modules/ or testdata/ tree watched.",
        "air, reflex, CompileDaemon and watchexec add an inotify watch for every directory they do not exclude, and gopls loads every directory its directoryFilters keep. vendor/ and node_modules/ hold thousands of directories that never change while you edit, so watching them spends the user's inotify watches ('no space left on device'), slows start-up, and a `go mod vendor` or `npm install` then triggers a storm of rebuilds. air's default exclude_dir (assets, tmp, vendor, testdata) is replaced, not extended, by an exclude_dir in .air.toml; gopls' default directoryFilters (-**/node_modules) likewise; CompileDaemon excludes only .git; reflex excludes nothing of these; watchexec honours .gitignore.")
    {
        HelpMarkdown = "Open the watcher's configuration at the line named and add the directories to its exclusions.",
        Tags = ["watchers", "vendor", "node_modules"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        var tree = snapshot.Repository;
        if (f is null || !tree.Walked)
        {
            yield break;
        }

        var heavy = new List<(string Name, int Count)>();
        if (Support.VendorDirectories(tree) >= HeavyThreshold) heavy.Add(("vendor", Support.VendorDirectories(tree)));
        if (tree.NodeModulesDirectories >= HeavyThreshold) heavy.Add(("node_modules", tree.NodeModulesDirectories));
        if (tree.TestdataDirectories >= HeavyThreshold) heavy.Add(("testdata", tree.TestdataDirectories));
        if (heavy.Count == 0)
        {
            yield break;
        }

        foreach (var air in f.Air)
        {
            var setting = air.Get("build.exclude_dir");
            var excludes = setting?.Values ?? AirDefaultExcludes;
            var missing = heavy.Where(h => !Mentions(excludes, h.Name)).ToList();
            if (missing.Count > 0)
            {
                yield return Make(f, "air", air.File, setting?.Line ?? 1, missing,
                    setting is null ? "air's default exclude_dir (assets, tmp, vendor, testdata)" : $"exclude_dir = [{string.Join(", ", excludes)}]",
                    Fix.EditFile(air.File, $"exclude_dir = [{string.Join(", ", excludes.Concat(missing.Select(m => m.Name)).Distinct().Select(d => "\"" + d + "\""))}]  (under [build])",
                        "Add the directories to air's exclude_dir", "Edits inside them no longer trigger a rebuild."));
            }
        }

        if (f.Gopls is { } gopls && heavy.FirstOrDefault(h => h.Name == "node_modules") is { Name: not null } nm
            && !gopls.Filters.Any(x => x.StartsWith('-') && x.Contains("node_modules", StringComparison.Ordinal)))
        {
            var filters = gopls.Filters.Append("-**/node_modules").Select(x => "\"" + x + "\"");
            yield return Make(f, "gopls", gopls.File, gopls.Line, [nm],
                $"build.directoryFilters = [{string.Join(", ", gopls.Filters)}] (replaces the default -**/node_modules)",
                Fix.EditFile(gopls.File, $"\"gopls\": {{ \"build.directoryFilters\": [{string.Join(", ", filters)}] }}",
                    "Keep gopls out of node_modules", "None for Go code: node_modules holds no Go packages gopls needs."));
        }

        foreach (var cmd in f.WatcherCommands)
        {
            var (excluded, how, fix) = cmd.Tool switch
            {
                "CompileDaemon" => (Values(cmd.Arguments, "-exclude-dir", "--exclude-dir"), "-exclude-dir", "-exclude-dir={0}"),
                "reflex" => (Values(cmd.Arguments, "-R", "--inverse-regex", "-G", "--inverse-glob"), "-R/-G", "-R '^{0}/'"),
                "watchexec" => (Values(cmd.Arguments, "-i", "--ignore"), "-i/--ignore and .gitignore", "-i '{0}/**'"),
                _ => ((IReadOnlyList<string>)[], "", "{0}"),
            };
            if (how.Length == 0)
            {
                continue;
            }

            var missing = heavy.Where(h => !Mentions(excluded, h.Name)).ToList();
            if (cmd.Tool == "watchexec")
            {
                // watchexec skips what .gitignore ignores, and watches only its -w paths when given.
                var watched = Values(cmd.Arguments, "-w", "--watch");
                missing = missing.Where(h =>
                    !(h.Name == "vendor" && f.VendorIgnored is not null) &&
                    !(h.Name == "node_modules" && f.NodeModulesIgnored is not null) &&
                    (watched.Count == 0 || watched.Any(w => w is "." or "./" || w.Contains(h.Name, StringComparison.Ordinal)))).ToList();
            }

            if (missing.Count > 0)
            {
                yield return Make(f, cmd.Tool, cmd.File, cmd.Line, missing, $"{cmd.Tool} {string.Join(' ', cmd.Arguments)}",
                    Fix.EditFile(cmd.File, string.Join(' ', missing.Select(m => string.Format(System.Globalization.CultureInfo.InvariantCulture, fix, m.Name))),
                        $"Add {how} for the directories to the {cmd.Tool} command line", "Edits inside them no longer trigger a rerun."));
            }
        }
    }

    private Finding Make(VendorFacts f, string tool, string file, int line, IReadOnlyList<(string Name, int Count)> missing, string setting, Fix fix)
    {
        var names = string.Join(", ", missing.Select(m => m.Name + "/"));
        var total = missing.Sum(m => m.Count);
        var evidence = new List<Evidence> { new("watcher", tool), new("setting", setting) };
        evidence.AddRange(missing.Select(m => new Evidence(m.Name + "/ directories", Support.Count(m.Count))));
        if (f.Inotify.MaxUserWatches is { } max)
        {
            evidence.Add(new Evidence("fs.inotify.max_user_watches", Support.Count(max)));
        }

        return Descriptor.Finding(
            $"{tool} ({file}:{line}) watches {names}: {Support.Count(total)} directories that cost one inotify watch each and trigger rebuild storms when they change.",
            $"{tool}:{file}:{string.Join(",", missing.Select(m => m.Name))}") with
        {
            Location = new Location(file, line),
            Evidence = evidence,
            Fixes = [fix],
        };
    }

    private static bool Mentions(IEnumerable<string> values, string name) =>
        values.Any(v => v.Contains(name, StringComparison.Ordinal));

    /// <summary>The values of a flag, in -flag=v, -flag v and --flag=v spellings.</summary>
    private static IReadOnlyList<string> Values(IReadOnlyList<string> args, params string[] flags)
    {
        var values = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            foreach (var flag in flags)
            {
                if (args[i] == flag && i + 1 < args.Count) values.Add(args[i + 1]);
                else if (args[i].StartsWith(flag + "=", StringComparison.Ordinal)) values.Add(args[i][(flag.Length + 1)..]);
            }
        }

        return values;
    }
}
