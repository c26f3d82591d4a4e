namespace GoBuildRules.Rules.Ide;

/// <summary>
/// The settings of a VS Code file as VS Code applies them: a workspace file's "settings" and
/// "launch" members are read like settings.json and launch.json.
/// </summary>
internal static class Settings
{
    /// <summary>Every value with its path relative to the settings (or launch) root.</summary>
    public static IEnumerable<(IReadOnlyList<string> Setting, SettingValue Value)> Normalised(SettingsFile file)
    {
        foreach (var v in file.Values)
        {
            if (file.Kind == "workspace")
            {
                if (v.Path.Count > 1 && v.Path[0] is "settings" or "launch")
                {
                    yield return (v.Path.Skip(1).ToList(), v);
                }
            }
            else
            {
                yield return (v.Path, v);
            }
        }
    }

    /// <summary>The value of a top-level setting and its children, in settings.json and workspace files.</summary>
    public static IEnumerable<(SettingsFile File, IReadOnlyList<string> Setting, SettingValue Value)> All(IdeFacts facts) =>
        facts.VsCode.Where(f => f.Kind != "launch").SelectMany(f => Normalised(f).Where(x => f.Kind == "settings" || x.Value.Path[0] == "settings").Select(x => (f, x.Setting, x.Value)));

    /// <summary>launch configurations from launch.json and a workspace file's "launch".</summary>
    public static IEnumerable<(SettingsFile File, IReadOnlyList<string> Setting, SettingValue Value)> Launch(IdeFacts facts) =>
        facts.VsCode.Where(f => f.Kind != "settings").SelectMany(f => Normalised(f).Where(x => f.Kind == "launch" || x.Value.Path[0] == "launch").Select(x => (f, x.Setting, x.Value)));

    public static (SettingsFile File, SettingValue Value)? Find(IdeFacts facts, params string[] path)
    {
        foreach (var (file, setting, value) in All(facts))
        {
            if (setting.SequenceEqual(path))
            {
                return (file, value);
            }
        }

        return null;
    }

    /// <summary>The items of an array setting.</summary>
    public static IReadOnlyList<string> Items(IdeFacts facts, params string[] path) =>
        All(facts).Where(x => x.Setting.Count == path.Length + 1 && x.Setting.Take(path.Length).SequenceEqual(path) && x.Value.Text is not null)
            .Select(x => x.Value.Text!).ToList();
}
