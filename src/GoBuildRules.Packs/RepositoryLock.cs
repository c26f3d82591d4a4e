using System.Security.Cryptography;
using System.Text;

namespace GoBuildRules.Packs;

/// <summary>
/// Serialises the commands that change a repository's gobuildrules.json and lock file (`packs
/// install/update/remove/restore --write-lock`): each holds this lock from reading the files to
/// writing them, so concurrent installs queue instead of losing each other's entries. The lock is
/// an exclusive open of a file outside the repository (a read-only checkout needs none, and no
/// stray file appears in `git status`); the kernel drops it when the process dies.
/// </summary>
public sealed class RepositoryLock : IDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(120);

    private readonly FileStream handle;

    private RepositoryLock(FileStream handle) => this.handle = handle;

    public static async Task<RepositoryLock> AcquireAsync(string root, TimeSpan wait, CancellationToken ct)
    {
        var full = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        var folder = Path.Combine(Path.GetTempPath(), "gobuildrules-locks");
        Directory.CreateDirectory(folder);
        var name = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..32] + ".lock";
        var path = Path.Combine(folder, name);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return new RepositoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new PackException($"another gobuildrules is changing the packs of {full} (waited {wait.TotalSeconds:0} s for it): {e.Message}");
            }
        }
    }

    public void Dispose() => handle.Dispose();
}
