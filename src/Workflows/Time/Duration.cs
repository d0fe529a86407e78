using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;

namespace Liaison.Workflows.Time;

public enum DurationUnit
{
    CalendarDays,
    WorkingDays,
    Hours,
    Minutes,
}

/// <summary>
/// A duration as written in definitions: ISO 8601 ("P3D"), .NET TimeSpan ("01:00:00"),
/// or {amount, unit} where WorkingDays go through the <see cref="IWorkingCalendar"/>.
/// </summary>
public readonly record struct Duration(double Amount, DurationUnit Unit, TimeSpan? Exact)
{
    public static Duration FromTimeSpan(TimeSpan span) => new(0, DurationUnit.Minutes, span);

    public static Duration WorkingDays(int days) => new(days, DurationUnit.WorkingDays, null);

    public DateTimeOffset AddTo(DateTimeOffset start, IWorkingCalendar calendar) => Exact is { } span
        ? start + span
        : Unit switch
        {
            DurationUnit.WorkingDays => calendar.AddWorkingDays(start, (int)Math.Round(Amount)),
            DurationUnit.CalendarDays => start.AddDays(Amount),
            DurationUnit.Hours => start.AddHours(Amount),
            _ => start.AddMinutes(Amount),
        };

    /// <summary>The instant this duration before <paramref name="end"/> (reminder offsets before a due time).</summary>
    public DateTimeOffset SubtractFrom(DateTimeOffset end, IWorkingCalendar calendar) => Exact is { } span
        ? end - span
        : (this with { Amount = -Amount }).AddTo(end, calendar);

    public static bool TryParse(JsonNode? node, out Duration duration, out string? error)
    {
        duration = default;
        error = null;
        switch (node)
        {
            case null:
                error = "a duration is required";
                return false;
            case JsonValue v when v.TryGetValue<string>(out var text):
                return TryParse(text, out duration, out error);
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                // A bare number means minutes, like a designer's spin box.
                duration = new Duration(Liaison.Workflows.Activities.ValueConversion.Number(v), DurationUnit.Minutes, null);
                return true;
            case JsonObject o:
                var amountNode = o["amount"];
                var unitText = o["unit"]?.GetValue<string>();
                if (amountNode is not JsonValue av || !TryNumber(av, out var amount))
                {
                    error = "a duration object needs a numeric 'amount'";
                    return false;
                }

                if (unitText is null || !Enum.TryParse<DurationUnit>(unitText, true, out var unit) || !Enum.IsDefined(unit) || int.TryParse(unitText, out _))
                {
                    error = $"unknown duration unit '{unitText}' (use CalendarDays, WorkingDays, Hours or Minutes)";
                    return false;
                }

                duration = new Duration(amount, unit, null);
                return true;
            default:
                error = "a duration must be a string like \"P3D\" or \"01:00:00\", or {amount, unit}";
                return false;
        }
    }

    public static bool TryParse(string text, out Duration duration, out string? error)
    {
        duration = default;
        error = null;
        text = text.Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                return TryParse(JsonNode.Parse(text), out duration, out error);
            }
            catch (JsonException)
            {
                error = $"'{text}' is not a valid duration";
                return false;
            }
        }

        if (text.StartsWith('P') || text.StartsWith("-P", StringComparison.Ordinal))
        {
            try
            {
                duration = FromTimeSpan(XmlConvert.ToTimeSpan(text));
                return true;
            }
            catch (FormatException)
            {
                error = $"'{text}' is not a valid ISO 8601 duration";
                return false;
            }
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
        {
            duration = FromTimeSpan(span);
            return true;
        }

        error = $"'{text}' is not a valid duration (use \"P3D\", \"01:00:00\" or {{amount, unit}})";
        return false;
    }

    private static bool TryNumber(JsonValue v, out double d)
    {
        if (v.GetValueKind() == JsonValueKind.Number)
        {
            d = Liaison.Workflows.Activities.ValueConversion.Number(v);
            return true;
        }

        return double.TryParse(v.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d);
    }
}
