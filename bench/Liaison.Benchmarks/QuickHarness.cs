using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Liaison.Benchmarks;

/// <summary>
/// `-- quick`: each scenario for a fixed number of instances after a warm-up, one Markdown table.
/// Coarser than BenchmarkDotNet, but under a minute and good enough to spot a regression.
/// </summary>
public static class QuickHarness
{
    private sealed record Row(string Scenario, int Instances, double Seconds, double? AllocatedBytes)
    {
        public double PerSecond => Instances / Seconds;
        public double MicrosPerInstance => Seconds * 1e6 / Instances;
    }

    public static async Task<int> RunAsync(bool includeWorkflowCore, int scale)
    {
        var scenarios = new Scenarios();
        scenarios.Check();
        var rows = new List<Row>
        {
            Measure("Liaison sequential-10 (1 thread)", 20_000 * scale, scenarios.RunSequential10),
            Measure("Liaison fork-join-4 (1 thread)", 20_000 * scale, scenarios.RunForkJoin4),
            Measure("Liaison suspend-json-resume (1 thread)", 10_000 * scale, scenarios.RunSuspendResume),
            MeasureParallel($"Liaison sequential-10 ({Environment.ProcessorCount} threads)", 40_000 * scale, scenarios.RunSequential10),
        };

        Row? peer = null;
        var peers = new List<(Row Liaison, Row Peer)>();
        if (includeWorkflowCore)
        {
            await using var workflowCore = new WorkflowCorePeer();
            var cases = new[]
            {
                (Id: WorkflowCorePeer.Sequential10Workflow.Id, Name: "sequential-10", Liaison: rows[0]),
                (Id: WorkflowCorePeer.ForkJoin4Workflow.Id, Name: "fork-join-4", Liaison: rows[1]),
                (Id: WorkflowCorePeer.SuspendResumeWorkflow.Id, Name: "suspend-resume", Liaison: rows[2]),
            };
            foreach (var (id, name, liaison) in cases)
            {
                await workflowCore.RunBatchAsync(500, id); // warm-up: JIT, expression compilation, worker threads
                var instances = 5_000 * scale;
                var watch = Stopwatch.StartNew();
                await workflowCore.RunBatchAsync(instances, id);
                watch.Stop();
                var row = new Row($"WorkflowCore {name} (batch, {Environment.ProcessorCount} workers)", instances, watch.Elapsed.TotalSeconds, null);
                rows.Add(row);
                peers.Add((liaison, row));
            }

            peer = peers[0].Peer;
        }

        Console.WriteLine($"Liaison engine, quick mode · {DateTime.UtcNow:yyyy-MM-dd} · {RuntimeInformation.FrameworkDescription} · {Environment.ProcessorCount} logical cores");
        Console.WriteLine();
        Console.WriteLine("| scenario | instances | seconds | instances/s | µs/instance | allocated/instance |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            var allocated = r.AllocatedBytes is { } b ? $"{b / 1024:F1} KB" : "–";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Instances:N0} | {r.Seconds:F2} | {r.PerSecond:N0} | {r.MicrosPerInstance:F1} | {allocated} |"));
        }

        if (peer is not null)
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Ratio Liaison / WorkflowCore, sequential-10 instances/s: {rows[0].PerSecond / peer.PerSecond:F1}× (1 thread vs its workers), {rows[3].PerSecond / peer.PerSecond:F1}× (both on all cores)"));
            foreach (var (liaison, other) in peers.Skip(1))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Ratio {liaison.Scenario} / {other.Scenario}: {liaison.PerSecond / other.PerSecond:F1}×"));
            }
        }

        return 0;
    }

    private static Row Measure<T>(string name, int instances, Func<T> run)
    {
        WarmUp(run);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < instances; i++)
        {
            run();
        }

        watch.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return new Row(name, instances, watch.Elapsed.TotalSeconds, (double)allocated / instances);
    }

    /// <summary>At least a second and 2,000 runs, so tiered JIT has promoted the hot paths before timing.</summary>
    private static void WarmUp<T>(Func<T> run)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 2_000 || watch.Elapsed < TimeSpan.FromSeconds(1); i++)
        {
            run();
        }
    }

    private static Row MeasureParallel<T>(string name, int instances, Func<T> run)
    {
        WarmUp(run);
        Parallel.For(0, 2_000, _ => run());
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        Parallel.For(0, instances, _ => run());
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return new Row(name, instances, watch.Elapsed.TotalSeconds, (double)allocated / instances);
    }
}
