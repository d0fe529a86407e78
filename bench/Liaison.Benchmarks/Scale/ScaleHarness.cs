using System.Globalization;
using System.Text;
using Liaison.Benchmarks.Durable;
using Liaison.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Liaison.Benchmarks.Scale;

/// <summary>
/// `-- scale`: five years of suggestions in PostgreSQL, then the reporting queries through their handlers.
/// `-- http`: the same data, then the Host under HTTP load from this process.
/// `-- all`: quick, durable (short), reminders (1,000 with 1 and 3 servers), scale and http in one run, written to a dated Markdown report.
/// </summary>
public static class ScaleHarness
{
    private const string Usage =
        "Usage: scale|http|all [--rows N] [--opinions-per-suggestion X] [--iterations N] [--warmup N] [--query-seconds S] [--http-seconds S] [--connections 16,64] [--report FILE] [--database NAME] [--reuse] [--keep]";

    private sealed record Options(
        string Mode, int Rows, double OpinionsPerSuggestion, int Iterations, int WarmUp, double QuerySeconds, double HttpSeconds, double HttpWarmUp,
        IReadOnlyList<int> Connections, string? Report, string Database, bool Reuse, bool Keep);

    public static async Task<int> RunAsync(string[] args)
    {
        Options options;
        try
        {
            options = Parse(args);
        }
        catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var report = new StringBuilder();
        var partFailed = false;
        var commandLine = "dotnet run -c Release --project bench/Liaison.Benchmarks -- " + string.Join(' ', args);
        if (options.Mode == "all")
        {
            // The engine benchmarks first, on an idle machine, their console output captured for the report.
            report.AppendLine("## Engine in memory (`quick --no-workflowcore`)").AppendLine();
            var quick = await CaptureAsync(() => QuickHarness.RunAsync(includeWorkflowCore: false, scale: 1));
            report.AppendLine(quick.Text.Trim()).AppendLine();
            report.AppendLine("## Durable engine on PostgreSQL (`durable --seconds 3 --warmup 1 --clients 1,8`)").AppendLine();
            var durable = await CaptureAsync(() => DurableHarness.RunAsync(["durable", "--seconds", "3", "--warmup", "1", "--clients", "1,8"]));
            report.AppendLine(durable.Text.Trim()).AppendLine();
            report.AppendLine("## Reminders coming due together (`reminders --count 1000 --servers 1`, then `--servers 3`)").AppendLine();
            var oneServer = await CaptureAsync(() => Reminders.ReminderHarness.RunAsync(["reminders", "--count", "1000", "--servers", "1"]));
            var threeServers = await CaptureAsync(() => Reminders.ReminderHarness.RunAsync(["reminders", "--count", "1000", "--servers", "3"]));
            foreach (var (servers, run) in new[] { (1, oneServer), (3, threeServers) })
            {
                var table = TableOf(run.Text).Split('\n').Where(l => l.StartsWith('|')).ToList();
                report.AppendLine(servers == 1 ? string.Join('\n', table) : table.LastOrDefault() ?? "");
            }

            report.AppendLine();
            foreach (var (name, run) in new[] { ("quick", quick), ("durable", durable), ("reminders, 1 server", oneServer), ("reminders, 3 servers", threeServers) })
            {
                // One part that could not run (e.g. planning the reminders overran their due time on a busy machine) is
                // said in the report, and the rest still runs; the exit code says something failed.
                if (run.ExitCode != 0)
                {
                    report.AppendLine($"**{name} did not finish (exit code {run.ExitCode}); its console output says why.**").AppendLine();
                    await Console.Error.WriteLineAsync($"{name} failed; see above");
                    partFailed = true;
                }
            }
        }

        var given = Environment.GetEnvironmentVariable(DurableHarness.ConnectionStringVariable);
        var cluster = string.IsNullOrWhiteSpace(given) ? await BenchPostgres.StartAsync() : null;
        try
        {
            var admin = cluster?.ConnectionString ?? given!;
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = options.Database, Pooling = true, MaxPoolSize = 200, CommandTimeout = 600 }.ConnectionString;
            var scaleReport = await RunOnServerAsync(options, admin, connectionString, cluster is not null);
            report.Insert(0, scaleReport.Header).Append(scaleReport.Body);
            if (cluster is not null && options.Keep)
            {
                Console.WriteLine($"--keep: the cluster stays up. LIAISON_BENCH_POSTGRES=\"{admin}\" … -- scale --database {options.Database} --reuse");
                cluster = null;
            }
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }

