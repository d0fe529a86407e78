using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Durable;

public sealed record InstanceFilter(string? DefinitionId = null, InstanceStatus? Status = null, string? CorrelationKey = null, int Skip = 0, int Take = 50);

public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Skip, int Take);

public sealed record InstanceDetail(
    InstanceSummary Instance,
    IReadOnlyDictionary<string, JsonNode?> Variables,
    JsonNode? Output,
    string? Fault,
    IReadOnlyList<OpenBookmark> Bookmarks,
    IReadOnlyList<IncidentView> Incidents);

public sealed record IncidentView(Guid Id, string ActivityId, string? ActivityType, string Message, DateTimeOffset At, DateTimeOffset? ResolvedAt);

public sealed record JournalView(long Id, string? ActivityId, string? ActivityType, JournalEvent Event, string? Outcome, string? Message, DateTimeOffset At);

public sealed record TaskView(
    Guid Id,
    Guid InstanceId,
    string ActivityId,
    string Title,
    string? Description,
    string AssigneeKind,
    string AssigneeId,
    IReadOnlyList<string> Outcomes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    HumanTaskStatus Status,
    string? Outcome,
    string? CompletedBy,
    DateTimeOffset? CompletedAt);

/// <summary>The assignees a caller acts for; a task is visible when it is assigned to one of them.</summary>
public sealed record AssigneeScope(IReadOnlyCollection<string> Units, IReadOnlyCollection<string> Roles, IReadOnlyCollection<string> Persons, IReadOnlyCollection<string> UnitRoles);

/// <param name="Step">Only tasks of this step (its activity type, e.g. Suggestions.SignFor); <paramref name="ExceptSteps"/>: none of these.</param>
public sealed record TaskFilter(
    string? AssigneeKind = null,
    string? AssigneeId = null,
    HumanTaskStatus? Status = HumanTaskStatus.Open,
    Guid? InstanceId = null,
    int Skip = 0,
    int Take = 50,
    string? CorrelationKey = null,
    DateTimeOffset? DueBefore = null,
    string? Step = null,
    IReadOnlyList<string>? ExceptSteps = null);

/// <summary>Read-only views of instances, journals and tasks for the API and the UI.</summary>
public sealed class WorkflowQueries(WorkflowsDbContext db)
{
    public const int MaxPageSize = 500;

    public async Task<Page<InstanceSummary>> ListInstancesAsync(InstanceFilter filter, CancellationToken cancellationToken = default)
    {
        var query = db.Instances.AsNoTracking();
        if (!string.IsNullOrEmpty(filter.DefinitionId))
        {
            query = query.Where(i => i.DefinitionId == filter.DefinitionId);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(i => i.Status == status);
        }

        if (!string.IsNullOrEmpty(filter.CorrelationKey))
        {
            query = query.Where(i => i.CorrelationKey == filter.CorrelationKey);
        }

        var take = Math.Clamp(filter.Take, 1, MaxPageSize);
        var skip = Math.Max(0, filter.Skip);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new Page<InstanceSummary>(rows.Select(InstanceSummary.From).ToList(), total, skip, take);
    }

