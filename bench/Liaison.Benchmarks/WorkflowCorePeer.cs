using System.Collections.Concurrent;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using WorkflowCore.Interface;
using WorkflowCore.Models;
using WorkflowCore.Models.LifeCycleEvents;

namespace Liaison.Benchmarks;

/// <summary>
/// The same workflows (ten sequential steps, a fork/join of four branches, and one that waits for an event
/// and is resumed) on WorkflowCore with its defaults (in-memory persistence, single-node
/// queue, one worker per core). WorkflowCore runs instances on background workers, so it is measured as a
/// batch: start N instances, wait until every one has completed.
/// </summary>
public sealed class WorkflowCorePeer : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IWorkflowHost _host;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _pending = new();

    public WorkflowCorePeer()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddWorkflow();
        _services = services.BuildServiceProvider();
        _host = _services.GetRequiredService<IWorkflowHost>();
        _host.RegisterWorkflow<Sequential10Workflow, BenchData>();
        _host.RegisterWorkflow<ForkJoin4Workflow, BenchData>();
        _host.RegisterWorkflow<SuspendResumeWorkflow, BenchData>();
        _host.OnLifeCycleEvent += OnLifeCycleEvent;
        _host.Start();
    }

    /// <summary>Starts <paramref name="count"/> instances of <paramref name="workflowId"/> and returns when all have completed.</summary>
    public async Task RunBatchAsync(int count, string workflowId = Sequential10Workflow.Id)
    {
        var waits = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // The reference is known only after StartWorkflow returns; completion may come first, so key by reference.
            var reference = Guid.NewGuid().ToString("N");
            _pending[reference] = done;
            await _host.StartWorkflow(workflowId, 1, new BenchData { Key = reference }, reference);

            // The suspending workflow waits for its event; published at once, it is matched when the step subscribes
            // (the subscription accepts events from any time), so the batch measures suspend + resume.
            if (workflowId == SuspendResumeWorkflow.Id)
            {
                await _host.PublishEvent(SuspendResumeWorkflow.EventName, reference, null);
            }

            waits.Add(done.Task);
        }

        await Task.WhenAll(waits).WaitAsync(TimeSpan.FromMinutes(5));
    }

    private void OnLifeCycleEvent(LifeCycleEvent evt)
    {
        if (evt is WorkflowCompleted && evt.Reference is { } reference && _pending.TryRemove(reference, out var done))
        {
            done.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _host.Stop();
        await _services.DisposeAsync();
    }

    public sealed class BenchData
    {
        public int Counter { get; set; }

        public string Key { get; set; } = string.Empty;
    }

    /// <summary>Sets the workflow's data, like Liaison's SetVariable.</summary>
    public sealed class SetCounter : StepBody
    {
        public int Value { get; set; }

        public override ExecutionResult Run(IStepExecutionContext context)
        {
            ((BenchData)context.Workflow.Data).Counter = Value;
            return ExecutionResult.Next();
        }
    }

    /// <summary>Start → 8 × SetCounter → End, like <see cref="Scenarios.Sequential10"/>.</summary>
    public sealed class Sequential10Workflow : IWorkflow<BenchData>
    {
        public const string Id = "bench-sequential-10";

        string IWorkflow<BenchData>.Id => Id;

        public int Version => 1;

        public void Build(IWorkflowBuilder<BenchData> builder)
        {
            var step = builder.StartWith(_ => ExecutionResult.Next()).Then<SetCounter>().Input(s => s.Value, _ => 1);
            for (var i = 2; i <= 8; i++)
            {
                var value = i;
                step = step.Then<SetCounter>().Input(s => s.Value, _ => value);
            }

            step.Then(_ => ExecutionResult.Next());
        }
    }

    /// <summary>Start → Parallel (4 branches of one SetCounter) → Join → End, like <see cref="Scenarios.ForkJoin4"/>.</summary>
    public sealed class ForkJoin4Workflow : IWorkflow<BenchData>
    {
        public const string Id = "bench-fork-join-4";

        string IWorkflow<BenchData>.Id => Id;

        public int Version => 1;

        public void Build(IWorkflowBuilder<BenchData> builder) => builder
            .StartWith(_ => ExecutionResult.Next())
            .Parallel()
                .Do(branch => branch.StartWith<SetCounter>().Input(s => s.Value, _ => 1))
                .Do(branch => branch.StartWith<SetCounter>().Input(s => s.Value, _ => 2))
                .Do(branch => branch.StartWith<SetCounter>().Input(s => s.Value, _ => 3))
                .Do(branch => branch.StartWith<SetCounter>().Input(s => s.Value, _ => 4))
            .Join()
            .Then(_ => ExecutionResult.Next());
    }

    /// <summary>Start → SetCounter → WaitFor (suspends) → SetCounter → End, like <see cref="Scenarios.SuspendResume"/>.</summary>
    public sealed class SuspendResumeWorkflow : IWorkflow<BenchData>
    {
        public const string Id = "bench-suspend-resume";
        public const string EventName = "bench-resume";

        string IWorkflow<BenchData>.Id => Id;

        public int Version => 1;

        public void Build(IWorkflowBuilder<BenchData> builder) => builder
            .StartWith(_ => ExecutionResult.Next())
            .Then<SetCounter>().Input(s => s.Value, _ => 1)
            .WaitFor(EventName, data => data.Key, _ => DateTime.MinValue)
            .Then<SetCounter>().Input(s => s.Value, _ => 2)
            .Then(_ => ExecutionResult.Next());
    }
}
