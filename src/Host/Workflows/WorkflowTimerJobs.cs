using Hangfire;
using Liaison.Host.Background;
using Liaison.Workflows.Durable;

namespace Liaison.Host.Workflows;

/// <summary>
/// Schedules a Hangfire delayed job per durable timer. The delay is relative to Liaison's clock, so a
/// job never fires before its row is due even when nodes' clocks or a test's fake clock differ.
/// </summary>
public sealed class HangfireTimerScheduler(IBackgroundJobClient jobs, TimeProvider clock) : ITimerScheduler
{
    public void Schedule(Guid timerId, DateTimeOffset dueAt) =>
        DueTimeJobs.Schedule<WorkflowTimerJob>(jobs, clock, dueAt, job => job.FireAsync(timerId, CancellationToken.None));
}

/// <summary>The Hangfire entry points for workflow timers. Both are idempotent: a timer row fires once.</summary>
public sealed class WorkflowTimerJob(WorkflowEngine engine, ITimerScheduler scheduler)
{
    public const string SweepJobId = "workflow-timer-sweep";

    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800])]
    public Task FireAsync(Guid timerId, CancellationToken cancellationToken) => DueTimeJobs.FireOrComeBackAsync(
        () => engine.FireTimerAsync(timerId, cancellationToken),
        () => engine.PendingDueAtAsync(timerId, cancellationToken),
        dueAt => scheduler.Schedule(timerId, dueAt));

    /// <summary>Fires anything due and not fired: after a restart, a lost job or a crashed node.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public Task<int> SweepAsync(CancellationToken cancellationToken) => engine.SweepDueTimersAsync(cancellationToken: cancellationToken);
}
