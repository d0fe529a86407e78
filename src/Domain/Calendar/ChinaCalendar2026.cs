namespace Liaison.Domain.Calendar;

/// <summary>
/// The 2026 public holidays and make-up working days of mainland China, shipped as seed data.
/// Source: 国务院办公厅关于2026年部分节假日安排的通知 (State Council General Office, 4 November 2025,
/// published by Xinhua): New Year Jan 1–3 (work Sun Jan 4); Spring Festival Feb 15–23 (work Sat Feb 14
/// and Sat Feb 28); Qingming Apr 4–6; Labour Day May 1–5 (work Sat May 9); Dragon Boat Jun 19–21;
/// Mid-Autumn Sep 25–27; National Day Oct 1–7 (work Sun Sep 20 and Sat Oct 10).
/// </summary>
public static class ChinaCalendar2026
{
    public static IReadOnlyList<CalendarDay> Days { get; } = Build();

    private static List<CalendarDay> Build()
    {
        var days = new List<CalendarDay>();
        Holidays(days, "元旦 New Year", new(2026, 1, 1), new(2026, 1, 3));
        Workdays(days, "元旦调休 New Year make-up", new DateOnly(2026, 1, 4));
        Holidays(days, "春节 Spring Festival", new(2026, 2, 15), new(2026, 2, 23));
        Workdays(days, "春节调休 Spring Festival make-up", new DateOnly(2026, 2, 14), new DateOnly(2026, 2, 28));
        Holidays(days, "清明节 Qingming", new(2026, 4, 4), new(2026, 4, 6));
        Holidays(days, "劳动节 Labour Day", new(2026, 5, 1), new(2026, 5, 5));
        Workdays(days, "劳动节调休 Labour Day make-up", new DateOnly(2026, 5, 9));
        Holidays(days, "端午节 Dragon Boat", new(2026, 6, 19), new(2026, 6, 21));
        Holidays(days, "中秋节 Mid-Autumn", new(2026, 9, 25), new(2026, 9, 27));
        Holidays(days, "国庆节 National Day", new(2026, 10, 1), new(2026, 10, 7));
        Workdays(days, "国庆节调休 National Day make-up", new DateOnly(2026, 9, 20), new DateOnly(2026, 10, 10));
        return days;
    }

    private static void Holidays(List<CalendarDay> days, string name, DateOnly first, DateOnly last)
    {
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            days.Add(new CalendarDay(d, CalendarDayKind.Holiday, name));
        }
    }

    private static void Workdays(List<CalendarDay> days, string name, params DateOnly[] dates)
    {
        foreach (var d in dates)
        {
            days.Add(new CalendarDay(d, CalendarDayKind.Workday, name));
        }
    }
}
