using System.Linq.Expressions;
using Hangfire;

namespace Liaison.Host.Background;

/// <summary>
/// What Hangfire jobs for durable rows (workflow timers, due items) share: the delay is measured on
/// Liaison's clock, and a job that finds its row not yet due comes back at the due time.
/// </summary>
public static class DueTimeJobs
{
    public static void Schedule<TJob>(IBackgroundJobClient jobs, TimeProvider clock, DateTimeOffset dueAt, Expression<Func<TJob, Task>> call)
    {
        var delay = dueAt - clock.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            jobs.Enqueue(call);
        }
        else
        {
            jobs.Schedule(call, delay);
        }
    }

    /// <summary>
    /// Fires the row; when it was not fired but is still pending the job ran early (Hangfire keeps due times
    /// in whole seconds, so a job can start up to a second before its row is due): come back at the due time
    /// — always, even if that moment has passed meanwhile (then at once), or only the minutely sweep would fire it.
    /// </summary>
    public static async Task FireOrComeBackAsync(Func<Task<bool>> fire, Func<Task<DateTimeOffset?>> pendingDueAt, Action<DateTimeOffset> comeBack)
    {
        if (await fire())
        {
            return;
        }

        if (await pendingDueAt() is { } dueAt)
        {
            comeBack(dueAt);
        }
    }
}
