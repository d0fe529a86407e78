using Hangfire;
using Liaison.Host.Background;
using Liaison.Workflows.DueItems;

namespace Liaison.Host.DueItems;

/// <summary>A Hangfire delayed job per due item, timed by Liaison's clock (as for workflow timers).</summary>
public sealed class HangfireDueItemScheduler(IBackgroundJobClient jobs, TimeProvider clock) : IDueItemScheduler
{
    public void Schedule(Guid dueItemId, DateTimeOffset dueAt) =>
        DueTimeJobs.Schedule<DueItemJob>(jobs, clock, dueAt, job => job.FireAsync(dueItemId, CancellationToken.None));
}

/// <summary>The Hangfire entry points for due items; both are idempotent because firing claims the row.</summary>
public sealed class DueItemJob(DueItemRunner runner, IDueItemScheduler scheduler)
{
    public const string SweepJobId = "due-item-sweep";

    /// <summary>Retried with back-off when the handler fails (a database hiccup); the row keeps the attempts and the last error.</summary>
    [AutomaticRetry(Attempts = 10, DelaysInSeconds = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800])]
    public async Task FireAsync(Guid dueItemId, CancellationToken cancellationToken)
    {
        var fired = false;
        await DueTimeJobs.FireOrComeBackAsync(
            async () => fired = await runner.FireAsync(dueItemId, cancellationToken),
            () => runner.PendingDueAtAsync(dueItemId, cancellationToken),
            dueAt => scheduler.Schedule(dueItemId, dueAt));

        // Many items come due together (a term's deadlines, a digest morning): the job that fired its own
        // row fires the others that are due too, so a burst goes at the database's pace, not one
        // Hangfire job at a time; their own jobs then find them fired and return.
        if (fired)
        {
            await runner.DrainDueAsync(cancellationToken: cancellationToken);
        }
    }

    /// <summary>Fires whatever is due and not fired: a lost job, a restart, a node that died mid-run.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public Task<int> SweepAsync(CancellationToken cancellationToken) => runner.SweepAsync(cancellationToken: cancellationToken);
}
