using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using GoBuildRules.Core.Workspace;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Collection;

/// <summary>
/// Asks the user's own go command what it thinks of the workspace: `go mod edit -json` (go's
/// parser of go.mod) and `go list -e -json -deps ./...` (module graph and package loading), with
/// the user's environment but GOPROXY=off and GOSUMDB=off, so nothing is fetched. Nothing of the
/// user's is written: go list gets `-modfile` on a temporary copy of go.mod (go.sum beside it, as
/// go's -modfile convention reads it), and in workspace mode, where go refuses -modfile and would
/// write go.work.sum, GOWORK names a temporary copy of go.work whose relative paths are made
/// absolute. A go.work that go cannot parse is used as it is: go stops before writing anything.
/// </summary>
public sealed partial class GoOracle(IProcessRunner processes)
{
    private const string ModfileRefusedInGopathMode = "build flag -modfile only valid when using modules";

    /// <param name="path">The folder to scan; go runs in the module root above it, as the core facts find it.</param>
    /// <param name="gitTopLevel">The checkout around it (<see cref="WorkspaceFacts.GitTopLevel"/>): error locations inside it are relative, with ../ above the root.</param>
    /// <remarks>Never throws for the machine's state: what stops it is in <see cref="GoOracleFacts.SkippedBecause"/>.</remarks>
    public async Task<GoOracleFacts> CollectAsync(string path, string? gitTopLevel, IReadOnlyDictionary<string, string> environment, DateTimeOffset deadline, CancellationToken ct)
    {
        var start = Path.GetFullPath(path);
        if (!Directory.Exists(start))
        {
            return new GoOracleFacts { SkippedBecause = "the folder to scan does not exist" };
        }

        try
        {
            return await CollectInAsync(WorkspaceReader.FindModuleRoot(start) ?? start, gitTopLevel, environment, deadline, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new GoOracleFacts { SkippedBecause = $"the temporary copy of go.mod or go.work could not be made: {e.Message}" };
        }
    }

    private async Task<GoOracleFacts> CollectInAsync(string root, string? gitTopLevel, IReadOnlyDictionary<string, string> environment, DateTimeOffset deadline, CancellationToken ct)
    {
        if (Executables.Find("go", environment.GetValueOrDefault("PATH")) is not (var goPath, true))
        {
            return new GoOracleFacts { SkippedBecause = "no executable go command on PATH" };
        }

        var goMod = Path.Combine(root, "go.mod");
        var goWork = FindWorkFile(root, environment);
        var hasGoMod = File.Exists(goMod);
        var temp = Directory.CreateTempSubdirectory("gobuildrules-oracle-").FullName;
        try
        {
            var run = new Run(processes, goPath, root, gitTopLevel, temp, deadline, ct);
            Task<CommandResult>? edit = hasGoMod ? run.GoAsync("go mod edit", ["mod", "edit", "-json", goMod], Offline) : null;
            var list = goWork is not null ? ListWorkspaceAsync(run, goWork)
                : hasGoMod ? ListModuleAsync(run, goMod)
                : ListOutsideModuleAsync(run);

            // Resolved while go runs, so that reading its JSON afterwards is quick (JsonContracts).
            var contracts = Task.Run(() => IO.JsonContracts.Resolve(JsonSerializerOptions.Default, typeof(ListPackage), typeof(ModEditJson)), CancellationToken.None);
            var (listRun, listOutput, workErrors) = await list.ConfigureAwait(false);
            CommandResult? editRun = edit is null ? null : await edit.ConfigureAwait(false);
            await contracts.ConfigureAwait(false);

            var errors = new List<GoError>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            void Add(GoError e)
            {
                if (seen.Add(e.Message))
                {
                    errors.Add(e);
                }
            }

            foreach (var e in workErrors) Add(e);
            GoModJson? parsedMod = null;
            if (editRun is not null)
            {
                foreach (var e in run.StderrErrors("go mod edit", editRun.Value.Result)) Add(e);
                parsedMod = editRun.Value.Result.Succeeded ? ParseGoModJson(editRun.Value.Result.StandardOutput) : null;
            }

            var (packageErrors, modules, cgoPackages, cxxPackages) = ParseList(listOutput, run);
            foreach (var e in packageErrors) Add(e);
            foreach (var e in run.StderrErrors("go list", listRun.Result)) Add(e);

            var commands = new List<GoCommandRun>();
            if (editRun is not null) commands.Add(run.Describe(editRun.Value.Command, editRun.Value.Result));
            commands.Add(run.Describe(listRun.Command, listRun.Result));

            bool? needsDownload = errors.Any(e => e.Kind == GoErrorKind.NeedsDownload)
                                  || modules.Any(m => m.LookupError is { } l && Classify(l) == GoErrorKind.NeedsDownload) ? true
                : listRun.Result.Succeeded && errors.Count == 0 ? false
                : null;
            return new GoOracleFacts
            {
                Ran = true,
                WorkspaceMode = goWork is not null,
                Commands = commands,
                Errors = errors,
                Modules = modules,
                GoMod = parsedMod,
                NeedsDownload = needsDownload,
                CgoPackages = listRun.Result.Outcome == ProcessOutcome.Exited ? cgoPackages : null,
                CxxPackages = listRun.Result.Outcome == ProcessOutcome.Exited ? cxxPackages : null,
            };
        }
        finally
        {
            try
            {
                Directory.Delete(temp, recursive: true);
            }
            catch (IOException)
            {
                // A go killed at the deadline may still hold a file for a moment; temp is the OS's to clean.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>GOPROXY=off stops every module fetch; GOSUMDB=off stops the checksum database lookups that GOPROXY=off does not (they go direct).</summary>
    private static readonly IReadOnlyDictionary<string, string?> Offline = new Dictionary<string, string?>
    {
        ["GOPROXY"] = "off",
        ["GOSUMDB"] = "off",
    };

    private static async Task<(CommandResult List, string Output, IReadOnlyList<GoError> WorkErrors)> ListModuleAsync(Run run, string goMod)
    {
        var copy = Path.Combine(run.Temp, "go.mod");
        File.Copy(goMod, copy);
        var goSum = Path.Combine(Path.GetDirectoryName(goMod)!, "go.sum");
        if (File.Exists(goSum))
        {
            File.Copy(goSum, Path.Combine(run.Temp, "go.sum"));
        }

        run.MapBack(copy, goMod);
        run.MapBack(Path.Combine(run.Temp, "go.sum"), goSum);
        var list = await run.GoAsync("go list", ["list", "-modfile=" + copy, "-e", "-json", "-deps", "./..."], Offline).ConfigureAwait(false);
        if (list.Result.Outcome == ProcessOutcome.Exited && list.Result.ExitCode != 0 && list.Result.StandardError.Trim() == ModfileRefusedInGopathMode)
        {
            // GO111MODULE=off (perhaps from the GOENV file): GOPATH mode reads no go.mod and writes nothing.
            list = await run.GoAsync("go list", ["list", "-e", "-json", "-deps", "./..."], Offline).ConfigureAwait(false);
        }

        return (list, list.Result.StandardOutput, []);
    }

    /// <summary>
    /// No go.mod here or above and no go.work: go decides by GO111MODULE whether this is GOPATH
    /// code (it builds) or a folder outside any module (`go build ./...` fails). Without a go.mod
    /// there is nothing go could rewrite, so it runs on the folder as it is.
    /// </summary>
    private static async Task<(CommandResult List, string Output, IReadOnlyList<GoError> WorkErrors)> ListOutsideModuleAsync(Run run)
    {
        var list = await run.GoAsync("go list", ["list", "-e", "-json", "-deps", "./..."], Offline).ConfigureAwait(false);
        return (list, list.Result.StandardOutput, []);
    }

    private static async Task<(CommandResult List, string Output, IReadOnlyList<GoError> WorkErrors)> ListWorkspaceAsync(Run run, string goWork)
    {
        var copy = Path.Combine(run.Temp, "go.work");
        File.Copy(goWork, copy);
        if (File.Exists(goWork + ".sum"))
        {
            File.Copy(goWork + ".sum", copy + ".sum");
        }

        run.MapBack(copy + ".sum", goWork + ".sum");
        run.MapBack(copy, goWork);
        var workDir = Path.GetDirectoryName(goWork)!;
        var errors = new List<GoError>();
        var read = await run.GoAsync("go work edit", ["work", "edit", "-json", copy], Offline).ConfigureAwait(false);
        var useCopy = false;
        if (read.Result.Succeeded && ParseWorkJson(read.Result.StandardOutput) is { } work)
        {
            var edits = new List<string>();
            foreach (var use in work.Use ?? [])
            {
                if (!Path.IsPathRooted(use.DiskPath))
                {
                    edits.Add("-dropuse=" + use.DiskPath);
                    edits.Add("-use=" + Path.GetFullPath(Path.Combine(workDir, use.DiskPath)));
                }
            }

            foreach (var r in work.Replace ?? [])
            {
                if (r.New.Version is null && !Path.IsPathRooted(r.New.Path))
                {
                    var old = r.Old.Version is null ? r.Old.Path : r.Old.Path + "@" + r.Old.Version;
                    edits.Add("-dropreplace=" + old);
                    edits.Add("-replace=" + old + "=" + Path.GetFullPath(Path.Combine(workDir, r.New.Path)));
                }
            }

            if (edits.Count == 0)
            {
                useCopy = true;
            }
            else
            {
                var rewrite = await run.GoAsync("go work edit", ["work", "edit", .. edits, copy], Offline).ConfigureAwait(false);
                useCopy = rewrite.Result.Succeeded;
                errors.AddRange(run.StderrErrors("go work edit", rewrite.Result));
            }
        }
        else
        {
            errors.AddRange(run.StderrErrors("go work edit", read.Result));
        }

        // Only a go.work go cannot use is read in place: go stops at it before anything is written.
        var environment = new Dictionary<string, string?>(Offline) { ["GOWORK"] = useCopy ? copy : goWork };
        var list = await run.GoAsync("go list", ["list", "-e", "-json", "-deps", "./..."], environment).ConfigureAwait(false);
        return (list, list.Result.StandardOutput, errors);
    }

    /// <summary>The go.work go would use, as cmd/go's InitWorkfile finds it; null outside workspace mode.</summary>
    private static string? FindWorkFile(string root, IReadOnlyDictionary<string, string> environment)
    {
        var gowork = environment.GetValueOrDefault("GOWORK") ?? "";
        switch (gowork)
        {
            case "off":
                return null;
            case "" or "auto":
                for (var dir = root; dir is not null; dir = Path.GetDirectoryName(dir))
                {
                    var candidate = Path.Combine(dir, "go.work");
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }

                return null;
            default:
                // go refuses a relative GOWORK itself; let it say so against the real value.
                return Path.IsPathRooted(gowork) && File.Exists(gowork) ? gowork : null;
        }
    }

    private readonly record struct CommandResult(string Command, ProcessResult Result);

    /// <summary>One oracle run: the go binary, the temporary folder and the paths to map back.</summary>
    private sealed class Run(IProcessRunner processes, string go, string root, string? gitTopLevel, string temp, DateTimeOffset deadline, CancellationToken ct)
    {
        private readonly List<(string Temp, string Real)> mapping = [];

        public string Temp => temp;

        public string Root => root;

        public void MapBack(string tempPath, string realPath) => mapping.Add((tempPath, realPath));

        public async Task<CommandResult> GoAsync(string name, string[] args, IReadOnlyDictionary<string, string?> environment)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            var result = await processes.RunAsync(
                new ProcessRequest(go, args, left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1)) { WorkingDirectory = root, Environment = environment },
                ct).ConfigureAwait(false);
            return new CommandResult(name, result);
        }

        /// <summary>go's text with the temporary copies named as the user's files, secrets redacted.</summary>
        public string Clean(string text)
        {
            foreach (var (t, r) in mapping.OrderByDescending(m => m.Temp.Length))
            {
                text = text.Replace(t, r, StringComparison.Ordinal);
            }

            return Secrets.Redact(text.Replace(temp, "$TMP", StringComparison.Ordinal));
        }

        public GoCommandRun Describe(string command, ProcessResult result) => new(command)
        {
            ExitCode = result.ExitCode,
            TimedOut = result.Outcome == ProcessOutcome.TimedOut,
            ElapsedSeconds = Math.Round(result.Elapsed.TotalSeconds, 3),
            Stderr = Clean(result.StandardError.TrimEnd()),
        };

        /// <summary>The errors of a go command that failed, from its stderr: one per message, continuation lines kept.</summary>
        public IEnumerable<GoError> StderrErrors(string command, ProcessResult result)
        {
            if (result.Outcome != ProcessOutcome.Exited || result.ExitCode == 0)
            {
                yield break;
            }

            var blocks = new List<List<string>>();
            var inAuthNotice = false;
            foreach (var line in Clean(result.StandardError).Split('\n'))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (blocks.Count > 0 && (inAuthNotice || line[0] == '\t' || line[0] == ' ' || IsAuthNoticeStart(line)))
                {
                    // cmd/go's checksum errors (modfetch's goSumMismatch, sumdbMismatch, hashVersionMismatch) end
                    // in an unindented notice of several lines: part of the one error, not errors of their own.
                    inAuthNotice = (inAuthNotice || IsAuthNoticeStart(line)) && !line.StartsWith(AuthNoticeEnd, StringComparison.Ordinal);
                    blocks[^1].Add(line);
                }
                else
                {
                    blocks.Add([line]);
                }
            }

            foreach (var block in blocks)
            {
                var first = block[0];
                if (IsProgress(first) || (block.Count == 1 && first.EndsWith(':')))
                {
                    // "go: downloading …" is progress; "go: errors parsing go.mod:" heads the located lines that follow.
                    continue;
                }

                var message = string.Join('\n', block);
                yield return new GoError(command, message, Classify(message)) { Location = LocationIn(message) };
            }
        }

        public Location? LocationIn(string message)
        {
            var m = FileLine().Match(message);
            return m.Success ? ToLocation(m.Groups["file"].Value, m.Groups["line"].Value) : null;
        }

        public Location? ToLocation(string file, string line) =>
            new(WorkspaceReader.Relative(root, file, gitTopLevel), int.TryParse(line, out var n) && n > 0 ? n : null);
    }

    private static bool IsAuthNoticeStart(string line) =>
        line is "SECURITY ERROR" or "SECURITY WARNING";

    private const string AuthNoticeEnd = "For more information, see 'go help module-auth'.";

    private static bool IsProgress(string line) =>
        line.StartsWith("go: downloading ", StringComparison.Ordinal)
        || line.StartsWith("go: finding ", StringComparison.Ordinal)
        || line.StartsWith("go: extracting ", StringComparison.Ordinal)
        || line.StartsWith("go: warning: ", StringComparison.Ordinal);

    /// <summary>A lookup GOPROXY=off refused means "not in the module cache"; anything else is broken as it stands.</summary>
    private static GoErrorKind Classify(string message) =>
        message.Contains("disabled by GOPROXY=off", StringComparison.Ordinal) ? GoErrorKind.NeedsDownload : GoErrorKind.Broken;

    [GeneratedRegex(@"^(?:go: )?(?:errors parsing \S+:\s*)?(?<file>(?:/|\.{0,2}/?)[^\s:]*?(?:\.go|\.mod|\.work|\.sum|modules\.txt)):(?<line>\d+)(?::\d+)?:", RegexOptions.Multiline)]
    private static partial Regex FileLine();

    private static (IReadOnlyList<GoError> Errors, IReadOnlyList<GoOracleModule> Modules, IReadOnlyList<string> Cgo, IReadOnlyList<string> Cxx) ParseList(string output, Run run)
    {
        var errors = new List<GoError>();
        var cgo = new List<string>();
        var cxx = new List<string>();
        var modules = new Dictionary<string, GoOracleModule>(StringComparer.Ordinal);
        var bytes = System.Text.Encoding.UTF8.GetBytes(output);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
        while (true)
        {
            ListPackage? package;
            try
            {
                if (!reader.Read())
                {
                    break;
                }

                package = JsonSerializer.Deserialize<ListPackage>(ref reader);
            }
            catch (JsonException)
            {
                // Output cut short by the deadline: keep what was read.
                break;
            }

            if (package is null)
            {
                continue;
            }

            if (package.CgoFiles is { Count: > 0 } && package.ImportPath is { } cgoPath)
            {
                cgo.Add(cgoPath);
                if (package.CXXFiles is { Count: > 0 }) cxx.Add(cgoPath);
            }

            if (package.Module is { } m && !modules.ContainsKey(m.Path))
            {
                modules[m.Path] = new GoOracleModule(m.Path)
                {
                    Version = m.Version,
                    Main = m.Main,
                    Replace = m.Replace is null ? null : m.Replace.Version is null ? m.Replace.Path : m.Replace.Path + "@" + m.Replace.Version,
                    LookupError = m.Error?.Err is { Length: > 0 } lookup ? run.Clean(lookup) : null,
                };
            }

            foreach (var e in (package.Error is null ? [] : new[] { package.Error }).Concat(package.DepsErrors ?? []))
            {
                if (string.IsNullOrEmpty(e.Err))
                {
                    continue;
                }

                var err = run.Clean(e.Err);
                var pos = e.Pos is { Length: > 0 } p ? run.Clean(p) : null;
                var message = pos is null ? err : pos + ": " + err;
                var location = pos is null ? run.LocationIn(err) : PosLocation(pos, run);
                errors.Add(new GoError("go list", message, Classify(message))
                {
                    Location = location,
                    ImportPath = ReferenceEquals(package.Error, e) ? package.ImportPath : null,
                });
            }
        }

        return (errors, modules.Values.ToList(), cgo, cxx);
    }

    private static Location? PosLocation(string pos, Run run)
    {
        // "main.go:2:8", relative to the working folder as go shortens it, or absolute.
        var m = PosPattern().Match(pos);
        return m.Success ? run.ToLocation(m.Groups["file"].Value, m.Groups["line"].Value) : run.ToLocation(pos, "");
    }

    [GeneratedRegex(@"^(?<file>.+?):(?<line>\d+)(?::\d+)?$")]
    private static partial Regex PosPattern();

    private static GoModJson? ParseGoModJson(string json)
    {
        try
        {
            var mod = JsonSerializer.Deserialize<ModEditJson>(json);
            return mod is null ? null : new GoModJson
            {
                Module = mod.Module?.Path,
                Go = mod.Go,
                Replaces = (mod.Replace ?? []).Select(r => new GoModJsonReplace(r.Old.Path, r.Old.Version, r.New.Path, r.New.Version)).ToList(),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static WorkEditJson? ParseWorkJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<WorkEditJson>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The shapes cmd/go prints (Go field names, as `go help list` / `go help mod edit` document them).
    private sealed record ListPackage(
        [property: JsonPropertyName("ImportPath")] string? ImportPath,
        [property: JsonPropertyName("Module")] ListModule? Module,
        [property: JsonPropertyName("Error")] ListError? Error,
        [property: JsonPropertyName("DepsErrors")] IReadOnlyList<ListError>? DepsErrors,
        [property: JsonPropertyName("CgoFiles")] IReadOnlyList<string>? CgoFiles = null,
        [property: JsonPropertyName("CXXFiles")] IReadOnlyList<string>? CXXFiles = null);

    private sealed record ListModule(
        [property: JsonPropertyName("Path")] string Path,
        [property: JsonPropertyName("Version")] string? Version,
        [property: JsonPropertyName("Main")] bool Main,
        [property: JsonPropertyName("Replace")] ListModule? Replace,
        [property: JsonPropertyName("Error")] ListModuleError? Error);

    private sealed record ListModuleError([property: JsonPropertyName("Err")] string? Err);

    private sealed record ListError(
        [property: JsonPropertyName("ImportStack")] IReadOnlyList<string>? ImportStack,
        [property: JsonPropertyName("Pos")] string? Pos,
        [property: JsonPropertyName("Err")] string? Err);

    private sealed record ModVersion(
        [property: JsonPropertyName("Path")] string Path,
        [property: JsonPropertyName("Version")] string? Version);

    private sealed record ModReplace(
        [property: JsonPropertyName("Old")] ModVersion Old,
        [property: JsonPropertyName("New")] ModVersion New);

    private sealed record ModEditJson(
        [property: JsonPropertyName("Module")] ModVersion? Module,
        [property: JsonPropertyName("Go")] string? Go,
        [property: JsonPropertyName("Replace")] IReadOnlyList<ModReplace>? Replace);

    private sealed record WorkUseJson([property: JsonPropertyName("DiskPath")] string DiskPath);

    private sealed record WorkEditJson(
        [property: JsonPropertyName("Use")] IReadOnlyList<WorkUseJson>? Use,
        [property: JsonPropertyName("Replace")] IReadOnlyList<ModReplace>? Replace);
}
