using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Rules;

public sealed class TestTimeoutRule : IRule
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public RuleDescriptor Descriptor { get; } = new(
        "GBIDE004",
        "go.testTimeout kills tests that run longer",
        "ide",
        Severity.Warning,
        "VS Code runs `go test` with -timeout from go.testTimeout (30s when unset); a low value, or the default with long tests, makes tests panic 'test timed out'.",
        "The Go extension passes -timeout go.testTimeout (default \"30s\") to every test it runs, unless go.testFlags has its own -timeout; `go test` in a terminal defaults to 10m. Tests that take longer are killed with 'panic: test timed out after 30s' and a goroutine dump, only in the editor. The rule warns when go.testTimeout is set below 30s (or is not a Go duration), and notes it when the repository has long tests (they guard themselves with testing.Short()) while the editor keeps a timeout of 30s or less.")
    {
        HelpMarkdown = "Run the test from a terminal with `go test -run TestName -timeout 30s ./pkg` to see whether it exceeds the editor's timeout.",
        Tags = ["ide", "vscode", "tests"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        if (f is null || !f.VsCode.Any(v => v.Kind != "launch"))
        {
            yield break;
        }

        var flags = Settings.Items(f, "go.testFlags");
        if (flags.Any(x => x.StartsWith("-timeout", StringComparison.Ordinal) || x.StartsWith("-test.timeout", StringComparison.Ordinal)))
        {
            yield break;
        }

        var setting = Settings.Find(f, "go.testTimeout");
        var text = setting?.Value.Text;
        var timeout = text is null ? Default : Support.GoDuration(text);
        var location = setting is { } s ? new Location(s.File.File, s.Value.Line)
            : f.Tests.ExampleFile is { } ex ? new Location(ex, f.Tests.ExampleLine) : new Location(f.VsCode.First(v => v.Kind != "launch").File, 1);
        var evidence = new List<Evidence>
        {
            new("go.testTimeout", text ?? "(unset: 30s)"),
            new("test files", f.Tests.TestFiles.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("testing.Short() guards", f.Tests.ShortGuards.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (f.Tests.ExampleFile is not null) evidence.Add(new Evidence("long test", $"{f.Tests.ExampleFile}:{f.Tests.ExampleLine}"));

        Fix Raise(string title) => Fix.EditFile(location.File == f.Tests.ExampleFile ? ".vscode/settings.json" : location.File, "\"go.testTimeout\": \"10m\"", title,
            "A test that really hangs then takes up to 10 minutes to fail in the editor.");

        if (timeout is null)
        {
            yield return Descriptor.Finding(
                $"go.testTimeout \"{text}\" is not a Go duration (like 30s or 5m): every test run from VS Code fails with 'invalid value for flag -timeout'.",
                "go.testTimeout") with { Location = location, Evidence = evidence, Fixes = [Raise("Write the timeout as a Go duration")] };
        }
        else if (timeout > TimeSpan.Zero && timeout < Default)
        {
            yield return Descriptor.Finding(
                $"go.testTimeout is {text}: VS Code kills any test run longer than that ('panic: test timed out'), where `go test` in a terminal allows 10m.",
                "go.testTimeout") with { Location = location, Evidence = evidence, Fixes = [Raise("Raise go.testTimeout")] };
        }
        else if (timeout > TimeSpan.Zero && timeout <= Default && f.Tests.ShortGuards > 0)
        {
            yield return Descriptor.Finding(
                $"{f.Tests.ShortGuards} test(s) skip themselves under testing.Short(), so they are long, but VS Code runs tests with -timeout {text ?? "30s (the default)"}: they may be killed with 'panic: test timed out' in the editor only.",
                "go.testTimeout") with
            {
                Severity = Severity.Note,
                Location = location,
                Evidence = evidence,
                Fixes =
                [
                    Fix.EditFile(".vscode/settings.json", "\"go.testFlags\": [\"-short\"]", "Run the short mode from the editor",
                        "The long tests then never run from the editor; run them in a terminal or CI."),
                    Raise("Or raise go.testTimeout"),
                ],
            };
        }
    }
}
