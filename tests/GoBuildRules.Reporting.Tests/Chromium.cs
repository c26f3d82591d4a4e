using GoBuildRules.Sdk;

namespace GoBuildRules.Reporting.Tests;

/// <summary>
/// Debian's Chromium (apt-get install chromium), driven by <see cref="DevTools"/>. The tests fail
/// (not skip) when it is missing: CI installs it.
/// </summary>
public static class Chromium
{
    public static string Path =>
        Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } custom ? custom
        : Executables.Find("chromium", Environment.GetEnvironmentVariable("PATH"))?.Path
        ?? throw new InvalidOperationException("these tests need Chromium (Debian: apt-get install -y chromium)");
}
