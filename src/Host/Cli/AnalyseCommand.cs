using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Analysis;
using Liaison.Domain.Common;
using Liaison.Domain.Persistence;
using Liaison.Host.Demo;
using Liaison.Host.Identity;
using Liaison.Host.Storage;
using Liaison.Host.Workflows;
using Liaison.Workflows.Durable;

namespace Liaison.Host.Cli;

/// <summary>
/// The `analyse` verb, for operators and for checking the analysis on the configured database:
///   analyse "TEXT"          proposed units one per line (best first), then the field and the similar items
///   analyse --jsonl FILE    one JSON line per input line ({"title","summary"}): {"units":[...],"field":"...","similar":[...]}
///   analyse --evaluate [FILE] [--verbose]   top-1/top-3 unit accuracy and duplicate precision/recall of the labelled set
/// A fresh embedded database gets the demo city first, as the first start of the application does.
/// The parsing lives in <see cref="CommandLine"/>; these methods take what was parsed and the writers.
/// </summary>
public static class AnalyseCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Analyses one text on the configured database and prints the result for people.</summary>
    public static async Task<int> RunTextAsync(string text, string[] settings, TextWriter output, TextWriter error)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            await error.WriteLineAsync("analyse: the text to analyse is empty.");
            return 2;
        }

        await using var app = await OpenAsync(settings);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
        var (title, body) = Split(text);
        var analysis = await DirectDispatch.AskAsync(db, TimeProvider.System, new AnalyseText(title, body));
        WriteForPeople(analysis, output);
        return 0;
    }

    /// <summary>Analyses every line of a JSON-lines file (title and summary) and writes one JSON line per input.</summary>
    public static async Task<int> RunJsonLinesAsync(string file, string[] settings, TextWriter output, TextWriter error)
    {
        if (!File.Exists(file))
        {
            await error.WriteLineAsync($"analyse: cannot read '{file}': no such file.");
            return 2;
        }

        await using var app = await OpenAsync(settings);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
        var index = await AnalysisEngine.GetIndexAsync(db, CancellationToken.None);
        var failed = 0;
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(file))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (!TryReadInput(line, out var title, out var summary, out var problem))
            {
                failed++;
                await error.WriteLineAsync($"analyse: {file}:{number}: {problem}");
                await output.WriteLineAsync(new JsonObject { ["error"] = problem, ["line"] = number }.ToJsonString(Json));
                continue;
            }

            await output.WriteLineAsync(ToJson(index.Analyse(title, summary)).ToJsonString(Json));
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>Runs the evaluation harness on a labelled file (in memory; the database is not touched).</summary>
    public static async Task<int> RunEvaluationAsync(string? file, bool verbose, TextWriter output, TextWriter error)
    {
        var path = file ?? FindDefaultEvaluationFile();
        if (path is null || !File.Exists(path))
        {
            await error.WriteLineAsync($"analyse: cannot find the evaluation file '{file ?? AnalysisEvaluation.DefaultFile}'.");
            return 2;
        }

        try
        {
            AnalysisEvaluation.Print(AnalysisEvaluation.Evaluate(AnalysisEvaluation.Read(path)), output, verbose);
            return 0;
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync("analyse: " + ex.Message);
            return 1;
        }
    }

    public static JsonObject ToJson(TextAnalysis analysis) => new()
    {
        ["units"] = new JsonArray(analysis.Units.Select(u => (JsonNode)JsonValue.Create(u.Name)!).ToArray()),
        ["field"] = analysis.Field?.Code,
        ["similar"] = new JsonArray(analysis.Similar.Select(s => (JsonNode)new JsonObject
        {
            ["kind"] = s.Kind.ToString().ToLowerInvariant(),
            ["id"] = s.Id.ToString(),
            ["number"] = s.Number,
            ["title"] = s.Title,
            ["score"] = s.Score,
            ["nearDuplicate"] = s.NearDuplicate,
            ["open"] = s.Open,
        }).ToArray()),
        ["reasons"] = new JsonArray(analysis.Units.Select(u => (JsonNode)JsonValue.Create(u.Reason)!).ToArray()),
    };

    private static void WriteForPeople(TextAnalysis analysis, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var unit in analysis.Units)
        {
            output.WriteLine(string.Create(c, $"{unit.Name}\t{unit.Score:0.000}\t{unit.Reason}"));
        }

        output.WriteLine();
        output.WriteLine(analysis.Field is { } field ? string.Create(c, $"领域 field: {field.Name} ({field.Code})") : "领域 field: —");
        if (analysis.Similar.Count == 0)
        {
            output.WriteLine("相似件 similar: —");
        }

        foreach (var similar in analysis.Similar)
        {
            var kind = similar.Kind == SimilarItemKind.Suggestion ? "建议" : "群众意见";
            output.WriteLine(string.Create(c, $"相似件 similar: {similar.Score:0.000}\t{kind} {similar.Number ?? similar.Id.ToString()}\t{similar.Title}{(similar.NearDuplicate ? "\t（疑似重复 near-duplicate）" : string.Empty)}{(similar.Open ? string.Empty : "\t（已办结）")}"));
        }
    }

    private static bool TryReadInput(string line, out string title, out string summary, out string problem)
    {
        (title, summary, problem) = (string.Empty, string.Empty, string.Empty);
        try
        {
            var node = JsonNode.Parse(line) as JsonObject;
            if (node is null)
            {
                problem = "not a JSON object";
                return false;
            }

            title = node["title"]?.GetValue<string>() ?? string.Empty;
            summary = (node["summary"] ?? node["text"])?.GetValue<string>() ?? string.Empty;
            if (string.IsNullOrWhiteSpace(title) && string.IsNullOrWhiteSpace(summary))
            {
                problem = "needs a \"title\" or a \"summary\"";
                return false;
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            problem = "not valid JSON: " + ex.Message;
            return false;
        }
    }

    // A text on the command line has no title of its own: its first sentence stands for one.
    private static (string Title, string Text) Split(string text)
    {
        var trimmed = text.Trim();
        var end = trimmed.IndexOfAny(['。', '\n', '！', '？']);
        return end <= 0 || end >= trimmed.Length - 1 ? (trimmed, string.Empty) : (trimmed[..end], trimmed[(end + 1)..]);
    }

    private static string? FindDefaultEvaluationFile()
    {
        // From the repository root, src/Host (dotnet run) or the binaries' folder.
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, AnalysisEvaluation.DefaultFile);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The configured database, migrated, with the demo city on a fresh embedded one; logs go to stderr.</summary>
    private static async Task<WebApplication> OpenAsync(string[] settings)
    {
        var app = LiaisonApp.Build([.. settings, "--Logging:Console:LogToStandardErrorThreshold=Trace", "--Logging:LogLevel:Default=Warning"]);
        if (app.Configuration.GetValue("Liaison:Database:MigrateOnStart", true))
        {
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        }

        if (IdentitySeeder.DemoEnabled(app.Configuration, app.Environment, app.Services.GetRequiredService<StorageOptions>()))
        {
            // The demo history runs through the published workflows.
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DefinitionStore>().LoadDirectoryAsync(WorkflowStartup.ResolveDirectory(app), CancellationToken.None);
            }

            await app.Services.GetRequiredService<DemoDataSeeder>().SeedAsync(CancellationToken.None);
        }

        return app;
    }
}
