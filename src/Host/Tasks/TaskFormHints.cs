using System.Security.Claims;
using System.Text.Json.Nodes;

namespace Liaison.Host.Tasks;

/// <summary>A value offered for a form field beside what the field's type lists (e.g. a similar item to handle together).</summary>
public sealed record FormOption(string Value, string Label, string? Detail = null);

/// <summary>
/// What a task's form starts with: values proposed for its fields and options to pick from. They only fill the form in;
/// the step's command checks whatever is submitted, so a hint can never widen what a user may do.
/// <paramref name="Hidden"/>: declared fields that do not apply to this task (e.g. the new unit of a reassignment on a first
/// assignment); they are neither shown nor sent.
/// </summary>
public sealed record FormHints(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Defaults,
    IReadOnlyDictionary<string, IReadOnlyList<FormOption>> Options,
    IReadOnlySet<string>? Hidden = null)
{
    public static FormHints None { get; } = new(new Dictionary<string, IReadOnlyList<string>>(), new Dictionary<string, IReadOnlyList<FormOption>>());

    public bool Hides(string field) => Hidden?.Contains(field) ?? false;

    /// <summary>Both sets of hints; where both propose a field, this one's proposal stands.</summary>
    public FormHints With(FormHints other) => new(
        Defaults.Concat(other.Defaults).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value),
        Options.Concat(other.Options).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value),
        (Hidden ?? new HashSet<string>()).Union(other.Hidden ?? new HashSet<string>()).ToHashSet());
}

/// <summary>
/// The task a form is for: its step type, the data its workflow wrote, its suggestion and who is looking; and the
/// page's analysis, which the page's analysis panel shares (none: the hints compute their own).
/// </summary>
public sealed record FormHintRequest(Guid TaskId, string ActivityType, JsonObject TaskData, Guid? SuggestionId, ClaimsPrincipal User, Office.PageAnalysis? Analysis = null);

/// <summary>Proposes a form's starting values for the steps it knows (registered in DI; the task page asks each one).</summary>
public interface ITaskFormHints
{
    bool AppliesTo(string activityType);

    Task<FormHints> ForAsync(FormHintRequest request, IServiceProvider services, CancellationToken cancellationToken);
}
