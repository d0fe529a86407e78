using System.CommandLine;

using Liaison.Host.Storage;

namespace Liaison.Host.Cli;

/// <summary>`migrate`: apply pending database migrations to the configured database and exit.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply pending database migrations to the configured database and exit. " +
            "Settings pass through as for the web application, e.g. --Liaison:DataDirectory=/srv/liaison.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((parsed, cancellationToken) => MigrateAsync([.. parsed.UnmatchedTokens], parsed.InvocationConfiguration.Output, cancellationToken));
        return command;
    }

    private static async Task<int> MigrateAsync(string[] settings, TextWriter stdout, CancellationToken cancellationToken)
    {
        await using var app = LiaisonApp.Build(settings);
        var storage = app.Services.GetRequiredService<StorageOptions>();
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        await stdout.WriteLineAsync($"Migrations applied to {storage.Describe()}.");
        return ExitCodes.Ok;
    }
}
