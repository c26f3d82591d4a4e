using GoBuildRules.Rules.Cgo.Analysis;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Cgo.Rules;

public sealed class CommandLineToolsMissingRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBCGO005",
        "macOS without the Xcode Command Line Tools while cgo is on",
        "cgo",
        Severity.Error,
        "`xcode-select -p` fails on this Mac, so /usr/bin/clang is only a stub and cgo builds fail.",
        "On macOS, /usr/bin/clang, /usr/bin/cc and /usr/bin/gcc always exist, but they are stubs that run the real compiler from the active developer directory (`xcode-select -p`). Without the Command Line Tools or Xcode, or when the selected directory was removed (typically after a macOS upgrade), Go still finds clang on PATH and keeps cgo on, and every cgo build fails with 'xcrun: error: invalid active developer path (…), missing xcrun at: …'.")
    {
        HelpMarkdown = "Confirm with `xcode-select -p` and `xcrun --find clang`. Install the tools with `xcode-select --install`.",
        Tags = ["cgo", "macos", "compiler"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.Host.Os != "darwin"
            || CgoView.Of(snapshot) is not { } view
            || view.Facts.XcodeSelect is not { Succeeded: false } xcode
            || view.CgoEnabled.Effective == "0")
        {
            yield break;
        }

        var evidence = view.BaseEvidence();
        evidence.Insert(0, new Evidence("xcode-select -p", xcode.Error ?? $"exit code {xcode.ExitCode}"));
        view.AddUsageEvidence(evidence);
        var fixes = new List<Fix>
        {
            Fix.Run("Install the Command Line Tools", "xcode-select --install",
                "Downloads and installs Apple's developer tools (several hundred MB); needs an administrator and a GUI session."),
            Fix.Run("If Xcode is installed but the selected folder is gone, reset the selection", "sudo xcode-select --reset",
                "Points every developer tool on this Mac at the default Xcode or Command Line Tools folder."),
            Fix.Run("Build without cgo, once", "CGO_ENABLED=0 go build -o /dev/null ./...", view.UsesCgo ? CgoView.NoCgoRiskUsing : CgoView.NoCgoRiskStd),
        };

        yield return Descriptor.Finding(
            $"`xcode-select -p` failed ({xcode.Error ?? "exit code " + xcode.ExitCode}): the Command Line Tools are missing, so CC={view.Facts.Cc.Configured} is a stub and cgo builds fail with 'xcrun: error: invalid active developer path'."
            + (view.UsesCgo ? $" The module needs cgo: {CgoView.FileList(view.NeedingFiles)}." : " No file of this module imports \"C\", but packages such as os/user and any dependency using cgo need the compiler while CGO_ENABLED=1."),
            "xcode-select") with
        {
            Severity = view.UsesCgo ? Severity.Error : Severity.Warning,
            Location = view.PrimaryLocation(),
            Evidence = evidence,
            Fixes = fixes,
        };
    }
}
