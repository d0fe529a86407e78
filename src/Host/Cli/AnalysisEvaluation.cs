using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Liaison.Domain.Analysis;
using Liaison.Host.Demo;

namespace Liaison.Host.Cli;

/// <summary>
/// The analysis evaluation: the demo city's units (their responsibilities texts) plus the training part of a
/// labelled set as assignment history; the held-out part is proposed for and scored (top-1 and top-3 by the
/// unit that replied). Duplicate detection is scored on the whole set against its marked near-duplicates.
/// Works in memory: no database, so the figures depend on the engine and the data only.
/// </summary>
public static class AnalysisEvaluation
{
    public const string DefaultFile = "eval/analysis/suggestions.jsonl";

    public sealed record Example(string Id, string Title, string Summary, string Unit, string? Field, bool HeldOut, string? DuplicateOf);

    public sealed record Result(int Train, int HeldOut, int Top1, int Top3, int FieldHits, int TruePairs, int FoundPairs, int CorrectPairs, IReadOnlyList<string> Misses)
    {
        /// <summary>Top-1 and top-3 from the responsibilities texts alone, as on the first day (no history).</summary>
        public (int Top1, int Top3) DayOne { get; init; }

        public double Top1Rate => HeldOut == 0 ? 0 : (double)Top1 / HeldOut;

        public double Top3Rate => HeldOut == 0 ? 0 : (double)Top3 / HeldOut;

        public double FieldRate => HeldOut == 0 ? 0 : (double)FieldHits / HeldOut;

        public double Precision => FoundPairs == 0 ? 1 : (double)CorrectPairs / FoundPairs;

        public double Recall => TruePairs == 0 ? 1 : (double)CorrectPairs / TruePairs;
    }

    public static IReadOnlyList<Example> Read(string path)
    {
        var examples = new List<Example>();
        foreach (var (line, number) in File.ReadLines(path).Select((l, i) => (l, i + 1)).Where(x => !string.IsNullOrWhiteSpace(x.l)))
        {
            try
            {
                var e = JsonDocument.Parse(line).RootElement;
                examples.Add(new Example(
                    e.GetProperty("id").GetString()!, e.GetProperty("title").GetString()!, e.GetProperty("summary").GetString()!, e.GetProperty("unit").GetString()!,
                    e.TryGetProperty("field", out var f) ? f.GetString() : null, e.GetProperty("split").GetString() == "test",
                    e.TryGetProperty("duplicateOf", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new FormatException($"{path}:{number}: not an example line ({ex.Message})", ex);
            }
        }

        return examples;
    }

    public static Result Evaluate(IReadOnlyList<Example> examples)
    {
        var units = DemoCity.Units.Select(u => new CorpusUnit(IdOf(u.Name), u.Name, u.Responsibilities)).ToList();
        var unknown = examples.Select(e => e.Unit).Distinct().Where(n => units.All(u => u.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new FormatException($"units not in the demo city: {string.Join(", ", unknown)}");
        }

        var fields = AnalysisDefaults.Fields.Select(f => new CorpusField(f.Code, f.Name, f.Keywords)).ToList();
        static CorpusItem Item(Example e, bool withUnit) => new(
            SimilarItemKind.Suggestion, IdOf(e.Id), e.Id, e.Title, e.Summary, false, withUnit ? [new UnitShare(IdOf(e.Unit), true)] : [], withUnit ? e.Field : null);

        var train = examples.Where(e => !e.HeldOut).ToList();
        var heldOut = examples.Where(e => e.HeldOut).ToList();
        var index = AnalysisIndex.Build(new AnalysisCorpus(units, fields, train.Select(e => Item(e, true)).ToList(), DemoCity.PlaceNames, []));
        var (top1, top3, fieldHits) = (0, 0, 0);
        var misses = new List<string>();
        foreach (var e in heldOut)
        {
            var analysis = index.Analyse(e.Title, e.Summary);
            var ranked = analysis.Units.Select(u => u.Name).ToList();
            top1 += ranked.Take(1).Contains(e.Unit) ? 1 : 0;
            top3 += ranked.Take(3).Contains(e.Unit) ? 1 : 0;
            fieldHits += analysis.Field?.Code == e.Field ? 1 : 0;
            if (!ranked.Take(1).Contains(e.Unit))
            {
                misses.Add($"{e.Id} {e.Title}: {e.Unit} <- {string.Join(" > ", ranked.Take(3))}");
            }
        }

        var dayOne = AnalysisIndex.Build(new AnalysisCorpus(units, fields, [], DemoCity.PlaceNames, []));
        var firstDay = heldOut.Select(e => dayOne.Analyse(e.Title, e.Summary).Units.Select(u => u.Name).ToList()).ToList();
        var dayOneHits = (heldOut.Where((e, i) => firstDay[i].Take(1).Contains(e.Unit)).Count(), heldOut.Where((e, i) => firstDay[i].Take(3).Contains(e.Unit)).Count());

        // Duplicates: every item against all the others; a pair counts once whichever side found it.
        var all = AnalysisIndex.Build(new AnalysisCorpus(units, fields, examples.Select(e => Item(e, false)).ToList(), DemoCity.PlaceNames, []));
        var byId = examples.ToDictionary(e => IdOf(e.Id), e => e.Id);
        var found = new HashSet<(string, string)>();
        foreach (var e in examples)
        {
            foreach (var similar in all.FindSimilar(e.Title, e.Summary, IdOf(e.Id)).Where(s => s.NearDuplicate))
            {
                found.Add(Pair(e.Id, byId[similar.Id]));
            }
        }

        var truth = examples.Where(e => e.DuplicateOf is not null).Select(e => Pair(e.Id, e.DuplicateOf!)).ToHashSet();
        return new Result(train.Count, heldOut.Count, top1, top3, fieldHits, truth.Count, found.Count, found.Count(truth.Contains), misses) { DayOne = dayOneHits };
    }

    public static void Print(Result r, TextWriter output, bool verbose)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"items: {r.Train} training, {r.HeldOut} held out"));
        output.WriteLine(string.Create(c, $"unit top-1 accuracy (held out): {r.Top1Rate:P1} ({r.Top1}/{r.HeldOut})"));
        output.WriteLine(string.Create(c, $"unit top-3 accuracy (held out): {r.Top3Rate:P1} ({r.Top3}/{r.HeldOut})"));
        output.WriteLine(string.Create(c, $"  from the responsibilities texts alone (day one): top-1 {(double)r.DayOne.Top1 / Math.Max(1, r.HeldOut):P1}, top-3 {(double)r.DayOne.Top3 / Math.Max(1, r.HeldOut):P1}"));
        output.WriteLine(string.Create(c, $"field accuracy (held out): {r.FieldRate:P1} ({r.FieldHits}/{r.HeldOut})"));
        output.WriteLine(string.Create(c, $"near-duplicate precision: {r.Precision:P1} ({r.CorrectPairs}/{r.FoundPairs} pairs found are marked duplicates)"));
        output.WriteLine(string.Create(c, $"near-duplicate recall: {r.Recall:P1} ({r.CorrectPairs}/{r.TruePairs} marked duplicates found)"));
        if (verbose)
        {
            foreach (var miss in r.Misses)
            {
                output.WriteLine("  top-1 miss: " + miss);
            }
        }
    }

    private static (string, string) Pair(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);

    private static Guid IdOf(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));
}
