using GoBuildRules.Reporting;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Packs.Tests.Infrastructure;

/// <summary>
/// A Go module in a temp folder with its own nuget.config, pack store (GOBUILDRULES_HOME) and
/// NuGet global packages folder, so that each test sees exactly the downloads it caused.
/// </summary>
public sealed class TestRepo : IDisposable
{
    private readonly TempFolder temp = new("gbr-repo");
    private readonly PackFeedFixture fixture;

    public TestRepo(PackFeedFixture fixture, string goLine = "1.22")
    {
        this.fixture = fixture;
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Feed);
        temp.Write("repo/go.mod", $"module example.com/app\n\ngo {goLine}\n");
        UseSources(Feed);
    }

    public string Root => temp.Combine("repo");

    /// <summary>A folder feed of this test; <see cref="AddToFeed"/> puts packages in it.</summary>
    public string Feed => temp.Combine("feed");

    public string Home { get; private set; } = "";

    public string GlobalPackages { get; private set; } = "";

    public string Store => Path.Combine(Home, "packs");

    public string Temp => temp.Path;

    public TestRepo AddToFeed(params string[] packages)
    {
        foreach (var p in packages)
        {
            File.Copy(fixture.Package(p), Path.Combine(Feed, p), overwrite: true);
        }

        return this;
    }

    /// <summary>Writes the repository's nuget.config: only these sources (folders or URLs).</summary>
    public void UseSources(params string[] sources) => UseSources(sources, null);

    /// <param name="credentials">Clear-text credentials for the first source, as nuget.config's packageSourceCredentials.</param>
    public void UseSources(string[] sources, (string User, string Password)? credentials)
    {
        var credentialXml = credentials is { } c ? $"""
              <packageSourceCredentials>
                <feed0>
                  <add key="Username" value="{c.User}" />
                  <add key="ClearTextPassword" value="{c.Password}" />
                </feed0>
              </packageSourceCredentials>
            """ : "";
        var adds = string.Join("\n", sources.Select((s, i) => $"""    <add key="feed{i}" value="{s}"{(s.StartsWith("http:", StringComparison.Ordinal) ? " allowInsecureConnections=\"true\"" : "")} />"""));
        temp.Write("repo/nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
            {adds}
              </packageSources>
            {credentialXml}
            </configuration>
            """);
    }

    /// <summary>Starts over with an empty pack store and global packages folder: another machine, same repository.</summary>
    public void NewMachine()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        Home = temp.Combine("home-" + id);
        GlobalPackages = temp.Combine("nuget-" + id);
    }

    public string Config
    {
        get => File.ReadAllText(Path.Combine(Root, "gobuildrules.json"));
        set => File.WriteAllText(Path.Combine(Root, "gobuildrules.json"), value);
    }

    public string Lock => File.ReadAllText(Path.Combine(Root, "gobuildrules.lock.json"));

    public Dictionary<string, string?> Environment => new()
    {
        ["GOBUILDRULES_HOME"] = Home,
        ["NUGET_PACKAGES"] = GlobalPackages,
        // Fixed Go settings, so that which rules fire depends only on the test.
        // off: a test never probes a public endpoint (the loopback-only guard refuses it).
        ["GOPROXY"] = "off",
        ["GOFLAGS"] = null,
        ["GOINSECURE"] = null,
        ["GOTOOLCHAIN"] = "local",
        ["GOENV"] = "off",
        ["CI"] = null,
        ["TF_BUILD"] = null,
        ["JENKINS_URL"] = null,
    };

    public CliResult Run(params string[] args)
    {
        if (Home.Length == 0)
        {
            NewMachine();
        }

        return Cli.Run(args, Root, Environment, TimeSpan.FromSeconds(120));
    }

    /// <summary>`gobuildrules scan --format json` of the repository, with the report parsed.</summary>
    public (CliResult Result, Report? Report) Scan(params string[] extra)
    {
        var result = Run(["scan", "--path", Root, "--format", "json", "--timeout", "20", .. extra]);
        Report? report = null;
        if (result.Stdout.TrimStart().StartsWith('{'))
        {
            report = ReportJson.Deserialize(result.Stdout);
        }

        return (result, report);
    }

    public void Dispose() => temp.Dispose();
}
