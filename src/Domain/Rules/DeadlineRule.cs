using System.Globalization;
using Liaison.Domain.Calendar;
using Liaison.Domain.Common;

namespace Liaison.Domain.Rules;

public enum DeadlineUnit
{
    /// <summary>Calendar days ("15d").</summary>
    Days,

    /// <summary>Working days per the calendar ("5wd").</summary>
    WorkingDays,

    /// <summary>Calendar months ("3m"): the same day of the month, clamped to the month's end.</summary>
    Months,
}

/// <summary>
/// A period as localities write it: "5wd" (working days), "15d" (calendar days) or "3m" (months). Stored in
/// settings as that text so an administrator can switch a rule between units, not just change the number.
/// </summary>
public readonly record struct DeadlineRule(int Amount, DeadlineUnit Unit)
{
    public static DeadlineRule WorkingDays(int amount) => new(amount, DeadlineUnit.WorkingDays);

    public static DeadlineRule Days(int amount) => new(amount, DeadlineUnit.Days);

    public static DeadlineRule Months(int amount) => new(amount, DeadlineUnit.Months);

    public static bool TryParse(string? text, out DeadlineRule rule)
    {
        rule = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim().ToLowerInvariant();
        var (unit, digits) = t.EndsWith("wd", StringComparison.Ordinal) ? (DeadlineUnit.WorkingDays, t[..^2])
            : t.EndsWith('d') ? (DeadlineUnit.Days, t[..^1])
            : t.EndsWith('m') ? (DeadlineUnit.Months, t[..^1])
            : ((DeadlineUnit?)null, t);
        if (unit is null || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        rule = new DeadlineRule(amount, unit.Value);
        return true;
    }

    /// <summary>
    /// The instant by which something started at <paramref name="start"/> is due: the end of the last
    /// allowed day in China (exclusive, i.e. midnight after it), so "within 5 working days" includes all
    /// of the fifth working day.
    /// </summary>
    public DateTimeOffset DueFrom(DateTimeOffset start, WorkingCalendar calendar)
    {
        var startDate = WorkingCalendar.LocalDate(start);
        var last = Unit switch
        {
            DeadlineUnit.WorkingDays => calendar.AddWorkingDays(startDate, Amount),
            DeadlineUnit.Days => startDate.AddDays(Amount),
            _ => startDate.AddMonths(Amount),
        };
        return WorkingCalendar.StartOfDay(last.AddDays(1));
    }

    public override string ToString() => Amount.ToString(CultureInfo.InvariantCulture) + Unit switch
    {
        DeadlineUnit.WorkingDays => "wd",
        DeadlineUnit.Days => "d",
        _ => "m",
    };

    internal static DeadlineRule ParseSetting(string key, string value) => TryParse(value, out var rule)
        ? rule
        : throw new DomainException(ErrorCodes.SettingInvalid, $"setting '{key}' = '{value}' is not a period; write e.g. 5wd, 15d or 3m");
}
