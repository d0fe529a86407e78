using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Liaison.Domain.Persistence;
using Liaison.Host.Notifications;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Suggestions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Liaison.Benchmarks.Durable;

/// <summary>
/// `-- durable`: the durable engine on PostgreSQL, one transaction per burst, at several client counts,
/// next to pgbench's simple-update TPS on the same server. Each operation gets its own DI scope (so its
/// own DbContext and pooled connection), as a web request would.
/// </summary>
public static partial class DurableHarness
{
    public const string ConnectionStringVariable = "LIAISON_BENCH_POSTGRES";

    private const string SequentialId = "bench-sequential-10";
    private const string WaitId = "bench-suspend-resume";

    private sealed record Options(int Seconds, double WarmUpSeconds, IReadOnlyList<int> Clients, bool SynchronousCommit, bool SkipPgbench, bool SkipLoop = false, int MaxAutoPrepare = 64);

    private sealed record Measurement(string Operation, int Clients, long Ops, double Seconds, double P50, double P95, double P99, long Errors, string? FirstError, bool Exhausted, double CpuSeconds, double? ServerCpuSeconds)
    {
        public double PerSecond => Ops / Seconds;

        /// <summary>CPU time of this process (engine, EF Core, Npgsql, GC) per operation, in ms.</summary>
        public double CpuMsPerOp => CpuSeconds * 1000 / Ops;

        /// <summary>CPU time of the PostgreSQL server per operation, in ms (own cluster only).</summary>
        public double? ServerCpuMsPerOp => ServerCpuSeconds * 1000 / Ops;
    }

    private sealed record PgbenchResult(int Clients, double Tps, double LatencyAverageMs, double? ServerCpuMsPerTransaction);

    public static async Task<int> RunAsync(string[] args)
    {
        Options options;
        try
        {
            options = Parse(args);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync("Usage: durable [--seconds N] [--warmup S] [--clients 1,8,32] [--synchronous-commit on|off] [--max-auto-prepare N] [--no-pgbench] [--no-loop]");
            return 2;
        }

        var given = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        await using var cluster = string.IsNullOrWhiteSpace(given) ? await BenchPostgres.StartAsync() : null;
        var adminConnectionString = cluster?.ConnectionString ?? given!;
        var pgbenchBin = cluster?.BinDirectory ?? BenchPostgres.FindBinaries("pgbench");
        var suffix = $"{Environment.ProcessId}_{DateTime.UtcNow:HHmmss}";
        var engineDatabase = $"liaison_bench_{suffix}";
        var pgbenchDatabase = $"pgbench_{suffix}";
        await ExecuteAsync(adminConnectionString, $"CREATE DATABASE \"{engineDatabase}\"");
        await ExecuteAsync(adminConnectionString, $"CREATE DATABASE \"{pgbenchDatabase}\"");
        try
        {
            return await RunOnServerAsync(options, adminConnectionString, engineDatabase, pgbenchDatabase, pgbenchBin, cluster);
        }
        finally
        {
            if (cluster is null)
            {
                // Someone else's server: leave it as we found it.
                await ExecuteAsync(adminConnectionString, $"DROP DATABASE IF EXISTS \"{engineDatabase}\" WITH (FORCE)");
                await ExecuteAsync(adminConnectionString, $"DROP DATABASE IF EXISTS \"{pgbenchDatabase}\" WITH (FORCE)");
            }
        }
    }

    private static async Task<int> RunOnServerAsync(Options options, string adminConnectionString, string engineDatabase, string pgbenchDatabase, string pgbenchBin, BenchPostgres? cluster)
    {
        var sessionOptions = options.SynchronousCommit ? null : "-c synchronous_commit=off";
        var engineConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString)
        {
            Database = engineDatabase,
            Pooling = true,
            MaxPoolSize = Math.Max(100, options.Clients.Max() * 2),
            Options = sessionOptions,

            // As the Host sets it (StorageOptions): recurring statements are prepared once per connection.
            MaxAutoPrepare = options.MaxAutoPrepare,
        }.ConnectionString;

