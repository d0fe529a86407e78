namespace Liaison.Workflows.DueItems;

/// <summary>
/// Asks the background-job runner to fire a due item at its time. Called after the row is committed; a
/// lost job costs nothing but time, because the recurring sweep fires every due row that has not fired.
/// </summary>
public interface IDueItemScheduler
{
    void Schedule(Guid dueItemId, DateTimeOffset dueAt);
}

/// <summary>Relies on the sweep alone; for tools and tests that drive time themselves.</summary>
public sealed class SweepOnlyDueItemScheduler : IDueItemScheduler
{
    public void Schedule(Guid dueItemId, DateTimeOffset dueAt)
    {
    }
}
