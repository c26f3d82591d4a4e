using NuGet.Versioning;

namespace GoBuildRules.Packs;

/// <summary>
/// A pack asked for by id and version: "Id", "Id@1.2.3" (exactly that version), "Id@[1.0,2.0)" or
/// "Id@1.*" (the highest version in the range). A bare version pins, unlike NuGet's own
/// "1.2.3 means at least 1.2.3", because a team config names the version it tested.
/// </summary>
public sealed record PackSpec(string Id, VersionRange Range, string? Text)
{
    public static PackSpec Parse(string value)
    {
        var at = value.IndexOf('@');
        var id = (at < 0 ? value : value[..at]).Trim();
        if (id.Length == 0 || !NuGet.Packaging.PackageIdValidator.IsValidPackageId(id))
        {
            throw new PackException($"'{value}' does not start with a valid package id");
        }

        return at < 0 ? new PackSpec(id, VersionRange.All, null) : new PackSpec(id, ParseRange(value[(at + 1)..], value), value[(at + 1)..]);
    }

    public static VersionRange ParseRange(string text, string context)
    {
        text = text.Trim();
        if (NuGetVersion.TryParse(text, out var exact))
        {
            return new VersionRange(exact, true, exact, true);
        }

        return VersionRange.TryParse(text, allowFloating: true, out var range)
            ? range
            : throw new PackException($"'{context}': '{text}' is neither a version nor a version range");
    }

    /// <summary>The highest of <paramref name="versions"/> inside the range; stable versions only unless the range names a pre-release.</summary>
    public NuGetVersion? Best(IEnumerable<NuGetVersion> versions) => Highest(Range, versions);

    public static NuGetVersion? Highest(VersionRange range, IEnumerable<NuGetVersion> versions)
    {
        var prerelease = range.MinVersion?.IsPrerelease == true || range.MaxVersion?.IsPrerelease == true || range.Float?.IncludePrerelease == true;
        return versions.Where(v => range.Satisfies(v) && (prerelease || !v.IsPrerelease)).Max();
    }
}

/// <summary>A pack could not be resolved, fetched, verified or stored; the message says which and why.</summary>
public class PackException(string message) : Exception(message);

/// <summary>
/// The package was obtained but must not run: its bytes differ from the lock file, it holds unsafe
/// entries, its signature fails the trust policy, or it is not a rule pack. Only this pack is skipped.
/// </summary>
public class PackRefusedException(string message) : PackException(message);

/// <summary>The package's bytes do not match the lock file: it was changed since the team locked it.</summary>
public sealed class PackTamperedException(string message) : PackRefusedException(message);

/// <summary>The pack is not in the store or the global packages folder and --offline forbids fetching it.</summary>
public sealed class PackOfflineException(string message) : PackException(message);