        var trace = new SqlTrace();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddWorkflowsDbContext(DatabaseProvider.PostgreSql, engineConnectionString);
        services.ConfigureDbContext<PostgresWorkflowsDbContext>(o => o.AddInterceptors(trace.CommandInterceptor, trace.CommitInterceptor));
        services.AddLiaisonDbContext(DatabaseProvider.PostgreSql, engineConnectionString);
        services.AddLiaisonWorkflows(Liaison.Workflows.Suggestions.SuggestionActivities.RegisterAll).AddSuggestionWorkflows();
        services.AddLiaisonMessaging(DatabaseProvider.PostgreSql, engineConnectionString);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        string serverVersion;
        string synchronousCommit;
        string fsync;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            await db.Database.MigrateAsync();
            await scope.ServiceProvider.GetRequiredService<MessagingDbContext>().Database.MigrateAsync();
            serverVersion = await ScalarAsync(engineConnectionString, "SHOW server_version");
            synchronousCommit = await ScalarAsync(engineConnectionString, "SHOW synchronous_commit");
            fsync = await ScalarAsync(engineConnectionString, "SHOW fsync");
            var store = scope.ServiceProvider.GetRequiredService<DefinitionStore>();
            var scenarios = new Scenarios();
            foreach (var definition in new[] { scenarios.Sequential10, scenarios.SuspendResume })
            {
                var draft = await store.SaveDraftAsync(definition, "bench");
                await store.PublishAsync(definition.DefinitionId, draft.Version);
            }
        }

        var loop = new SuggestionLoopScenario(provider);
        await loop.SetUpAsync();

        var header = string.Create(CultureInfo.InvariantCulture,
            $"Liaison durable engine on PostgreSQL {serverVersion} · load average at start {LoadAverage()} · {DateTime.UtcNow:yyyy-MM-dd} · nproc = {Environment.ProcessorCount} · {CpuModel()} · {RuntimeInformation.FrameworkDescription} · fsync={fsync}, synchronous_commit={synchronousCommit} · Npgsql Max Auto Prepare={options.MaxAutoPrepare} · {(cluster is not null ? "own cluster, PostgreSQL defaults except " + string.Join(", ", BenchPostgres.SettingsSet) : "server from " + ConnectionStringVariable)} · {options.Seconds} s per measurement after {options.WarmUpSeconds} s warm-up");
        Console.WriteLine(header);
        Console.WriteLine();

        // Round trips of one operation of each kind, traced on a warmed-up engine.
        await StartAsync(provider, SequentialId);
        await StartAsync(provider, WaitId);
        var profiles = new List<(string Name, IReadOnlyList<string> Statements)>
        {
            ("start → end (sequential-10)", await trace.CaptureAsync(() => StartAsync(provider, SequentialId))),
            ("start → bookmark (WaitForEvent)", await trace.CaptureAsync(async () => await StartAsync(provider, WaitId))),
        };
        var bookmark = await StartAsync(provider, WaitId);
        profiles.Add(("resume bookmark → end", await trace.CaptureAsync(() => ResumeAsync(provider, bookmark))));
        foreach (var (name, statements) in profiles)
        {
            Console.WriteLine($"{name}: {statements.Count} round trips");
            for (var i = 0; i < statements.Count; i++)
            {
                Console.WriteLine($"  {i + 1}. {OneLine(statements[i])}");
            }
        }

        Console.WriteLine();

        var pgbenchEnvironment = PgbenchEnvironment(adminConnectionString, pgbenchDatabase, sessionOptions);
        if (!options.SkipPgbench)
        {
            await BenchPostgres.RunAsync(Path.Combine(pgbenchBin, "pgbench"), ["-i", "-s", "10", "-q"], pgbenchEnvironment);
        }

        // One warm-up of every operation before anything is timed, so tiered JIT, EF Core's query and
        // model caches and the connection pool are settled (each measurement still has its own warm-up).
        Console.Error.WriteLine("  warming up ...");
        var warmPool = new ConcurrentQueue<Guid>();
        await RunClientsAsync(2, TimeSpan.FromSeconds(Math.Max(options.WarmUpSeconds, 3)), async () =>
        {
            await StartAsync(provider, SequentialId);
            warmPool.Enqueue(await StartAsync(provider, WaitId));
            if (warmPool.TryDequeue(out var id))
            {
                await ResumeAsync(provider, id);
            }

            return true;
        });

        var measurements = new List<Measurement>();
        var pgbench = new List<PgbenchResult>();
        foreach (var clients in options.Clients)
        {
            var sequential = await MeasureAsync("start → end (sequential-10)", clients, options, cluster, () => StartAsync(provider, SequentialId).ContinueWith(_ => true, TaskScheduler.Default));
            Report(sequential);

            var pool = new ConcurrentQueue<Guid>();
            var waiting = await MeasureAsync("start → bookmark (WaitForEvent)", clients, options, cluster, async () =>
            {
                pool.Enqueue(await StartAsync(provider, WaitId));
                return true;
            });
            Report(waiting);

            // Enough suspended instances for the resume measurement, assuming resumes run up to 1.5 times
            // as fast as starts; if they run out the measurement ends early and says so.
            var wanted = (long)(Math.Max(waiting.PerSecond, 200) * 1.5 * (options.Seconds + options.WarmUpSeconds));
            await TopUpAsync(provider, pool, wanted, Math.Max(clients, 8));

            var resumes = await MeasureAsync("resume bookmark → end", clients, options, cluster, async () =>
            {
                if (!pool.TryDequeue(out var id))
                {
                    return false;
                }

                await ResumeAsync(provider, id);
                return true;
            });
            Report(resumes);
            measurements.AddRange([sequential, waiting, resumes]);

            if (!options.SkipLoop)
            {
                var loops = await MeasureAsync("suggestion loop, submit → closed (10 bursts)", clients, options, cluster, async () =>
                {
                    await loop.RunOnceAsync();
                    return true;
                });
                Report(loops);
                measurements.Add(loops);
            }

            if (!options.SkipPgbench)
            {
                var result = await PgbenchAsync(pgbenchBin, pgbenchEnvironment, clients, options.Seconds, cluster);
                pgbench.Add(result);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  pgbench -N, {clients} clients: {result.Tps:N0} TPS, {result.LatencyAverageMs:F2} ms average, server CPU {Ms(result.ServerCpuMsPerTransaction)} ms/transaction"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| operation | clients | ops/s | p50 ms | p95 ms | p99 ms | ops | errors | client CPU ms/op | server CPU ms/op |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var operations = measurements.Select(m => m.Operation).Distinct().ToList();
        foreach (var m in measurements.OrderBy(m => operations.IndexOf(m.Operation)).ThenBy(m => m.Clients))
        {
            var note = m.Exhausted ? " (pool ran out: shorter run)" : string.Empty;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {m.Operation}{note} | {m.Clients} | {m.PerSecond:N0} | {m.P50:F2} | {m.P95:F2} | {m.P99:F2} | {m.Ops:N0} | {m.Errors} | {m.CpuMsPerOp:F2} | {Ms(m.ServerCpuMsPerOp)} |"));
        }

        foreach (var p in pgbench)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| pgbench -N (simple update, s=10) | {p.Clients} | {p.Tps:N0} | {p.LatencyAverageMs:F2} (avg) | – | – | – | – | – | {Ms(p.ServerCpuMsPerTransaction)} |"));
        }

        if (pgbench.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| clients | Liaison resumes/s | pgbench -N TPS | resumes ÷ TPS | Liaison seq-10 starts/s ÷ TPS |");
            Console.WriteLine("|---:|---:|---:|---:|---:|");
            foreach (var p in pgbench)
            {
                var resume = measurements.First(m => m.Clients == p.Clients && m.Operation.StartsWith("resume", StringComparison.Ordinal));
                var sequential = measurements.First(m => m.Clients == p.Clients && m.Operation.StartsWith("start → end", StringComparison.Ordinal));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {p.Clients} | {resume.PerSecond:N0} | {p.Tps:N0} | {resume.PerSecond / p.Tps:F2} | {sequential.PerSecond / p.Tps:F2} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Load average at the end: {LoadAverage()}");
        var failed = measurements.Where(m => m.Errors > 0).ToList();
        foreach (var m in failed)
        {
            await Console.Error.WriteLineAsync($"{m.Operation} at {m.Clients} clients: {m.Errors} errors, first: {m.FirstError}");
        }

        return failed.Count == 0 ? 0 : 1;
    }

    /// <summary>Starts an instance in a scope of its own; returns its first open bookmark (or Guid.Empty when it finished).</summary>
    private static async Task<Guid> StartAsync(IServiceProvider provider, string definitionId)
    {
        await using var scope = provider.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<WorkflowEngine>().StartAsync(definitionId);
        var expected = definitionId == WaitId ? InstanceStatus.Suspended : InstanceStatus.Finished;
        if (result.Instance.Status != expected)
        {
            throw new InvalidOperationException($"{definitionId} ended {result.Instance.Status}, not {expected}: {result.Fault}");
        }

        return result.Bookmarks.Count > 0 ? result.Bookmarks[0].Id : Guid.Empty;
    }

    private static async Task ResumeAsync(IServiceProvider provider, Guid bookmarkId)
    {
        await using var scope = provider.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<WorkflowEngine>().ResumeAsync(bookmarkId, Scenarios.ResumePayload);
        if (result.Instance.Status != InstanceStatus.Finished)
        {
            throw new InvalidOperationException($"resume of {bookmarkId} left the instance {result.Instance.Status}: {result.Fault}");
        }
    }

    private static async Task TopUpAsync(IServiceProvider provider, ConcurrentQueue<Guid> pool, long wanted, int clients)
    {
        var missing = wanted - pool.Count;
        if (missing <= 0)
        {
            return;
        }

        Console.Error.WriteLine($"  creating {missing:N0} more suspended instances for the resume run ({pool.Count:N0} already)");
        var remaining = missing;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                pool.Enqueue(await StartAsync(provider, WaitId));
            }
        })));
    }

    /// <summary>
    /// Runs <paramref name="clients"/> loops of <paramref name="operation"/> for the warm-up (discarded),
    /// then for the measured duration. An operation returning false means "nothing left to do".
    /// </summary>
    private static async Task<Measurement> MeasureAsync(string name, int clients, Options options, BenchPostgres? cluster, Func<Task<bool>> operation)
    {
        Console.Error.WriteLine($"  {name}, {clients} clients ...");
        await RunClientsAsync(clients, TimeSpan.FromSeconds(options.WarmUpSeconds), operation);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var serverBefore = cluster?.ServerCpu();
        var (latencies, errors, firstError, exhausted, elapsed) = await RunClientsAsync(clients, TimeSpan.FromSeconds(options.Seconds), operation);
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var server = (cluster?.ServerCpu() - serverBefore)?.TotalSeconds;
        latencies.Sort();
        return new Measurement(name, clients, latencies.Count, elapsed.TotalSeconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99), errors, firstError, exhausted, cpu, server);
    }

    private static async Task<(List<double> LatenciesMs, long Errors, string? FirstError, bool Exhausted, TimeSpan Elapsed)> RunClientsAsync(int clients, TimeSpan duration, Func<Task<bool>> operation)
    {
        var perClient = new List<double>[clients];
        long errors = 0;
        string? firstError = null;
        var exhausted = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = perClient[c] = new List<double>(4096);
            while (watch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if (!await operation())
                    {
                        Interlocked.Exchange(ref exhausted, 1);
                        return;
                    }

                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message + (ex.GetBaseException() is { } inner && inner != ex ? " ← " + inner.GetType().Name + ": " + inner.Message : string.Empty), null);
                    if (Interlocked.Read(ref errors) > 100)
                    {
                        return;
                    }
                }
            }
        })));
        watch.Stop();
        return (perClient.SelectMany(l => l).ToList(), errors, firstError, exhausted == 1, watch.Elapsed);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static void Report(Measurement m) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    {m.PerSecond:N0} ops/s, p50 {m.P50:F2} ms, p95 {m.P95:F2} ms, p99 {m.P99:F2} ms, client CPU {m.CpuMsPerOp:F2} ms/op, server CPU {Ms(m.ServerCpuMsPerOp)} ms/op{(m.Errors > 0 ? $", {m.Errors} errors" : string.Empty)}{(m.Exhausted ? ", pool ran out" : string.Empty)}"));

    private static async Task<PgbenchResult> PgbenchAsync(string bin, IReadOnlyDictionary<string, string> environment, int clients, int seconds, BenchPostgres? cluster)
    {
        var serverBefore = cluster?.ServerCpu();
        var output = await BenchPostgres.RunAsync(Path.Combine(bin, "pgbench"),
            ["-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, 2).ToString(CultureInfo.InvariantCulture), "-T", seconds.ToString(CultureInfo.InvariantCulture), "-N"],
            environment);
        await Task.Delay(200); // let the postmaster reap pgbench's backends, so their CPU is counted
        var serverCpu = (cluster?.ServerCpu() - serverBefore)?.TotalSeconds;
        var transactions = TransactionsLine().Match(output);
        var tps = TpsLine().Match(output);
        var latency = LatencyLine().Match(output);
        if (!tps.Success)
        {
            throw new InvalidOperationException($"pgbench printed no TPS:\n{output}");
        }

        return new PgbenchResult(clients, double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture),
            latency.Success ? double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN,
            transactions.Success ? serverCpu * 1000 / long.Parse(transactions.Groups[1].Value, CultureInfo.InvariantCulture) : null);
    }

    private static Dictionary<string, string> PgbenchEnvironment(string adminConnectionString, string database, string? sessionOptions)
    {
        var b = new NpgsqlConnectionStringBuilder(adminConnectionString);
        var environment = new Dictionary<string, string>
        {
            ["PGHOST"] = b.Host ?? "127.0.0.1",
            ["PGPORT"] = b.Port.ToString(CultureInfo.InvariantCulture),
            ["PGUSER"] = b.Username ?? "postgres",
            ["PGDATABASE"] = database,
        };
        if (!string.IsNullOrEmpty(b.Password))
        {
            environment["PGPASSWORD"] = b.Password;
        }

        if (sessionOptions is not null)
        {
            environment["PGOPTIONS"] = sessionOptions;
        }

        return environment;
    }

    private static Options Parse(string[] args)
    {
        var seconds = 10;
        var warmUp = 2.0;
        IReadOnlyList<int> clients = [1, 8, 32];
        var synchronousCommit = true;
        var skipPgbench = false;
        var skipLoop = false;
        var maxAutoPrepare = 64;
        for (var i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--seconds":
                    seconds = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--warmup":
                    warmUp = double.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--clients":
                    clients = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
                    break;
                case "--synchronous-commit":
                    synchronousCommit = Next() switch
                    {
                        "on" => true,
                        "off" => false,
                        var other => throw new FormatException($"--synchronous-commit is on or off, not '{other}'"),
                    };
                    break;
                case "--no-pgbench":
                    skipPgbench = true;
                    break;
                case "--no-loop":
                    skipLoop = true;
                    break;
                case "--max-auto-prepare":
                    maxAutoPrepare = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new FormatException($"unknown argument '{args[i]}'");
            }
        }

        if (seconds < 1 || clients.Count == 0 || clients.Any(c => c < 1))
        {
            throw new FormatException("--seconds must be ≥ 1 and --clients a list of positive numbers");
        }

        return new Options(seconds, warmUp, clients, synchronousCommit, skipPgbench, skipLoop, maxAutoPrepare);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? string.Empty;
    }

    private static string Ms(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "–";

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static string OneLine(string sql) => WhiteSpace().Replace(sql, " ").Trim();

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"number of transactions actually processed: ([0-9]+)")]
    private static partial Regex TransactionsLine();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
