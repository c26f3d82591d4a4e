using System.Text.Json;
using System.Text.Json.Nodes;

namespace GoBuildRules.Reporting;

/// <summary>
/// SARIF comes out of a template, so it is parsed and checked before anything is written: it must
/// be JSON, and it must carry what GitHub code scanning needs (docs/report-json.md lists it). A
/// failure names the first few problems on one line.
/// </summary>
public static class SarifCheck
{
    private static readonly HashSet<string> Levels = ["none", "note", "warning", "error"];

    /// <summary>Parses, checks and re-indents the template's output.</summary>
    public static string Normalise(string output, string templateName)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(output, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new TemplateException($"{templateName}: the SARIF output is not valid JSON (line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}): {e.Message.Split(" LineNumber")[0]}");
        }

        var problems = Problems(root);
        if (problems.Count > 0)
        {
            var shown = string.Join("; ", problems.Take(3));
            throw new TemplateException($"{templateName}: the SARIF output is incomplete: {shown}{(problems.Count > 3 ? $" (and {problems.Count - 3} more)" : "")}");
        }

        return ReportJson.Write(root!) + "\n";
    }

    public static IReadOnlyList<string> Problems(JsonNode? root)
    {
        var p = new List<string>();
        if (root is not JsonObject log)
        {
            return ["the document is not a JSON object"];
        }

        if (Str(log["version"]) != "2.1.0") p.Add("version must be \"2.1.0\"");
        if (log["runs"] is not JsonArray runs || runs.Count == 0)
        {
            p.Add("runs must hold at least one run");
            return p;
        }

        for (var r = 0; r < runs.Count; r++)
        {
            CheckRun(runs[r] as JsonObject, $"runs[{r}]", p);
        }

        return p;
    }

    private static void CheckRun(JsonObject? run, string at, List<string> p)
    {
        if (run is null)
        {
            p.Add($"{at} is not an object");
            return;
        }

        var driver = run["tool"]?["driver"] as JsonObject;
        if (driver is null)
        {
            p.Add($"{at}.tool.driver is missing");
            return;
        }

        foreach (var field in new[] { "name", "semanticVersion", "informationUri" })
        {
            if (string.IsNullOrWhiteSpace(Str(driver[field]))) p.Add($"{at}.tool.driver.{field} is missing");
        }

        var components = new List<JsonObject> { driver };
        if (run["tool"]?["extensions"] is JsonArray extensions)
        {
            components.AddRange(extensions.OfType<JsonObject>());
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < components.Count; c++)
        {
            var where = c == 0 ? $"{at}.tool.driver" : $"{at}.tool.extensions[{c - 1}]";
            if (string.IsNullOrWhiteSpace(Str(components[c]["name"]))) p.Add($"{where}.name is missing");
            if (components[c]["rules"] is not JsonArray rules)
            {
                p.Add($"{where}.rules is missing");
                continue;
            }

            for (var i = 0; i < rules.Count; i++)
            {
                CheckRule(rules[i] as JsonObject, $"{where}.rules[{i}]", ids, p);
            }
        }

        if (run["results"] is not JsonArray results)
        {
            p.Add($"{at}.results is missing");
        }
        else
        {
            for (var i = 0; i < results.Count; i++)
            {
                CheckResult(results[i] as JsonObject, $"{at}.results[{i}]", components, p);
            }
        }

        if (run["invocations"] is not JsonArray { Count: > 0 } invocations || invocations[0]?["executionSuccessful"] is not JsonValue success || success.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            p.Add($"{at}.invocations[0].executionSuccessful is missing");
        }

        if (string.IsNullOrWhiteSpace(Str(run["automationDetails"]?["id"]))) p.Add($"{at}.automationDetails.id is missing");
    }

    private static void CheckRule(JsonObject? rule, string at, HashSet<string> ids, List<string> p)
    {
        if (rule is null)
        {
            p.Add($"{at} is not an object");
            return;
        }

        var id = Str(rule["id"]);
        if (string.IsNullOrWhiteSpace(id)) p.Add($"{at}.id is missing");
        else if (!ids.Add(id)) p.Add($"{at}.id {id} is not unique");
        foreach (var path in new[] { "name", "shortDescription.text", "fullDescription.text", "help.text", "help.markdown", "helpUri", "defaultConfiguration.level" })
        {
            if (string.IsNullOrWhiteSpace(Str(Get(rule, path)))) p.Add($"{at}.{path} is missing");
        }

        if (Str(Get(rule, "defaultConfiguration.level")) is { } level && !Levels.Contains(level)) p.Add($"{at}.defaultConfiguration.level {level} is not a SARIF level");
        if (Get(rule, "properties.tags") is not JsonArray tags) p.Add($"{at}.properties.tags is missing");
        else if (tags.Select(Str).Distinct(StringComparer.Ordinal).Count() != tags.Count) p.Add($"{at}.properties.tags are not unique");
    }

    private static void CheckResult(JsonObject? result, string at, List<JsonObject> components, List<string> p)
    {
        if (result is null)
        {
            p.Add($"{at} is not an object");
            return;
        }

        var ruleId = Str(result["ruleId"]);
        if (string.IsNullOrWhiteSpace(ruleId)) p.Add($"{at}.ruleId is missing");
        var component = Int(Get(result, "rule.toolComponent.index")) is { } ci ? ci + 1 : 0;
        var index = Int(Get(result, "rule.index"));
        if (index is null)
        {
            p.Add($"{at}.rule.index is missing");
        }
        else if (component >= components.Count || components[component]["rules"] is not JsonArray rules || index < 0 || index >= rules.Count || Str(rules[index.Value]?["id"]) != ruleId)
        {
            p.Add($"{at}.rule does not point at rule {ruleId}");
        }

        if (Str(result["level"]) is not { } level || !Levels.Contains(level)) p.Add($"{at}.level is missing or not a SARIF level");
        if (string.IsNullOrWhiteSpace(Str(Get(result, "message.text")))) p.Add($"{at}.message.text is empty");
        if (result["locations"] is not JsonArray { Count: > 0 } locations)
        {
            p.Add($"{at}.locations is empty");
        }
        else
        {
            var uri = Str(Get(locations[0]!, "physicalLocation.artifactLocation.uri"));
            if (string.IsNullOrWhiteSpace(uri)) p.Add($"{at}.locations[0] has no artifactLocation.uri");
            else if (uri.StartsWith('/') || uri.Contains("://", StringComparison.Ordinal) || !Uri.IsWellFormedUriString(uri, UriKind.Relative)) p.Add($"{at}.locations[0] uri {uri} is not a relative URI reference");
            if (Int(Get(locations[0]!, "physicalLocation.region.startLine")) is not > 0) p.Add($"{at}.locations[0] has no region.startLine");
        }

        if (string.IsNullOrWhiteSpace(Str(Get(result, "partialFingerprints.primaryLocationLineHash")))) p.Add($"{at}.partialFingerprints.primaryLocationLineHash is missing");
    }

    private static JsonNode? Get(JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var part in path.Split('.'))
        {
            current = current is JsonObject o ? o[part] : null;
        }

        return current;
    }

    private static string? Str(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static int? Int(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i : null;
}
