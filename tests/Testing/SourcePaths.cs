namespace Liaison.Testing;

/// <summary>Finds folders of the repository from a test's output folder.</summary>
public static class SourcePaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Liaison.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"Liaison.sln not found above {AppContext.BaseDirectory}.");
    });

    public static string Repository => Root.Value;

    public static string HostProject => Path.Combine(Repository, "src", "Host");

    public static string WorkflowsJson => Path.Combine(Repository, "workflows-json");
}
