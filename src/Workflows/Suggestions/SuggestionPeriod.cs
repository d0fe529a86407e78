using System.Text.Json.Nodes;
using Liaison.Domain.Calendar;
using Liaison.Domain.Rules;
using Liaison.Workflows.Time;

namespace Liaison.Workflows.Suggestions;

/// <summary>
/// A deadline as suggestion designers write it: the domain's periods ("5wd", "15d", "3m"), due at the end
/// of the last allowed day in China exactly as the domain computes its own deadlines, or any engine
/// <see cref="Duration"/> ("P1D", {amount, unit}) for exact offsets.
/// </summary>
public readonly record struct SuggestionPeriod(DeadlineRule? Rule, Duration? Exact)
{
    public static bool TryParse(JsonNode? node, out SuggestionPeriod period, out string? error)
    {
        period = default;
        if (node is JsonValue v && v.TryGetValue<string>(out var text) && DeadlineRule.TryParse(text, out var rule))
        {
            period = new SuggestionPeriod(rule, null);
            error = null;
            return true;
        }

        if (Duration.TryParse(node, out var duration, out error))
        {
            period = new SuggestionPeriod(null, duration);
            return true;
        }

        error = $"'{node?.ToJsonString()}' is not a period: write \"5wd\" (working days), \"15d\" (days), \"3m\" (months) or a duration like \"P1D\"";
        return false;
    }

    /// <summary>When something started at <paramref name="start"/> is due.</summary>
    public DateTimeOffset DueFrom(DateTimeOffset start, IWorkingCalendar calendar)
    {
        if (Rule is not { } rule)
        {
            return Exact!.Value.AddTo(start, calendar);
        }

        var startDate = WorkingCalendar.LocalDate(start);
        var last = rule.Unit switch
        {
            DeadlineUnit.WorkingDays => WorkingCalendar.LocalDate(calendar.AddWorkingDays(start, rule.Amount)),
            DeadlineUnit.Days => startDate.AddDays(rule.Amount),
            _ => startDate.AddMonths(rule.Amount),
        };
        return WorkingCalendar.StartOfDay(last.AddDays(1));
    }

    /// <summary>The instant this period before <paramref name="due"/> (reminder offsets).</summary>
    public DateTimeOffset Before(DateTimeOffset due, IWorkingCalendar calendar)
    {
        if (Rule is not { } rule)
        {
            return Exact!.Value.SubtractFrom(due, calendar);
        }

        return rule.Unit switch
        {
            DeadlineUnit.WorkingDays => calendar.AddWorkingDays(due, -rule.Amount),
            DeadlineUnit.Days => due.AddDays(-rule.Amount),
            _ => due.AddMonths(-rule.Amount),
        };
    }

    /// <summary>The instant this period after <paramref name="start"/>, to the minute (survey reminders "7d after the reply").</summary>
    public DateTimeOffset After(DateTimeOffset start, IWorkingCalendar calendar)
    {
        if (Rule is not { } rule)
        {
            return Exact!.Value.AddTo(start, calendar);
        }

        return rule.Unit switch
        {
            DeadlineUnit.WorkingDays => calendar.AddWorkingDays(start, rule.Amount),
            DeadlineUnit.Days => start.AddDays(rule.Amount),
            _ => start.AddMonths(rule.Amount),
        };
    }
}
