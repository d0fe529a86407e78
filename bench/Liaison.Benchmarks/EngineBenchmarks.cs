using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

using Liaison.Workflows.Runtime;

namespace Liaison.Benchmarks;

/// <summary>BenchmarkDotNet config: allocations (MemoryDiagnoser) and instances/s (Op/s) next to the mean.</summary>
public sealed class InstancesConfig : ManualConfig
{
    public InstancesConfig()
    {
        AddColumn(StatisticColumn.OperationsPerSecond);
        AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);
    }
}

/// <summary>One workflow instance per operation, on Liaison's in-memory runner.</summary>
[Config(typeof(InstancesConfig))]
public class EngineBenchmarks
{
    private readonly Scenarios _scenarios = new();

    [GlobalSetup]
    public void Setup() => _scenarios.Check();

    [Benchmark(Description = "sequential-10")]
    public WorkflowStatus Sequential10() => _scenarios.RunSequential10();

    [Benchmark(Description = "fork-join-4")]
    public WorkflowStatus ForkJoin4() => _scenarios.RunForkJoin4();

    [Benchmark(Description = "suspend-json-resume")]
    public WorkflowStatus SuspendResume() => _scenarios.RunSuspendResume();
}

/// <summary>WorkflowCore's 10-step sequential workflow, measured per instance over batches of <see cref="Batch"/>.</summary>
[Config(typeof(InstancesConfig))]
public class WorkflowCoreBenchmarks
{
    public const int Batch = 1000;
    private WorkflowCorePeer? _peer;

    [GlobalSetup]
    public void Setup() => _peer = new WorkflowCorePeer();

    [GlobalCleanup]
    public void Cleanup() => _peer?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "workflowcore-sequential-10", OperationsPerInvoke = Batch)]
    public Task Sequential10() => _peer!.RunBatchAsync(Batch);
}
