namespace Liaison.Host;

/// <summary>
/// Where the web application finds appsettings.json, wwwroot and its default data folder. ASP.NET Core would
/// take the working directory, but that is the caller's (command-line paths are relative to it, and
/// `dotnet run --project src/Host` keeps it: see EnableDefaultRunWorkingDirectory in the project file), so the
/// content root is pinned to where the application's files are instead.
/// </summary>
public static class HostContentRoot
{
    private const string ProjectFile = "Liaison.Host.csproj";

    /// <summary>
    /// Null when `--contentRoot` or ASPNETCORE_CONTENTROOT/DOTNET_CONTENTROOT says (ASP.NET Core applies it);
    /// the project folder (src/Host) when running from its own build output, as `dotnet run` does;
    /// otherwise the folder of the binaries, so a published Host can be started from any directory.
    /// </summary>
    public static string? Default(string[] args)
    {
        var given = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()[HostDefaults.ContentRootKey];
        return string.IsNullOrEmpty(given) ? FromBinaries(AppContext.BaseDirectory) : null;
    }

    internal static string FromBinaries(string binaries)
    {
        for (var folder = new DirectoryInfo(binaries); folder?.Parent is { } parent; folder = parent)
        {
            if (folder.Name == "bin" && File.Exists(Path.Combine(parent.FullName, ProjectFile)))
            {
                return parent.FullName;
            }
        }

        return binaries;
    }
}
