using System.Text.Json.Nodes;

using Liaison.Workflows.Definitions;

namespace Liaison.Workflows.Runtime;

/// <summary>Side effects of one burst; the host persists them in the same transaction as the new state.</summary>
public sealed class RunEffects
{
    public List<Bookmark> BookmarksCreated { get; } = [];

    /// <summary>Bookmarks that no longer exist (resumed or cancelled); delete them and their timers.</summary>
    public List<Bookmark> BookmarksConsumed { get; } = [];

    public List<TimerRequest> Timers { get; } = [];
    public List<HumanTaskRequest> HumanTasks { get; } = [];

    /// <summary>Child workflows to start in the same transaction (the durable engine does; the in-memory harness cannot).</summary>
    public List<ChildWorkflowRequest> ChildWorkflows { get; } = [];
    public List<NotificationRequest> Notifications { get; } = [];
    public List<string> Lines { get; } = [];

    /// <summary>Other workflows to start once this burst is saved (DispatchWorkflow).</summary>
    public List<DispatchRequest> Dispatches { get; } = [];

    /// <summary>Events to deliver once this burst is saved (PublishEvent).</summary>
    public List<EventPublication> Events { get; } = [];
    public List<JournalEntry> Journal { get; } = [];
    public List<Incident> Incidents { get; } = [];

    /// <summary>Responses WriteHttpResponse wrote; the HTTP request that started or resumed this burst answers with the first.</summary>
    public List<HttpResponseRequest> HttpResponses { get; } = [];
}

/// <summary>An HTTP response a workflow wrote (status, content as text, content type, extra headers).</summary>
public sealed record HttpResponseRequest(string ActivityId, int StatusCode, string? Content, string? ContentType, IReadOnlyDictionary<string, string> Headers);

/// <summary>Run <see cref="BookmarkId"/> at <see cref="DueAt"/>; <see cref="UniqueKey"/> makes scheduling idempotent.</summary>
/// <summary>Children of one activity: one instance of <paramref name="DefinitionId"/> per start; the bookmark (if any) waits for them all.</summary>
public sealed record ChildWorkflowRequest(string? BookmarkId, string ActivityId, string DefinitionId, IReadOnlyList<ChildStart> Children);

public sealed record ChildStart(IReadOnlyDictionary<string, JsonNode?> Input, string? CorrelationKey);

public sealed record TimerRequest(string BookmarkId, string ActivityId, DateTimeOffset DueAt, string UniqueKey);

public enum AssigneeKind
{
    Unit,
    Role,
    Person,

    /// <summary>The holders of one role within one unit (e.g. that unit's head); the id is "unitId/Role".</summary>
    UnitRole,
}

public sealed record HumanTaskRequest(
    string BookmarkId,
    string ActivityId,
    string Title,
    string? Description,
    AssigneeKind? AssigneeKind,
    string? AssigneeId,
    DateTimeOffset? DueAt,
    IReadOnlyList<DateTimeOffset> Reminders,
    IReadOnlyList<string> Outcomes,
    JsonNode? Data);

/// <summary>
/// An event a workflow published (Elsa's PublishEvent): it resumes the open event bookmarks of that name, only this
/// instance's when <paramref name="IsLocal"/>, only those of <paramref name="CorrelationKey"/> when one is given.
/// </summary>
public sealed record EventPublication(string ActivityId, string EventName, string? CorrelationKey, bool IsLocal, JsonNode? Payload);

/// <summary>A workflow to start (DispatchWorkflow); with <paramref name="BookmarkId"/> the parent waits there until the child finishes.</summary>
public sealed record DispatchRequest(string ActivityId, string DefinitionId, IReadOnlyDictionary<string, JsonNode?> Input, string? CorrelationKey, string? BookmarkId = null);

public sealed record NotificationRequest(string ActivityId, string? Recipient, string? Subject, string Message, string? Channel);

public enum JournalKind
{
    Started,
    Completed,
    Suspended,
    Resumed,
    Faulted,
}

public sealed record JournalEntry(DateTimeOffset At, string ActivityId, string ActivityType, JournalKind Kind, string? Port = null, string? Message = null);

public sealed record Incident(DateTimeOffset At, string ActivityId, string ActivityType, string Message, string? ExceptionType, IncidentStrategy Strategy);

/// <summary>The new state plus what the host must persist/perform with it.</summary>
public sealed record RunResult(WorkflowInstanceState State, RunEffects Effects)
{
    public WorkflowStatus Status => State.Status;
}
