using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Liaison.Host.Studio;

/// <summary>
/// A deadline or offset as the property panel edits it: an amount and a unit, "wd" working days, "d"
/// days, "m" months (the suggestion periods "5wd", "15d", "3m") or "h" hours. Engine durations are
/// written as {amount, unit} so working days go through the calendar.
/// </summary>
public sealed partial record Period(double Amount, string Unit)
{
    public static bool TryRead(JsonNode? node, out Period? period)
    {
        period = null;
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var text) && Short().Match(text.Trim()) is { Success: true } m:
                period = new Period(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value);
                return true;
            case JsonObject obj when obj["amount"] is JsonValue amount && double.TryParse(amount.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                var unit = obj["unit"]?.ToString().ToLowerInvariant() switch
                {
                    "workingdays" => "wd",
                    "calendardays" or "days" => "d",
                    "hours" => "h",
                    _ => null,
                };
                period = unit is null ? null : new Period(number, unit);
                return period is not null;
            default:
                return false;
        }
    }

    /// <summary>The literal to store: {amount, unit} for engine durations, "5wd" for suggestion periods.</summary>
    public JsonNode Write(bool exact) => exact
        ? new JsonObject
        {
            ["amount"] = Amount,
            ["unit"] = Unit switch { "wd" => "WorkingDays", "h" => "Hours", _ => "CalendarDays" },
        }
        : JsonValue.Create(Amount.ToString(CultureInfo.InvariantCulture) + Unit);

    [GeneratedRegex("^([0-9]+(?:\\.[0-9]+)?)(wd|d|m|h)$")]
    private static partial Regex Short();
}
