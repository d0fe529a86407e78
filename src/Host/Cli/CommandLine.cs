using Liaison.Host.Storage;

namespace Liaison.Host.Cli;

/// <summary>
/// `Liaison.Host` with no verb serves the web application. Verbs for operators:
///   migrate                  apply pending database migrations and exit
///   workflow validate FILE   check a native or Elsa 3 workflow file; problems on stderr
///   workflow run FILE        run a workflow file in memory on a virtual clock; lines, then its status
/// The workflow verbs never build the web application: no database, no Hangfire.
/// </summary>
public static class CommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : null;
            return verb switch
            {
                null => await ServeAsync(args),
                "migrate" => await MigrateAsync(args[1..]),
                "workflow" => WorkflowCommands.Run(args[1..], Console.Out, Console.Error),
                "help" or "--help" => Usage(0),
                _ => Usage(2, $"Unknown command '{verb}'."),
            };
        }
        catch (StartupConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"Liaison cannot start. {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> ServeAsync(string[] args)
    {
        await using var app = LiaisonApp.Build(args);
        await LiaisonApp.PrepareAsync(app);
        await app.StartAsync();
        foreach (var address in app.Urls)
        {
            Console.WriteLine($"Liaison 已启动 / is running at {address}");
        }

        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task<int> MigrateAsync(string[] args)
    {
        await using var app = LiaisonApp.Build(args);
        var storage = app.Services.GetRequiredService<StorageOptions>();
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        Console.WriteLine($"Migrations applied to {storage.Describe()}.");
        return 0;
    }

    internal static int Usage(int exitCode, string? problem = null)
    {
        var writer = exitCode == 0 ? Console.Out : Console.Error;
        if (problem is not null)
        {
            writer.WriteLine(problem);
        }

        writer.WriteLine("Usage: Liaison.Host [migrate] [--Setting=Value ...]");
        writer.WriteLine("       Liaison.Host workflow validate|run FILE");
        writer.WriteLine("  (no command)            run the web application");
        writer.WriteLine("  migrate                 apply pending database migrations and exit");
        writer.WriteLine("  workflow validate FILE  check a native or Elsa 3 workflow file: prints \"valid\" (exit 0)");
        writer.WriteLine("                          or every problem on stderr, one per line (exit 1)");
        writer.WriteLine("  workflow run FILE       run the file in memory, firing timers on a virtual clock: prints each");
        writer.WriteLine("                          WriteLine text, then \"status: <Finished|Suspended|Faulted|Cancelled>\"");
        writer.WriteLine("                          (exit 0 when it ran, 1 with the problems when the file is invalid)");
        return exitCode;
    }
}
