using System.Text.Json.Nodes;
using Liaison.Domain.Persistence;
using Liaison.Host.Workflows;
using Liaison.Testing;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using static Liaison.Testing.Flowcharts;

namespace Liaison.Host.Tests;

public sealed class WorkflowTimerJobTests
{
    private sealed class RecordingScheduler : ITimerScheduler
    {
        public List<(Guid Id, DateTimeOffset DueAt)> Scheduled { get; } = [];

        public void Schedule(Guid timerId, DateTimeOffset dueAt) => Scheduled.Add((timerId, dueAt));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_job_that_runs_early_comes_back_at_the_due_time_and_fires_once(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "earlyjob");
        await using var host = await EngineHost.StartAsync(database);
        await host.PublishAsync(Build(
            "early",
            [Activity("start", "Start"), Activity("wait", "Delay", new JsonObject { ["duration"] = Literal("00:00:02") }), Activity("done", "WriteLine", new JsonObject { ["text"] = Literal("done") })],
            [("start", "Done", "wait"), ("wait", "Done", "done")]));
        var started = await host.EngineAsync(e => e.StartAsync("early"));
        var (timerId, dueAt) = Assert.Single(await host.EngineAsync(e => e.PendingTimersAsync()));
        var scheduler = new RecordingScheduler();

        // Hangfire keeps due times in whole seconds, so its job may start before the row is due.
        host.Clock.SetUtcNow(dueAt.AddMilliseconds(-400));
        await host.EngineAsync(async e => { await new WorkflowTimerJob(e, scheduler).FireAsync(timerId, CancellationToken.None); return 0; });
        Assert.Equal([(timerId, dueAt)], scheduler.Scheduled);

        host.Clock.SetUtcNow(dueAt);
        await host.EngineAsync(async e => { await new WorkflowTimerJob(e, scheduler).FireAsync(timerId, CancellationToken.None); return 0; });
        await host.EngineAsync(async e => { await new WorkflowTimerJob(e, scheduler).FireAsync(timerId, CancellationToken.None); return 0; });

        Assert.Single(scheduler.Scheduled);
        var detail = await host.QueriesAsync(q => q.GetInstanceAsync(started.Instance.Id));
        Assert.Equal(InstanceStatus.Finished, detail.Instance.Status);
    }
}
