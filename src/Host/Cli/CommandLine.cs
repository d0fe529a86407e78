using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Liaison.Host.Cli;

/// <summary>
/// The command line of `Liaison.Host`, parsed by System.CommandLine (help, errors and completions come with it).
/// With no command it serves the web application and hands every argument, untouched, to the ASP.NET Core
/// builder (`--urls URL`, `--Setting=Value`). Each verb is one class that builds its <see cref="Command"/>;
/// add a new one to <see cref="Verbs"/>. Help, version and usage errors never build the web application.
/// </summary>
public static class CommandLine
{
    /// <summary>Every verb of the command line, each built by its own class.</summary>
    private static IEnumerable<Command> Verbs() => [MigrateCommand.Create(), WorkflowCommand.Create(), AnalyseVerb.Create()];

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = CreateRoot(args);
        var parsed = root.Parse(args);
        if (UsageProblems(parsed, args) is { Count: > 0 } problems)
        {
            return Usage(root, parsed, problems, stderr);
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                // Our own handlers decide what a user sees; the web host handles Ctrl+C and SIGTERM itself.
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (StartupConfigurationException ex)
        {
            await stderr.WriteLineAsync($"Liaison cannot start. {ex.Message}");
            return ExitCodes.Failed;
        }
    }

    private static RootCommand CreateRoot(string[] args)
    {
        var root = new RootCommand(
            "Liaison · 代表建议办理系统. With no command, serves the web application; ASP.NET Core and Liaison " +
            "settings pass through to it, e.g. --urls http://0.0.0.0:8080 or --Liaison:Demo:Enabled=false.")
        {
            // Settings for the web application are not ours to reject; an unknown command is caught in UsageProblems.
            TreatUnmatchedTokensAsErrors = false,
        };
        foreach (var verb in Verbs())
        {
            root.Add(verb);
        }

        root.SetAction((_, cancellationToken) => ServeAsync(args, cancellationToken));
        return root;
    }

    private static async Task<int> ServeAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var app = LiaisonApp.Build(args);
        await LiaisonApp.PrepareAsync(app);
        await app.StartAsync(cancellationToken);
        foreach (var address in app.Urls)
        {
            Console.WriteLine($"Liaison 已启动 / is running at {address}");
        }

        await app.WaitForShutdownAsync(CancellationToken.None);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Parse errors, plus an unknown command: the root lets settings through, so a first argument that is
    /// neither an option nor a Key=Value setting and matched nothing is a command we do not have.
    /// </summary>
    private static List<string> UsageProblems(ParseResult parsed, string[] args)
    {
        if (parsed.Action is CommandLineAction { ClearsParseErrors: true })
        {
            return []; // --help, --version, [suggest]: they answer whatever else was typed
        }

        var problems = parsed.Errors.Select(e => e.Message).ToList();
        var command = parsed.CommandResult.Command;
        if (command.TreatUnmatchedTokensAsErrors)
        {
            // The root lets settings through, and System.CommandLine then reports no stray token below it either.
            problems.InsertRange(0, parsed.UnmatchedTokens.Select(token => $"Unrecognized command or argument '{token}'."));
        }
        else if (command is RootCommand
            && parsed.UnmatchedTokens.Count > 0
            && args.Length > 0
            && parsed.UnmatchedTokens[0] == args[0]
            && !args[0].StartsWith('-') && !args[0].StartsWith('/') && !args[0].Contains('=', StringComparison.Ordinal))
        {
            problems.Insert(0, $"Unknown command '{args[0]}'.");
        }

        return problems;
    }

    /// <summary>The problems, then the help of the command they concern, all on stderr; exit 2.</summary>
    private static int Usage(RootCommand root, ParseResult parsed, List<string> problems, TextWriter stderr)
    {
        foreach (var problem in problems)
        {
            stderr.WriteLine(problem);
        }

        stderr.WriteLine();
        var path = new List<string> { "--help" };
        for (var command = parsed.CommandResult; command.Parent is CommandResult parent; command = parent)
        {
            path.Insert(0, command.Command.Name);
        }

        root.Parse(path).Invoke(new InvocationConfiguration { Output = stderr, Error = stderr });
        return ExitCodes.Usage;
    }
}

/// <summary>Exit codes of every verb: 0 done, 1 the input (a file, a setting) is bad, 2 the command line is.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
}
