using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv;

internal static class Anchors
{
    /// <summary>Environment findings are anchored to the module line of go.mod, or go.mod itself.</summary>
    public static Location? Module(Snapshot s) =>
        s.Workspace.GoMod is { } mod ? new Location(mod.File, mod.ModuleLine > 0 ? mod.ModuleLine : null) : null;

    /// <summary>The CI file line that assigns one of the variables, when a CI file does.</summary>
    public static Location? Variable(CloudEnvFacts? facts, params string[] names)
    {
        foreach (var wf in facts?.Workflows ?? [])
        {
            var v = wf.Variables.FirstOrDefault(x => names.Contains(x.Name, StringComparer.Ordinal));
            if (v is not null)
            {
                return new Location(wf.File, v.Line);
            }
        }

        return null;
    }
}
