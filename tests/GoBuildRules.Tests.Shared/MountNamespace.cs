using System.Diagnostics;

namespace GoBuildRules.Tests.Shared;

/// <summary>
/// Launchers that run a program in a private mount namespace of its own (`unshare --mount`), with one
/// mount changed for it and its children only: the machine's mounts are never touched, and the
/// change ends with the process.
/// </summary>
public static class MountNamespace
{
    /// <summary><paramref name="path"/> bind-mounted read-only onto itself (a container's read-only layer).</summary>
    public static string[] ReadOnly(string path) =>
        ["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
            "mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" && exec \"$@\"", path];

    /// <summary><paramref name="resolvConf"/> bind-mounted over /etc/resolv.conf: the nameservers the process sees.</summary>
    public static string[] WithResolvConf(string resolvConf) =>
        ["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
            "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"", resolvConf];

    /// <summary>Runs a program through a launcher with a deadline; the environment is changed as given (null removes).</summary>
    public static GoToolchain.GoResult Run(IReadOnlyList<string> launcher, string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, params string[] command)
    {
        var psi = new ProcessStartInfo(launcher[0]) { WorkingDirectory = workingDirectory, UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var a in launcher.Skip(1).Concat(command))
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment)
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return new GoToolchain.GoResult(-1, output.Result, error.Result, TimedOut: true);
        }

        p.WaitForExit();
        return new GoToolchain.GoResult(p.ExitCode, output.Result, error.Result, TimedOut: false);
    }
}
