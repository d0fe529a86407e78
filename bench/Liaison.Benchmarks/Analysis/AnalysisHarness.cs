using System.Diagnostics;
using System.Globalization;
using Liaison.Domain.Analysis;
using Liaison.Host.Cli;
using Liaison.Host.Demo;

namespace Liaison.Benchmarks.Analysis;

/// <summary>
/// How long one analysis takes against a large history: builds an index of N past items (default 100,000)
/// made from the labelled evaluation set (each a labelled item with sentences of other items of the same
/// unit and a place, so the texts differ but keep a realistic vocabulary), then analyses the held-out items
/// one at a time: proposals with reasons, field and similar items. Prints the build time and the latency
/// per analysis (median, p95, max).
/// </summary>
public static class AnalysisHarness
{
    public static Task<int> RunAsync(string[] args)
    {
        var count = args.SkipWhile(a => a != "--items").Skip(1).Select(int.Parse).DefaultIfEmpty(100_000).First();
        var file = args.SkipWhile(a => a != "--file").Skip(1).DefaultIfEmpty(FindFile()).First();
        var examples = AnalysisEvaluation.Read(file);
        var random = new Random(15);
        var byUnit = examples.Where(e => !e.HeldOut).GroupBy(e => e.Unit).ToDictionary(g => g.Key, g => g.ToList());
        var units = DemoCity.Units.Select(u => new CorpusUnit(Guid.NewGuid(), u.Name, u.Responsibilities)).ToList();
        var unitIds = units.ToDictionary(u => u.Name, u => u.Id);
        var training = examples.Where(e => !e.HeldOut).ToList();
        var items = new List<CorpusItem>(count);
        for (var i = 0; i < count; i++)
        {
            var e = training[random.Next(training.Count)];
            var other = byUnit[e.Unit][random.Next(byUnit[e.Unit].Count)];
            var place = DemoCity.PlaceNames[random.Next(DemoCity.PlaceNames.Count)];
            var clause = other.Summary.Split('，')[0];
            items.Add(new CorpusItem(
                SimilarItemKind.Suggestion, Guid.NewGuid(), string.Create(CultureInfo.InvariantCulture, $"16-{2020 + (i % 6)}-{i:00000}"), place + e.Title,
                $"{place}{e.Summary}{clause}。第{i}号。", i % 3 == 0, [new UnitShare(unitIds[e.Unit], true)], e.Field));
        }

        var fields = AnalysisDefaults.Fields.Select(f => new CorpusField(f.Code, f.Name, f.Keywords)).ToList();
        var build = Stopwatch.StartNew();
        var index = AnalysisIndex.Build(new AnalysisCorpus(units, fields, items, DemoCity.PlaceNames, []));
        build.Stop();

        var queries = examples.Where(e => e.HeldOut).ToList();
        foreach (var q in queries.Take(20))
        {
            index.Analyse(q.Title, q.Summary); // warm-up: JIT and the tokenizer's caches
        }

        var timings = new List<double>();
        var hits = 0;
        for (var round = 0; round < 3; round++)
        {
            foreach (var q in queries)
            {
                var watch = Stopwatch.StartNew();
                var analysis = index.Analyse(q.Title, q.Summary);
                watch.Stop();
                timings.Add(watch.Elapsed.TotalMilliseconds);
                hits += round == 0 && analysis.Units.Take(3).Any(u => u.Name == q.Unit) ? 1 : 0;
            }
        }

        timings.Sort();
        double P(double p) => timings[(int)Math.Min(timings.Count - 1, Math.Round(p * (timings.Count - 1)))];
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"analysis: index of {count:N0} past items built in {build.Elapsed.TotalSeconds:0.0} s"));
        Console.WriteLine(string.Create(c, $"analysis: one item (units with reasons, field, similar items) against {count:N0} items: median {P(0.5):0.0} ms, p95 {P(0.95):0.0} ms, max {timings[^1]:0.0} ms over {timings.Count} analyses"));
        Console.WriteLine(string.Create(c, $"analysis: held-out top-3 with this history: {(double)hits / queries.Count:P1}"));
        return Task.FromResult(0);
    }

    private static string FindFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, AnalysisEvaluation.DefaultFile);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return AnalysisEvaluation.DefaultFile;
    }
}
