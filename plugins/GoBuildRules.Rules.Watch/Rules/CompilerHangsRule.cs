using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Watch.Rules;

public sealed class CompilerHangsRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBRUN003",
        "The C compiler never returns",
        "cgo",
        Severity.Error,
        "A cgo build stalled inside the C compiler (CC, or a wrapper such as ccache, sccache or distcc): the go command waits for it for ever.",
        "For every cgo package the go command runs CC several times (to probe flags, then to compile and link the C parts) and waits for each without a deadline. A compiler wrapper that waits for its server (a stuck ccache lock, an unreachable sccache or distcc server), a script that prompts, or a network file system under the compiler leaves the build silent. watch finds the compiler in the stalled tree by the CC the build uses, by its name, or as the child of the cgo tool (which runs nothing else).")
    {
        HelpMarkdown = "Try the compiler alone: `echo 'int main(){return 0;}' | $(go env CC) -x c -c -o /dev/null -`. With a wrapper, check its server (`ccache -s`, `sccache --show-stats`) or bypass it: `CC=gcc go build ./...`.",
        Tags = ["hang", "cgo", "watch"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.Watch is not { } watch)
        {
            yield break;
        }

        var cc = Stuck.Cc(snapshot);
        var compiler = Stuck.HungCompiler(snapshot, watch);
        if (compiler is null)
        {
            yield break;
        }

        var below = watch.Processes.Where(p => IsBelow(watch, p, compiler.Pid) && !p.State.StartsWith('Z')).OrderByDescending(p => p.Depth).FirstOrDefault();
        var evidence = Stuck.ProcessEvidence(snapshot, compiler);
        if (cc is not null)
        {
            evidence.Add(new Evidence("CC", cc));
        }

        if (below is not null)
        {
            evidence.Add(new Evidence("waits for", $"{below.Name} (pid {below.Pid}) {Stuck.Waiting(below, snapshot.LiveProcesses.Process(below.Pid))}: {below.CommandLine}"));
        }

        yield return Descriptor.Finding(
            $"cgo: the C compiler{(cc is null ? "" : $" {cc}")} (pid {compiler.Pid}, `{compiler.CommandLine}`) has not returned and the build {Stuck.Outcome(watch)}; it is {Stuck.Waiting(compiler, snapshot.LiveProcesses.Process(compiler.Pid))}"
            + (below is null ? "." : $", waiting for {below.Name} (pid {below.Pid}, {Stuck.Waiting(below, snapshot.LiveProcesses.Process(below.Pid))})."),
            // GBGO020's spelling of the same subject: the program, not this run's process.
            $"CC:{cc ?? compiler.Name}") with
        {
            Evidence = evidence,
            Fixes =
            [
                Fix.Run("Check that the compiler answers on its own", "echo 'int main(){return 0;}' | \"$(go env CC)\" -x c -c -o /dev/null -",
                    "None; it compiles an empty program to /dev/null."),
                Fix.Run("Build with the plain system compiler, bypassing the wrapper", "CC=gcc go build ./...",
                    "Builds lose the wrapper's caching or distribution; set it back once its server works."),
            ],
        };
    }

    private static bool IsBelow(WatchFacts watch, BuildProcess p, int ancestor)
    {
        for (var guard = 0; guard < 64 && p.ParentPid != 0; guard++)
        {
            if (p.ParentPid == ancestor)
            {
                return true;
            }

            if (watch.Process(p.ParentPid) is not { } parent)
            {
                return false;
            }

            p = parent;
        }

        return false;
    }
}
