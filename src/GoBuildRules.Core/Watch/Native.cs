using System.Runtime.InteropServices;

namespace GoBuildRules.Core.Watch;

/// <summary>
/// The few libc calls watch needs and System.Diagnostics.Process does not offer: starting a child
/// in a process group of its own (posix_spawn with POSIX_SPAWN_SETPGROUP; fork is unsafe in a
/// multithreaded runtime), waiting for exactly that child, signalling a group, and becoming the
/// subreaper of the build's orphans. Linux (glibc and musl) only, as the rest of watch.
/// </summary>
internal static unsafe partial class Native
{
    private const string Libc = "libc";

    // <spawn.h>; the same values in glibc and musl.
    public const short PosixSpawnSetPGroup = 0x02;
    public const short PosixSpawnSetSigDef = 0x04;
    public const short PosixSpawnSetSigMask = 0x08;

    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;

    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EACCES = 13;
    public const int ECHILD = 10;
    public const int ENOEXEC = 8;
    public const int EISDIR = 21;

    public const int WNOHANG = 1;
    public const int OCloexec = 0x80000;
    private const int PrSetChildSubreaper = 36;

    // Generous upper bounds of glibc's posix_spawnattr_t (336 bytes), posix_spawn_file_actions_t
    // (80) and sigset_t (128): the library initialises them, we only hold the memory.
    private const int AttrSize = 1024;
    private const int FileActionsSize = 512;
    private const int SigSetSize = 256;

    [LibraryImport(Libc, EntryPoint = "posix_spawnp", SetLastError = false, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PosixSpawnP(out int pid, string file, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_init")]
    private static partial int SpawnAttrInit(void* attr);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_destroy")]
    private static partial int SpawnAttrDestroy(void* attr);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setflags")]
    private static partial int SpawnAttrSetFlags(void* attr, short flags);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setpgroup")]
    private static partial int SpawnAttrSetPGroup(void* attr, int pgroup);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int SpawnAttrSetSigDefault(void* attr, void* sigset);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int SpawnAttrSetSigMask(void* attr, void* sigset);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(void* actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(void* actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsAddDup2(void* actions, int fd, int newfd);

    [LibraryImport(Libc, EntryPoint = "sigfillset")]
    private static partial int SigFillSet(void* set);

    [LibraryImport(Libc, EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(void* set);

    [LibraryImport(Libc, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Libc, EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Libc, EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "isatty")]
    public static partial int IsATty(int fd);

    /// <summary>
    /// posix_spawnp with the child in a new process group (its pid), every signal at its default
    /// disposition (the .NET runtime ignores SIGPIPE, which a child must not inherit) and nothing
    /// blocked; stdin/stdout/stderr inherited unless <paramref name="dup2"/> replaces some.
    /// </summary>
    /// <returns>0 and the pid, or the errno of the failed spawn (ENOENT, EACCES…).</returns>
    public static int Spawn(string file, IReadOnlyList<string> argv, IReadOnlyList<(int From, int To)> dup2, out int pid)
    {
        pid = 0;
        var attr = NativeMemory.AllocZeroed(AttrSize);
        var actions = NativeMemory.AllocZeroed(FileActionsSize);
        var sigDefault = NativeMemory.AllocZeroed(SigSetSize);
        var sigMask = NativeMemory.AllocZeroed(SigSetSize);
        var strings = new List<nint>();
        try
        {
            Check(SpawnAttrInit(attr));
            Check(FileActionsInit(actions));
            SigFillSet(sigDefault);
            SigEmptySet(sigMask);
            Check(SpawnAttrSetFlags(attr, PosixSpawnSetPGroup | PosixSpawnSetSigDef | PosixSpawnSetSigMask));
            Check(SpawnAttrSetPGroup(attr, 0));
            Check(SpawnAttrSetSigDefault(attr, sigDefault));
            Check(SpawnAttrSetSigMask(attr, sigMask));
            foreach (var (from, to) in dup2)
            {
                Check(FileActionsAddDup2(actions, from, to));
            }

            var args = (byte**)NativeMemory.AllocZeroed((nuint)((argv.Count + 1) * sizeof(nint)));
            strings.Add((nint)args);
            for (var i = 0; i < argv.Count; i++)
            {
                var s = Marshal.StringToCoTaskMemUTF8(argv[i]);
                strings.Add(s);
                args[i] = (byte*)s;
            }

            // The environment this process inherited, untouched: .NET keeps its own managed copy of
            // any variable set since start-up, the native `environ` is what the user gave us.
            var environ = *(byte***)NativeLibrary.GetExport(NativeLibrary.Load(Libc), "environ");
            var rc = PosixSpawnP(out pid, file, actions, attr, args, environ);
            SpawnAttrDestroy(attr);
            FileActionsDestroy(actions);
            return rc;
        }
        finally
        {
            foreach (var s in strings.Skip(1))
            {
                Marshal.FreeCoTaskMem(s);
            }

            if (strings.Count > 0)
            {
                NativeMemory.Free((void*)strings[0]);
            }

            NativeMemory.Free(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(sigDefault);
            NativeMemory.Free(sigMask);
        }
    }

    public static (int Read, int Write) Pipe()
    {
        var fds = stackalloc int[2];
        if (Pipe2(fds, OCloexec) != 0)
        {
            throw new IOException($"pipe2 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return (fds[0], fds[1]);
    }

    /// <summary>Orphans of the build are re-parented to this process instead of init, so none escapes.</summary>
    public static bool BecomeSubreaper() => Prctl(PrSetChildSubreaper, 1, 0, 0, 0) == 0;

    private static void Check(int rc)
    {
        if (rc != 0)
        {
            throw new IOException($"posix_spawn set-up failed: errno {rc}");
        }
    }
}
