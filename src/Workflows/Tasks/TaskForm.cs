using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Common;

namespace Liaison.Workflows.Tasks;

/// <summary>
/// Reads a caller's fields against an outcome's form: every problem at once (the field, what is wrong), and
/// only declared fields survive, each as its declared type. Nothing the caller sends beyond the form reaches
/// a step or the workflow.
/// </summary>
public static class TaskForm
{
    public static FormValues Read(TaskOutcome outcome, JsonObject? fields)
    {
        var errors = new List<FieldError>();
        var clean = new JsonObject();
        fields ??= [];
        foreach (var field in outcome.Fields)
        {
            var raw = fields.TryGetPropertyValue(field.Name, out var node) ? node : null;
            if (IsEmpty(raw))
            {
                if (field.Required)
                {
                    errors.Add(new FieldError(field.Name, $"is required ({Describe(field)})"));
                }

                continue;
            }

            if (Convert(field, raw!, out var problem) is { } value)
            {
                clean[field.Name] = value;
            }
            else
            {
                errors.Add(new FieldError(field.Name, problem!));
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        return new FormValues(clean);
    }

    /// <summary>Whether a text holds characters a person cannot have typed (and PostgreSQL's text cannot store NUL).</summary>
    public static bool HasControlCharacters(string text, bool allowLineBreaks) =>
        text.Any(c => char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'));

    private static bool IsEmpty(JsonNode? node) =>
        node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(v.GetValue<string>()))
        || (node is JsonArray a && a.Count == 0);

    private static JsonNode? Convert(FormField field, JsonNode raw, out string? problem)
    {
        problem = null;
        var text = raw is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>().Trim() : null;
        switch (field.Type)
        {
            case FieldType.Text or FieldType.LongText or FieldType.RichText or FieldType.FieldOfWork:
                if (text is null)
                {
                    problem = $"must be a string, not {Kind(raw)}";
                    return null;
                }

                if (HasControlCharacters(text, allowLineBreaks: field.Type != FieldType.Text))
                {
                    problem = "contains control characters";
                    return null;
                }

                if (text.Length > field.MaxLength)
                {
                    problem = $"is longer than {field.MaxLength} characters";
                    return null;
                }

                return text;
            case FieldType.Choice:
                var choice = field.Choices?.FirstOrDefault(c => string.Equals(c.Value, text, StringComparison.OrdinalIgnoreCase));
                if (choice is null)
                {
                    problem = $"must be one of {string.Join(", ", field.Choices?.Select(c => c.Value) ?? [])}";
                    return null;
                }

                return choice.Value;
            case FieldType.Boolean:
                if (raw is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                {
                    return b.GetValue<bool>();
                }

                problem = $"must be true or false, not {Kind(raw)}";
                return null;
            case FieldType.Number:
                if (raw is JsonValue n && n.GetValueKind() == JsonValueKind.Number && n.TryGetValue<int>(out var number))
                {
                    return number;
                }

                problem = $"must be a whole number, not {Kind(raw)}";
                return null;
            case FieldType.Date:
                if (text is not null && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                }

                problem = "must be a date (yyyy-MM-dd)";
                return null;
            case FieldType.DateTime:
                if (text is not null && text.Length >= 16 && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                {
                    return at.ToString("O", CultureInfo.InvariantCulture);
                }

                problem = "must be a date and time with its offset (e.g. 2026-03-16T08:00:00+08:00)";
                return null;
            case FieldType.Unit or FieldType.Leader:
                if (text is not null && Guid.TryParse(text, out var id))
                {
                    return id.ToString();
                }

                problem = $"must be an id, not {Kind(raw)}";
                return null;
            case FieldType.Units or FieldType.Suggestions or FieldType.Attachments:
                if (raw is not JsonArray array)
                {
                    problem = $"must be a list of ids, not {Kind(raw)}";
                    return null;
                }

                var ids = array.Select(e => e is JsonValue ev && ev.GetValueKind() == JsonValueKind.String && Guid.TryParse(ev.GetValue<string>(), out var g) ? g : (Guid?)null).ToList();
                if (ids.Any(i => i is null))
                {
                    problem = "must hold ids only";
                    return null;
                }

                if (ids.Distinct().Count() != ids.Count)
                {
                    problem = "lists an item twice";
                    return null;
                }

                return new JsonArray([.. ids.Select(i => (JsonNode)JsonValue.Create(i!.Value.ToString())!)]);
            default:
                problem = "is not a supported field";
                return null;
        }
    }

    private static string Kind(JsonNode node) => node switch
    {
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "true/false",
            _ => "null",
        },
        _ => "null",
    };

    private static string Describe(FormField field) => field.Type switch
    {
        FieldType.Choice => "one of " + string.Join(", ", field.Choices?.Select(c => c.Value) ?? []),
        FieldType.Date => "yyyy-MM-dd",
        FieldType.DateTime => "a date and time with offset",
        FieldType.Units or FieldType.Suggestions or FieldType.Attachments => "a list of ids",
        FieldType.Unit or FieldType.Leader => "an id",
        FieldType.Boolean => "true or false",
        FieldType.Number => "a number",
        _ => "text",
    };
}

/// <summary>A form's values after <see cref="TaskForm.Read"/>: declared fields only, already checked.</summary>
public sealed class FormValues(JsonObject values)
{
    /// <summary>The checked values as JSON, e.g. to hand on to the workflow.</summary>
    public JsonObject Json => (JsonObject)values.DeepClone();

    public string? Text(string name) => values[name]?.GetValue<string>();

    public string RequiredText(string name) => Text(name) ?? throw Missing(name);

    public Guid? Id(string name) => Text(name) is { } s ? Guid.Parse(s) : null;

    public Guid RequiredId(string name) => Id(name) ?? throw Missing(name);

    public IReadOnlyList<Guid> Ids(string name) =>
        values[name] is JsonArray a ? a.Select(n => Guid.Parse(n!.GetValue<string>())).ToList() : [];

    public bool Flag(string name) => values[name]?.GetValue<bool>() ?? false;

    public int? Number(string name) => values[name]?.GetValue<int>();

    public TEnum? Choice<TEnum>(string name)
        where TEnum : struct, Enum => Text(name) is { } s ? Enum.Parse<TEnum>(s, ignoreCase: true) : null;

    public DateOnly? Date(string name) => Text(name) is { } s ? DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    public DateTimeOffset? Instant(string name) => Text(name) is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : null;

    private static ValidationFailedException Missing(string name) => new([new FieldError(name, "is required")]);
}
