using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;

namespace GoBuildRules.TestPacks.JsonOld;

public sealed class Pack : IRulePack
{
    public PackInfo Info { get; } = new("GoBuildRules.TestPacks.JsonOld", "GoBuildRules.TestPacks.JsonOld", "GBTJO", "Reports the Newtonsoft.Json version its load context sees.");

    public void ConfigureServices(IServiceCollection services) => services.AddSingleton<IRule, JsonVersionRule>();
}

public sealed class JsonVersionRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new("GBTJO001", "Json version", "test", Severity.Note, "Reports the library version.", "Reports the Newtonsoft.Json version loaded for this pack.");

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var version = typeof(JsonConvert).Assembly.GetName().Version!.ToString();
        // Use the library for real, so that a wrong binding would fail here.
        var roundTrip = JsonConvert.SerializeObject(new { version });
        yield return Descriptor.Finding("Newtonsoft.Json " + version, "json") with { Evidence = [new Evidence("newtonsoft", version), new Evidence("json", roundTrip)] };
    }
}
