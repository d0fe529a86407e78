using Liaison.Workflows.Persistence;
using Liaison.Workflows.Time;

namespace Liaison.Host.Components.Shared;

/// <summary>The lights and working days left that every list shows (ui.md): red overdue, yellow within the warning window.</summary>
public static class Deadlines
{
    /// <summary>The yellow light: due within this many working days (ui.md's default warning window).</summary>
    public const int WarningWorkingDays = Liaison.Domain.Rules.HandlingRules.DefaultYellowLightWorkingDays;

    public static TaskLight LightOf(IWorkingCalendar calendar, DateTimeOffset? due, DateTimeOffset now) =>
        due is null ? TaskLight.Green
        : due < now ? TaskLight.Red
        : due <= calendar.AddWorkingDays(now, WarningWorkingDays) ? TaskLight.Yellow
        : TaskLight.Green;

    /// <summary>Working days from now to the due date, negative once overdue.</summary>
    public static int? WorkingDaysLeft(IWorkingCalendar calendar, DateTimeOffset? due, DateTimeOffset now)
    {
        if (due is not { } d)
        {
            return null;
        }

        var sign = d >= now ? 1 : -1;
        var days = 0;
        // Bounded: a deadline years away still shows, counted up to a cap.
        while (days < 1000 && (sign > 0 ? calendar.AddWorkingDays(now, days + 1) <= d : calendar.AddWorkingDays(now, -(days + 1)) >= d))
        {
            days++;
        }

        return sign > 0 ? days : -Math.Max(days, 1);
    }

    /// <summary>The light's colour, readable on white.</summary>
    public static string Colour(TaskLight light) => light switch
    {
        TaskLight.Red => "#d32f2f",
        TaskLight.Yellow => "#f9a825",
        _ => "#2e7d32",
    };
}
