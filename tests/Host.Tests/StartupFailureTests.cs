using System.Diagnostics;
using Liaison.Testing;

namespace Liaison.Host.Tests;

/// <summary>Runs the real Host executable with bad settings: one clear line naming the setting, no stack trace.</summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task Unknown_provider_stops_start_up_with_one_clear_message()
    {
        var (exitCode, stderr) = await RunHostAsync("--Liaison:Database:Provider=Oracle");

        Assert.Equal(1, exitCode);
        Assert.Contains("Configuration error in 'Liaison:Database:Provider'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_time_zone_stops_start_up_with_one_clear_message()
    {
        var (exitCode, stderr) = await RunHostAsync("--Liaison:TimeZone=Mars/Olympus");

        Assert.Equal(1, exitCode);
        Assert.Contains("Configuration error in 'Liaison:TimeZone'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_postgres_stops_start_up_with_one_clear_message()
    {
        var (exitCode, stderr) = await RunHostAsync(
            "--Liaison:Database:Provider=PostgreSql",
            $"--ConnectionStrings:Liaison={PostgresServer.UnreachableConnectionString()}");

        Assert.Equal(1, exitCode);
        Assert.Contains("Configuration error in 'ConnectionStrings:Liaison'", stderr, StringComparison.Ordinal);
        Assert.Contains("cannot connect to PostgreSQL (127.0.0.1:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_verb_applies_every_migration_and_exits()
    {
        var folder = Directory.CreateTempSubdirectory("liaison-migrate-").FullName;
        var (exitCode, stderr) = await RunHostAsync("migrate", $"--Liaison:DataDirectory={folder}");

        Assert.True(exitCode == 0, stderr);
        Assert.True(File.Exists(Path.Combine(folder, "liaison.db")));
        await using var db = Liaison.Domain.Persistence.LiaisonDbContextFactory.Create(
            Liaison.Domain.Persistence.DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "liaison.db")}");
        Assert.Empty(await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetPendingMigrationsAsync(db.Database));
        await using var engine = Liaison.Workflows.Persistence.WorkflowsDbContextFactory.Create(
            Liaison.Domain.Persistence.DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "liaison.db")}");
        Assert.Empty(await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetPendingMigrationsAsync(engine.Database));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<(int ExitCode, string Stderr)> RunHostAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Liaison.Host.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.ArgumentList.Add("--urls=http://127.0.0.1:0");

        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stderr);
    }
}
