using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace GoBuildRules.Sdk;

/// <summary>
/// A Go release version as cmd/go compares them: "1.21", "1.21.0", "1.22rc1", "go1.19.8".
/// Language versions ("1.21") sort before their first release ("1.21.0") and after its pre-releases.
/// </summary>
public readonly partial record struct GoVersion(int Major, int Minor, int Patch, string Pre) : IComparable<GoVersion>
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out GoVersion? version)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var m = Pattern().Match(text.Trim());
        if (!m.Success)
        {
            return false;
        }

        var patch = m.Groups["patch"].Success ? int.Parse(m.Groups["patch"].Value) : -1;
        version = new GoVersion(int.Parse(m.Groups["major"].Value), int.Parse(m.Groups["minor"].Value), patch, m.Groups["pre"].Value);
        return true;
    }

    public int CompareTo(GoVersion other)
    {
        var c = Major.CompareTo(other.Major);
        if (c != 0) return c;
        c = Minor.CompareTo(other.Minor);
        if (c != 0) return c;
        return Rank().CompareTo(other.Rank());
    }

    // pre-release < language version (no patch) < x.y.0 < x.y.1
    private (int, int, string) Rank() =>
        Pre.Length > 0 ? (-2, 0, Pre) : Patch < 0 ? (-1, 0, "") : (0, Patch, "");

    public bool AtLeast(int major, int minor) => CompareTo(new GoVersion(major, minor, -1, "")) >= 0;

    public static bool operator <(GoVersion a, GoVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(GoVersion a, GoVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(GoVersion a, GoVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(GoVersion a, GoVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}{(Patch >= 0 ? "." + Patch : "")}{Pre}";

    [GeneratedRegex(@"^(?:go)?(?<major>\d+)\.(?<minor>\d+)(?:\.(?<patch>\d+))?(?<pre>(?:rc|beta|alpha)\d+)?")]
    private static partial Regex Pattern();
}
