using Liaison.Host.Storage;

namespace Liaison.Host.Cli;

/// <summary>
/// `Liaison.Host` with no verb serves the web application. Verbs for operators:
///   migrate                  apply pending database migrations and exit
///   workflow validate FILE   check a native or Elsa 3 workflow file; problems on stderr
///   workflow run FILE        run a workflow file in memory on a virtual clock; lines, then its status
///   analyse TEXT | --jsonl FILE | --evaluate [FILE]   the analysis: proposed units, field, similar items (AnalyseCommand)
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
                "analyse" or "analyze" => await AnalyseAsync(args[1..]),
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

    // Minimal parsing for the analyse verb (System.CommandLine replaces this parser on the cli branch);
    // "--Setting=Value" arguments go to the configuration as for the web application.
    private static async Task<int> AnalyseAsync(string[] args)
    {
        var settings = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray();
        var rest = args.Except(settings).ToList();
        var verbose = rest.Remove("--verbose");
        if (rest.IndexOf("--evaluate") is >= 0 and var e)
        {
            return await AnalyseCommand.RunEvaluationAsync(e + 1 < rest.Count ? rest[e + 1] : null, verbose, Console.Out, Console.Error);
        }

        if (rest.IndexOf("--jsonl") is >= 0 and var j)
        {
            return j + 1 < rest.Count ? await AnalyseCommand.RunJsonLinesAsync(rest[j + 1], settings, Console.Out, Console.Error) : Usage(2, "analyse --jsonl needs a FILE.");
        }

        return rest.Count == 1 && !rest[0].StartsWith('-')
            ? await AnalyseCommand.RunTextAsync(rest[0], settings, Console.Out, Console.Error)
            : Usage(2, "analyse needs one TEXT (quote it), --jsonl FILE or --evaluate [FILE].");
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
        writer.WriteLine("       Liaison.Host analyse \"TEXT\" | --jsonl FILE | --evaluate [FILE] [--verbose]");
        writer.WriteLine("  (no command)            run the web application");
        writer.WriteLine("  migrate                 apply pending database migrations and exit");
        writer.WriteLine("  workflow validate FILE  check a native or Elsa 3 workflow file: prints \"valid\" (exit 0)");
        writer.WriteLine("                          or every problem on stderr, one per line (exit 1)");
        writer.WriteLine("  workflow run FILE       run the file in memory, firing timers on a virtual clock: prints each");
        writer.WriteLine("                          WriteLine text, then \"status: <Finished|Suspended|Faulted|Cancelled>\"");
        writer.WriteLine("                          (exit 0 when it ran, 1 with the problems when the file is invalid)");
        writer.WriteLine("  analyse \"TEXT\"          proposed handling units, best first, one per line (name, score, reason); then the");
        writer.WriteLine("                          field and the similar items, on the configured database");
        writer.WriteLine("  analyse --jsonl FILE    one JSON line per input line {\"title\",\"summary\"}: {\"units\":[...],\"field\":...,\"similar\":[...]}");
        writer.WriteLine("  analyse --evaluate [FILE]  top-1/top-3 unit accuracy on the held-out part of the labelled set and");
        writer.WriteLine("                          near-duplicate precision/recall (default eval/analysis/suggestions.jsonl)");
        return exitCode;
    }
}
