using System.Globalization;
using System.Text.RegularExpressions;

namespace GoBuildRules.Core.Watch;

/// <summary>Durations as people write them for timeouts: "90" (seconds), "90s", "5m", "1m30s", "1.5h", "500ms".</summary>
public static partial class Durations
{
    /// <returns>The duration, or null when the text is not one.</returns>
    public static TimeSpan? Parse(string text)
    {
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            return double.IsFinite(plain) && plain >= 0 ? TimeSpan.FromSeconds(plain) : null;
        }

        var whole = Whole().Match(text);
        if (!whole.Success)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Match part in Part().Matches(text))
        {
            var value = double.Parse(part.Groups["n"].Value, CultureInfo.InvariantCulture);
            total += part.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromHours(value),
            };
        }

        return total;
    }

    /// <summary>"60 s", "5 min", "1 h 30 min": for messages.</summary>
    public static string Format(TimeSpan span) =>
        span.TotalSeconds < 120 ? $"{Math.Round(span.TotalSeconds):0} s"
        : span.TotalMinutes < 120 ? $"{Math.Round(span.TotalMinutes):0} min"
        : $"{(int)span.TotalHours} h {span.Minutes} min";

    [GeneratedRegex(@"^(\d+(\.\d+)?(ms|s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"(?<n>\d+(\.\d+)?)(?<unit>ms|s|m|h)")]
    private static partial Regex Part();
}
