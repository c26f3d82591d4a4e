using System.Globalization;
using System.Text;
using GoBuildRules.Core.Collection;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Watch;

/// <summary>Turns what the supervisor saw into the facts rules read and the files of the diagnose folder.</summary>
public static class WatchCapture
{
    /// <summary>The processes of the tree as the stall found them, parents before children.</summary>
    public static IReadOnlyList<BuildProcess> Describe(WatchStall stall, string proc = "/proc")
    {
        var depths = WatchSupervisor.Depths(stall.Tree, stall.RootPid);
        var uptime = ProcFiles.Read(Path.Combine(proc, "uptime"))?.Split(' ') is [var first, ..] && double.TryParse(first, CultureInfo.InvariantCulture, out var up) ? up : (double?)null;
        return stall.Tree
            .OrderBy(p => depths.GetValueOrDefault(p.Pid))
            .ThenBy(p => p.Pid)
            .Select(p =>
            {
                var dir = Path.Combine(proc, p.Pid.ToString(CultureInfo.InvariantCulture));
                var exe = ProcFiles.Link(Path.Combine(dir, "exe"));
                return new BuildProcess(p.Pid, p.ParentPid)
                {
                    Depth = depths.GetValueOrDefault(p.Pid),
                    ProcessGroup = p.ProcessGroup,
                    Session = p.Session,
                    Name = ProcFiles.Read(Path.Combine(dir, "comm"))?.Trim() ?? "",
                    CommandLine = Secrets.Redact(string.Join(' ', (ProcFiles.Read(Path.Combine(dir, "cmdline")) ?? "").Split('\0', StringSplitOptions.RemoveEmptyEntries))),
                    Executable = exe,
                    State = StateText(p.State),
                    CpuSeconds = p.CpuTicks / ProcessTree.ClockTicksPerSecond,
                    AgeSeconds = uptime is { } u ? Math.Max(0, Math.Round(u - (p.StartTicks / ProcessTree.ClockTicksPerSecond), 1)) : 0,
                    IsGo = exe is not null && GoBinary.IsGo(Path.Combine(dir, "exe")),
                };
            })
            .ToList();
    }

    /// <summary>
    /// The live reading of the tree itself, taken at once when the stall is detected, with the same
    /// reader as the snapshot's. The snapshot's own reading runs only after `go env`, which a hung
    /// compiler makes use the whole deadline; this one does not wait for it.
    /// </summary>
    public static LiveProcessFacts ReadTree(WatchStall stall, CancellationToken ct) =>
        new LiveProcessCollector().Collect(new LiveProcessScope([], []) { Watched = stall.Tree.Select(p => p.Pid).ToHashSet() }, ct);

    /// <summary>The snapshot's live reading, completed with the tree's own for every process of the tree it does not describe.</summary>
    public static LiveProcessFacts Merge(LiveProcessFacts scan, LiveProcessFacts tree)
    {
        var known = scan.Processes.Select(p => p.Pid).ToHashSet();
        return scan with
        {
            Scanned = scan.Scanned || tree.Scanned,
            Processes = [.. scan.Processes.Concat(tree.Processes.Where(p => !known.Contains(p.Pid))).OrderBy(p => p.Pid)],
            Locks = scan.Locks.Count > 0 ? scan.Locks : tree.Locks,
        };
    }

    /// <summary>The facts of the stall, with the parsed goroutine dumps joined to their processes.</summary>
    public static WatchFacts Facts(string command, WatchStall stall, IReadOnlyList<BuildProcess> processes, IReadOnlyList<GoroutineCapture> dumps, bool outputCaptured, Func<int, string> dumpFile)
    {
        var byPid = dumps.ToDictionary(d => d.Pid);
        return new WatchFacts
        {
            Outcome = stall.Outcome,
            Command = Secrets.Redact(command),
            IdleSeconds = Math.Round(stall.Idle.TotalSeconds, 1),
            ElapsedSeconds = Math.Round(stall.Elapsed.TotalSeconds, 1),
            LastProgress = stall.LastProgress,
            RootPid = stall.RootPid,
            OutputCaptured = outputCaptured,
            Processes = processes.Select(p => byPid.TryGetValue(p.Pid, out var d)
                ? p with { Goroutines = GoroutineDump.Parse(d.Text), GoroutineDumpFile = dumpFile(p.Pid) }
                : p).ToList(),
        };
    }

    /// <summary>processes.txt: the tree as a table, indented by depth, with what each process waits on.</summary>
    public static string ProcessTable(WatchFacts facts, LiveProcessFacts live)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# {facts.Outcome} after {facts.ElapsedSeconds:0.#} s, idle {facts.IdleSeconds:0.#} s (last progress: {facts.LastProgress})");
        sb.AppendLine(CultureInfo.InvariantCulture, $"# command: {facts.Command}");
        sb.AppendLine("PID\tPPID\tPGID\tSID\tSTATE\tWCHAN\tCPU_S\tRSS_KIB\tAGE_S\tCWD\tCOMMAND");
        foreach (var p in facts.Processes)
        {
            var l = live.Process(p.Pid);
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"{p.Pid}\t{p.ParentPid}\t{p.ProcessGroup}\t{p.Session}\t{p.State}\t{(l is null || l.Wchan.Length == 0 ? "-" : l.Wchan)}\t{p.CpuSeconds:0.00}\t{l?.RssKiB.ToString(CultureInfo.InvariantCulture) ?? "-"}\t{p.AgeSeconds:0.#}\t{l?.WorkingDirectory ?? "-"}\t{new string(' ', 2 * p.Depth)}{p.CommandLine}");
            if (l is null)
            {
                continue;
            }

            foreach (var s in l.Sockets)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"\t{s.Protocol} {s}");
            }

            foreach (var k in live.HeldBy(p.Pid))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"\tholds {k.Type} {k.Mode} lock on {k.Path}{(k.WaiterPids.Count > 0 ? $" (waited for by {string.Join(", ", k.WaiterPids)})" : "")}");
            }

            foreach (var k in live.WaitedOnBy(p.Pid))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"\twaits for {k.Type} {k.Mode} lock on {k.Path} held by {k.HolderPid}");
            }

            foreach (var f in l.Files)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"\topen {f}");
            }

            if (l.ThreadWaits.Count > 0)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"\tthreads wait in {string.Join(", ", l.ThreadWaits)}");
            }

            foreach (var k in l.KernelStack)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"\tkernel {k}");
            }
        }

        return sb.ToString();
    }

    public static string StateText(char state) => $"{state} ({state switch
    {
        'R' => "running",
        'S' => "sleeping",
        'D' => "disk sleep",
        'T' => "stopped",
        't' => "tracing stop",
        'Z' => "zombie",
        'X' => "dead",
        'I' => "idle",
        _ => "unknown",
    }})";
}
