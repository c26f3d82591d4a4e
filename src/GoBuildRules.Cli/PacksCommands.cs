using Cocona;
using GoBuildRules.Core.Config;
using GoBuildRules.Core.Engine;
using GoBuildRules.Core.Packs;
using GoBuildRules.Packs;

namespace GoBuildRules.Cli;

/// <summary>`gobuildrules packs …`: the packs of a repository (gobuildrules.json + gobuildrules.lock.json) and the pack store.</summary>
[GroupHelp(Description)]
public sealed class PacksCommands(PackStore store, PackHost host, Output output, Invocation invocation)
{
    public const string Description = "Install, restore, update, list and remove rule packs from NuGet feeds";

    [Command("install", Description = "Install a rule pack from a NuGet feed and add it to gobuildrules.json and the lock file")]
    public async Task<int> InstallAsync(
        [Argument(Description = "ID, ID@VERSION (exactly that version) or ID@RANGE, e.g. Contoso.GoPolicy@[1.0,2.0)")] string pack,
        [Option("source", ['s'], Description = "Ask only this feed (folder or URL; repeatable) instead of nuget.config's sources")] string[]? source = null,
        [Option("path", ['p'], Description = "The repository (default: the current folder; gobuildrules.json is looked up above it)")] string? path = null,
        [Option("offline", Description = "Use only the pack store and the NuGet global packages folder")] bool offline = false,
        [Option("require-signed", Description = "Refuse an unsigned package")] bool requireSigned = false)
    {
        invocation.Started();
        return await RunAsync(async ct =>
        {
            var spec = PackSpec.Parse(pack);
            var root = TeamConfigFile.RootOf(path ?? Directory.GetCurrentDirectory());
            using var manager = Manager(root, source, offline, requireSigned);
            var (installed, changes) = await manager.InstallAsync(root, spec, ct);
            Console.WriteLine($"installed {installed.Id} {installed.Version} into {installed.Folder}");
            PrintChanges(changes);
            WarnOnSdk(installed);
            return ExitCodes.Success;
        });
    }

    [Command("restore", Description = "Install every pack gobuildrules.json names, at the versions of gobuildrules.lock.json")]
    public async Task<int> RestoreAsync(
        [Option("write-lock", Description = "Record in gobuildrules.lock.json the versions used where it lacks or no longer matches them (without it, the lock file is only read)")] bool writeLock = false,
        [Option("source", ['s'], Description = "Ask only this feed (folder or URL; repeatable) instead of nuget.config's sources")] string[]? source = null,
        [Option("path", ['p'], Description = "The repository (default: the current folder)")] string? path = null,
        [Option("offline", Description = "Use only the pack store and the NuGet global packages folder")] bool offline = false,
        [Option("require-signed", Description = "Refuse an unsigned package")] bool requireSigned = false)
    {
        invocation.Started();
        return await RunAsync(async ct =>
        {
            var root = TeamConfigFile.RootOf(path ?? Directory.GetCurrentDirectory());
            var config = TeamConfigFile.LoadFrom(root);
            if (config.Packs.Count == 0)
            {
                Console.WriteLine($"{(config.File ?? Path.Combine(root, TeamConfig.FileName))} names no packs; nothing to restore");
                return ExitCodes.Success;
            }

            using var manager = Manager(root, source, offline, requireSigned);
            var (results, changes) = await manager.RestoreAsync(root, config, writeLock, ct);
            foreach (var r in results)
            {
                if (r.Pack is { } p)
                {
                    Console.WriteLine($"restored {p.Id} {p.Version}");
                    WarnOnSdk(p);
                    if (r.Unlocked is { } note && !writeLock)
                    {
                        output.Warning($"{note}; `gobuildrules packs restore --write-lock` records it");
                    }
                }
                else
                {
                    output.Error($"pack {r.Id} refused: {r.Error}");
                }
            }

            PrintChanges(changes);
            return results.Any(r => r.Error is not null) ? ExitCodes.PackOrRuleFailure : ExitCodes.Success;
        });
    }

    [Command("update", Description = "Move a pack (or every pack) to the newest version its range allows; a pinned version moves to the newest")]
    public async Task<int> UpdateAsync(
        [Argument(Description = "The pack id (default: every pack of gobuildrules.json)")] string? id = null,
        [Option("version", Description = "Move to this version or range instead")] string? version = null,
        [Option("source", ['s'], Description = "Ask only this feed (folder or URL; repeatable)")] string[]? source = null,
        [Option("path", ['p'], Description = "The repository (default: the current folder)")] string? path = null,
        [Option("require-signed", Description = "Refuse an unsigned package")] bool requireSigned = false)
    {
        invocation.Started();
        return await RunAsync(async ct =>
        {
            var root = TeamConfigFile.RootOf(path ?? Directory.GetCurrentDirectory());
            var config = TeamConfigFile.LoadFrom(root);
            var ids = id is not null ? [id] : config.Packs.Keys.ToList();
            if (ids.Count == 0)
            {
                Console.WriteLine("gobuildrules.json names no packs; nothing to update");
                return ExitCodes.Success;
            }

            using var manager = Manager(root, source, offline: false, requireSigned);
            foreach (var pack in ids)
            {
                var (from, to, changes) = await manager.UpdateAsync(root, pack, version, ct);
                Console.WriteLine(from == to.Version ? $"{to.Id} {to.Version} is up to date" : $"updated {to.Id} {from ?? "(unlocked)"} -> {to.Version}");
                WarnOnSdk(to);
                PrintChanges(changes);
            }

            return ExitCodes.Success;
        });
    }

