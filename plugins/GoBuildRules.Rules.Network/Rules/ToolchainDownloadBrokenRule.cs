using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class ToolchainDownloadBrokenRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET013",
        "go.mod needs a newer toolchain and the proxy or checksum database it comes through is broken",
        "network",
        Severity.Error,
        "With GOTOOLCHAIN=auto the go command will download a toolchain through a GOPROXY or GOSUMDB that fails or stalls.",
        "Since Go 1.21, when go.mod's go or toolchain line is newer than the installed Go and GOTOOLCHAIN is auto (the default), every go command first downloads that toolchain as the module golang.org/toolchain through GOPROXY and verifies it with GOSUMDB. When the proxy or the checksum database is broken, even `go env` and `go version` in the module fail — or hang forever when an endpoint stalls.")
    {
        HelpMarkdown = RuleHelp.For("GBNET013"),
        Tags = ["network", "toolchain", "hang"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var need = ToolchainSupport.Newer(snapshot);
        var facts = Facts(snapshot);
        if (need is null || facts is null || !need.Local.AtLeast(1, 21) || !ToolchainSupport.Downloads(need.Mode)) yield break;
        var config = NetworkConfig.From(snapshot);
        var first = config.Proxy.Entries.FirstOrDefault(e => e.Kind != ProxyEntryKind.NoProxy);
        var proxy = first is null ? null : facts.Endpoints.FirstOrDefault(p => p.Role == EndpointRole.Proxy && p.ProxyIndex == first.Index);
        var sumdb = config.SumDb.Mode == SumDbMode.On && !config.IsNoSumDb("golang.org/toolchain")
            ? facts.Endpoints.FirstOrDefault(p => p.Role == EndpointRole.SumDb)
            : null;
        var broken = new[] { proxy, sumdb }.Where(p => p is not null && Fails(p)).Select(p => p!).ToList();
        if (broken.Count == 0) yield break;

        var stall = broken.Any(p => p.Stalled);
        yield return Descriptor.Finding(
            $"go.mod asks for {need.Line} but the local Go is {need.Local}; with GOTOOLCHAIN={need.Mode} every go command first downloads go{need.Wanted} through {string.Join(" and ", broken.Select(p => p.Url))}, which {(stall ? "stalls: the go command will hang forever" : "fails")}.",
            $"toolchain:go{need.Wanted}") with
        {
            Location = new Location(snapshot.Workspace.GoMod!.File, need.LineNumber > 0 ? need.LineNumber : null),
            Evidence =
            [
                new Evidence("go.mod", need.Line),
                new Evidence("local Go", need.Local.ToString()),
                new Evidence("GOTOOLCHAIN", need.Mode),
                .. broken.Select(p => new Evidence(RoleName(p), p.Failure ?? $"HTTP {p.Http?.Status}")),
            ],
            Fixes =
            [
                Fix.Run("Install the toolchain go.mod asks for by another way, then keep the switch local", $"go env -w GOTOOLCHAIN=local  # after installing go{need.Wanted}",
                    "You must keep the installed Go as new as go.mod."),
                .. SettingFixes.Set(snapshot, "GOTOOLCHAIN", "local", "Never download toolchains",
                    $"Commands fail with \"go.mod requires go >= {need.Wanted}\" instead of hanging, until a newer Go is installed."),
            ],
        };
    }
}
