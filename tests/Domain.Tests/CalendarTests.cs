using Liaison.Domain.Calendar;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Liaison.Testing;

namespace Liaison.Domain.Tests;

public sealed class CalendarTests
{
    private static readonly WorkingCalendar Calendar = new(ChinaCalendar2026.Days);

    [Theory]
    [InlineData("2026-01-01", false)] // New Year (Thu)
    [InlineData("2026-01-04", true)] // make-up Sunday
    [InlineData("2026-02-14", true)] // make-up Saturday before Spring Festival
    [InlineData("2026-02-16", false)]
    [InlineData("2026-02-23", false)] // last day of Spring Festival (Mon)
    [InlineData("2026-02-24", true)]
    [InlineData("2026-02-28", true)] // make-up Saturday
    [InlineData("2026-03-07", false)] // plain Saturday
    [InlineData("2026-03-02", true)] // plain Monday
    [InlineData("2026-04-06", false)] // Qingming (Mon)
    [InlineData("2026-05-05", false)] // Labour Day (Tue)
    [InlineData("2026-05-09", true)] // make-up Saturday
    [InlineData("2026-06-19", false)] // Dragon Boat
    [InlineData("2026-09-20", true)] // make-up Sunday
    [InlineData("2026-09-25", false)] // Mid-Autumn
    [InlineData("2026-10-07", false)] // National Day
    [InlineData("2026-10-10", true)] // make-up Saturday
    public void The_2026_calendar_follows_the_State_Council_notice(string date, bool working)
    {
        Assert.Equal(working, Calendar.IsWorkingDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void The_2026_seed_has_33_holidays_and_6_make_up_days_and_248_working_days()
    {
        Assert.Equal(33, ChinaCalendar2026.Days.Count(d => d.Kind == CalendarDayKind.Holiday));
        Assert.Equal(6, ChinaCalendar2026.Days.Count(d => d.Kind == CalendarDayKind.Workday));
        Assert.Equal(248, Calendar.WorkingDaysBetween(new DateOnly(2025, 12, 31), new DateOnly(2026, 12, 31)));
    }

    [Fact]
    public void Working_days_skip_holidays_and_count_make_up_days()
    {
        Assert.Equal(new DateOnly(2026, 2, 14), Calendar.AddWorkingDays(new DateOnly(2026, 2, 13), 1));
        Assert.Equal(new DateOnly(2026, 2, 24), Calendar.AddWorkingDays(new DateOnly(2026, 2, 14), 1));
        Assert.Equal(new DateOnly(2026, 10, 8), Calendar.AddWorkingDays(new DateOnly(2026, 9, 30), 1));
        Assert.Equal(new DateOnly(2026, 2, 13), Calendar.AddWorkingDays(new DateOnly(2026, 2, 14), -1));
        Assert.Equal(2, Calendar.WorkingDaysBetween(new DateOnly(2026, 2, 13), new DateOnly(2026, 2, 24)));

        var start = new DateTimeOffset(2026, 9, 30, 10, 30, 0, TimeSpan.FromHours(8));
        Assert.Equal(new DateTimeOffset(2026, 10, 8, 10, 30, 0, TimeSpan.FromHours(8)), Calendar.AddWorkingDays(start, 1));
    }

    [Fact]
    public void Deadlines_end_with_the_last_allowed_day_in_China()
    {
        var china = TimeSpan.FromHours(8);

        // Assigned Monday before National Day: 5 working days are Sep 29, 30, Oct 8, 9 and the make-up Sat Oct 10.
        var assigned = new DateTimeOffset(2026, 9, 28, 10, 0, 0, china);
        Assert.Equal(new DateTimeOffset(2026, 10, 11, 0, 0, 0, china), DeadlineRule.WorkingDays(5).DueFrom(assigned, Calendar));
        Assert.Equal(new DateTimeOffset(2026, 12, 29, 0, 0, 0, china), DeadlineRule.Months(3).DueFrom(assigned, Calendar));
        Assert.Equal(new DateTimeOffset(2026, 10, 14, 0, 0, 0, china), DeadlineRule.Days(15).DueFrom(assigned, Calendar));

        // An instant late in the UTC evening is already the next day in Beijing.
        var utcEvening = new DateTimeOffset(2026, 2, 13, 17, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 2, 25, 0, 0, 0, china), DeadlineRule.WorkingDays(1).DueFrom(utcEvening, Calendar));
    }

    [Theory]
    [InlineData("5wd", 5, DeadlineUnit.WorkingDays)]
    [InlineData("15d", 15, DeadlineUnit.Days)]
    [InlineData(" 3M ", 3, DeadlineUnit.Months)]
    public void Periods_parse_from_settings(string text, int amount, DeadlineUnit unit)
    {
        Assert.True(DeadlineRule.TryParse(text, out var rule));
        Assert.Equal(new DeadlineRule(amount, unit), rule);
        Assert.True(DeadlineRule.TryParse(rule.ToString(), out var again));
        Assert.Equal(rule, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("0d")]
    [InlineData("-3m")]
    [InlineData("three months")]
    public void Bad_periods_do_not_parse(string text)
    {
        Assert.False(DeadlineRule.TryParse(text, out _));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_migrated_database_ships_the_2026_calendar(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "calendar");
        await using var db = await database.CreateMigratedContextAsync();
        var calendar = await WorkingCalendar.LoadAsync(db, CancellationToken.None);
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 10, 1)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 10, 10)));
        Assert.Equal(248, calendar.WorkingDaysBetween(new DateOnly(2025, 12, 31), new DateOnly(2026, 12, 31)));
    }
}
