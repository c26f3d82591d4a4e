namespace GoBuildRules.Rules.Network.Rules;

/// <summary>Module hosts everyone fetches from: patterns that cover them are too broad for private-module settings.</summary>
internal static class PublicHosts
{
    public static readonly IReadOnlyList<string> Samples =
    [
        "github.com/golang/go", "golang.org/x/net", "google.golang.org/grpc", "gopkg.in/yaml.v3", "gitlab.com/gitlab-org/api",
        "bitbucket.org/team/repo", "go.uber.org/zap", "k8s.io/client-go", "sigs.k8s.io/yaml", "cloud.google.com/go", "go.opentelemetry.io/otel",
    ];

    private static readonly HashSet<string> Hosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "github.com", "gitlab.com", "bitbucket.org", "golang.org", "google.golang.org", "gopkg.in", "go.uber.org", "k8s.io",
        "sigs.k8s.io", "cloud.google.com", "go.opentelemetry.io", "go.etcd.io", "honnef.co", "mvdan.cc", "gotest.tools",
        "go.mongodb.org", "gorm.io", "modernc.org", "filippo.io", "lukechampine.com", "go.starlark.net", "codeberg.org",
        "gitee.com", "dario.cat", "tailscale.com", "nhooyr.io", "storj.io", "howett.net", "rsc.io", "go.step.sm",
    };

    private static readonly string[] InternalSuffixes = [".local", ".internal", ".corp", ".lan", ".intranet", ".intra", ".home.arpa", ".private", ".localdomain", ".test"];

    private static readonly string[] VcsHostPrefixes = ["git.", "gitlab.", "github.", "gitea.", "bitbucket.", "stash.", "scm.", "code.", "source.", "vcs.", "repo.", "repos.", "dev."];

    /// <summary>Module proxies run for everyone: they can only serve public modules.</summary>
    private static readonly HashSet<string> PublicProxies = new(StringComparer.OrdinalIgnoreCase)
    {
        "proxy.golang.org", "goproxy.io", "goproxy.cn", "proxy.golang.com.cn", "mirrors.aliyun.com", "goproxy.baidu.com", "mirrors.tencent.com",
    };

    public static string HostOf(string modulePath) => modulePath.Split('/')[0];

    /// <summary>A GOPROXY entry that is a public proxy (a private module sent there is disclosed and not found).</summary>
    public static bool IsPublicProxy(string proxyUrl) =>
        Uri.TryCreate(proxyUrl, UriKind.Absolute, out var u) && PublicProxies.Contains(u.Host);

    public static bool IsPublic(string modulePath) => Hosts.Contains(HostOf(modulePath));

    /// <summary>
    /// A module path that looks private: its host is not a public code host and is an internal name
    /// (no dot, an internal suffix, an IP address) or a company's own code server (git.example.com,
    /// gitlab.example.com, github.example.com…).
    /// </summary>
    public static bool LooksPrivate(string modulePath)
    {
        var host = HostOf(modulePath).ToLowerInvariant();
        if (Hosts.Contains(host)) return false;
        if (!host.Contains('.')) return true;
        if (System.Net.IPAddress.TryParse(host.Split(':')[0], out _)) return true;
        if (InternalSuffixes.Any(s => host.EndsWith(s, StringComparison.Ordinal))) return true;
        return VcsHostPrefixes.Any(p => host.StartsWith(p, StringComparison.Ordinal));
    }
}
