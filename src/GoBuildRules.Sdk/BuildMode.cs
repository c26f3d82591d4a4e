namespace GoBuildRules.Sdk;

/// <summary>
/// How the go command loads modules for a build of the scanned workspace, as cmd/go decides it
/// (modload.Init and setDefaultBuildMod, go 1.19): one reading for every pack.
/// </summary>
public static class BuildMode
{
    /// <summary>Workspace mode: a go.work was found and GOWORK (as go printed it) is not off.</summary>
    public static bool Workspace(Snapshot s) =>
        s.Workspace.GoWork is not null && s.GoEnv("GOWORK") is { Length: > 0 } w && w != "off";

    /// <summary>
    /// Whether builds read vendor/ and fetch nothing: -mod=vendor in GOFLAGS, or no -mod with a vendor
    /// folder beside go.mod and a go line of 1.14 or later (cmd/go's default since 1.14). Never in
    /// workspace mode (go 1.19–1.21 refuse -mod=vendor there) and never without a go.mod.
    /// </summary>
    public static bool Vendor(Snapshot s)
    {
        if (Workspace(s) || s.Workspace.GoMod is null)
        {
            return false;
        }

        return s.GoSettings.Flags.Mod switch
        {
            "vendor" => true,
            null => VendorDirectory(s) && GoVersion.TryParse(s.Workspace.GoMod.Go, out var v) && v.Value.AtLeast(1, 14),
            _ => false,
        };
    }

    /// <summary>Whether the module has a vendor/ folder (what cmd/go stats): the scan's repository walk saw one, or vendor/modules.txt was read.</summary>
    public static bool VendorDirectory(Snapshot s) => s.Repository.Vendor is not null || s.Workspace.Vendor is not null;
}
