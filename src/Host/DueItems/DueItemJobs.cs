using Hangfire;
using Liaison.Workflows.DueItems;

namespace Liaison.Host.DueItems;

/// <summary>A Hangfire delayed job per due item, timed by Liaison's clock (as for workflow timers).</summary>
public sealed class HangfireDueItemScheduler(IBackgroundJobClient jobs, TimeProvider clock) : IDueItemScheduler
{
    public void Schedule(Guid dueItemId, DateTimeOffset dueAt)
    {
        var delay = dueAt - clock.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            jobs.Enqueue<DueItemJob>(job => job.FireAsync(dueItemId, CancellationToken.None));
        }
        else
        {
            jobs.Schedule<DueItemJob>(job => job.FireAsync(dueItemId, CancellationToken.None), delay);
        }
    }
}

/// <summary>The Hangfire entry points for due items; both are idempotent because firing claims the row.</summary>
public sealed class DueItemJob(DueItemRunner runner, IDueItemScheduler scheduler)
{
    public const string SweepJobId = "due-item-sweep";

    /// <summary>Retried with back-off when the handler fails (a database hiccup); the row keeps the attempts and the last error.</summary>
    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800])]
    public async Task FireAsync(Guid dueItemId, CancellationToken cancellationToken)
    {
        if (await runner.FireAsync(dueItemId, cancellationToken))
        {
            return;
        }

        // Hangfire keeps due times in whole seconds and may start a job just before its row is due:
        // come back at the due time rather than leave it to the minutely sweep.
        if (await runner.PendingDueAtAsync(dueItemId, cancellationToken) is { } dueAt)
        {
            scheduler.Schedule(dueItemId, dueAt);
        }
    }

    /// <summary>Fires whatever is due and not fired: a lost job, a restart, a node that died mid-run.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public Task<int> SweepAsync(CancellationToken cancellationToken) => runner.SweepAsync(cancellationToken: cancellationToken);
}
