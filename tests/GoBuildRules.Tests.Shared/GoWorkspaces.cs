namespace GoBuildRules.Tests.Shared;

/// <summary>Go workspace layouts several test assemblies build on disk.</summary>
public static class GoWorkspaces
{
    /// <summary>ROOT/ws/go.work using ./svc, a module of one main package; returns svc, where go runs in workspace mode.</summary>
    public static string WithOneModule(string root)
    {
        var parent = Path.Combine(root, "ws");
        var module = Path.Combine(parent, "svc");
        Directory.CreateDirectory(module);
        File.WriteAllText(Path.Combine(parent, "go.work"), "go 1.19\n\nuse ./svc\n");
        File.WriteAllText(Path.Combine(module, "go.mod"), "module example.com/svc\n\ngo 1.19\n");
        File.WriteAllText(Path.Combine(module, "main.go"), "package main\n\nfunc main() {}\n");
        return module;
    }
}
