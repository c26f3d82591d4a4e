using System.Runtime.InteropServices;

namespace GoBuildRules.Rules.CloudEnv.Collection;

/// <summary>The effective uid of this process (what git compares a repository's owner with).</summary>
internal static class NativeUser
{
    public static int? EffectiveUid()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return (int)geteuid();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    // DllImport rather than LibraryImport: a blittable, argument-free call needs no marshalling code
    // and no unsafe blocks in the pack.
    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint geteuid();
}
