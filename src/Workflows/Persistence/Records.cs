namespace Liaison.Workflows.Persistence;

public enum DefinitionStatus
{
    Draft,
    Published,
    Retracted,
}

/// <summary>
/// One version of a workflow definition. The definition itself is kept as its native JSON so that a
/// version, once published, is byte-for-byte what ran.
/// </summary>
public sealed class DefinitionVersionRecord
{
    public Guid Id { get; set; }

    /// <summary>Stable id shared by every version of one workflow.</summary>
    public required string DefinitionId { get; set; }

    public int Version { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public DefinitionStatus Status { get; set; }

    /// <summary>True on the one version that new instances start on.</summary>
    public bool IsPublished { get; set; }

    /// <summary>True on the newest version (draft or not) that the Studio opens.</summary>
    public bool IsLatest { get; set; }

    public required string Json { get; set; }

    /// <summary>SHA-256 of the canonical JSON: loading an unchanged file from workflows-json does nothing.</summary>
    public required string ContentHash { get; set; }

    /// <summary>Where it came from: "file:suggestion-handling.json", "studio", "import:elsa", "rollback:3".</summary>
    public string? Source { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public string? CreatedBy { get; set; }

    /// <summary>When the version last changed (created, draft saved, published, retracted).</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Who made that last change; null for the start-up loader and the API's anonymous tools.</summary>
    public string? UpdatedBy { get; set; }

    public string? PublishedBy { get; set; }

    /// <summary>What the designer wrote when publishing ("答复期限改为 15 个工作日").</summary>
    public string? PublishNote { get; set; }

    /// <summary>Optimistic concurrency: two editors saving the same draft cannot overwrite each other.</summary>
    public int Revision { get; set; }
}

public enum InstanceStatus
{
    Running,
    Suspended,
    Finished,
    Faulted,
    Cancelled,
}

/// <summary>A running or ended workflow instance; its execution state is one JSON document.</summary>
public sealed class InstanceRecord
{
    public Guid Id { get; set; }

    public required string DefinitionId { get; set; }

    /// <summary>The version it started on; it stays on it until it ends.</summary>
    public int Version { get; set; }

    public Guid DefinitionVersionId { get; set; }

    public InstanceStatus Status { get; set; }

    public string? CorrelationKey { get; set; }

    public required string StateJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Incremented on every save; the update fails if another node saved first.</summary>
    public int Revision { get; set; }

    /// <summary>
    /// The id of its last journal line. Lines are numbered per instance by the writer (the instance row's
    /// revision check makes the numbers unique), so inserting them reads nothing back.
    /// </summary>
    public long LastJournalId { get; set; }

    /// <summary>The id for the next journal line of this instance.</summary>
    public long NextJournalId() => ++LastJournalId;

    /// <summary>For a child workflow: the instance that started it and waits for it (null for a top-level instance).</summary>
    public Guid? ParentInstanceId { get; set; }

    /// <summary>For a child workflow: the parent's bookmark that resumes once every child of it has finished.</summary>
    public Guid? ParentBookmarkId { get; set; }
}

/// <summary>
/// A point where an instance waits. Resuming deletes the row in the same transaction that saves the
/// instance, so a bookmark can be consumed once only.
/// </summary>
public sealed class BookmarkRecord
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public required string ActivityId { get; set; }

    /// <summary>Timer, Event, HumanTask, ...</summary>
    public required string Kind { get; set; }

    /// <summary>For event bookmarks: the event name a stimulus must carry.</summary>
    public string? EventName { get; set; }

    public string? CorrelationKey { get; set; }

    public string? PayloadJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>Set once, when the bookmark is resumed or cancelled; kept as history and as proof of "already resumed".</summary>
    public DateTimeOffset? ConsumedAt { get; set; }
}

/// <summary>A durable due time. Hangfire fires it; the sweep catches any it missed. Fired once.</summary>
public sealed class TimerRecord
{
    public Guid Id { get; set; }

    /// <summary>Unique across all timers, e.g. "instance:bookmark"; the same due item is never scheduled twice.</summary>
    public required string UniqueKey { get; set; }

