using Liaison.Domain.Calendar;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Time;

namespace Liaison.Host.Components.Shared;

/// <summary>
/// The lights at one instant: red once overdue, yellow when due before <paramref name="YellowUntil"/> (the end of the
/// warning window of the rule <c>rules.yellow-light</c> in force, as the board and the reports read it), green otherwise.
/// </summary>
public sealed record LightWindow(DateTimeOffset Now, DateTimeOffset YellowUntil)
{
    public TaskLight Of(DateTimeOffset? due) =>
        due is null ? TaskLight.Green
        : due < Now ? TaskLight.Red
        : due <= YellowUntil ? TaskLight.Yellow
        : TaskLight.Green;

    /// <summary>Reads the rule and the working calendar now, so an administrator's change shows on the next load.</summary>
    public static async Task<LightWindow> LoadAsync(LiaisonDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rules = await HandlingRules.LoadAsync(db, cancellationToken);
        var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
        return new LightWindow(now, rules.YellowLight.DueFrom(now, calendar));
    }
}

/// <summary>The lights and working days left that every list shows (ui.md): red overdue, yellow within the warning window.</summary>
public static class Deadlines
{

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
