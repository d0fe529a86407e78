using System.Text.Json;

using Liaison.Workflows.Harness;
using Liaison.Workflows.Suggestions;
using Liaison.Workflows.Validation;

namespace Liaison.Host.Cli;

/// <summary>
/// `workflow validate FILE` and `workflow run FILE`: work on a native or Elsa 3 file entirely in memory
/// (no web app, no database, no Hangfire), so designers and CI can check a definition in a second.
/// Exit codes: 0 done, 1 the file cannot be read or the definition is invalid, 2 usage error.
/// </summary>
internal static class WorkflowCommands
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 2 || args[0] is not ("validate" or "run"))
        {
            return CommandLine.Usage(2, args.Length == 0
                ? "The workflow command needs a sub-command: validate FILE or run FILE."
                : $"Usage: workflow validate FILE | workflow run FILE (got: workflow {string.Join(' ', args)}).");
        }

        var (subcommand, path) = (args[0], args[1]);
        if (!TryReadFile(path, stderr, out var json))
        {
            return 1;
        }

        try
        {
            return subcommand == "validate" ? Validate(path, json, stdout, stderr) : RunVirtually(path, json, stdout, stderr);
        }
        catch (WorkflowFileException ex)
        {
            stderr.WriteLine($"{path}: not a valid workflow JSON file: {OneLine(ex.Message)}");
            return 1;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Importers may reject odd shapes with other exception types; never show a stack trace.
            stderr.WriteLine($"{path}: cannot load the workflow: {OneLine(ex.Message)}");
            return 1;
        }
    }

    private static int Validate(string path, string json, TextWriter stdout, TextWriter stderr)
    {
        var (_, _, problems) = WorkflowHarness.Validate(json, SuggestionActivities.CreateRegistry());
        if (problems.Count > 0)
        {
            WriteProblems(path, problems, stderr);
            return 1;
        }

        stdout.WriteLine("valid");
        return 0;
    }

    private static int RunVirtually(string path, string json, TextWriter stdout, TextWriter stderr)
    {
        var result = WorkflowHarness.Run(json, new HarnessOptions { Registry = SuggestionActivities.CreateRegistry() });
        if (!result.IsValid)
        {
            WriteProblems(path, result.Problems, stderr);
            return 1;
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
        return 0;
    }

    /// <summary>One problem per line: file, activity id, input, code, message.</summary>
    private static void WriteProblems(string path, IReadOnlyList<ValidationProblem> problems, TextWriter stderr)
    {
        foreach (var p in problems)
        {
            stderr.WriteLine($"{path}: activity {p.ActivityId ?? "-"}, input {p.InputName ?? "-"}: {p.Code}: {OneLine(p.Message)}");
        }
    }

    private static bool TryReadFile(string path, TextWriter stderr, out string json)
    {
        json = "";
        try
        {
            json = Liaison.Workflows.Definitions.WorkflowJson.DecodeUtf8(File.ReadAllBytes(path));
            return true;
        }
        catch (FormatException ex)
        {
            stderr.WriteLine($"{path}: not a valid workflow JSON file: {OneLine(ex.Message)}");
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = ex switch
            {
                FileNotFoundException => "file not found",
                DirectoryNotFoundException => "directory not found",
                UnauthorizedAccessException => "permission denied",
                _ => OneLine(ex.Message),
            };
            stderr.WriteLine($"{path}: cannot read the workflow file: {reason}");
            return false;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