        var text = report.ToString().Replace("{command}", commandLine, StringComparison.Ordinal);
        if (options.Report is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            await File.WriteAllTextAsync(file, text);
            Console.WriteLine($"Report written to {Path.GetFullPath(file)}");
        }
        else
        {
            Console.WriteLine();
            Console.WriteLine(text);
        }

        return partFailed ? 1 : 0;
    }

    private static async Task<(string Header, string Body)> RunOnServerAsync(Options options, string admin, string connectionString, bool ownCluster)
    {
        static void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
        var body = new StringBuilder();
        var loadAverageAtStart = Machine.LoadAverage();

        var exists = await ScalarAsync(admin, $"SELECT count(*) FROM pg_database WHERE datname = '{options.Database}'") is long n && n > 0;
        LoadResult? load = null;
        IReadOnlyList<Guid> sample;
        if (options.Reuse && exists)
        {
            Log($"reusing database {options.Database} (applying pending migrations)");
            await using (var db = LiaisonDbContextFactory.Create(DatabaseProvider.PostgreSql, connectionString))
            {
                await db.Database.MigrateAsync();
            }

            sample = await SampleAsync(connectionString);
        }
        else
        {
            if (exists)
            {
                await ScalarAsync(admin, $"DROP DATABASE \"{options.Database}\" WITH (FORCE)");
            }

            await ScalarAsync(admin, $"CREATE DATABASE \"{options.Database}\"");
            await using (var db = LiaisonDbContextFactory.Create(DatabaseProvider.PostgreSql, connectionString))
            {
                // The real schema: every migration of the domain, as the Host would apply it.
                await db.Database.MigrateAsync();
            }

            Log(string.Create(CultureInfo.InvariantCulture, $"loading {options.Rows:N0} suggestions and {options.Rows * options.OpinionsPerSuggestion:N0} public opinions over five years"));
            load = await new ScaleLoader(options.Rows, options.OpinionsPerSuggestion, DateTime.UtcNow).LoadAsync(connectionString, Log);
            sample = load.SampleSuggestionIds;
            Log(string.Create(CultureInfo.InvariantCulture, $"loaded {load.TotalRows:N0} rows in {load.Total.TotalSeconds:F0} s"));
        }

        // The KPI rollups, as the Host's minutely job builds them on its first run after the migration (all months).
        var rollupWatch = System.Diagnostics.Stopwatch.StartNew();
        await using (var db = LiaisonDbContextFactory.Create(DatabaseProvider.PostgreSql, connectionString))
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            var months = await Liaison.Domain.Reporting.KpiRollups.RefreshAsync(db);
            Log(string.Create(CultureInfo.InvariantCulture, $"KPI rollups: {months} months recomputed in {rollupWatch.Elapsed.TotalSeconds:F1} s"));
        }

        var version = (string)(await ScalarAsync(connectionString, "SHOW server_version"))!;
        var size = (string)(await ScalarAsync(connectionString, "SELECT pg_size_pretty(pg_database_size(current_database()))"))!;
        var busyUnit = await QueryBench.BusiestUnitAsync(connectionString);
        var settings = ownCluster ? "own cluster, PostgreSQL defaults except " + string.Join(", ", BenchPostgres.SettingsSet) : "server from " + DurableHarness.ConnectionStringVariable;

        IReadOnlyList<QueryResult> queries = [];
        if (options.Mode is "scale" or "all")
        {
            Log($"queries: {options.WarmUp} warm-up + {options.Iterations} measured calls each");
            queries = await QueryBench.RunAsync(connectionString, busyUnit, sample, options.WarmUp, options.Iterations, options.QuerySeconds, Log);
        }

        IReadOnlyList<HttpResult> http = [];
        if (options.Mode is "http" or "all")
        {
            http = await HttpBench.RunAsync(connectionString, busyUnit, options.Connections, options.HttpSeconds, options.HttpWarmUp, Log);
        }

        var header = new StringBuilder();
        header.AppendLine(string.Create(CultureInfo.InvariantCulture, $"# Liaison benchmarks, {DateTime.Now:yyyy-MM-dd}")).AppendLine();
        header.AppendLine("`{command}`").AppendLine();
        header.AppendLine(Machine.Describe(version) + string.Create(CultureInfo.InvariantCulture,
            $" · {settings} · load average at start {loadAverageAtStart}, at the end {Machine.LoadAverage()}")).AppendLine();

        body.AppendLine("## Scale data").AppendLine();
        if (load is not null)
        {
            body.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{options.Rows:N0} suggestions over five years, {load.TotalRows:N0} rows in all, database {size}. Load: binary COPY {load.CopyTime.TotalSeconds:F0} s + index rebuild {load.IndexTime.TotalSeconds:F0} s + VACUUM ANALYZE {load.AnalyzeTime.TotalSeconds:F0} s = **{load.Total.TotalSeconds:F0} s**.")).AppendLine();
            body.AppendLine("| table | rows |").AppendLine("|---|---:|");
            foreach (var (table, rows) in load.Tables)
            {
                body.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {table} | {rows:N0} |"));
            }

            body.AppendLine();
        }
        else
        {
            body.AppendLine($"Reused database `{options.Database}` ({size}).").AppendLine();
        }

        if (queries.Count > 0)
        {
            body.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"## Reporting queries (handlers on a fresh DbContext per call; {options.WarmUp} warm-up + up to {options.Iterations} calls or {options.QuerySeconds} s, one at a time; goal p95 < 50 ms)")).AppendLine();
            body.AppendLine("| query | argument | rows returned | calls | p50 ms | p95 ms | p99 ms | max ms | goal |").AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var q in queries)
            {
                body.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {q.Query} | {q.Argument} | {q.ResultRows:N0} | {q.Latency.Count} | {q.Latency.P50:F2} | {q.Latency.P95:F2} | {q.Latency.P99:F2} | {q.Latency.Max:F2} | {(q.Latency.P95 < 50 ? "met" : "**missed**")} |"));
            }

            body.AppendLine();
        }

        if (http.Count > 0)
        {
            body.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"## HTTP (Host in Release as a child process, loopback, bearer token; {options.HttpWarmUp} s warm-up + {options.HttpSeconds} s per point)")).AppendLine();
            body.AppendLine("| endpoint | connections | requests/s | p50 ms | p95 ms | p99 ms | requests | errors | bytes/response |").AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var h in http)
            {
                // Requests still in flight at the end are not counted: a slow endpoint can finish none in the window.
                body.AppendLine(h.Requests == 0
                    ? $"| {h.Endpoint} | {h.Connections} | 0 | – | – | – | 0 (none finished in the window) | {h.Errors} | – |"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"| {h.Endpoint} | {h.Connections} | {h.PerSecond:F1} | {h.Latency.P50:F1} | {h.Latency.P95:F1} | {h.Latency.P99:F1} | {h.Requests:N0} | {h.Errors} | {h.ResponseBytes:N0} |"));
            }

            body.AppendLine();
        }

        return (header.ToString(), body.ToString());
    }

    private static async Task<IReadOnlyList<Guid>> SampleAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM suggestions TABLESAMPLE SYSTEM (1) LIMIT 10000", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Runs <paramref name="run"/> with the console also written to a buffer.</summary>
    /// <summary>The Markdown table a harness printed (its header, separator and rows).</summary>
    private static string TableOf(string text) =>
        string.Join('\n', text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith('|')));

    private static async Task<(int ExitCode, string Text)> CaptureAsync(Func<Task<int>> run)
    {
        var original = Console.Out;
        var buffer = new StringWriter(CultureInfo.InvariantCulture);
        Console.SetOut(new TeeWriter(original, buffer));
        try
        {
            return (await run(), buffer.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    private static Options Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var mode = args[0];
        return new Options(
            mode,
            int.Parse(Value("--rows") ?? "1000000", CultureInfo.InvariantCulture),
            double.Parse(Value("--opinions-per-suggestion") ?? "0.5", CultureInfo.InvariantCulture),
            int.Parse(Value("--iterations") ?? "200", CultureInfo.InvariantCulture),
            int.Parse(Value("--warmup") ?? "20", CultureInfo.InvariantCulture),
            double.Parse(Value("--query-seconds") ?? "60", CultureInfo.InvariantCulture),
            double.Parse(Value("--http-seconds") ?? "15", CultureInfo.InvariantCulture),
            double.Parse(Value("--http-warmup") ?? "3", CultureInfo.InvariantCulture),
            (Value("--connections") ?? "16,64").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList(),
            Value("--report"),
            Value("--database") ?? "liaison_scale",
            args.Contains("--reuse"),
            args.Contains("--keep"));
    }

    private sealed class TeeWriter(TextWriter first, TextWriter second) : TextWriter
    {
        public override Encoding Encoding => first.Encoding;

        public override void Write(char value)
        {
            first.Write(value);
            second.Write(value);
        }

        public override void Write(string? value)
        {
            first.Write(value);
            second.Write(value);
        }

        public override void WriteLine(string? value)
        {
            first.WriteLine(value);
            second.WriteLine(value);
        }
    }
}
