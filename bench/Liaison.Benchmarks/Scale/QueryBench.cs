using System.Diagnostics;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Npgsql;

namespace Liaison.Benchmarks.Scale;

public sealed record QueryResult(string Query, string Argument, int ResultRows, Percentiles Latency);

/// <summary>
/// The queries users wait on, through the real Mediator query handlers on a fresh DbContext per call
/// (as one request would have): a warm-up, then N sequential calls each.
/// </summary>
public static class QueryBench
{
    public static async Task<Guid> BusiestUnitAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT unit_id FROM unit_tasks WHERE status IN ('Assigned', 'SignedFor', 'Rehandling') GROUP BY unit_id ORDER BY count(*) DESC LIMIT 1", connection);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<IReadOnlyList<QueryResult>> RunAsync(string connectionString, Guid busyUnit, IReadOnlyList<Guid> sampleSuggestions, int warmUp, int iterations, double maxSeconds, Action<string> log)
    {
        var clock = TimeProvider.System;
        var now = clock.GetUtcNow();
        var random = new Random(7);
        var results = new List<QueryResult>();

        async Task<QueryResult> Measure(string name, string argument, Func<LiaisonDbContext, Task<int>> call)
        {
            var samples = new List<double>(iterations);
            var rows = 0;
            var budget = Stopwatch.StartNew();
            for (var i = 0; i < warmUp + iterations; i++)
            {
                // A slow query gets fewer calls (at least 10 measured) so one run stays within minutes.
                if (i >= warmUp + 10 && budget.Elapsed > TimeSpan.FromSeconds(maxSeconds))
                {
                    break;
                }

                var watch = Stopwatch.StartNew();
                await using (var db = LiaisonDbContextFactory.Create(DatabaseProvider.PostgreSql, connectionString))
                {
                    rows = await call(db);
                }

                if (i >= warmUp)
                {
                    samples.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            var result = new QueryResult(name, argument, rows, Percentiles.Of(samples));
            log($"  {name}: {rows} rows, {samples.Count} calls, p50 {result.Latency.P50:F2} ms, p95 {result.Latency.P95:F2} ms, p99 {result.Latency.P99:F2} ms");
            return result;
        }

        results.Add(await Measure("GetUnitInbox", "busiest unit", async db =>
            (await new GetUnitInboxHandler(db, clock).Handle(new GetUnitInbox(busyUnit), CancellationToken.None)).Items.Count));
        results.Add(await Measure("GetOverdueList", "all units", async db =>
            (await new GetOverdueListHandler(db, clock).Handle(new GetOverdueList(), CancellationToken.None)).Items.Count));
        results.Add(await Measure("GetOverdueList", "busiest unit", async db =>
            (await new GetOverdueListHandler(db, clock).Handle(new GetOverdueList(busyUnit), CancellationToken.None)).Items.Count));
        results.Add(await Measure("GetSupervisionBoard", "first page, all", async db =>
            (await new GetSupervisionBoardHandler(db, clock).Handle(new GetSupervisionBoard(), CancellationToken.None)).Items.Count));
        results.Add(await Measure("GetSupervisionBoard", "first page, red", async db =>
            (await new GetSupervisionBoardHandler(db, clock).Handle(new GetSupervisionBoard(Light: DeadlineLight.Red), CancellationToken.None)).Items.Count));
        results.Add(await Measure("GetSupervisionBoard", "busiest unit", async db =>
            (await new GetSupervisionBoardHandler(db, clock).Handle(new GetSupervisionBoard(UnitId: busyUnit), CancellationToken.None)).Items.Count));
        results.Add(await Measure("GetKpis", "last 365 days (rollups)", async db =>
        {
            var kpis = await new GetKpisHandler(db, clock).Handle(new GetKpis(now.AddYears(-1), now), CancellationToken.None);
            return kpis.RepliesSent;
        }));
        var year = new DateTimeOffset(now.ToOffset(TimeSpan.FromHours(8)).Year, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        results.Add(await Measure("GetKpis", "this calendar year, the dashboard's default (rollups)", async db =>
            (await new GetKpisHandler(db, clock).Handle(new GetKpis(year, year.AddYears(1)), CancellationToken.None)).RepliesSent));
        results.Add(await Measure("GetBreakdown", "by unit, this calendar year (rollups)", async db =>
            (await new GetBreakdownHandler(db, clock).Handle(new GetBreakdown(year, year.AddYears(1), BreakdownDimension.Unit), CancellationToken.None)).Count));
        results.Add(await Measure("GetBreakdown", "by unit, last 365 days (rollups)", async db =>
            (await new GetBreakdownHandler(db, clock).Handle(new GetBreakdown(now.AddYears(-1), now, BreakdownDimension.Unit), CancellationToken.None)).Count));
        results.Add(await Measure("GetBreakdown", "by month, last 365 days (rollups)", async db =>
            (await new GetBreakdownHandler(db, clock).Handle(new GetBreakdown(now.AddYears(-1), now, BreakdownDimension.Month), CancellationToken.None)).Count));
        // The same figures from the raw rows (what GetKpis did before the rollups), in the same run for comparison.
        results.Add(await Measure("RawKpis (before rollups)", "last 365 days", async db =>
            (await RawKpis.ComputeAsync(db, now.AddYears(-1), now, now, CancellationToken.None)).RepliesSent));
        results.Add(await Measure("GetSuggestionTimeline", "random suggestion", async db =>
            (await new GetSuggestionTimelineHandler(db).Handle(new GetSuggestionTimeline(sampleSuggestions[random.Next(sampleSuggestions.Count)]), CancellationToken.None)).Count));
        return results;
    }
}
