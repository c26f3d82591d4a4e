using System.Text.Json;

namespace GoBuildRules.Core.IO;

/// <summary>
/// Resolves System.Text.Json contracts ahead of their first use. On first use a contract is mostly
/// JIT-compiled reflection code (a converter and accessors per type), which the scan can pay on an idle
/// core while it waits for something else (go, the collectors) instead of on its critical path.
/// </summary>
public static class JsonContracts
{
    /// <summary>The contracts of <paramref name="roots"/> and of every type their properties, elements and keys reach.</summary>
    public static void Resolve(JsonSerializerOptions options, params Type[] roots)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(roots);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            System.Text.Json.Serialization.Metadata.JsonTypeInfo info;
            try
            {
                info = options.GetTypeInfo(type);
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
            {
                // Only an optimisation: the first real use meets the same problem and reports it where it belongs.
                continue;
            }

            foreach (var property in info.Properties)
            {
                pending.Push(property.PropertyType);
            }

            if (info.ElementType is { } element)
            {
                pending.Push(element);
            }

            if (info.KeyType is { } key)
            {
                pending.Push(key);
            }
        }
    }
}
