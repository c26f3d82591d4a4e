using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

internal static class Anchors
{
    /// <summary>Environment findings are anchored to the module line of go.mod, or go.mod itself.</summary>
    public static Location? Module(Snapshot s) =>
        s.Workspace.GoMod is { } mod ? new Location(mod.File, mod.ModuleLine > 0 ? mod.ModuleLine : null) : null;
}
