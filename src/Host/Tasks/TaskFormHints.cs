using System.Security.Claims;
using System.Text.Json.Nodes;

namespace Liaison.Host.Tasks;

/// <summary>A value offered for a form field beside what the field's type lists (e.g. a similar item to handle together).</summary>
public sealed record FormOption(string Value, string Label, string? Detail = null);

/// <summary>
/// What a task's form starts with: values proposed for its fields and options to pick from. They only fill the form in;
/// the step's command checks whatever is submitted, so a hint can never widen what a user may do.
/// </summary>
public sealed record FormHints(IReadOnlyDictionary<string, IReadOnlyList<string>> Defaults, IReadOnlyDictionary<string, IReadOnlyList<FormOption>> Options)
{
    public static FormHints None { get; } = new(new Dictionary<string, IReadOnlyList<string>>(), new Dictionary<string, IReadOnlyList<FormOption>>());
}

/// <summary>The task a form is for: its step type, the data its workflow wrote, its suggestion and who is looking.</summary>
public sealed record FormHintRequest(Guid TaskId, string ActivityType, JsonObject TaskData, Guid? SuggestionId, ClaimsPrincipal User);

/// <summary>Proposes a form's starting values for the steps it knows (registered in DI; the task page asks each one).</summary>
public interface ITaskFormHints
{
    bool AppliesTo(string activityType);

    Task<FormHints> ForAsync(FormHintRequest request, IServiceProvider services, CancellationToken cancellationToken);
}
