using System.Globalization;
using Liaison.Domain.Calendar;

namespace Liaison.Host.Dashboard;

/// <summary>
/// The dashboard's period: whole days in China time, both ends included, as people pick them
/// (2026-01-01 to 2026-12-31); measured as the instants [start of From, start of the day after To).
/// </summary>
public sealed record DashboardPeriod(DateOnly From, DateOnly To)
{
    /// <summary>Ten years at most: the monthly breakdown lists every month.</summary>
    public const int MaxDays = 3660;

    public DateTimeOffset Start => WorkingCalendar.StartOfDay(From);

    public DateTimeOffset End => WorkingCalendar.StartOfDay(To.AddDays(1));

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The period of equal length just before this one, for the change shown on each tile.</summary>
    public DashboardPeriod Previous => new(From.AddDays(-Days), From.AddDays(-1));

    /// <summary>This calendar year in China time: the default.</summary>
    public static DashboardPeriod ThisYear(DateTimeOffset now)
    {
        var today = WorkingCalendar.LocalDate(now);
        return new(new DateOnly(today.Year, 1, 1), new DateOnly(today.Year, 12, 31));
    }

    public static DashboardPeriod LastYear(DateTimeOffset now)
    {
        var year = WorkingCalendar.LocalDate(now).Year - 1;
        return new(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
    }

    /// <summary>The last <paramref name="days"/> days up to today.</summary>
    public static DashboardPeriod LastDays(DateTimeOffset now, int days)
    {
        var today = WorkingCalendar.LocalDate(now);
        return new(today.AddDays(1 - days), today);
    }

    public string Query => string.Create(CultureInfo.InvariantCulture, $"from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}");

    /// <summary>Parses from/to (yyyy-MM-dd); missing ends default to this year's. A problem when they are malformed or reversed.</summary>
    public static (DashboardPeriod? Period, string? Field, string? Problem) Parse(string? from, string? to, DateTimeOffset now)
    {
        var year = ThisYear(now);
        if (!TryDate(from, year.From, out var start))
        {
            return (null, "from", $"from '{from}' is not a date (yyyy-MM-dd)");
        }

        if (!TryDate(to, year.To, out var end))
        {
            return (null, "to", $"to '{to}' is not a date (yyyy-MM-dd)");
        }

        if (end < start)
        {
            return (null, "to", $"the period ends ({end:yyyy-MM-dd}) before it starts ({start:yyyy-MM-dd})");
        }

        var period = new DashboardPeriod(start, end);
        return period.Days > MaxDays ? (null, "from", $"a period covers at most {MaxDays} days") : (period, null, null);
    }

    private static bool TryDate(string? text, DateOnly fallback, out DateOnly date)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            date = fallback;
            return true;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }
}
