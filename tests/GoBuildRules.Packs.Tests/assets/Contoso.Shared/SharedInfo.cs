namespace Contoso.Shared;

public static class SharedInfo
{
    /// <summary>Which build of this library is loaded: its assembly version follows the package version.</summary>
    public static string Describe() => "Contoso.Shared " + typeof(SharedInfo).Assembly.GetName().Version;
}
