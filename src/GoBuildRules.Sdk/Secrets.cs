using System.Text.RegularExpressions;

namespace GoBuildRules.Sdk;

/// <summary>
/// Redaction applied where facts are collected, so no secret reaches a snapshot or a report.
/// Pack collectors call it on anything they read from the environment or from config files.
/// </summary>
public static partial class Secrets
{
    public const string Mask = "REDACTED";

    private static readonly string[] SecretNameParts =
        ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASSPHRASE", "KEY", "CREDENTIAL", "AUTH", "COOKIE", "SESSION", "PRIVATE_KEY", "_PAT"];

    private static readonly HashSet<string> NotSecretNames = new(StringComparer.OrdinalIgnoreCase)
    {
        // Go and SSH variables whose names match a secret word but whose values are not secrets.
        "GOSUMDB", "SSH_AUTH_SOCK", "GOAUTH", "KEYCHAIN",
    };

    /// <summary>True for variable names whose values are credentials (tokens, passwords, keys, cloud credentials).</summary>
    public static bool IsSecretName(string name) =>
        !NotSecretNames.Contains(name) &&
        SecretNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value to store for a variable: masked whole for secret names, credentials stripped otherwise.</summary>
    public static string RedactVariable(string name, string value) =>
        IsSecretName(name) ? (value.Length == 0 ? "" : Mask) : Redact(value);

    /// <summary>
    /// Strips credentials from free text: userinfo in URLs (https://user:pass@host, also inside
    /// comma lists such as GOPROXY), tokens in URL query strings (?token=, &amp;sig=) and paths
    /// (/key/…, /token/…), name=value pairs whose name says secret (flags in GOFLAGS), the values
    /// of `-X name=value` linker assignments (build-time secrets are injected that way), git's
    /// http.extraHeader and Authorization header values, and bearer / basic authorization values.
    /// Names are kept, so a reader still sees what was set.
    /// </summary>
    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = UrlUserInfo().Replace(text, m => m.Groups["scheme"].Value + Mask + "@");
        text = ExtraHeader().Replace(text, m => m.Groups["head"].Value + Mask);
        text = AuthorizationHeader().Replace(text, m => m.Groups["head"].Value + Mask);
        text = LinkerAssignment().Replace(text, m => m.Groups["head"].Value + Mask);
        text = UrlQuerySecret().Replace(text, m => m.Groups["head"].Value + Mask);
        text = UrlPathSecret().Replace(text, m => m.Groups["head"].Value + Mask);
        text = SecretAssignment().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Mask);
        text = AuthorizationValue().Replace(text, m => m.Groups["kind"].Value + " " + Mask);
        return text;
    }

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?<userinfo>[^/@\s,|""']+)@")]
    private static partial Regex UrlUserInfo();

    [GeneratedRegex(@"(?<name>[A-Za-z0-9_.\-]*(?:token|secret|passw(?:or)?d|passphrase|api[_\-]?key|access[_\-]?key|private[_\-]?key|credential)[A-Za-z0-9_.\-]*)(?<sep>\s*[=:]\s*)(?<value>""[^""]*""|'[^']*'|[^\s,;""']+)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretAssignment();

    /// <summary>git config http.extraHeader (also per URL, also in GIT_CONFIG_PARAMETERS): the header's value, whatever its name.</summary>
    [GeneratedRegex(@"(?<head>extraheader['""]?\s*[=:]?\s*['""]?\s*[A-Za-z0-9_\-]+\s*:\s*)(?<value>[^'""\r\n]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ExtraHeader();

    [GeneratedRegex(@"(?<head>\b(?:proxy-)?authorization['""]?\s*[:=]\s*['""]?)(?!REDACTED)(?<value>[^'""\r\n,;]+)", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationHeader();

    /// <summary>`-X importpath.name=value` (also `-X=…`) as in -ldflags, GOFLAGS and process command lines.</summary>
    [GeneratedRegex(@"(?<head>(?<=^|[\s'""=])-X(?:\s+|=)['""]?[^\s=""']+=)(?<value>""[^""]*""|'[^']*'|[^\s""']*)")]
    private static partial Regex LinkerAssignment();

    [GeneratedRegex(@"(?<head>[?&][A-Za-z0-9_.\-]*(?:token|key|sig|signature|secret|passw(?:or)?d|pwd|auth|credential|session|code)[A-Za-z0-9_.\-]*=)(?<value>[^&#\s,|""']+)", RegexOptions.IgnoreCase)]
    private static partial Regex UrlQuerySecret();

    [GeneratedRegex(@"(?<head>/(?:api[_\-]?)?(?:key|keys|token|tokens|secret|secrets|auth|access[_\-]?token|password)/)(?<value>[^/?#\s,|""']+)", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPathSecret();

    [GeneratedRegex(@"(?<kind>\b(?:Bearer|Basic|token))\s+[A-Za-z0-9._~+/=\-]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationValue();
}