    [Command("remove", Description = "Remove a pack from gobuildrules.json, the lock file and the pack store")]
    public async Task<int> RemoveAsync(
        [Argument(Description = "The pack id")] string id,
        [Option("path", ['p'], Description = "The repository (default: the current folder)")] string? path = null)
    {
        invocation.Started();
        return await RunAsync(async ct =>
        {
            var root = TeamConfigFile.RootOf(path ?? Directory.GetCurrentDirectory());
            using var manager = new PackManager(store, new PackFeeds(root, [], offline: true, requireSigned: false, progress: null));
            var (removed, changes) = await manager.RemoveAsync(root, id, ct);
            Console.WriteLine(removed.Count == 0 ? $"{id} was not in the pack store" : $"removed {id} {string.Join(", ", removed)} from the pack store");
            PrintChanges(changes);
            return ExitCodes.Success;
        });
    }

    [Command("list", Description = "List the packs in the store and those this repository uses: version, source, SDK version, rule count")]
    public async Task<int> ListAsync(
        [Option("path", ['p'], Description = "The repository (default: the current folder)")] string? path = null)
    {
        invocation.Started();
        return await RunAsync(ct =>
        {
            var root = TeamConfigFile.RootOf(path ?? Directory.GetCurrentDirectory());
            var config = TeamConfigFile.LoadFrom(root);
            var lockFile = LockFile.Load(root);
            var stored = store.List();
            Console.WriteLine($"pack store: {store.PacksRoot}");
            if (stored.Count == 0)
            {
                Console.WriteLine("  (empty)");
            }

            foreach (var pack in stored)
            {
                var inUse = lockFile.Find(pack.Id) is { } locked && locked.Version == pack.Version && config.Packs.Keys.Contains(pack.Id, StringComparer.OrdinalIgnoreCase);
                Console.WriteLine($"  {pack.Id} {pack.Version}{(inUse ? "  [in use]" : "")}  sdk {pack.SdkVersion ?? "?"}  {RuleCount(pack)}  source {pack.Source ?? "(global packages folder)"}");
            }

            var missing = config.Packs.Where(p => !stored.Any(s => string.Equals(s.Id, p.Key, StringComparison.OrdinalIgnoreCase) && lockFile.Find(p.Key)?.Version == s.Version)).ToList();
            foreach (var (id, version) in missing)
            {
                Console.WriteLine($"  {id} {version}  [configured, not installed: run `gobuildrules packs restore`]");
            }

            return Task.FromResult(ExitCodes.Success);
        });
    }

    /// <summary>Loads the pack on its own, as a scan would, to count its rules or say why it would not load.</summary>
    private string RuleCount(StoredPack pack)
    {
        using var set = host.Load([new PackSource(pack.Folder, Bundled: false)]);
        return set.Errors.Count > 0 ? $"not loadable: {set.Errors[0].Message}" : $"{set.Packs.Sum(p => p.Rules.Count)} rules";
    }

    private void WarnOnSdk(StoredPack pack)
    {
        if (pack.SdkVersion is { } sdk && Version.TryParse(sdk, out var v) && v.Major != PackHost.SdkVersion.Major)
        {
            output.Warning($"{pack.Id} {pack.Version} was built against GoBuildRules.Sdk {v.Major}.x; this gobuildrules provides {PackHost.SdkVersion.Major}.x, so scans will refuse it");
        }
    }

    private static void PrintChanges(RepositoryChanges changes)
    {
        foreach (var line in changes.Lines)
        {
            Console.WriteLine($"changed {line}");
        }

        if (!changes.Any)
        {
            Console.WriteLine($"{TeamConfig.FileName} and {LockFile.FileName} unchanged");
        }
    }

    private PackManager Manager(string root, string[]? sources, bool offline, bool requireSigned) =>
        new(store, new PackFeeds(root, sources ?? [], offline, requireSigned, output.Progress(), output.Warning));

    private async Task<int> RunAsync(Func<CancellationToken, Task<int>> body) =>
        await Guard.RunAsync(output, async ct =>
        {
            try
            {
                return await body(ct);
            }
            catch (PackRefusedException e)
            {
                output.Error(e.Message);
                return ExitCodes.PackOrRuleFailure;
            }
            catch (PackException e)
            {
                output.Error(e.Message);
                return ExitCodes.UsageOrConfigError;
            }
            catch (ConfigException e)
            {
                output.Error(e.Message);
                return ExitCodes.UsageOrConfigError;
            }
            catch (Core.IO.InputFileException e)
            {
                output.Error(e.Message);
                return ExitCodes.UsageOrConfigError;
            }
        });
}
