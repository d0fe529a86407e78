using Hangfire;
using Liaison.Workflows.Durable;

namespace Liaison.Host.Workflows;

/// <summary>
/// Schedules a Hangfire delayed job per durable timer. The delay is relative to Liaison's clock, so a
/// job never fires before its row is due even when nodes' clocks or a test's fake clock differ.
/// </summary>
public sealed class HangfireTimerScheduler(IBackgroundJobClient jobs, TimeProvider clock) : ITimerScheduler
{
    public void Schedule(Guid timerId, DateTimeOffset dueAt)
    {
        var delay = dueAt - clock.GetUtcNow();
        jobs.Schedule<WorkflowTimerJob>(job => job.FireAsync(timerId, CancellationToken.None), delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
    }
}

/// <summary>The Hangfire entry points for workflow timers. Both are idempotent: a timer row fires once.</summary>
public sealed class WorkflowTimerJob(WorkflowEngine engine, ITimerScheduler scheduler)
{
    public const string SweepJobId = "workflow-timer-sweep";

    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800])]
    public async Task FireAsync(Guid timerId, CancellationToken cancellationToken)
    {
        if (await engine.FireTimerAsync(timerId, cancellationToken))
        {
            return;
        }

        // Not fired and still pending means the job ran early: Hangfire keeps due times in whole seconds,
        // so a job can start up to a second before its row is due. Come back at the due time — always,
        // even if that moment has passed meanwhile (then at once), or only the minutely sweep would fire it.
        if (await engine.PendingDueAtAsync(timerId, cancellationToken) is { } dueAt)
        {
            scheduler.Schedule(timerId, dueAt);
        }
    }

    /// <summary>Fires anything due and not fired: after a restart, a lost job or a crashed node.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public Task<int> SweepAsync(CancellationToken cancellationToken) => engine.SweepDueTimersAsync(cancellationToken: cancellationToken);
}
