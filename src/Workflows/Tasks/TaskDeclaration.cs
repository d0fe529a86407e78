using System.Globalization;

namespace Liaison.Workflows.Tasks;

/// <summary>A text in Chinese (shown first) and English.</summary>
public sealed record LocalText(string Zh, string En)
{
    public string For(CultureInfo culture) => culture.TwoLetterISOLanguageName == "en" ? En : Zh;

    public override string ToString() => Zh;
}

/// <summary>What kind of value a form field holds; the browser form picks its input from it.</summary>
public enum FieldType
{
    /// <summary>One line of plain text.</summary>
    Text,

    /// <summary>Several lines of plain text.</summary>
    LongText,

    /// <summary>Formatted text (HTML); the step's command cleans it before it is stored (see Liaison.Domain.Common.RichText).</summary>
    RichText,

    /// <summary>One of <see cref="FormField.Choices"/>.</summary>
    Choice,

    Boolean,

    /// <summary>A calendar date, yyyy-MM-dd.</summary>
    Date,

    /// <summary>An instant with its offset (ISO 8601).</summary>
    DateTime,

    /// <summary>A whole number.</summary>
    Number,

    /// <summary>A handling unit's id (picker).</summary>
    Unit,

    /// <summary>Handling units' ids, in order (picker; the first leads where it matters).</summary>
    Units,

    /// <summary>A leader's id (picker).</summary>
    Leader,

    /// <summary>A suggestion's id (picker), e.g. the items handled together (并案).</summary>
    Suggestions,

    /// <summary>A field of work (领域) from the taxonomy an admin keeps: its code (picker).</summary>
    FieldOfWork,

    /// <summary>
    /// Ids of files the acting user uploaded for this task (Liaison.Domain.Attachments); the browser form uploads them,
    /// the API takes them from <c>POST /api/suggestions/{id}/attachments</c>; the step's command links them.
    /// </summary>
    Attachments,
}

public sealed record FieldChoice(string Value, LocalText Label);

/// <summary>One input of a task form: read by the API, the validator, the Studio and the browser form alike.</summary>
public sealed record FormField(
    string Name,
    FieldType Type,
    LocalText Label,
    bool Required = false,
    LocalText? Help = null,
    IReadOnlyList<FieldChoice>? Choices = null,
    int MaxLength = 2000)
{
    public static IReadOnlyList<FieldChoice> ChoicesOf<TEnum>(Func<TEnum, LocalText> label)
        where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(v => new FieldChoice(v.ToString(), label(v))).ToList();
}

/// <summary>
/// One way to finish a task (a port of its activity) and the form that goes with it. An outcome only the
/// engine takes (a window closing when its deadline passes) is <see cref="ByDeadlineOnly"/>.
/// </summary>
public sealed record TaskOutcome(string Name, LocalText Label, IReadOnlyList<FormField> Fields, bool ByDeadlineOnly = false)
{
    public TaskOutcome(string name, LocalText label, params FormField[] fields)
        : this(name, label, (IReadOnlyList<FormField>)fields)
    {
    }
}

/// <summary>
/// A task step, declared once: its name, who may act, and its outcomes with their forms. The activity's
/// ports, the completion operation's checks, the API's descriptors and the browser's forms all read it.
/// </summary>
public sealed record TaskDeclaration(
    string ActivityType,
    LocalText Name,
    LocalText Description,
    LocalText WhoMayAct,
    IReadOnlyList<TaskOutcome> Outcomes)
{
    public IReadOnlyList<string> OutcomeNames => Outcomes.Select(o => o.Name).ToList();

    public TaskOutcome? Outcome(string? name) =>
        Outcomes.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
}
