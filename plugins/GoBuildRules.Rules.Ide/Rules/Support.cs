using System.Globalization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Rules;

internal static class Support
{
    public static IdeFacts? Facts(Snapshot s) => s.GetExtension<IdeFacts>(IdePack.FactsKey);

    public static Location? Module(Snapshot s) =>
        s.Workspace.GoMod is { } mod ? new Location(mod.File, mod.ModuleLine > 0 ? mod.ModuleLine : null) : null;

    /// <summary>What the terminal's go command uses for a variable: `go env` first, the shell second.</summary>
    public static string? Terminal(Snapshot s, IdeFacts f, string name) =>
        s.GoEnv(name) ?? (f.Shell.TryGetValue(name, out var v) ? v : null) ?? s.Env(name);

    /// <summary>Compares values as the go command would: GOFLAGS as a set of flags, others trimmed.</summary>
    public static bool Same(string name, string? a, string? b)
    {
        a = (a ?? "").Trim();
        b = (b ?? "").Trim();
        if (name == "GOFLAGS")
        {
            return new HashSet<string>(a.Split(' ', StringSplitOptions.RemoveEmptyEntries)).SetEquals(b.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        return a == b;
    }

    /// <summary>Parses a Go duration ("30s", "1m30s", "2h", "0"); null when it is not one.</summary>
    public static TimeSpan? GoDuration(string text)
    {
        text = text.Trim();
        if (text == "0")
        {
            return TimeSpan.Zero;
        }

        var total = 0.0;
        var i = 0;
        if (text.Length == 0)
        {
            return null;
        }

        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
            if (start == i || !double.TryParse(text[start..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) return null;
            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i])) i++;
            var unit = text[unitStart..i];
            var seconds = unit switch { "h" => 3600, "m" => 60, "s" => 1, "ms" => 0.001, "us" or "µs" => 1e-6, "ns" => 1e-9, _ => -1.0 };
            if (seconds < 0) return null;
            total += n * seconds;
        }

        return TimeSpan.FromSeconds(total);
    }
}
