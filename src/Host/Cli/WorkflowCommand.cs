using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;

using Liaison.Workflows.Harness;
using Liaison.Workflows.Suggestions;
using Liaison.Workflows.Validation;

namespace Liaison.Host.Cli;

/// <summary>
/// `workflow validate FILE...` and `workflow run FILE`: work on native or Elsa 3 files entirely in memory
/// (no web app, no database, no Hangfire), so designers and CI can check a definition in a second.
/// Paths are relative to the caller's working directory. A bad file is one line on stderr and exit 1.
/// </summary>
internal static class WorkflowCommand
{
    public static Command Create()
    {
        var command = new Command("workflow", "Check or run a workflow file in memory: workflow validate FILE..., workflow run FILE.");
        command.Add(CreateValidate());
        command.Add(CreateRun());
        return command;
    }

    private static Command CreateValidate()
    {
        var files = new Argument<string[]>("FILE")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "Native or Elsa 3 workflow JSON files, relative to the current directory.",
        };
        files.Validators.Add(RejectOptions);
        var command = new Command("validate",
            "Check native or Elsa 3 workflow files: \"valid\" on stdout (\"FILE: valid\" for each of several files), " +
            "or every problem on stderr, one per line. Exit 0 when every file is valid, else 1.")
        {
            files,
        };
        command.SetAction(parsed => Validate(parsed.GetRequiredValue(files), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    private static Command CreateRun()
    {
        var file = new Argument<string>("FILE") { Description = "A native or Elsa 3 workflow JSON file, relative to the current directory." };
        file.Validators.Add(RejectOptions);
        var command = new Command("run",
            "Run a workflow file in memory, firing timers on a virtual clock: each WriteLine text, then " +
            "\"status: <Finished|Suspended|Faulted|Cancelled>\". Exit 0 when it ran, 1 when the file is unreadable or invalid.")
        {
            file,
        };
        command.SetAction(parsed => RunVirtually(parsed.GetRequiredValue(file), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>An unknown option would otherwise be taken for a file name and reported as a missing file.</summary>
    private static void RejectOptions(ArgumentResult result)
    {
        foreach (var token in result.Tokens.Where(t => t.Value.Length > 1 && t.Value.StartsWith('-')))
        {
            result.AddError($"Unrecognized option '{token.Value}' (a file name that starts with '-' is written ./-name).");
        }
    }

    /// <summary>Every file gets its verdict; one file prints "valid", several prefix it with the path (as grep does).</summary>
    private static int Validate(string[] paths, TextWriter stdout, TextWriter stderr)
    {
        var exitCode = ExitCodes.Ok;
        foreach (var path in paths)
        {
            var valid = Load(path, stderr, json =>
            {
                var (_, _, problems) = WorkflowHarness.Validate(json, SuggestionActivities.CreateRegistry());
                WriteProblems(path, problems, stderr);
                return problems.Count == 0;
            });
            if (valid)
            {
                stdout.WriteLine(paths.Length == 1 ? "valid" : $"{path}: valid");
            }
            else
            {
                exitCode = ExitCodes.Failed;
            }
        }

        return exitCode;
    }

    private static int RunVirtually(string path, TextWriter stdout, TextWriter stderr)
    {
        var ran = Load(path, stderr, json =>
        {
            var result = WorkflowHarness.Run(json, new HarnessOptions { Registry = SuggestionActivities.CreateRegistry() });
            if (!result.IsValid)
            {
                WriteProblems(path, result.Problems, stderr);
                return false;
            }

            foreach (var line in result.Lines)
            {
                stdout.WriteLine(line);
            }

            if (result.State?.Fault is { } fault)
            {
                stderr.WriteLine($"{path}: faulted at {fault.ActivityId ?? "(workflow)"}: {OneLine(fault.Message)}");
            }

            stdout.WriteLine($"status: {result.Status}");
            return true;
        });
        return ran ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>Reads the file and hands its text to <paramref name="use"/>; any failure is one line naming the file.</summary>
    private static bool Load(string path, TextWriter stderr, Func<string, bool> use)
    {
        if (!WorkflowFile.TryRead(path, out var json, out var problem))
        {
            stderr.WriteLine($"{path}: cannot read the workflow file: {problem}");
            return false;
        }

        try
        {
            return use(json);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            // Malformed JSON, a JSON null or list, an Elsa 2 file (WorkflowFileException): the file's content is at fault.
            stderr.WriteLine($"{path}: not a valid workflow JSON file: {OneLine(ex.Message)}");
            return false;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Importers may reject odd shapes with other exception types; never show a stack trace.
            stderr.WriteLine($"{path}: cannot load the workflow: {OneLine(ex.Message)}");
            return false;
        }
    }

    /// <summary>One problem per line: file, activity id, input, code, message.</summary>
    private static void WriteProblems(string path, IReadOnlyList<ValidationProblem> problems, TextWriter stderr)
    {
        foreach (var p in problems)
        {
            stderr.WriteLine($"{path}: activity {p.ActivityId ?? "-"}, input {p.InputName ?? "-"}: {p.Code}: {OneLine(p.Message)}");
        }
    }

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
