using Cocona;
using GoBuildRules.Cli;
using GoBuildRules.Core.Collection;
using GoBuildRules.Core.Engine;
using GoBuildRules.Core.Packs;
using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// The composition root: the only place that wires services together.

// Reports never depend on the user's locale, and a locale the runtime does not know (LANG=zz)
// would otherwise abort it while it looks up its first resource string.
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.DefaultThreadCurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
// Every wait of a scan (subprocess deadlines, collector and rule budgets) resumes on the thread pool; a
// pool that starts with one thread per core and grows by about one a second under load would make
// those waits end seconds late and break the --timeout promise. Threads are cheap; late ones are not.
ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
ThreadPool.SetMinThreads(Math.Max(minWorkers, 32), minIo);
StandardStreams.Install();
using var timingTrace = TimingTrace.FromEnvironment(Console.Error);
if (GoBuildRules.Packs.PackStore.InvalidHome() is { } invalidHome)
{
    Console.Error.WriteLine($"gobuildrules: error: {invalidHome}");
    return ExitCodes.UsageOrConfigError;
}

// The generic host would watch its content root, the current folder (usually the scanned repository),
// recursively for appsettings.json changes: one inotify watch per directory, seconds spent on a large
// tree, and watches that the Vendor pack would then count as in use. The tool never reloads config.
Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");

// Cocona's --version prints one line; this one also names the SDK it hosts and the bundled packs.
if (args is ["--version"])
{
    Console.Out.Write(VersionText.Render());
    return ExitCodes.Success;
}

args = FixArguments.Normalize(args);
var builder = CoconaApp.CreateBuilder(args, options =>
{
    options.EnableShellCompletionSupport = false;
    options.TreatPublicMethodsAsCommands = false;
});
builder.Logging.ClearProviders();
builder.Services.AddSingleton<Cocona.Application.ICoconaApplicationMetadataProvider, CliMetadata>();
builder.Services.AddSingleton<Cocona.Application.ICoconaConsoleProvider, CliConsole>();
builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, CommandLifetime>();
builder.Services.AddSingleton<IProcessRunner, ProcessRunner>();
builder.Services.AddSingleton<CoreCollector>();
builder.Services.AddSingleton<SnapshotCollection>();
builder.Services.AddSingleton<RuleEvaluator>();
builder.Services.AddSingleton<PackHost>();
builder.Services.AddSingleton<PackCatalog>();
builder.Services.AddSingleton(_ => GoBuildRules.Packs.PackStore.Default());
builder.Services.AddSingleton<ScanPipeline>();
builder.Services.AddSingleton<Output>();
builder.Services.AddSingleton<GoBuildRules.Core.Fixing.FixApplier>();
builder.Services.AddSingleton<Invocation>();

var app = GoBuildRules.Core.Diagnostics.Timing.Measure("cli: build the host", builder.Build);
app.AddCommands<ScanCommands>();
app.AddCommands<WatchCommands>();
app.AddCommands<FixCommands>();
app.AddSubCommand("rules", rules => rules.AddCommands<RulesCommands>()).WithDescription(RulesCommands.Description);
app.AddSubCommand("packs", packs => packs.AddCommands<PacksCommands>()).WithDescription(PacksCommands.Description);
return await ExitCodeBridge.RunAsync(app, args);
