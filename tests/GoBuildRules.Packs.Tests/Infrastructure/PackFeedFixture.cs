using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;
using NuGet.Configuration;

namespace GoBuildRules.Packs.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class PackFeedCollection : ICollectionFixture<PackFeedFixture>
{
    /// <summary>The tests that share the packed packages; they run one after another.</summary>
    public const string Name = "pack feeds";
}

/// <summary>
/// Packs, once for all feed tests, every package they install: the SDK and testing packages, the
/// template package and a first-party pack from this repository, the example team pack (1.0.0 and 1.1.0), a pack made
/// with `dotnet new gobuildrules-pack` (built, tested and packed against the local SDK package), a
/// pack built against an SDK 2.0.0, and two packs that depend on different versions of one library.
/// Builds restore from the staging folder and a private global packages folder whose fallback is
/// the user's global packages folder, so nothing comes from nuget.org and nothing test-made is
/// left in the user's cache.
/// </summary>
public sealed class PackFeedFixture : IDisposable
{
    // Generous: on a loaded machine a restore-and-build of the generated solution takes minutes.
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(10);
    private readonly TempFolder work = new("gbr-feeds");

    public PackFeedFixture()
    {
        try
        {
            Build();
        }
        catch
        {
            // xunit does not dispose a fixture whose constructor threw.
            work.Dispose();
            throw;
        }
    }

    private void Build()
    {
        Directory.CreateDirectory(Staging);
        var defaultGlobal = SettingsUtility.GetGlobalPackagesFolder(Settings.LoadDefaultSettings(null));
        work.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{work.Combine("gpf")}" /></config>
              <packageSources><clear /><add key="staging" value="{Staging}" /></packageSources>
              <fallbackPackageFolders><clear /><add key="user" value="{defaultGlobal}" /></fallbackPackageFolders>
            </configuration>
            """);

        var repo = RepoPaths.Root();
        var configuration = Cli.Configuration;
        // docs/authoring.md step 1: the SDK, Testing and Templates packages into a local folder feed
        // (the tool itself is the one built beside these tests).
        Dotnet.Exec("bash", repo, StepTimeout, "scripts/local-feed.sh", "--configuration", configuration, "--no-build", "--no-tool", Staging);
        Dotnet.Run(repo, StepTimeout, "pack", "plugins/GoBuildRules.Rules.Toolchain", "--no-build", "-c", configuration, "-o", Staging);
        var example = "rulepacks/examples/Contoso.GoPolicy/src/Contoso.GoPolicy";
        Dotnet.Run(repo, StepTimeout, "pack", example, "--no-build", "-c", configuration, "-o", Staging);
        Dotnet.Run(repo, StepTimeout, "pack", example, "--no-build", "-c", configuration, "-o", Staging, "-p:Version=1.1.0");

        // Two independent builds, side by side to keep the fixture short.
        Task.WaitAll(Task.Run(BuildTemplatePack), Task.Run(BuildTestPacks));
    }

    /// <summary>Every package the tests use, by file name (id.version.nupkg).</summary>
    public string Staging => work.Combine("staging");

    public string Package(string fileName)
    {
        var path = Path.Combine(Staging, fileName);
        return File.Exists(path) ? path : throw new FileNotFoundException($"the fixture did not produce {fileName}", path);
    }

    /// <summary>What `dotnet new gobuildrules-pack` printed and what the build and the generated tests printed.</summary>
    public string TemplateLog { get; private set; } = "";

    private string Hive => work.Combine("template-hive");

    private void NewFromTemplate(string name, string prefix, string output, params string[] extra)
    {
        lock (work)
        {
            if (!Directory.Exists(Hive))
            {
                Dotnet.Run(work.Path, StepTimeout, "new", "install", Package("GoBuildRules.Templates.1.0.0.nupkg"), "--debug:custom-hive", Hive);
            }
        }

        Dotnet.Run(work.Path, StepTimeout, ["new", "gobuildrules-pack", "-n", name, "--prefix", prefix, "-o", output, "--debug:custom-hive", Hive, .. extra]);
    }

    /// <summary>The output of `dotnet new gobuildrules-pack -n Acme.BuildRules`.</summary>
    public string TemplateOutput => work.Combine("acme");

    /// <summary>
    /// docs/authoring.md, steps 2 to 5: `dotnet new gobuildrules-pack` against the local feed, a rule
    /// of the team's own (assets/Authoring: the rule, its page and fixtures, registered in Pack.cs),
    /// `dotnet test` of the generated solution, then `dotnet pack` of the pack.
    /// </summary>
    private void BuildTemplatePack()
    {
        NewFromTemplate("Acme.BuildRules", "ACME", TemplateOutput, "--feed", Staging);
        var assets = Path.Combine(RepoPaths.Root(), "tests", "GoBuildRules.Packs.Tests", "assets", "Authoring");
        var src = Path.Combine(TemplateOutput, "src", "Acme.BuildRules");
        File.Copy(Path.Combine(assets, "ModulePathRule.cs"), Path.Combine(src, "Rules", "ModulePathRule.cs"));
        File.Copy(Path.Combine(assets, "ACME002.md"), Path.Combine(TemplateOutput, "docs", "rules", "ACME002.md"));
        var fixtures = Directory.CreateDirectory(Path.Combine(TemplateOutput, "tests", "Acme.BuildRules.Tests", "fixtures", "ACME002")).FullName;
        File.Copy(Path.Combine(assets, "positive-outside.json"), Path.Combine(fixtures, "positive-outside.json"));
        File.Copy(Path.Combine(assets, "positive-outside.expected.json"), Path.Combine(fixtures, "positive-outside.expected.json"));
        File.Copy(Path.Combine(assets, "negative-inside.json"), Path.Combine(fixtures, "negative-inside.json"));
        var packFile = Path.Combine(src, "Pack.cs");
        const string Registration = "        services.AddSingleton<IRule, MinimumGoVersionRule>();\n";
        var pack = File.ReadAllText(packFile);
        if (!pack.Contains(Registration, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the template's Pack.cs no longer registers its sample rule as docs/authoring.md shows:\n{pack}");
        }

        File.WriteAllText(packFile, pack.Replace(Registration, Registration + "        services.AddSingleton<IRule, ModulePathRule>();\n", StringComparison.Ordinal));
        TemplateLog = Dotnet.Run(TemplateOutput, StepTimeout, "test", "Acme.BuildRules.slnx")
            + Dotnet.Run(TemplateOutput, StepTimeout, "pack", "src/Acme.BuildRules", "-c", "Release", "-o", Staging);
    }

    /// <summary>
    /// In one `dotnet pack`: GoBuildRules.Sdk 2.0.0 (the SDK's sources with assembly version
    /// 2.0.0.0) and a pack built against it; Contoso.Shared 1.0.0 and 2.0.0; Contoso.PackOne and
    /// Contoso.PackTwo, which depend on one each.
    /// </summary>
    private void BuildTestPacks()
    {
        var assets = Path.Combine(RepoPaths.Root(), "tests", "GoBuildRules.Packs.Tests", "assets");
        var root = work.Combine("testpacks");
        var sdk2 = Path.Combine(root, "sdk2");
        Directory.CreateDirectory(sdk2);
        foreach (var source in Directory.GetFiles(Path.Combine(RepoPaths.Root(), "src", "GoBuildRules.Sdk"), "*.cs"))
        {
            File.Copy(source, Path.Combine(sdk2, Path.GetFileName(source)));
        }

        File.WriteAllText(Path.Combine(sdk2, "GoBuildRules.Sdk.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <IsPackable>true</IsPackable>
                <PackageId>GoBuildRules.Sdk</PackageId>
                <AssemblyVersion>2.0.0.0</AssemblyVersion>
                <Version>2.0.0</Version>
                <Authors>gobuildrules tests</Authors>
                <Description>A future SDK major, for tests.</Description>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.Extensions.DependencyInjection.Abstractions" Version="10.0.0" />
              </ItemGroup>
            </Project>
            """);
        Copy(Path.Combine(assets, "FuturePack"), Path.Combine(root, "future"));
        foreach (var version in new[] { "1.0.0", "2.0.0" })
        {
            var shared = Copy(Path.Combine(assets, "Contoso.Shared"), Path.Combine(root, "shared-" + version), $"Contoso.Shared-{version}.csproj");
            File.WriteAllText(Path.Combine(shared, "Directory.Build.props"), $"<Project><PropertyGroup><Version>{version}</Version></PropertyGroup></Project>");
        }

