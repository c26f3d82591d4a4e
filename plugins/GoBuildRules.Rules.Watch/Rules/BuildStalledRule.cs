using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Watch.Rules;

public sealed class BuildStalledRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBRUN001",
        "The build stalled: the stuck process and what it waits on",
        "hang",
        Severity.Error,
        "A build run under `gobuildrules watch` made no progress (no output, no I/O, no CPU) for the stall limit, or ran past its timeout; this names the deepest stuck process of its tree. The fallback: silent when GBRUN002 (a deadlocked test) or GBRUN003 (a hung C compiler) names the cause.",
        "watch samples the whole process tree of the command (go, compile, link, cgo, git, test binaries…, children that left the process group included). When none of them reads, writes or computes for the stall limit, the build is stuck on something outside it: a server that never answers, a lock another process holds, a child that waits for input. This finding names the deepest live process, its kernel state and wait channel, its sockets and locks, and for a Go program the goroutine that waits (from the SIGQUIT dump). When a test binary deadlocked or the C compiler never returned, GBRUN002 or GBRUN003 names that cause and this rule stays silent. A stalled proxy or a lock held by another process is named by the network and module-cache rules (GBNET002, GBMOD016): this finding still says which process and goroutine of the build wait on it.")
    {
        HelpMarkdown = "Open the diagnose folder watch printed: `processes.txt` (the tree with states, sockets, locks), `goroutines-PID.txt` (the Go dumps), `output-tail.txt`, `report.md`.",
        Tags = ["hang", "watch"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        // The fallback: a deadlocked test (GBRUN002) or a hung C compiler (GBRUN003) is the cause, and
        // naming the process stuck under it would report that cause a second time.
        if (snapshot.Watch is not { } watch || Stuck.HasSpecificCause(snapshot, watch))
        {
            yield break;
        }

        var culprit = Stuck.Culprit(watch);
        if (culprit is null)
        {
            yield return Descriptor.Finding($"`{watch.Command}` {Stuck.Outcome(watch)}, and none of its processes was alive to look at.", watch.Command) with
            {
                Evidence = [new Evidence("last progress", watch.LastProgress)],
            };
            yield break;
        }

        var blocking = Stuck.Blocking(culprit);
        var live = snapshot.LiveProcesses.Process(culprit.Pid);
        var connections = live?.Connections.Select(c => c.Remote).Distinct().ToList() ?? [];
        var locks = snapshot.LiveProcesses.WaitedOnBy(culprit.Pid).ToList();
        var message = $"`{watch.Command}` {Stuck.Outcome(watch)}: {culprit.Name} (pid {culprit.Pid}) is {Stuck.Waiting(culprit, live)}"
            + (blocking is null ? "" : $", {Stuck.Describe(blocking)}")
            + (connections.Count > 0 ? $", connected to {string.Join(", ", connections)}" : "")
            + (locks.Count > 0 ? $", waiting for the lock on {string.Join(", ", locks.Select(l => $"{l.Path} held by pid {l.HolderPid}"))}" : "")
            + ".";
        var evidence = Stuck.ProcessEvidence(snapshot, culprit);
        evidence.Insert(0, new Evidence("last progress", $"{watch.LastProgress}, {watch.IdleSeconds:0} s before the capture"));
        if (blocking is not null)
        {
            evidence.Add(new Evidence("blocking goroutine", string.Join(" <- ", blocking.OwnFrames().Take(6))));
        }

        // The subject is the stuck program and where it waits, not its command line: that carries go's
        // temporary build folder (/tmp/go-build123/b001/x.test), new on every run.
        yield return Descriptor.Finding(message, $"stalled {culprit.Name}" + (blocking is null ? "" : $" in {blocking.OwnFrames()[0]}")) with
        {
            Evidence = evidence,
            Fixes =
            [
                Fix.Run("See every process of the tree with its state, sockets and locks", "cat processes.txt", "None; the file is in the diagnose folder watch printed."),
                Fix.Run("If this step is legitimately silent for long (a huge link, a slow test), allow it more time", "gobuildrules watch --stall 5m -- " + watch.Command,
                    "A real hang is then caught only after the longer limit."),
            ],
        };
    }
}
