namespace Liaison.Workflows.Time;

/// <summary>Resolves working days; the domain supplies the real calendar (holidays, make-up days) later.</summary>
public interface IWorkingCalendar
{
    /// <summary>The instant that lies <paramref name="days"/> working days after <paramref name="start"/>, same time of day.</summary>
    DateTimeOffset AddWorkingDays(DateTimeOffset start, int days);
}

/// <summary>Default calendar: Saturday and Sunday are the only non-working days.</summary>
public sealed class WeekendOnlyCalendar : IWorkingCalendar
{
    public static WeekendOnlyCalendar Instance { get; } = new();

    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
    {
        var step = days >= 0 ? 1 : -1;
        var left = Math.Abs(days);
        var current = start;
        while (left > 0)
        {
            current = current.AddDays(step);
            if (current.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                left--;
            }
        }

        return current;
    }
}
