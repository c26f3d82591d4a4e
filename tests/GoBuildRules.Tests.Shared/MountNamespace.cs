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
}
