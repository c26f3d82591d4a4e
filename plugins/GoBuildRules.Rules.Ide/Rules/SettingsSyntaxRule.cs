using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Rules;

public sealed class SettingsSyntaxRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBIDE010",
        "An IDE settings file does not parse",
        "ide",
        Severity.Warning,
        "A VS Code settings, workspace or launch file (or a .idea XML file) has a syntax error: settings after it are ignored.",
        "VS Code accepts comments and trailing commas in its JSON files but not other errors (a missing comma, an unquoted key, an unclosed brace); it then ignores part or all of the file and says so only in a small notification. Go settings after the error (go.toolsEnvVars, go.buildTags, gopls) silently stop applying, so the editor behaves as if they were never written. GoLand likewise drops an .idea XML file it cannot parse.")
    {
        HelpMarkdown = "Open the file at the line named; VS Code's Problems panel shows the same error.",
        Tags = ["ide", "vscode", "goland"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        if (f is null)
        {
            yield break;
        }

        foreach (var file in f.VsCode.Where(v => v.Error is not null))
        {
            yield return Descriptor.Finding(
                $"{file.File}:{file.ErrorLine}: {file.Error} VS Code ignores the settings from there on.",
                $"{file.File}:syntax") with
            {
                Location = new Location(file.File, file.ErrorLine),
                Evidence = [new Evidence("file", file.File), new Evidence("error", file.Error!), new Evidence("settings read before it", file.Values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                Fixes = [Fix.EditFile(file.File, $"fix the JSON at line {file.ErrorLine} (comments and trailing commas are fine; missing commas and unquoted keys are not)", "Repair the file", "None.")],
            };
        }

        foreach (var file in f.Idea.Where(i => i.Error is not null))
        {
            yield return Descriptor.Finding($"{file.File}: {file.Error}: GoLand drops this file's settings.", $"{file.File}:syntax") with
            {
                Severity = Severity.Note,
                Location = new Location(file.File),
                Evidence = [new Evidence("file", file.File), new Evidence("error", file.Error!)],
                Fixes = [Fix.Run("Let the IDE rewrite it: close the project, move the file aside, reopen", $"mv {file.File} {file.File}.broken", "Settings only that file held are reset to defaults.")],
            };
        }
    }
}
