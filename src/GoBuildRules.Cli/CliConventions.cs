using System.Diagnostics;
using System.Reflection;
using System.Text;
using Cocona;
using Cocona.Application;
using Cocona.Command;
using Cocona.Help;
using Cocona.Help.DocumentModel;
using GoBuildRules.Core.Packs;
using GoBuildRules.Sdk;

namespace GoBuildRules.Cli;

/// <summary>
/// What Cocona prints about the tool itself: its name (Cocona would take the process name, which is
/// "dotnet" when run as `dotnet gobuildrules.dll`) and the description line of `--help`.
/// </summary>
internal sealed class CliMetadata : ICoconaApplicationMetadataProvider
{
    public const string Description =
        "Finds why `go build`, `go mod download` and `go get` hang or fail: one snapshot of this machine and module, every rule pack, one report.";

    public string GetExecutableName() => "gobuildrules";

    public string GetDescription() => Description;

    public string GetProductName() => "gobuildrules";

    public string GetVersion() => ScanPipeline.ToolVersion;
}

/// <summary>
/// The description line of a command group's own help (`gobuildrules rules --help`): Cocona 2.2 prints
/// the tool's description there, not the group's (WithDescription reaches only the parent's list), so the
/// group's command class carries its line. A command's own help (`rules list --help`) is left alone.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class GroupHelpAttribute(string description) : TransformHelpAttribute
{
    public string Description { get; } = description;

    public override void TransformHelp(HelpMessage helpMessage, CommandDescriptor command)
    {
        // Only the group's index lists commands.
        if (!helpMessage.Children.Any(c => c is HelpSection { Id: HelpSectionId.Commands }))
        {
            return;
        }

        var line = new HelpSection(HelpSectionId.Description, new HelpDescription(Description));
        var at = helpMessage.Children.FindIndex(c => c is HelpSection { Id: HelpSectionId.Description });
        if (at >= 0)
        {
            helpMessage.Children[at] = line;
        }
        else
        {
            helpMessage.Children.Insert(Math.Min(1, helpMessage.Children.Count), line);
        }
    }
}

/// <summary>
/// Cocona's own errors (unknown option, missing value) in the tool's one error style,
/// `gobuildrules: error: …`, with a suggestion for a mistyped option.
/// </summary>
internal sealed class CliConsole : ICoconaConsoleProvider
{
    public TextWriter Output => Console.Out;

    public TextWriter Error { get; } = new ErrorStyleWriter(Console.Error);

    /// <summary>Rewrites each complete line that Cocona starts with "Error: ".</summary>
    private sealed class ErrorStyleWriter(TextWriter inner) : TextWriter
    {
        private readonly StringBuilder line = new();

        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                inner.WriteLine(Restyle(line.ToString().TrimEnd('\r')));
                line.Clear();
                return;
            }

            line.Append(value);
        }

        public override void Flush()
        {
            if (line.Length > 0)
            {
                inner.WriteLine(Restyle(line.ToString()));
                line.Clear();
            }

            inner.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Flush();
            }

            base.Dispose(disposing);
        }
    }

    internal static string Restyle(string text)
    {
        const string CoconaPrefix = "Error: ";
        if (!text.StartsWith(CoconaPrefix, StringComparison.Ordinal))
        {
            return text;
        }

        var message = text[CoconaPrefix.Length..];
        if (message.StartsWith("Unknown option '", StringComparison.Ordinal) && message.EndsWith('\'') && message.Length > 17)
        {
            var option = message[16..^1];
            message = $"unknown option {(option.Length == 1 ? "-" : "--")}{option}";
            if (OptionSuggestions.Closest(option) is { } suggestion)
            {
                message += $"; did you mean --{suggestion}?";
            }
        }
        else if (message.Length > 0)
        {
            message = char.ToLowerInvariant(message[0]) + message[1..];
        }

        return "gobuildrules: error: " + message;
    }
}

/// <summary>Every long option of every command, for "did you mean" after a typo.</summary>
internal static class OptionSuggestions
{
    private static readonly Lazy<IReadOnlyList<string>> Known = new(() =>
        new[] { typeof(ScanCommands), typeof(RulesCommands), typeof(PacksCommands), typeof(FixCommands) }
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<OptionAttribute>()?.Name)
            .OfType<string>()
            .Concat(["help", "version"])
            .Distinct(StringComparer.Ordinal)
            .ToList());

    /// <summary>The known option nearest to <paramref name="typed"/> within two edits (or a case-insensitive match), else null.</summary>
    public static string? Closest(string typed) =>
        Known.Value
            .Select(o => (Option: o, Distance: Distance(typed.ToLowerInvariant(), o)))
            .Where(x => x.Distance <= Math.Min(2, Math.Max(1, x.Option.Length / 3)))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Option, StringComparer.Ordinal)
            .Select(x => x.Option)
            .FirstOrDefault();

    /// <summary>Optimal string alignment distance: a swapped pair of letters ("fromat") counts as one edit.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}

/// <summary>`gobuildrules --version`: the tool, the SDK contract it hosts and the packs it ships with.</summary>
internal static class VersionText
{
    /// <summary>The SDK package version of the host, e.g. 1.0.0: packs built against SDK {major}.x load.</summary>
    public static string SdkPackageVersion =>
        typeof(IRulePack).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? PackHost.SdkVersion.ToString(3);

    public static string Render()
    {
        var sb = new StringBuilder();
        sb.Append("gobuildrules ").Append(ScanPipeline.ToolVersion).Append('\n');
        sb.Append("GoBuildRules.Sdk ").Append(SdkPackageVersion)
            .Append(" (loads packs built against GoBuildRules.Sdk ").Append(PackHost.SdkVersion.Major).Append(".x)\n");
        var bundled = PackLayout.PackFoldersIn(PackLayout.BundledPacksFolder(AppContext.BaseDirectory));
        sb.Append("bundled packs:").Append(bundled.Count == 0 ? " none\n" : "\n");
        foreach (var folder in bundled)
        {
            var id = PackLayout.PackIdOf(folder);
            var dll = Path.Combine(PackLayout.LibFolder(folder), id + ".dll");
            // Read from the file's version resource: nothing is loaded into the process.
            var version = File.Exists(dll) ? FileVersionInfo.GetVersionInfo(dll).ProductVersion?.Split('+')[0] : null;
            sb.Append("  ").Append(id).Append(' ').Append(version ?? "?").Append('\n');
        }

        return sb.ToString();
    }
}