    public async Task<InstanceDetail> GetInstanceAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var row = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken)
            ?? throw new WorkflowEngineException(EngineErrorKind.NotFound, $"instance {id} does not exist");
        var state = WorkflowInstanceState.FromJson(row.StateJson);
        var incidents = await db.Incidents.AsNoTracking().Where(i => i.InstanceId == id).OrderBy(i => i.At)
            .Select(i => new IncidentView(i.Id, i.ActivityId, i.ActivityType, i.Message, i.At, i.ResolvedAt)).ToListAsync(cancellationToken);
        return new InstanceDetail(
            InstanceSummary.From(row),
            state.Variables,
            state.Output,
            state.Fault?.Message,
            state.Bookmarks.Select(b => new OpenBookmark(Guid.Parse(b.Id), b.ActivityId, b.Kind.ToString(), b.EventName, b.CorrelationKey, b.DueAt)).ToList(),
            incidents);
    }

    public async Task<IReadOnlyList<JournalView>> JournalAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        if (!await db.Instances.AnyAsync(i => i.Id == instanceId, cancellationToken))
        {
            throw new WorkflowEngineException(EngineErrorKind.NotFound, $"instance {instanceId} does not exist");
        }

        return await db.Journal.AsNoTracking().Where(j => j.InstanceId == instanceId).OrderBy(j => j.Id)
            .Select(j => new JournalView(j.Id, j.ActivityId, j.ActivityType, j.Event, j.Outcome, j.Message, j.At))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Tasks matching the filter; with a scope, only those assigned to one of its units, roles or persons.</summary>
    public async Task<Page<TaskView>> ListTasksAsync(TaskFilter filter, AssigneeScope? scope = null, CancellationToken cancellationToken = default)
    {
        var query = TaskQuery(filter, scope);
        var take = Math.Clamp(filter.Take, 1, MaxPageSize);
        var skip = Math.Max(0, filter.Skip);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(t => t.DueAt == null).ThenBy(t => t.DueAt).ThenBy(t => t.CreatedAt).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new Page<TaskView>(rows.Select(ToView).ToList(), total, skip, take);
    }

    /// <summary>How many tasks match the filter (paging ignored), e.g. for the counts in the inbox's tabs.</summary>
    public Task<int> CountTasksAsync(TaskFilter filter, AssigneeScope? scope = null, CancellationToken cancellationToken = default) =>
        TaskQuery(filter, scope).CountAsync(cancellationToken);

    private IQueryable<HumanTaskRecord> TaskQuery(TaskFilter filter, AssigneeScope? scope)
    {
        var query = db.HumanTasks.AsNoTracking();
        if (scope is not null)
        {
            var (units, roles, persons, unitRoles) = (scope.Units, scope.Roles, scope.Persons, scope.UnitRoles);
            query = query.Where(t =>
                (t.AssigneeKind == "Unit" && units.Contains(t.AssigneeId))
                || (t.AssigneeKind == "UnitRole" && unitRoles.Contains(t.AssigneeId))
                || (t.AssigneeKind == "Role" && roles.Contains(t.AssigneeId))
                || (t.AssigneeKind == "Person" && persons.Contains(t.AssigneeId)));
        }
        if (!string.IsNullOrEmpty(filter.AssigneeKind))
        {
            query = query.Where(t => t.AssigneeKind == filter.AssigneeKind);
        }

        if (!string.IsNullOrEmpty(filter.AssigneeId))
        {
            query = query.Where(t => t.AssigneeId == filter.AssigneeId);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(t => t.Status == status);
        }

        if (filter.InstanceId is { } instanceId)
        {
            query = query.Where(t => t.InstanceId == instanceId);
        }

        // The inbox's deadline filter: overdue (due before now) or due soon (before the end of the warning window).
        if (filter.DueBefore is { } dueBefore)
        {
            query = query.Where(t => t.DueAt != null && t.DueAt < dueBefore);
        }

        // Every task about one item (a suggestion), in its workflow and the child workflows that share its key.
        if (!string.IsNullOrEmpty(filter.CorrelationKey))
        {
            var key = filter.CorrelationKey;
            query = query.Where(t => db.Instances.Any(i => i.Id == t.InstanceId && i.CorrelationKey == key));
        }

        // The step is kept in the task's data as "step" (written compactly by System.Text.Json); within one
        // assignee's tasks a substring test is cheap, and it works alike on PostgreSQL and SQLite.
        if (!string.IsNullOrEmpty(filter.Step))
        {
            var marker = StepMarker(filter.Step);
            query = query.Where(t => t.DataJson != null && t.DataJson.Contains(marker));
        }

        foreach (var step in filter.ExceptSteps ?? [])
        {
            var marker = StepMarker(step);
            query = query.Where(t => t.DataJson == null || !t.DataJson.Contains(marker));
        }

        return query;
    }

    private static string StepMarker(string step) => $"\"step\":{JsonSerializer.Serialize(step)}";

    public async Task<TaskView> GetTaskAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var row = await db.HumanTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw new WorkflowEngineException(EngineErrorKind.NotFound, $"task {id} does not exist");
        return ToView(row);
    }

    public static TaskView ToView(HumanTaskRecord t) => new(
        t.Id,
        t.InstanceId,
        t.ActivityId,
        t.Title,
        t.Description,
        t.AssigneeKind,
        t.AssigneeId,
        JsonSerializer.Deserialize<List<string>>(t.OutcomesJson) ?? [],
        t.CreatedAt,
        t.DueAt,
        t.Status,
        t.Outcome,
        t.CompletedBy,
        t.CompletedAt);
}
