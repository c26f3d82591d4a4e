using GoBuildRules.Testing;

namespace GoBuildRules.Tests.Shared;

/// <summary>Lays out the packs of tests/testpacks as extracted-package folders, as an installed pack would be.</summary>
public static class TestPacks
{
    public const string JsonOld = "GoBuildRules.TestPacks.JsonOld";
    public const string JsonNew = "GoBuildRules.TestPacks.JsonNew";
    public const string Faulty = "GoBuildRules.TestPacks.Faulty";
    public const string NoPack = "GoBuildRules.TestPacks.NoPack";
    public const string Clash = "GoBuildRules.TestPacks.Clash";
    public const string FutureSdk = "GoBuildRules.TestPacks.FutureSdk";

    /// <summary>Copies each named test pack's build output to {folder}/{name}/lib/net10.0/ and returns {folder}.</summary>
    public static string Stage(string folder, params string[] names)
    {
        foreach (var name in names)
        {
            var output = Path.Combine(RepoPaths.Root(), "tests", "testpacks", name, "bin", Cli.Configuration, "net10.0");
            if (!Directory.Exists(output))
            {
                throw new DirectoryNotFoundException($"test pack {name} is not built: {output}");
            }

            var lib = Path.Combine(folder, name, "lib", "net10.0");
            Directory.CreateDirectory(lib);
            foreach (var file in Directory.GetFiles(output))
            {
                File.Copy(file, Path.Combine(lib, Path.GetFileName(file)), overwrite: true);
            }
        }

        return folder;
    }
}
