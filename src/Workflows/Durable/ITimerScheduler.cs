namespace Liaison.Workflows.Durable;

/// <summary>
/// Asks the background-job runner to fire a durable timer at its due time. Called after the timer row
/// is committed; if scheduling is lost, the recurring sweep fires the row anyway.
/// </summary>
public interface ITimerScheduler
{
    void Schedule(Guid timerId, DateTimeOffset dueAt);
}

/// <summary>Relies on the sweep alone; used by tools and tests that drive timers themselves.</summary>
public sealed class SweepOnlyTimerScheduler : ITimerScheduler
{
    public void Schedule(Guid timerId, DateTimeOffset dueAt)
    {
    }
}
