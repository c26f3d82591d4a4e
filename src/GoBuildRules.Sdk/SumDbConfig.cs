using System.Text.RegularExpressions;

namespace GoBuildRules.Sdk;

public enum SumDbMode
{
    On,
    Off,
    Malformed,
}

/// <param name="Name">The database name (host[/path]) the verifier key names.</param>
/// <param name="ExplicitUrl">The URL after the key, which bypasses GOPROXY; credentials redacted.</param>
public sealed partial record SumDbConfig(string Raw, SumDbMode Mode, string? Name, string? ExplicitUrl, string? Error)
{
    public const string Default = "sum.golang.org";

    // cmd/go carries the keys of these databases, so their bare names are enough.
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "sum.golang.org" };

    /// <summary>
    /// Parses GOSUMDB as cmd/go's modfetch.dbDial: "off"; a known name; "name+hash+key"; either
    /// followed by the URL to reach it. "sum.golang.google.cn" is the Chinese mirror of sum.golang.org.
    /// </summary>
    public static SumDbConfig Parse(string? value)
    {
        var raw = string.IsNullOrEmpty(value) ? Default : value;
        var text = raw == "sum.golang.google.cn" ? "sum.golang.org https://sum.golang.google.cn" : raw;
        if (text == "off")
        {
            return new SumDbConfig(raw, SumDbMode.Off, null, null, null);
        }

        var fields = text.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0)
        {
            return Malformed(raw, "missing GOSUMDB");
        }

        if (fields.Length > 2)
        {
            return Malformed(raw, "invalid GOSUMDB: too many fields");
        }

        string name;
        if (Known.Contains(fields[0]))
        {
            name = fields[0];
        }
        else
        {
            var verifier = Verifier().Match(fields[0]);
            if (!verifier.Success)
            {
                return Malformed(raw, $"invalid GOSUMDB: malformed verifier id (want name+hash+key, or a known database name such as {Default}): {fields[0]}");
            }

            byte[] keyBytes;
            try
            {
                keyBytes = Convert.FromBase64String(verifier.Groups["key"].Value);
            }
            catch (FormatException)
            {
                return Malformed(raw, "invalid GOSUMDB: malformed verifier id (the key is not base64)");
            }

            if (keyBytes.Length != 33 || keyBytes[0] != 1)
            {
                return Malformed(raw, "invalid GOSUMDB: unknown verifier algorithm or key length (want an Ed25519 key)");
            }

            name = verifier.Groups["name"].Value;
        }

        if (name.EndsWith('/') || !Uri.TryCreate("https://" + name, UriKind.Absolute, out var direct) || direct.Host.Length == 0
            || name.Contains('?') || name.Contains('#') || name.Contains('@') || name.Contains(' '))
        {
            return Malformed(raw, $"invalid sumdb name (must be host[/path]): {name}");
        }

        string? url = null;
        if (fields.Length == 2)
        {
            if (!Uri.TryCreate(fields[1], UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https" or "file"))
            {
                return Malformed(raw, $"invalid GOSUMDB URL: {fields[1]}") with { Name = name };
            }

            url = fields[1].TrimEnd('/');
        }

        return new SumDbConfig(raw, SumDbMode.On, name, url, null);
    }

    private static SumDbConfig Malformed(string raw, string error) => new(raw, SumDbMode.Malformed, null, null, error);

    // golang.org/x/mod/sumdb/note.NewVerifier: name+hash(8 hex)+base64 key; the name has no '+' or space.
    [GeneratedRegex(@"^(?<name>[^+\s]+)\+(?<hash>[0-9a-fA-F]{8})\+(?<key>[A-Za-z0-9+/=]+)$")]
    private static partial Regex Verifier();
}
