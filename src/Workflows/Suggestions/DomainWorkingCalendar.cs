using Liaison.Domain.Calendar;
using Liaison.Domain.Persistence;
using Liaison.Workflows.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Workflows.Suggestions;

/// <summary>The engine's calendar over a fixed domain calendar (tests, the harness).</summary>
public sealed class FixedDomainCalendar(WorkingCalendar calendar) : IWorkingCalendar
{
    public WorkingCalendar Calendar { get; } = calendar;

    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days) => Calendar.AddWorkingDays(start, days);
}

/// <summary>
/// The engine's calendar over the domain's stored one (holidays and make-up days are data), so workflow
/// deadlines count the same working days as the domain's. The runner is synchronous, so the calendar is
/// cached and reloaded after <see cref="RefreshAfter"/>; <see cref="WarmUpAsync"/> loads it ahead of a
/// transaction so that a burst never has to query.
/// </summary>
public sealed class DomainWorkingCalendar(IServiceScopeFactory scopes, TimeProvider clock) : IWorkingCalendar
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(5);

    private Snapshot? _snapshot;

    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days) => Current().AddWorkingDays(start, days);

    public WorkingCalendar Current()
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && !IsStale(snapshot))
        {
            return snapshot.Calendar;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
        return Store(db.CalendarDays.AsNoTracking().ToList());
    }

    public async Task WarmUpAsync(LiaisonDbContext db, CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null || IsStale(snapshot))
        {
            Store(await db.CalendarDays.AsNoTracking().ToListAsync(cancellationToken));
        }
    }

    /// <summary>Forget the cache, e.g. after the administrator changed the calendar.</summary>
    public void Invalidate() => Volatile.Write(ref _snapshot, null);

    private bool IsStale(Snapshot snapshot)
    {
        var age = clock.GetUtcNow() - snapshot.LoadedAt;
        return age < TimeSpan.Zero || age > RefreshAfter;
    }

    private WorkingCalendar Store(List<CalendarDay> days)
    {
        var calendar = new WorkingCalendar(days);
        Volatile.Write(ref _snapshot, new Snapshot(calendar, clock.GetUtcNow()));
        return calendar;
    }

    private sealed record Snapshot(WorkingCalendar Calendar, DateTimeOffset LoadedAt);
}