        foreach (var (id, prefix, version) in new[] { ("Contoso.PackOne", "CPONE", "1.0.0"), ("Contoso.PackTwo", "CPTWO", "2.0.0") })
        {
            var pack = Copy(Path.Combine(assets, "ConflictPack"), Path.Combine(root, id), id + ".csproj");
            File.WriteAllText(Path.Combine(pack, "Directory.Build.props"), $"""
                <Project><PropertyGroup>
                  <PackId>{id}</PackId>
                  <RulePrefix>{prefix}</RulePrefix>
                  <SharedProject>..\shared-{version}\Contoso.Shared-{version}.csproj</SharedProject>
                </PropertyGroup></Project>
                """);
        }

        File.WriteAllText(Path.Combine(root, "testpacks.slnx"), """
            <Solution>
              <Project Path="sdk2/GoBuildRules.Sdk.csproj" />
              <Project Path="future/Future.Rules.csproj" />
              <Project Path="shared-1.0.0/Contoso.Shared-1.0.0.csproj" />
              <Project Path="shared-2.0.0/Contoso.Shared-2.0.0.csproj" />
              <Project Path="Contoso.PackOne/Contoso.PackOne.csproj" />
              <Project Path="Contoso.PackTwo/Contoso.PackTwo.csproj" />
            </Solution>
            """);
        Dotnet.Run(root, StepTimeout, "pack", "testpacks.slnx", "-c", "Debug", "-o", Staging);
    }

    /// <param name="projectName">The name to give the copied project file, when it needs another.</param>
    private static string Copy(string from, string to, string? projectName = null)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            var name = projectName is not null && file.EndsWith(".csproj", StringComparison.Ordinal) ? projectName : Path.GetFileName(file);
            File.Copy(file, Path.Combine(to, name));
        }

        return to;
    }

    public void Dispose() => work.Dispose();
}
