using GoBuildRules.Testing;
using Xunit.Abstractions;

namespace GoBuildRules.GroundTruth.Tests;

/// <summary>
/// go fails or hangs ⇔ the scan has an error finding that names the cause; go succeeds ⇔ no error
/// finding. One row per case; the matrix test prints the confusion matrix and keeps docs/accuracy.md
/// honest.
/// </summary>
[Collection(CorpusRun.Collection)]
public sealed class GroundTruthTests(CorpusRun run, ITestOutputHelper output) : IClassFixture<CorpusRun>
{
    public static TheoryData<string> Cases() => new(Corpus.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Go_and_the_scan_agree(string name)
    {
        var r = run.Results[name];
        output.WriteLine(r.Describe());
        Assert.True(r.SetupError is null, r.Describe());
        // The corpus checks itself: the setup does to go what the case says it does.
        Assert.True(r.Go == r.Case.Expected, "go did not behave as the case expects: " + r.Describe());
        Assert.True(r.Agrees, r.Describe());
        Assert.True(r.ScanExitCode == (r.GoBroken ? 1 : 0), $"exit code {r.ScanExitCode}: " + r.Describe());
    }

    [Fact]
    public void The_confusion_matrix_is_printed_and_docs_accuracy_lists_every_case()
    {
        var page = run.AccuracyPage();
        output.WriteLine(run.Matrix());
        foreach (var r in run.Results.Values.Where(r => !r.Agrees || r.SetupError is not null))
        {
            output.WriteLine("DISAGREES: " + r.Describe());
        }

        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "accuracy.md"), page);
        var docs = Path.Combine(RepoPaths.Root(), "docs", "accuracy.md");
        if (Environment.GetEnvironmentVariable("GBR_WRITE_ACCURACY") == "1")
        {
            // The hand-written part below the marker (notes, the severity review) is kept.
            var existing = File.Exists(docs) ? File.ReadAllText(docs) : "";
            var at = existing.IndexOf(CorpusRun.HandWrittenMarker, StringComparison.Ordinal);
            File.WriteAllText(docs, page + (at < 0 ? "" : "\n" + existing[at..]));
        }

        Assert.True(Corpus.Cases.Count >= 40, $"{Corpus.Cases.Count} cases");
        Assert.True(Corpus.Cases.Count(c => c.Expected == GoOutcome.Ok) >= 10, "fewer than 10 healthy cases");
        Assert.Equal(Corpus.Cases.Count, Corpus.Cases.Select(c => c.Name).Distinct().Count());
        foreach (var pack in new[] { "GBGO", "GBNET", "GBMOD", "GBCGO", "GBVND", "GBIDE", "GBENV" })
        {
            Assert.Contains(Corpus.Cases, c => c.Pack == pack);
        }

        var kept = File.ReadAllText(docs);
        Assert.All(Corpus.Cases, c => Assert.Contains($"| {c.Name} |", kept, StringComparison.Ordinal));
    }
}
