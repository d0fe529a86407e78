using Liaison.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Calendar;

/// <summary>
/// Working-day arithmetic over the stored calendar: Monday–Friday work, except stored holidays; stored
/// make-up days are worked even on a weekend. Instants are read in China Standard Time (UTC+8, no DST),
/// because the rules are about Beijing office days, whatever zone the server runs in.
/// </summary>
public sealed class WorkingCalendar
{
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private readonly Dictionary<DateOnly, CalendarDayKind> _exceptions;

    public WorkingCalendar(IEnumerable<CalendarDay> exceptions)
    {
        _exceptions = exceptions.ToDictionary(d => d.Date, d => d.Kind);
    }

    /// <summary>The calendar with every stored exception (a few dozen rows a year).</summary>
    public static async Task<WorkingCalendar> LoadAsync(LiaisonDbContext db, CancellationToken cancellationToken) =>
        new(await db.CalendarDays.AsNoTracking().ToListAsync(cancellationToken));

    public static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(ChinaOffset).DateTime);

    /// <summary>Midnight at the start of <paramref name="date"/> in China, as an instant.</summary>
    public static DateTimeOffset StartOfDay(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), ChinaOffset);

    public bool IsWorkingDay(DateOnly date) => _exceptions.TryGetValue(date, out var kind)
        ? kind == CalendarDayKind.Workday
        : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public bool IsWorkingDay(DateTimeOffset instant) => IsWorkingDay(LocalDate(instant));

    /// <summary>The <paramref name="days"/>-th working day after <paramref name="start"/> (the start day itself never counts).</summary>
    public DateOnly AddWorkingDays(DateOnly start, int days)
    {
        var step = days >= 0 ? 1 : -1;
        var left = Math.Abs(days);
        var current = start;
        while (left > 0)
        {
            current = current.AddDays(step);
            if (IsWorkingDay(current))
            {
                left--;
            }
        }

        return current;
    }

    /// <summary>Same time of day, <paramref name="days"/> working days later (the shape the workflow engine's calendar uses).</summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
    {
        var local = start.ToOffset(ChinaOffset);
        var date = AddWorkingDays(DateOnly.FromDateTime(local.DateTime), days);
        return new DateTimeOffset(date.ToDateTime(TimeOnly.FromDateTime(local.DateTime)), ChinaOffset).ToOffset(start.Offset);
    }

    /// <summary>Working days in the half-open range (<paramref name="from"/>, <paramref name="to"/>]: after from, up to and including to.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            return -WorkingDaysBetween(to, from);
        }

        var count = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
        {
            if (IsWorkingDay(d))
            {
                count++;
            }
        }

        return count;
    }
}
