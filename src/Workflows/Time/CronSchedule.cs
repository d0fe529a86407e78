using Cronos;

namespace Liaison.Workflows.Time;

/// <summary>Cron parsing via Cronos; five fields, or six when the first is seconds.</summary>
public static class CronSchedule
{
    public static bool TryParse(string? text, out CronExpression? expression, out string? error)
    {
        expression = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the cron expression is empty";
            return false;
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            expression = CronExpression.Parse(text.Trim(), fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return true;
        }
        catch (CronFormatException ex)
        {
            error = $"invalid cron expression '{text}': {ex.Message}";
            return false;
        }
    }

    public static DateTimeOffset? Next(string text, DateTimeOffset from, TimeZoneInfo? zone = null) =>
        TryParse(text, out var expr, out var error)
            ? expr!.GetNextOccurrence(from, zone ?? TimeZoneInfo.Utc)
            : throw new FormatException(error);
}
