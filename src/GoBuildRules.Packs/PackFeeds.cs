using System.IO.Compression;
using System.Security.Cryptography;
using NuGet.Common;
using NuGet.Configuration;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Packaging.Signing;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;

namespace GoBuildRules.Packs;

/// <summary>
/// NuGet as the user configured it for the repository: nuget.config sources (with their
/// credentials) and trusted signers from Settings.LoadDefaultSettings(root), the global packages
/// folder and its fallback folders as the download cache.
/// </summary>
public sealed class PackFeeds : IDisposable
{
    private readonly ISettings settings;
    private readonly IReadOnlyList<PackageSource> sources;
    private readonly ClientPolicyContext policy;
    private readonly SourceCacheContext cache = new() { NoCache = true, DirectDownload = true };

    /// <param name="root">The repository root: nuget.config files are read from here upwards, then the user's.</param>
    /// <param name="sourceOverride">--source: only these feeds (folders or URLs) are asked.</param>
    /// <param name="warn">Says what was skipped (a package file that is not a package), one line each.</param>
    public PackFeeds(string root, IReadOnlyList<string> sourceOverride, bool offline, bool requireSigned, IProgress<string>? progress, Action<string>? warn = null)
    {
        this.warn = warn ?? (_ => { });
        RequestTimeout = Seconds("GOBUILDRULES_FEED_TIMEOUT", DefaultRequestTimeout);
        var total = Seconds("GOBUILDRULES_RESTORE_TIMEOUT", DefaultRestoreTimeout);
        overall.CancelAfter(total);
        RestoreTimeout = total;
        settings = Settings.LoadDefaultSettings(root);
        Offline = offline;
        RequireSigned = requireSigned;
        Progress = progress;
        GlobalPackagesFolder = SettingsUtility.GetGlobalPackagesFolder(settings);
        FallbackFolders = SettingsUtility.GetFallbackPackageFolders(settings).ToList();
        policy = ClientPolicyContext.GetClientPolicy(settings, NullLogger.Instance);
        var configured = new PackageSourceProvider(settings).LoadPackageSources().Where(s => s.IsEnabled).ToList();
        sources = sourceOverride.Count == 0
            ? configured
            : sourceOverride.Select(s =>
            {
                var location = IsUrl(s) ? s : Path.GetFullPath(s);
                // A --source that is a configured feed keeps that feed's credentials.
                return configured.FirstOrDefault(c => string.Equals(c.Source.TrimEnd('/'), location.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
                    || string.Equals(c.Name, s, StringComparison.OrdinalIgnoreCase)) ?? new PackageSource(location);
            }).ToList();
    }

    public bool Offline { get; }

    /// <summary>One request to a feed (service index, versions, download) waits this long at most.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>All the feed work of one command (a restore, an install) waits this long at most.</summary>
    public static readonly TimeSpan DefaultRestoreTimeout = TimeSpan.FromSeconds(180);

    public TimeSpan RequestTimeout { get; }

    public TimeSpan RestoreTimeout { get; }

    private readonly CancellationTokenSource overall = new();
    private readonly Action<string> warn;
    private readonly HashSet<string> warned = new(StringComparer.Ordinal);

    private static TimeSpan Seconds(string variable, TimeSpan fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(variable), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 3600
            ? TimeSpan.FromSeconds(s)
            : fallback;

    /// <summary>
    /// Runs one feed request under its own deadline and the command's; NuGet's own timeout is 100 s
    /// per try with retries, far too long for a feed that accepts connections and never answers.
    /// </summary>
    private async Task<T> RequestAsync<T>(PackageSource source, string request, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, overall.Token);
        deadline.CancelAfter(RequestTimeout);
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // WaitAsync: a NuGet code path that ignores the token must not hold the command.
            return await call(deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && overall.IsCancellationRequested)
        {
            throw new PackException($"the feeds took longer than {RestoreTimeout.TotalSeconds:0.#} s in all (GOBUILDRULES_RESTORE_TIMEOUT); last: {request} at {source.Source}, waiting {started.Elapsed.TotalSeconds:0.#} s");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new FeedTimeoutException($"{request} got no answer within {RequestTimeout.TotalSeconds:0.#} s (GOBUILDRULES_FEED_TIMEOUT)");
        }
    }

    /// <summary>Removes NuGet's scratch folder for direct downloads.</summary>
    public void Dispose()
    {
        cache.Dispose();
        overall.Dispose();
    }

    public bool RequireSigned { get; }

    public IProgress<string>? Progress { get; }

    public string GlobalPackagesFolder { get; }

    public IReadOnlyList<string> FallbackFolders { get; }

    public IReadOnlyList<string> SourceNames => sources.Select(s => s.Source).ToList();

    private static bool IsUrl(string s) => s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>A package already in the global packages folder or a fallback folder, complete (NuGet writes its hash file last).</summary>
    public string? Cached(string id, NuGetVersion version)
    {
        foreach (var folder in FallbackFolders.Prepend(GlobalPackagesFolder))
        {
            var resolver = new VersionFolderPathResolver(folder);
            var nupkg = resolver.GetPackageFilePath(id, version);
            if (File.Exists(nupkg) && (File.Exists(resolver.GetHashPath(id, version)) || File.Exists(resolver.GetNupkgMetadataPath(id, version))))
            {
                return nupkg;
            }
        }

        return null;
    }

    /// <summary>Versions in the global packages folder and fallback folders.</summary>
    public IEnumerable<NuGetVersion> CachedVersions(string id)
    {
        foreach (var folder in FallbackFolders.Prepend(GlobalPackagesFolder))
        {
            var idFolder = Path.Combine(folder, id.ToLowerInvariant());
            if (!Directory.Exists(idFolder))
            {
                continue;
            }

            foreach (var dir in Directory.GetDirectories(idFolder))
            {
                if (NuGetVersion.TryParse(Path.GetFileName(dir), out var v) && Cached(id, v) is not null)
                {
                    yield return v;
                }
            }
        }
    }

    /// <summary>Every version the feeds offer. Throws when no feed could be asked.</summary>
    public async Task<IReadOnlyList<NuGetVersion>> VersionsAsync(string id, CancellationToken ct)
    {
        if (Offline)
        {
            return CachedVersions(id).Distinct().ToList();
        }

        var found = new HashSet<NuGetVersion>();
        var failures = new List<string>();
        foreach (var source in sources)
        {
            try
            {
                if (source.IsLocal)
                {
                    found.UnionWith(LocalPackages(source, ct).Where(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)).Select(p => p.Version));
                    continue;
                }

                var resource = await RequestAsync(source, "service index request", t => Repository.Factory.GetCoreV3(source).GetResourceAsync<FindPackageByIdResource>(t), ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("not a NuGet feed");
                found.UnionWith(await RequestAsync(source, $"versions request for {id}", t => resource.GetAllVersionsAsync(id, cache, NullLogger.Instance, t), ct).ConfigureAwait(false));
            }
            catch (Exception e) when (e is FatalProtocolException or IOException or HttpRequestException or InvalidOperationException or ArgumentException)
            {
                failures.Add($"{source.Source}: {Innermost(e)}");
            }
        }

        if (found.Count == 0 && failures.Count == sources.Count && failures.Count > 0)
        {
            throw new PackException($"no feed could be asked for {id}: {string.Join("; ", failures)}");
        }

        return found.ToList();
    }

    /// <summary>
    /// The .nupkg of a package, from the global packages folder when it is there (never downloaded
    /// twice), else downloaded into the store's scratch space, checked (entries, lock hash,
    /// signature policy) and only then added to the global packages folder.
    /// </summary>
    public async Task<FetchedPackage> FetchAsync(string id, NuGetVersion version, string? expectedSha512, PackStore store, IEnumerable<string> extraSources, CancellationToken ct)
    {
        var label = $"{id} {version.ToNormalizedString()}";
        if (Cached(id, version) is { } cached)
        {
            var sha = Sha512Of(cached);
            CheckHash(label, sha, expectedSha512);
            await VerifyAsync(cached, label, ct).ConfigureAwait(false);
            return new FetchedPackage(id, version, cached, sha, null);
        }

        if (Offline)
        {
            throw new PackOfflineException($"{label} is neither in the pack store nor in the global packages folder ({GlobalPackagesFolder}), and --offline forbids downloading it; run `gobuildrules packs restore` once online");
        }

        var all = sources.Concat(extraSources.Where(e => !string.IsNullOrEmpty(e) && sources.All(s => !string.Equals(s.Source, e, StringComparison.OrdinalIgnoreCase))).Select(e => new PackageSource(e))).ToList();
        var temp = store.NewTempFolder();
        try
        {
            var download = Path.Combine(temp, "download.nupkg");
            var failures = new List<string>();
            foreach (var source in all)
            {
                try
                {
                    bool copied;
                    if (source.IsLocal)
                    {
                        var local = LocalPackages(source, ct).FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase) && p.Version == version);
                        copied = local is not null;
                        if (local is not null)
                        {
                            File.Copy(local.File, download, overwrite: true);
                        }
                    }
                    else
                    {
                        var resource = await RequestAsync(source, "service index request", t => Repository.Factory.GetCoreV3(source).GetResourceAsync<FindPackageByIdResource>(t), ct).ConfigureAwait(false)
                            ?? throw new InvalidOperationException("not a NuGet feed");
                        await using var file = new FileStream(download, FileMode.Create, FileAccess.ReadWrite);
                        await using var counting = new ProgressStream(file, Progress, $"downloading {label}");
                        copied = await RequestAsync(source, $"download of {label}", t => resource.CopyNupkgToStreamAsync(id, version, counting, cache, NullLogger.Instance, t), ct).ConfigureAwait(false);
                    }

                    if (!copied)
                    {
                        failures.Add($"{source.Source}: not found");
                        continue;
                    }

                    var sha = Sha512Of(download);
                    CheckHash(label, sha, expectedSha512);
                    using (var zip = ZipFile.OpenRead(download))
                    {
                        SafeArchive.Validate(zip, label);
                    }

                    await VerifyAsync(download, label, ct).ConfigureAwait(false);
                    await using (var stream = File.OpenRead(download))
                    using (await GlobalPackagesFolderUtility.AddPackageAsync(source.Source, new PackageIdentity(id, version), stream, GlobalPackagesFolder, Guid.Empty, policy, NullLogger.Instance, ct).ConfigureAwait(false))
                    {
                    }

                    var path = Cached(id, version) ?? throw new PackException($"{label} was downloaded but NuGet did not add it to {GlobalPackagesFolder}");
                    return new FetchedPackage(id, version, path, Sha512Of(path), source.Source);
                }
                catch (Exception e) when (e is FatalProtocolException or IOException or HttpRequestException or InvalidDataException or SignatureException or InvalidOperationException)
                {
                    failures.Add($"{source.Source}: {Innermost(e)}");
                }
            }

            throw new PackException($"{label} could not be downloaded from any feed ({(all.Count == 0 ? "no feeds configured" : string.Join("; ", failures))})");
        }
        finally
        {
            PackStore.TryDelete(temp);
        }
    }

    private sealed record LocalPackage(string Id, NuGetVersion Version, string File);

    /// <summary>
    /// The packages of a folder feed (flat, or NuGet's id/version layout), read by this tool rather
    /// than NuGet's local resource: a file that is not a package (truncated, not a zip, no nuspec)
    /// is skipped with one warning naming it, and never blocks the other packages of the feed.
    /// </summary>
    private IReadOnlyList<LocalPackage> LocalPackages(PackageSource source, CancellationToken ct)
    {
        var folder = source.Source;
        if (!Directory.Exists(folder))
        {
            throw new IOException($"the folder {folder} does not exist");
        }

        var packages = new List<LocalPackage>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in Directory.EnumerateFiles(folder, "*.nupkg", options))
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                using var reader = new PackageArchiveReader(file);
                var identity = reader.GetIdentity();
                packages.Add(new LocalPackage(identity.Id, identity.Version, file));
            }
            catch (Exception e) when (e is InvalidDataException or IOException or PackagingException or System.Xml.XmlException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
            {
                lock (warned)
                {
                    if (warned.Add(file))
                    {
                        warn($"skipped {file} in feed {folder}: not a readable package ({Innermost(e)})");
                    }
                }
            }
        }

        return packages;
    }

    private static void CheckHash(string label, string sha, string? expected)
    {
        if (expected is not null && !string.Equals(sha, expected, StringComparison.Ordinal))
        {
            throw new PackTamperedException(
                $"{label} refused: its SHA-512 is {sha} but {LockFile.FileName} records {expected}; the package changed since it was locked. If the change is intended, run `gobuildrules packs update`.");
        }
    }

    /// <summary>Applies nuget.config's signature policy (trusted-signers) and --require-signed.</summary>
    private async Task VerifyAsync(string nupkg, string label, CancellationToken ct)
    {
        using var reader = new PackageArchiveReader(nupkg);
        var signed = await reader.IsSignedAsync(ct).ConfigureAwait(false);
        var required = RequireSigned || policy.Policy == SignatureValidationMode.Require;
        if (!signed)
        {
            if (required)
            {
                throw new PackRefusedException($"{label} refused: it is not signed, and {(RequireSigned ? "--require-signed" : "nuget.config (signatureValidationMode=require)")} accepts signed packs only");
            }

            return;
        }

        var providers = new List<ISignatureVerificationProvider> { new IntegrityVerificationProvider(), new SignatureTrustAndValidityVerificationProvider() }
            .Append(new AllowListVerificationProvider(policy.AllowList, requireNonEmptyAllowList: policy.Policy == SignatureValidationMode.Require,
                emptyListErrorMessage: "nuget.config has no trustedSigners while signatureValidationMode is require",
                noMatchErrorMessage: "its signer is not among nuget.config's trustedSigners"))
            .ToList();
        var verifier = new PackageSignatureVerifier(providers);
        var result = await verifier.VerifySignaturesAsync(reader, policy.VerifierSettings, ct, Guid.Empty).ConfigureAwait(false);
        if (!result.IsValid)
        {
            var issue = result.Results.SelectMany(r => r.GetErrorIssues()).FirstOrDefault()?.Message ?? "signature verification failed";
            throw new PackRefusedException($"{label} refused: {issue}");
        }
    }

    public static string Sha512Of(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToBase64String(SHA512.HashData(stream));
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }

    /// <summary>Counts bytes as they are written and reports them at most a few times a second.</summary>
    private sealed class ProgressStream(Stream inner, IProgress<string>? progress, string label) : Stream
    {
        private long written;
        private long lastReport = Environment.TickCount64;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => written;
        public override long Position { get => written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Advance(count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            Advance(buffer.Length);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Advance(int count)
        {
            written += count;
            var now = Environment.TickCount64;
            if (progress is not null && now - lastReport >= 200)
            {
                lastReport = now;
                progress.Report($"{label}: {written / 1024.0:0} KB");
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                progress?.Report($"{label}: {written / 1024.0:0} KB, done");
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>A feed request that got no answer in time: reported as that feed's failure, the other feeds are still asked.</summary>
public sealed class FeedTimeoutException(string message) : IOException(message);

/// <param name="Path">The .nupkg in the global packages folder.</param>
/// <param name="Source">The feed it was downloaded from; null when it was already cached.</param>
public sealed record FetchedPackage(string Id, NuGetVersion Version, string Path, string Sha512, string? Source);
