using System.CommandLine;

namespace Liaison.Host.Cli;

/// <summary>`analyse`: proposed handling units, field and similar items for a text, a JSON-lines file, or the evaluation set.</summary>
internal static class AnalyseVerb
{
    public static Command Create()
    {
        var text = new Argument<string?>("TEXT") { Description = "A suggestion's title and text (quote it).", Arity = ArgumentArity.ZeroOrOne };
        var jsonl = new Option<string?>("--jsonl") { Description = "Read lines with title and summary; write one JSON line per input: {\"units\":[...],\"field\":...,\"similar\":[...]}." };
        var evaluate = new Option<string?>("--evaluate") { Description = "Top-1/top-3 unit accuracy and duplicate precision/recall on the held-out part of the labelled set (default: eval/analysis/suggestions.jsonl).", Arity = ArgumentArity.ZeroOrOne };
        var verbose = new Option<bool>("--verbose") { Description = "With --evaluate: every miss." };
        var command = new Command("analyse", "Proposed handling units, best first, then the field and the similar items, on the configured database (a fresh embedded one gets the demo city first). Settings pass through, e.g. --Liaison:DataDirectory=DIR.")
        {
            text,
            jsonl,
            evaluate,
            verbose,
        };
        command.Aliases.Add("analyze");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var (output, error) = (parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error);
            string[] settings = [.. parsed.UnmatchedTokens];
            if (parsed.GetResult(evaluate) is not null)
            {
                return await AnalyseCommand.RunEvaluationAsync(parsed.GetValue(evaluate), parsed.GetValue(verbose), output, error);
            }

            if (parsed.GetValue(jsonl) is { Length: > 0 } file)
            {
                return await AnalyseCommand.RunJsonLinesAsync(file, settings, output, error);
            }

            if (parsed.GetValue(text) is { Length: > 0 } input)
            {
                return await AnalyseCommand.RunTextAsync(input, settings, output, error);
            }

            await error.WriteLineAsync("analyse needs a TEXT (quote it), --jsonl FILE or --evaluate [FILE]. See: analyse --help");
            return ExitCodes.Usage;
        });
        return command;
    }
}
