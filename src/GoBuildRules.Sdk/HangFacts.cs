namespace GoBuildRules.Sdk;

/// <summary>
/// Which program a hanging subprocess of the scan is stuck in. When `go env` or `go version` has not
/// answered after a moment, the scan asks the programs the go command itself starts (CC, CXX, git,
/// pkg-config) and the go binary, each under its own short deadline.
/// </summary>
public sealed record HangFacts
{
    /// <summary>The slow subprocess that started the probing; null when nothing was slow (then nothing was probed).</summary>
    public string? Trigger { get; init; }

    /// <summary>Every program asked, whether it answered or not.</summary>
    public IReadOnlyList<ProgramProbe> Probes { get; init; } = [];
}

/// <param name="Role">What the go command uses it as: CC, CXX, git, pkg-config, go.</param>
/// <param name="Command">The command line that was run, e.g. "/usr/local/bin/cc --version".</param>
/// <param name="Path">The program's path as found (before links are followed).</param>
public sealed record ProgramProbe(string Role, string Command, string Path)
{
    /// <summary>True when the program did not answer within <see cref="DeadlineSeconds"/> and was stopped.</summary>
    public bool Hung { get; init; }

    public double DeadlineSeconds { get; init; }

    /// <summary>How long the program took, or how long the scan waited before stopping it.</summary>
    public double Seconds { get; init; }

    /// <summary>What the program is, e.g. "wrapper script", "sccache (compiler cache)", "executable".</summary>
    public string Kind { get; init; } = "";

    /// <summary>The first line of a script ("#!/bin/sh").</summary>
    public string? Shebang { get; init; }

    /// <summary>Where a link finally points, when Path is a link.</summary>
    public string? ResolvedPath { get; init; }

    /// <summary>Where the setting came from: "CC in the environment", "CC in the GOENV file", "the default".</summary>
    public string Source { get; init; } = "";
}
