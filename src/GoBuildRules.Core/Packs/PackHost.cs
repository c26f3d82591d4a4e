using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using GoBuildRules.Core.Diagnostics;
using GoBuildRules.Sdk;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.Core.Packs;

/// <summary>
/// Loads each pack into its own isolated load context. Only the SDK and the DI abstractions are
/// shared with the host, so a pack's IRule is the host's IRule while every other dependency of the
/// pack (any version of any library) stays private to it. Each failure is confined to its pack.
/// </summary>
public sealed class PackHost
{
    private static readonly Type[] SharedTypes = [typeof(IRulePack), typeof(IServiceCollection)];
    private static readonly AssemblyName SdkName = typeof(IRulePack).Assembly.GetName();

    public PackSet Load(IEnumerable<PackSource> sources)
    {
        var loaded = new List<LoadedPack>();
        var errors = new List<PackLoadError>();
        var ruleOwners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var keyOwners = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var source in sources)
        {
            var id = PackLayout.PackIdOf(source.Folder);
            LoadedPack? pack;
            try
            {
                using var span = Timing.Start($"pack load: {id}");
                pack = LoadOne(source, id);
            }
            catch (PackLoadException e)
            {
                errors.Add(new PackLoadError(id, source.Folder, e.Message));
                continue;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                errors.Add(new PackLoadError(id, source.Folder, $"failed to load: {Describe(e)}"));
                continue;
            }

            var clash = pack.Rules.Select(r => r.Descriptor.Id).FirstOrDefault(ruleOwners.ContainsKey);
            if (clash is not null)
            {
                errors.Add(new PackLoadError(pack.Info.Id, source.Folder,
                    $"claims rule id {clash}, which pack {ruleOwners[clash]} already provides; pack not loaded"));
                pack.Dispose();
                continue;
            }

            // A second collector under one key would silently replace the first one's facts, which other packs may read.
            var keyClash = pack.Collectors.GroupBy(c => c.Key, StringComparer.Ordinal)
                .FirstOrDefault(g => g.Count() > 1 || keyOwners.ContainsKey(g.Key))?.Key;
            if (keyClash is not null)
            {
                var owner = keyOwners.TryGetValue(keyClash, out var other) ? $"pack {other}" : "another collector of the same pack";
                errors.Add(new PackLoadError(pack.Info.Id, source.Folder,
                    $"registers a collector with key {keyClash}, which {owner} already uses; pack not loaded"));
                pack.Dispose();
                continue;
            }

            foreach (var rule in pack.Rules)
            {
                ruleOwners[rule.Descriptor.Id] = pack.Info.Id;
            }

            foreach (var collector in pack.Collectors)
            {
                keyOwners[collector.Key] = pack.Info.Id;
            }

            loaded.Add(pack);
        }

        return new PackSet(loaded, errors);
    }

    private static LoadedPack LoadOne(PackSource source, string id)
    {
        var lib = PackLayout.LibFolder(source.Folder);
        var assemblyPath = Path.Combine(lib, id + ".dll");
        if (!File.Exists(assemblyPath))
        {
            throw new PackLoadException($"no {id}.dll in {Path.GetRelativePath(source.Folder, lib)}/");
        }

        CheckSdkReference(assemblyPath);

        var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, SharedTypes, config => config.PreferSharedTypes = false);
        try
        {
            var assembly = loader.LoadDefaultAssembly();
            var packTypes = LoadableTypes(assembly).Where(t => typeof(IRulePack).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }).ToList();
            if (packTypes.Count == 0)
            {
                throw new PackLoadException($"{id}.dll has no public IRulePack implementation");
            }

            if (packTypes.Count > 1)
            {
                throw new PackLoadException($"{id}.dll has {packTypes.Count} IRulePack implementations ({string.Join(", ", packTypes.Select(t => t.Name))}); a pack has exactly one");
            }

            var packObject = (IRulePack)Activator.CreateInstance(packTypes[0])!;
            var info = packObject.Info;
            if (info.Version.Length == 0)
            {
                info = info with { Version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "" };
            }

            var services = new ServiceCollection();
            packObject.ConfigureServices(services);
            var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
            var rules = provider.GetServices<IRule>().ToList();
            var collectors = provider.GetServices<ISnapshotCollector>().ToList();

            var problems = new List<string>();
            foreach (var rule in rules)
            {
                if (!rule.Descriptor.Id.StartsWith(info.RuleIdPrefix, StringComparison.Ordinal) || info.RuleIdPrefix.Length == 0)
                {
                    problems.Add($"rule {rule.Descriptor.Id} does not carry the pack's prefix '{info.RuleIdPrefix}'");
                }
            }

            var duplicate = rules.GroupBy(r => r.Descriptor.Id).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                problems.Add($"rule id {duplicate.Key} is declared {duplicate.Count()} times");
            }

            if (problems.Count > 0)
            {
                provider.Dispose();
                throw new PackLoadException(string.Join("; ", problems));
            }

            return new LoadedPack(info, source.Folder, source.Bundled, rules, collectors, new Lifetime(provider, loader));
        }
        catch
        {
            loader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the pack's reference to the SDK from metadata, before anything is loaded: a pack built
    /// against another SDK major would fail later with type-load errors that name nothing useful.
    /// </summary>
    private static void CheckSdkReference(string assemblyPath)
    {
        var sdk = SdkReferenceOf(assemblyPath);
        if (sdk is null)
        {
            throw new PackLoadException($"{Path.GetFileName(assemblyPath)} does not reference {SdkName.Name}: not a rule pack");
        }

        if (sdk.Major != SdkName.Version!.Major)
        {
            throw new PackLoadException(
                $"built against {SdkName.Name} {sdk.Major}.x but this gobuildrules provides {SdkName.Version.Major}.x; rebuild the pack against SDK {SdkName.Version.Major}.x or use a matching gobuildrules");
        }
    }

    /// <summary>The host's SDK version: packs must reference the same major.</summary>
    public static Version SdkVersion => SdkName.Version!;

    /// <summary>
    /// The SDK version an assembly was built against, read from its metadata without loading it;
    /// null when it does not reference the SDK. The pack store reports it with the same reading.
    /// </summary>
    public static Version? SdkReferenceOf(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new PackLoadException($"{Path.GetFileName(assemblyPath)} is not a .NET assembly");
        }

        var reader = pe.GetMetadataReader();
        foreach (var handle in reader.AssemblyReferences)
        {
            var reference = reader.GetAssemblyReference(handle);
            if (reader.GetString(reference.Name) == SdkName.Name)
            {
                return reference.Version;
            }
        }

        return null;
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            var first = e.LoaderExceptions.FirstOrDefault(x => x is not null);
            throw new PackLoadException($"types could not be loaded: {first?.Message ?? e.Message}");
        }
    }

    private static string Describe(Exception e) =>
        e is TargetInvocationException { InnerException: { } inner } ? Describe(inner) : $"{e.GetType().Name}: {e.Message}";

    private sealed class Lifetime(ServiceProvider provider, PluginLoader loader) : IDisposable
    {
        public void Dispose()
        {
            provider.Dispose();
            loader.Dispose();
        }
    }
}

public sealed class PackLoadException(string message) : Exception(message);
