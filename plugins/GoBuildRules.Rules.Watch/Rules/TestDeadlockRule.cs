using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Watch.Rules;

public sealed class TestDeadlockRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBRUN002",
        "A test binary deadlocked",
        "test",
        Severity.Error,
        "Every goroutine of a Go test binary waits on a mutex, a channel or a wait group that only another of its goroutines could release: the test can never finish.",
        "A test that deadlocks does not crash with \"all goroutines are asleep\": the testing package's -timeout alarm (10 minutes by default) keeps a timer alive, so the runtime cannot see the deadlock and the test simply hangs until the alarm. watch sends the test binary SIGQUIT, reads the goroutine dump that `go test` passes on, and finds that no goroutine runs, sleeps or waits for I/O: they all wait on each other. The blocked frame names the lock or channel and the test that took it.")
    {
        HelpMarkdown = "Read goroutines-PID.txt in the diagnose folder: the goroutine named in the finding holds the top frames; look for the goroutine that holds the lock it waits for (often the same test, taking a mutex twice, or two locks in opposite orders). Run the test alone with `go test -run NAME -timeout 30s -race`.",
        Tags = ["hang", "test", "watch"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.Watch is not { } watch)
        {
            yield break;
        }

        foreach (var (p, meaningful) in Stuck.DeadlockedTests(watch))
        {
            var blocked = Stuck.Blocking(p) ?? meaningful[0];
            var test = blocked.OwnFrames().FirstOrDefault(f => f.Contains(".Test", StringComparison.Ordinal));
            var evidence = Stuck.ProcessEvidence(snapshot, p);
            evidence.Add(new Evidence("blocked goroutine", string.Join(" <- ", blocked.OwnFrames().Take(6))));
            evidence.AddRange(meaningful.Where(g => g != blocked).Take(4).Select(g => new Evidence("other goroutine", Stuck.Describe(g))));
            yield return Descriptor.Finding(
                $"The test binary {p.Name} (pid {p.Pid}) deadlocked: all its goroutines wait on each other; {Stuck.Describe(blocked)}{(test is null || blocked.OwnFrames()[0] == test ? "" : $" called from {test}")}.",
                $"{p.Name} {blocked.OwnFrames()[0]}") with
            {
                Evidence = evidence,
                Fixes =
                [
                    Fix.Run("Run the test alone with the race detector and a short timeout", "go test -race -timeout 30s -run 'Test…' ./…",
                        "None; it only runs the tests. Replace the pattern with the test named in the finding."),
                ],
            };
        }
    }
}
