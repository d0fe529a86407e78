using Liaison.Workflows.Persistence;

namespace Liaison.Workflows.Durable;

public sealed record InstanceSummary(
    Guid Id,
    string DefinitionId,
    int Version,
    InstanceStatus Status,
    string? CorrelationKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt)
{
    internal static InstanceSummary From(InstanceRecord r) =>
        new(r.Id, r.DefinitionId, r.Version, r.Status, r.CorrelationKey, r.CreatedAt, r.UpdatedAt, r.FinishedAt);
}

/// <summary>The outcome of one burst: where the instance stands and what it now waits for.</summary>
public sealed record BurstResult(InstanceSummary Instance, IReadOnlyList<OpenBookmark> Bookmarks, IReadOnlyList<string> Lines, string? Fault)
{
    /// <summary>Responses WriteHttpResponse wrote in this burst (not shown in the API: the HTTP endpoint answers with them).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<Runtime.HttpResponseRequest> HttpResponses { get; init; } = [];
}

public sealed record OpenBookmark(Guid Id, string ActivityId, string Kind, string? EventName, string? CorrelationKey, DateTimeOffset? DueAt);