    public Guid InstanceId { get; set; }

    public Guid BookmarkId { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset? FiredAt { get; set; }

    public string? JobId { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}

public enum HumanTaskStatus
{
    Open,
    Completed,
    Cancelled,
}

/// <summary>A task for a person, a role or a unit; completing it resumes the workflow with an outcome.</summary>
public sealed class HumanTaskRecord
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public Guid BookmarkId { get; set; }

    public required string ActivityId { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    /// <summary>Unit, Role or Person.</summary>
    public required string AssigneeKind { get; set; }

    public required string AssigneeId { get; set; }

    /// <summary>Allowed outcomes (the activity's ports), as a JSON array.</summary>
    public required string OutcomesJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>When reminders are due, as a JSON array of instants (the activity's offsets resolved).</summary>
    public string? RemindersJson { get; set; }

    public HumanTaskStatus Status { get; set; }

    public string? Outcome { get; set; }

    public string? CompletedBy { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? DataJson { get; set; }

    /// <summary>The task data as an object (empty when there is none).</summary>
    public System.Text.Json.Nodes.JsonObject Data() =>
        DataJson is null ? [] : System.Text.Json.Nodes.JsonNode.Parse(DataJson) as System.Text.Json.Nodes.JsonObject ?? [];

    /// <summary>Green until a reminder falls due, yellow then, red once overdue; set by the due-item jobs.</summary>
    public TaskLight Light { get; set; }
}

public enum TaskLight
{
    Green,
    Yellow,
    Red,
}

public enum JournalEvent
{
    Started,
    Completed,
    Suspended,
    Resumed,
    Faulted,
    Cancelled,

    /// <summary>A WriteLine text.</summary>
    Output,

    /// <summary>The instance was moved to another version of its workflow (Message says from which, by whom).</summary>
    Migrated,
}

/// <summary>One step of an instance's history, append-only; keyed by instance and position (<see cref="InstanceRecord.NextJournalId"/>).</summary>
public sealed class JournalRecord
{
    /// <summary>Position in the instance's journal, ascending; lines written before numbering per instance keep their old global ids, which are smaller.</summary>
    public long Id { get; set; }

    public Guid InstanceId { get; set; }

    public string? ActivityId { get; set; }

    public string? ActivityType { get; set; }

    public JournalEvent Event { get; set; }

    public string? Outcome { get; set; }

    public string? Message { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>An activity that threw; an operator can retry it.</summary>
public sealed class IncidentRecord
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public required string ActivityId { get; set; }

    public string? ActivityType { get; set; }

    public required string Message { get; set; }

    public string? Details { get; set; }

    public DateTimeOffset At { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }
}

/// <summary>
/// A message the workflow asked to send, kept durably before anything is sent so that a crash loses
/// nothing; the notification dispatcher delivers each once (by its id) and stamps it.
/// </summary>
public sealed class OutboxRecord
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public required string ActivityId { get; set; }

    public string? Channel { get; set; }

    public string? Recipient { get; set; }

    public string? Subject { get; set; }

    public required string Message { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DispatchedAt { get; set; }
}

/// <summary>
/// Something that must happen once at a time: a task's reminder or overdue notice, a survey reminder, the
/// close of an evaluation window, a daily digest. The row is written first (its key is unique, so planning
/// twice plans once); a Hangfire job and the minutely sweep fire it; firing claims it with a conditional
/// update, so of any number of nodes exactly one acts on it.
/// </summary>
public sealed class DueItemRecord
{
    public Guid Id { get; set; }

    /// <summary>What it is about and which occurrence, e.g. "task:{id}:reminder:2026-03-02"; unique.</summary>
    public required string Key { get; set; }

    /// <summary>The handler that fires it (<see cref="DueItems.DueItemKinds"/>).</summary>
    public required string Kind { get; set; }

    /// <summary>The human task it belongs to, if any.</summary>
    public Guid? TaskId { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FiredAt { get; set; }

    /// <summary>What firing did: "sent", or why nothing was needed ("task completed", "nobody overdue").</summary>
    public string? Outcome { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public string? DataJson { get; set; }
}
