using System.Diagnostics;
using System.Globalization;
using Liaison.Benchmarks.Durable;
using Liaison.Host;
using Liaison.Host.Identity;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Liaison.Benchmarks.Reminders;

/// <summary>
/// `-- reminders [--count N] [--servers 1|3]`: N reminders of open human tasks come due at the same
/// instant on PostgreSQL; 1 or 3 real Host processes (each its own Hangfire server) fire and deliver
/// them (in-app channel). Reports the lag from the due time to wf_due_items.fired_at and to
/// notification_deliveries.sent_at (median, p95, p99, worst) and duplicates.
/// </summary>
public static class ReminderHarness
{
    private const string UnitId = "unit-bench";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--count", 1000);
        var servers = Option(args, "--servers", 1);
        var given = Environment.GetEnvironmentVariable(DurableHarness.ConnectionStringVariable);
        await using var cluster = string.IsNullOrWhiteSpace(given) ? await BenchPostgres.StartAsync() : null;
        var admin = cluster?.ConnectionString ?? given!;
        var name = $"liaison_reminders_{Environment.ProcessId}_{DateTime.UtcNow:HHmmss}";
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 60 }.ConnectionString;
        var dataDirectory = Directory.CreateTempSubdirectory("liaison-bench-reminders-").FullName;
        var nodes = new List<Process>();
        try
        {
            // The planning app (an API node without a Hangfire server): migrates, creates the recipient, plans.
            var app = LiaisonApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Liaison:Database:Provider"] = "PostgreSql",
                    ["ConnectionStrings:Liaison"] = connectionString,
                    ["Liaison:DataDirectory"] = dataDirectory,
                    ["Liaison:Hangfire:RunServer"] = "false",
                    ["Liaison:Demo:Enabled"] = "false",
                    ["Logging:LogLevel:Default"] = "Warning",
                });
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
            });
            await LiaisonApp.PrepareAsync(app);
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(
                    new CreateUserRequest("bench-handler", "基准测试承办人", "Bench-password-1", [Roles.UnitHandler], UnitId), CancellationToken.None);
            }

            for (var i = 1; i <= servers; i++)
            {
                nodes.Add(StartNode($"bench-node-{i}", connectionString, dataDirectory));
            }

            var up = Stopwatch.StartNew();
            while (await ScalarAsync(connectionString, "SELECT count(*) FROM hangfire.server") < servers)
            {
                if (nodes.Any(n => n.HasExited) || up.Elapsed > TimeSpan.FromMinutes(3))
                {
                    await Console.Error.WriteLineAsync("The Host processes did not come up.");
                    return 1;
                }

                await Task.Delay(250);
            }

            // One instant for all: far enough ahead for planning N items and their Hangfire jobs.
            var dueAt = DateTimeOffset.UtcNow.AddSeconds(10 + count * 0.012);
            var planning = Stopwatch.StartNew();
            await PlanAsync(app.Services, count, dueAt);
            Console.WriteLine($"{count} reminders due at {dueAt:HH:mm:ss.fff} planned in {planning.Elapsed.TotalSeconds:F1} s; {servers} server(s)");
            if (DateTimeOffset.UtcNow >= dueAt)
            {
                await Console.Error.WriteLineAsync("Planning took past the due time; the lags would be meaningless.");
                return 1;
            }

            var wait = Stopwatch.StartNew();
            while (await ScalarAsync(connectionString, "SELECT count(*) FROM wf_due_items WHERE kind = 'task.reminder' AND fired_at IS NULL") > 0
                || await ScalarAsync(connectionString, "SELECT count(*) FROM notification_deliveries WHERE sent_at IS NULL") > 0
                || await ScalarAsync(connectionString, "SELECT count(*) FROM notification_deliveries") < count)
            {
                if (wait.Elapsed > TimeSpan.FromMinutes(20) || nodes.Any(n => n.HasExited))
                {
                    await Console.Error.WriteLineAsync("Not everything was delivered in time (or a node died).");
                    return 1;
                }

                await Task.Delay(250);
            }

            var fired = await LagsAsync(connectionString, "SELECT extract(epoch FROM fired_at - due_at) FROM wf_due_items WHERE kind = 'task.reminder'");
            var sent = await LagsAsync(connectionString, $"SELECT extract(epoch FROM sent_at - '{dueAt.UtcDateTime:O}'::timestamptz) FROM notification_deliveries");
            var notifications = await ScalarAsync(connectionString, "SELECT count(*) FROM notifications");
            var distinctMessages = await ScalarAsync(connectionString, "SELECT count(DISTINCT (user_id, message)) FROM notifications");
            Console.WriteLine();
            Console.WriteLine("| reminders | servers | due → fired p50 / p95 / p99 / max (s) | due → delivered p50 / p95 / p99 / max (s) | deliveries | duplicates |");
            Console.WriteLine("|---:|---:|---|---|---:|---:|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {count:N0} | {servers} | {Summary(fired)} | {Summary(sent)} | {sent.Count:N0} | {notifications - distinctMessages} |"));
            return notifications == distinctMessages && notifications == count ? 0 : 1;
        }
        finally
        {
            foreach (var node in nodes)
            {
                if (!node.HasExited)
                {
                    node.Kill(entireProcessTree: true);
                    await node.WaitForExitAsync();
                }

                node.Dispose();
            }

            NpgsqlConnection.ClearAllPools();
            if (cluster is null)
            {
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            }
        }
    }

    private static async Task PlanAsync(IServiceProvider services, int count, DateTimeOffset dueAt)
    {
        var now = DateTimeOffset.UtcNow;
        var items = new List<DueItemRecord>();
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            for (var i = 0; i < count; i++)
            {
                var task = new HumanTaskRecord
                {
                    Id = Guid.CreateVersion7(),
                    InstanceId = Guid.NewGuid(),
                    BookmarkId = Guid.NewGuid(),
                    ActivityId = "handle",
                    Title = $"基准提醒 {i + 1:D5}",
                    AssigneeKind = "Unit",
                    AssigneeId = UnitId,
                    OutcomesJson = "[\"Done\"]",
                    CreatedAt = now,
                    RemindersJson = $"[\"{dueAt:O}\"]",
                    Status = HumanTaskStatus.Open,
                };
                db.HumanTasks.Add(task);
                var item = DueItemPlanner.Item($"task:{task.Id}:reminder:{DueItemPlanner.Stamp(dueAt)}", DueItemKinds.TaskReminder, task.Id, dueAt, now);
                db.DueItems.Add(item);
                items.Add(item);
            }

            await db.SaveChangesAsync();
        }

        var scheduler = services.GetRequiredService<IDueItemScheduler>();
        foreach (var item in items)
        {
            scheduler.Schedule(item.Id, item.DueAt);
        }
    }

    private static Process StartNode(string name, string connectionString, string dataDirectory)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Liaison.Host.dll"));
        info.ArgumentList.Add("--urls=http://127.0.0.1:0");
        info.Environment["Liaison__Database__Provider"] = "PostgreSql";
        info.Environment["ConnectionStrings__Liaison"] = connectionString;
        info.Environment["Liaison__DataDirectory"] = dataDirectory;
        info.Environment["Liaison__Hangfire__ServerName"] = name;
        info.Environment["Liaison__Demo__Enabled"] = "false";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {name}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string Summary(List<double> lags)
    {
        lags.Sort();
        double At(double p) => lags[Math.Min(lags.Count - 1, (int)Math.Ceiling(p * lags.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"{At(0.5):F2} / {At(0.95):F2} / {At(0.99):F2} / {lags[^1]:F2}");
    }

    private static async Task<List<double>> LagsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lags = new List<double>();
        while (await reader.ReadAsync())
        {
            lags.Add(Convert.ToDouble(reader.GetValue(0), CultureInfo.InvariantCulture));
        }

        return lags;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static int Option(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).DefaultIfEmpty(fallback).First();
}
