using GoBuildRules.Core.Fixing;
using GoBuildRules.Sdk;

namespace GoBuildRules.Fix.Tests;

/// <summary>The planner is a pure function of the findings and the settings: which fix, in which order, and why.</summary>
public sealed class FixPlannerTests
{
    private static readonly GoSettings Settings = GoSettings.Resolve(
        new Dictionary<string, string> { ["GOFLAGS"] = "-mod=mod", ["GOPROXY"] = "https://proxy.golang.org,direct" },
        _ => null,
        new GoEnvFile("/home/u/.config/go/env") { Read = true, Exists = true, Entries = GoEnvFile.Parse("GOFLAGS=-mod=mod\n") });

    private static readonly FixContext Context = new("/src/app", Settings);

    private static FixableFinding Finding(string rule, string subject, params Sdk.Fix[] fixes) =>
        new($"{rule}{subject}".GetHashCode(StringComparison.Ordinal).ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + "00000000", new Finding(rule, Severity.Error, "m") { Subject = subject, Fixes = fixes });

    private static readonly Sdk.Fix RemoveEntry = Sdk.Fix.Run("remove", "rm …", "cheap") with
    {
        Applicability = FixApplicability.Automatic,
        Removes = ["/gomodcache/example.com/lib@v1.0.0"],
        Steps = [["go", "mod", "download", "example.com/lib@v1.0.0"]],
    };

    private static readonly Sdk.Fix Download = Sdk.Fix.Run("download", ["go", "mod", "download", "example.com/lib2@v1.0.0"], "trusts the proxy").Automatic("go.sum");

    private static readonly Sdk.Fix UnsetFlags = Sdk.Fix.GoEnvUnset("GOFLAGS", "unset", "others relied on it").As(FixApplicability.Automatic);

    [Fact]
    public void Fixes_are_ordered_go_setting_then_file_rewrites_then_cache_removals_whatever_the_finding_order()
    {
        var plan = FixPlanner.Plan(
            [Finding("GBMOD005", "lib", RemoveEntry), Finding("GBMOD006", "lib2", Download), Finding("GBMOD015", "flags", UnsetFlags)],
            Context,
            []);

        Assert.Equal(["GBMOD015", "GBMOD006", "GBMOD005"], plan.Select(p => p.Target.Finding.RuleId));
        Assert.All(plan, p => Assert.Equal(FixDecision.Apply, p.Decision));
        Assert.Equal([1, 2, 3], plan.Select(p => p.Number));
    }

    [Fact]
    public void A_go_env_change_shows_the_old_value_where_it_came_from_and_the_new_one()
    {
        var plan = FixPlanner.Plan([Finding("GBMOD015", "flags", UnsetFlags)], Context, []);
        var changes = Assert.Single(plan).Changes;
        Assert.Contains("go env: GOFLAGS \"-mod=mod\" (from the GOENV file /home/u/.config/go/env line 1) -> removed from the GOENV file (Go's default applies)", changes);
        Assert.Contains("runs: go env -u GOFLAGS", changes);
    }

    [Fact]
    public void A_fix_that_is_only_applied_when_named_waits_for_only_and_then_is_chosen()
    {
        var costly = Sdk.Fix.GoEnvWrite("CGO_ENABLED", "0", "cgo off", "drops cgo code").As(FixApplicability.OnlyWhenNamed);
        var manual = Sdk.Fix.Run("look", "go build ./...", "none");
        var finding = Finding("GBCGO001", "cc", manual, costly);

        var unnamed = Assert.Single(FixPlanner.Plan([finding], Context, []));
        Assert.Equal(FixDecision.NeedsNaming, unnamed.Decision);
        Assert.Same(costly, unnamed.Fix);

        var named = Assert.Single(FixPlanner.Plan([finding], Context, ["gbcgo001"]));
        Assert.Equal(FixDecision.Apply, named.Decision);
        Assert.Same(costly, named.Fix);

        var byFingerprint = Assert.Single(FixPlanner.Plan([finding, Finding("GBMOD006", "lib2", Download)], Context, [finding.Fingerprint[..8]]));
        Assert.Equal(FixDecision.Apply, byFingerprint.Decision);
    }

    [Fact]
    public void A_manual_fix_for_the_current_shell_is_listed_with_the_line_to_paste_and_the_ci_forms_and_never_applied()
    {
        var snapshot = Snapshot.FromJson("""{"schemaVersion":1,"environment":{"GOPROXY":"https://bad.example"},"go":{"status":"found","env":{"GOPROXY":"https://bad.example"}}}""");
        var fixes = SettingFixes.Set(snapshot, "GOPROXY", "https://proxy.example,direct", "use the mirror", "sends module paths there", FixApplicability.Automatic);
        Assert.All(fixes, f => Assert.Equal(FixApplicability.Manual, f.Applicability));

        var item = Assert.Single(FixPlanner.Plan([Finding("GBNET001", "GOPROXY", [.. fixes])], Context, ["GBNET001"]));
        Assert.Equal(FixDecision.Manual, item.Decision);
        Assert.Contains("  paste in your shell: export GOPROXY=https://proxy.example,direct", item.Options);
        Assert.Contains("  GitHub Actions step: echo GOPROXY=https://proxy.example,direct >> \"$GITHUB_ENV\"", item.Options);
        Assert.Contains("  GitLab CI (.gitlab-ci.yml): variables: { GOPROXY: \"https://proxy.example,direct\" }", item.Options);
    }

    [Fact]
    public void The_same_fix_on_two_findings_is_applied_once()
    {
        var plan = FixPlanner.Plan([Finding("GBMOD005", "lib", RemoveEntry), Finding("GBMOD004", "lib", RemoveEntry)], Context, []);
        Assert.Equal(FixDecision.Apply, plan[0].Decision);
        Assert.Equal(FixDecision.Duplicate, plan[1].Decision);
        Assert.Equal(1, plan[1].SameAs);
    }

    [Fact]
    public void Third_party_fixes_stay_manual_unless_their_pack_opts_in()
    {
        var plain = Sdk.Fix.Run("anything", ["go", "mod", "tidy"], "rewrites go.mod");
        Assert.Equal(FixApplicability.Manual, plain.Applicability);
        Assert.Equal(FixDecision.Manual, Assert.Single(FixPlanner.Plan([Finding("CTSO001", "x", plain)], Context, [])).Decision);
    }
}
