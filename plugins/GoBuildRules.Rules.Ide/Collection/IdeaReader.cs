using System.Xml;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Collection;

/// <summary>
/// Reads GoLand / IntelliJ project settings from .idea/*.xml with the line of each: the GOROOT
/// component, GOPATH urls, the Go modules (VgoProject) environment, proxy and vendoring switches,
/// GoLibraries options and run configurations' env entries.
/// </summary>
internal static class IdeaReader
{
    private const int MaxFiles = 50;
    private const int MaxFileBytes = 2 * 1024 * 1024;
    private const int MaxSettingsPerFile = 500;

    public static bool IsGoVariable(string name) =>
        name.StartsWith("GO", StringComparison.Ordinal) || name.StartsWith("CGO_", StringComparison.Ordinal);

    public static IReadOnlyList<IdeaFile> ReadAll(string root, Func<string, string?> environment)
    {
        var dir = Path.Combine(root, ".idea");
        if (!Directory.Exists(dir))
        {
            return [];
        }

        List<string> files;
        try
        {
            files = Directory.EnumerateFiles(dir, "*.xml").Order(StringComparer.Ordinal).Take(MaxFiles).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        return files
            .Where(f => new FileInfo(f).Length <= MaxFileBytes)
            .Select(f => Read(".idea/" + Path.GetFileName(f), File.ReadAllText(f)))
            .Where(f => f.Settings.Count > 0 || f.Error is not null)
            .ToList();
    }

    public static IdeaFile Read(string file, string xml)
    {
        var settings = new List<IdeaSetting>();
        var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
        });
        var info = (IXmlLineInfo)reader;
        // The element stack: name and, for components, their name attribute.
        var stack = new Stack<(string Element, string? Component)>();
        try
        {
            while (reader.Read() && settings.Count < MaxSettingsPerFile)
            {
                if (reader.NodeType == XmlNodeType.EndElement)
                {
                    if (stack.Count > 0) stack.Pop();
                    continue;
                }

                if (reader.NodeType == XmlNodeType.Text && stack.Count > 0)
                {
                    // <proxy>direct</proxy>, <vendoring-enabled>false</vendoring-enabled> directly inside a Go component.
                    var (element, _) = stack.Peek();
                    var component = CurrentComponent(stack);
                    if (component is "VgoProject" or "GoVendoring" && stack.Count >= 2)
                    {
                        settings.Add(new IdeaSetting(component, element, Secrets.RedactVariable(element, reader.Value.Trim()), info.LineNumber));
                    }

                    continue;
                }

                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                var name = reader.LocalName;
                var line = info.LineNumber;
                var componentName = name == "component" ? reader.GetAttribute("name") : null;
                var current = componentName ?? CurrentComponent(stack);
                if (componentName == "GOROOT" && (reader.GetAttribute("url") ?? reader.GetAttribute("path")) is { } goroot)
                {
                    settings.Add(new IdeaSetting("GOROOT", "GOROOT", Secrets.Redact(goroot), line));
                }
                else if (name == "entry" && reader.GetAttribute("key") is { } key && reader.GetAttribute("value") is { } value && current is not null)
                {
                    settings.Add(new IdeaSetting(current, key, Secrets.RedactVariable(key, value), line));
                }
                else if (name == "env" && reader.GetAttribute("name") is { } envName && reader.GetAttribute("value") is { } envValue)
                {
                    settings.Add(new IdeaSetting(current ?? "", envName, Secrets.RedactVariable(envName, envValue), line));
                }
                else if (name == "option" && current is "GoLibraries" or "GOPATH" or "VgoProject" or "GoVendoring")
                {
                    var optName = reader.GetAttribute("name");
                    var optValue = reader.GetAttribute("value");
                    if (optValue is not null)
                    {
                        settings.Add(new IdeaSetting(current!, optName ?? "url", Secrets.RedactVariable(optName ?? "url", optValue), line));
                    }
                }

                if (!reader.IsEmptyElement)
                {
                    stack.Push((name, componentName));
                }
            }
        }
        catch (XmlException e)
        {
            return new IdeaFile(file) { Settings = settings, Error = $"line {e.LineNumber}: {e.Message}" };
        }

        return new IdeaFile(file) { Settings = settings };
    }

    private static string? CurrentComponent(Stack<(string Element, string? Component)> stack) =>
        stack.FirstOrDefault(s => s.Component is not null).Component;
}
