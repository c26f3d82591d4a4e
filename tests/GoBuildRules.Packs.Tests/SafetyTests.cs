using GoBuildRules.Core.Engine;
using GoBuildRules.Packs.Tests.Infrastructure;

namespace GoBuildRules.Packs.Tests;

/// <summary>Packages that must not run: changed since locked, hostile archives, unsigned under --require-signed.</summary>
[Collection(PackFeedCollection.Name)]
public sealed class SafetyTests(PackFeedFixture fixture)
{
    [Fact]
    public void A_package_that_changed_since_it_was_locked_is_refused_and_the_other_packs_run()
    {
        using var repo = new TestRepo(fixture).AddToFeed("Contoso.GoPolicy.1.0.0.nupkg");
        Assert.Equal(0, repo.Run("packs", "install", "Contoso.GoPolicy@1.0.0").ExitCode);
        var lockBefore = repo.Lock;

        // The feed now serves other bytes under the same id and version; a teammate restores.
        Nupkg.Tamper(fixture.Package("Contoso.GoPolicy.1.0.0.nupkg"), Path.Combine(repo.Feed, "Contoso.GoPolicy.1.0.0.nupkg"));
        repo.NewMachine();

        var restore = repo.Run("packs", "restore");
        Assert.Equal(ExitCodes.PackOrRuleFailure, restore.ExitCode);
        Assert.Contains("SHA-512", restore.Stderr);
        Assert.Contains("gobuildrules.lock.json", restore.Stderr);
        Assert.False(Directory.Exists(Path.Combine(repo.Store, "contoso.gopolicy")));
        Assert.False(Directory.Exists(Path.Combine(repo.GlobalPackages, "contoso.gopolicy")), "a refused package must not enter the NuGet cache");
        Assert.Equal(lockBefore, repo.Lock);

        var (scan, report) = repo.Scan();
        Assert.True(report is not null, scan.ToString());
        Assert.Contains(report.Notifications, n => n.Source == "Contoso.GoPolicy" && n.Message.Contains("SHA-512"));
        Assert.Contains(report.Packs, p => p.Id == "GoBuildRules.Rules.Toolchain");
        Assert.DoesNotContain(report.Findings, f => f.RuleId.StartsWith("CTSO", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.PackOrRuleFailure, repo.Scan("--strict", "--fail-on", "never").Result.ExitCode);
    }

    public static TheoryData<string, string, int> HostileEntries() => new()
    {
        { "zip slip", "../../../escaped-zipslip.txt", 0 },
        { "nested zip slip", "lib/net10.0/../../../../escaped-nested.txt", 0 },
        { "absolute path", "/tmp/gbr-escaped-absolute.txt", 0 },
        { "symbolic link", "lib/net10.0/link-to-etc", 0xA1FF },
    };

    [Theory]
    [MemberData(nameof(HostileEntries))]
    public void A_hostile_archive_is_refused_and_nothing_is_written_outside_the_store(string kind, string entry, int unixMode)
    {
        using var repo = new TestRepo(fixture);
        Nupkg.Write(repo.Feed, "Evil.Pack", "1.0.0", [("readme.txt", "decoy", 0), (entry, kind == "symbolic link" ? "/etc" : "escaped", unixMode)]);
        var before = Snapshot(repo.Temp);

        var install = repo.Run("packs", "install", "Evil.Pack");
        Assert.Equal(ExitCodes.PackOrRuleFailure, install.ExitCode);
        Assert.Contains("refused", install.Stderr);
        Assert.Contains(entry, install.Stderr);

        Assert.False(File.Exists("/tmp/gbr-escaped-absolute.txt"));
        var created = Snapshot(repo.Temp).Except(before).ToList();
        // Only the (empty) store folders and the NuGet cache folder may appear; nothing else anywhere.
        Assert.DoesNotContain(created, p => !p.StartsWith(repo.Home, StringComparison.Ordinal) && !p.StartsWith(repo.GlobalPackages, StringComparison.Ordinal));
        Assert.DoesNotContain(created, p => File.Exists(p));
        Assert.False(Directory.Exists(Path.Combine(repo.GlobalPackages, "evil.pack")));
        Assert.False(Directory.Exists(Path.Combine(repo.Store, "evil.pack")));
        Assert.Empty(Directory.Exists(Path.Combine(repo.Store, ".tmp")) ? Directory.GetFileSystemEntries(Path.Combine(repo.Store, ".tmp")) : []);
        Assert.False(File.Exists(Path.Combine(repo.Root, "gobuildrules.json")));
    }

    [Fact]
    public void A_package_without_the_pack_type_is_refused()
    {
        using var repo = new TestRepo(fixture).AddToFeed("Contoso.Shared.1.0.0.nupkg");
        var install = repo.Run("packs", "install", "Contoso.Shared");
        Assert.Equal(ExitCodes.PackOrRuleFailure, install.ExitCode);
        Assert.Contains("GoBuildRulesPack", install.Stderr);
        Assert.False(Directory.Exists(Path.Combine(repo.Store, "contoso.shared")));
    }

    [Fact]
    public void Require_signed_refuses_an_unsigned_pack()
    {
        using var repo = new TestRepo(fixture).AddToFeed("Contoso.GoPolicy.1.0.0.nupkg");
        var install = repo.Run("packs", "install", "Contoso.GoPolicy", "--require-signed");
        Assert.Equal(ExitCodes.PackOrRuleFailure, install.ExitCode);
        Assert.Contains("not signed", install.Stderr);
        Assert.False(Directory.Exists(Path.Combine(repo.Store, "contoso.gopolicy")));
    }

    private static HashSet<string> Snapshot(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).ToHashSet(StringComparer.Ordinal);
}
