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
public sealed record BurstResult(InstanceSummary Instance, IReadOnlyList<OpenBookmark> Bookmarks, IReadOnlyList<string> Lines, string? Fault);

public sealed record OpenBookmark(Guid Id, string ActivityId, string Kind, string? EventName, string? CorrelationKey, DateTimeOffset? DueAt);
