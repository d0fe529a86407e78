using System.Text.Json;
using System.Text.Json.Nodes;

using Liaison.Workflows.Definitions;

namespace Liaison.Workflows.Runtime;

public enum WorkflowStatus
{
    Running,
    Suspended,
    Finished,
    Faulted,
    Cancelled,
}

/// <summary>
/// Everything needed to continue an instance, as a plain object that round-trips through
/// System.Text.Json (persistence stores it as one JSON column).
/// </summary>
public sealed class WorkflowInstanceState
{
    public string Id { get; set; } = "";
    public string DefinitionId { get; set; } = "";
    public int Version { get; set; }
    public WorkflowStatus Status { get; set; }
    public string? CorrelationKey { get; set; }
    public Dictionary<string, JsonNode?> Variables { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, JsonNode?> Input { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public JsonNode? LastResult { get; set; }
    public JsonNode? Output { get; set; }

    /// <summary>The instance's display name (Elsa's SetName); null until set.</summary>
    public string? Name { get; set; }

    /// <summary>Outputs of completed activities by activity id ({"Result": ..., named outputs}); the latest run wins.</summary>
    public Dictionary<string, JsonObject> ActivityOutputs { get; set; } = new(StringComparer.Ordinal);
    public FaultInfo? Fault { get; set; }

    /// <summary>Tokens waiting to run an activity, in order.</summary>
    public List<WorkItem> Queue { get; set; } = [];

    /// <summary>Join bookkeeping per activity id (tokens received so far, tokens to drop after a race).</summary>
    public Dictionary<string, JoinState> Joins { get; set; } = new(StringComparer.Ordinal);

    public List<Bookmark> Bookmarks { get; set; } = [];

    /// <summary>Loops (ForEach, For, While, ParallelForEach) whose body is running, keyed by <see cref="LoopState.Key"/>; null when none.</summary>
    public Dictionary<string, LoopState>? Loops { get; set; }

    /// <summary>Per-item scopes of ParallelForEach bodies (CurrentValue, CurrentIndex) by frame id; null when none.</summary>
    public Dictionary<string, FrameState>? Frames { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string ToJson() => JsonSerializer.Serialize(this, WorkflowJson.Options);

    public static WorkflowInstanceState FromJson(string json) =>
        JsonSerializer.Deserialize<WorkflowInstanceState>(json, WorkflowJson.Options)
        ?? throw new JsonException("Instance state JSON is empty.");

    public WorkflowInstanceState Clone() => FromJson(ToJson());
}

/// <summary>
/// A token for an activity; <see cref="Connection"/> is the index of the connection it came through (null at start),
/// <see cref="Frame"/> the ParallelForEach item scope it runs in (null outside one).
/// </summary>
public sealed record WorkItem(string ActivityId, int? Connection = null, string? Frame = null);

/// <summary>A loop whose body runs: where it is, and what its next step must do.</summary>
public sealed class LoopState
{
    public string ActivityId { get; set; } = "";

    /// <summary>The ParallelForEach item scope the loop itself runs in (a loop inside a parallel body runs once per item).</summary>
    public string? Frame { get; set; }

    /// <summary>Items still to iterate (ForEach, evaluated once when the loop starts, as Elsa does).</summary>
    public JsonArray? Items { get; set; }

    /// <summary>ForEach: the next item's index; ParallelForEach: how many frames were started.</summary>
    public int Index { get; set; }

    /// <summary>For: the current step (null before the first iteration).</summary>
    public long? Current { get; set; }

    /// <summary>The body has run to its end (or a Break ended it): the loop's next execution continues, not restarts.</summary>
    public bool Continue { get; set; }

    /// <summary>A Break ended the body: the loop completes on its next execution.</summary>
    public bool Broken { get; set; }

    /// <summary>ParallelForEach: the item scopes it has just started; the runner sends one body token into each.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public List<string>? StartedFrames { get; set; }

    public static string KeyOf(string activityId, string? frame) => frame is null ? activityId : activityId + "@" + frame;

    [System.Text.Json.Serialization.JsonIgnore]
    public string Key => KeyOf(ActivityId, Frame);
}

/// <summary>One ParallelForEach item's scope: its local variables and the scope it was started in.</summary>
public sealed class FrameState
{
    public string LoopActivityId { get; set; } = "";
    public string? Parent { get; set; }
    public JsonObject Variables { get; set; } = [];
}

public sealed class JoinState
{
    public List<int> Received { get; set; } = [];
    public List<int> Swallow { get; set; } = [];
}

public enum BookmarkKind
{
    Timer,
    Event,
    HumanTask,

    /// <summary>Waits for the child workflows an activity started to finish.</summary>
    Children,

    /// <summary>Waits for an inbound HTTP request on a route (HttpEndpoint); the event name is the route template.</summary>
    HttpEndpoint,

    /// <summary>An outgoing HTTP request to send after the burst is saved (SendHttpRequest); the payload is the request.</summary>
    HttpSend,
}

/// <summary>A point where an instance waits for the outside world.</summary>
public sealed class Bookmark
{
    public string Id { get; set; } = "";
    public string ActivityId { get; set; } = "";
    public BookmarkKind Kind { get; set; }
    public string? EventName { get; set; }
    public string? CorrelationKey { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public JsonNode? Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The ParallelForEach item scope of the activity that waits (null outside one).</summary>
    public string? Frame { get; set; }
}

public sealed class FaultInfo
{
    public string? ActivityId { get; set; }
    public string Message { get; set; } = "";
    public string? Code { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>The token to re-run on retry; null when the fault cannot be retried (explicit Fault, step limit).</summary>
    public WorkItem? RetryItem { get; set; }
}
