using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Durable;

public sealed record InstanceFilter(string? DefinitionId = null, InstanceStatus? Status = null, string? CorrelationKey = null, string? After = null, int Take = 50);

/// <summary>One page of a list paged by key: the rows, how many match in all, the next page's cursor (null: the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, string? Next, int Take)
{
    /// <summary>The cursor after one of the items: lets the API cut a page short (a byte budget) and still point past its last row.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Func<T, string>? CursorOf { get; init; }
}

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

/// <summary>
/// Which tasks to list. <paramref name="ActivityTypes"/>: only tasks of these step types (the "step" the activity put in the
/// task data, e.g. "Suggestions.Analyse"); <paramref name="WithDataKey"/> / <paramref name="WithoutDataKey"/>: only tasks whose
/// data has / lacks that top-level key (e.g. "returnedTaskId": a reassignment after a unit's return);
/// <paramref name="ExceptActivityTypes"/>: none of these step types; <paramref name="DueAfter"/>: due at or after this instant;
/// <paramref name="CorrelationKeys"/>: only tasks of instances with one of these keys (an empty list matches nothing).
/// </summary>
public sealed record TaskFilter(
    string? AssigneeKind = null,
    string? AssigneeId = null,
    HumanTaskStatus? Status = HumanTaskStatus.Open,
    Guid? InstanceId = null,
    string? After = null,
    int Take = 50,
    string? CorrelationKey = null,
    DateTimeOffset? DueBefore = null,
    IReadOnlyList<string>? ActivityTypes = null,
    string? WithDataKey = null,
    string? WithoutDataKey = null,
    IReadOnlyList<string>? ExceptActivityTypes = null,
    DateTimeOffset? DueAfter = null,
    IReadOnlyCollection<string>? CorrelationKeys = null);

/// <summary>Read-only views of instances, journals and tasks for the API and the UI.</summary>
public sealed class WorkflowQueries(WorkflowsDbContext db)
{
    /// <summary>The largest page: 50 (<see cref="Keyset.MaxPageSize"/>), except for callers inside the app that read a whole item's tasks.</summary>
    public const int MaxPageSize = Keyset.MaxPageSize;

    /// <summary>An instance's or a suggestion's own tasks, read whole by the instance viewer and the demo (a few dozen at most).</summary>
    public const int MaxInternalPageSize = 500;

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
        var total = await query.CountAsync(cancellationToken);
        if (Keyset.Decode("instances", filter.After, 2) is { } after)
        {
            var (at, id) = (after.Instant(0), after.Id(1));
            query = query.Where(i => i.CreatedAt < at || (i.CreatedAt == at && i.Id.CompareTo(id) > 0));
        }

        var rows = await query.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = Keyset.NextOf(rows, take, "instances", i => [i.CreatedAt, i.Id]);
        return new Page<InstanceSummary>(rows.Select(InstanceSummary.From).ToList(), total, next, take)
        {
            CursorOf = i => Keyset.Encode("instances", i.CreatedAt, i.Id),
        };
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
    /// <remarks>
    /// Most urgent first: by due time (tasks without one last), then creation, then id; one page after <see cref="TaskFilter.After"/>.
    /// <paramref name="internalRead"/>: a caller inside the app reading one item's tasks whole (up to <see cref="MaxInternalPageSize"/>).
    /// </remarks>
    public async Task<Page<TaskView>> ListTasksAsync(TaskFilter filter, AssigneeScope? scope = null, CancellationToken cancellationToken = default, bool internalRead = false)
    {
        var query = TaskQuery(filter, scope);
        var take = Math.Clamp(filter.Take, 1, internalRead ? MaxInternalPageSize : MaxPageSize);
        var total = await query.CountAsync(cancellationToken);
        if (Keyset.Decode(TasksList, filter.After, 3) is { } after)
        {
            var (created, id) = (after.Instant(1), after.Id(2));
            if (after.NullableInstant(0) is { } due)
            {
                query = query.Where(t => t.DueAt == null || t.DueAt > due
                    || (t.DueAt == due && (t.CreatedAt > created || (t.CreatedAt == created && t.Id.CompareTo(id) > 0))));
            }
            else
            {
                query = query.Where(t => t.DueAt == null && (t.CreatedAt > created || (t.CreatedAt == created && t.Id.CompareTo(id) > 0)));
            }
        }

        var rows = await query.OrderBy(t => t.DueAt == null).ThenBy(t => t.DueAt).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = Keyset.NextOf(rows, take, TasksList, t => [t.DueAt, t.CreatedAt, t.Id]);
        return new Page<TaskView>(rows.Select(ToView).ToList(), total, next, take)
        {
            CursorOf = t => Keyset.Encode(TasksList, t.DueAt, t.CreatedAt, t.Id),
        };
    }

    private const string TasksList = "tasks";

    /// <summary>How many tasks match the filter (its paging ignored), e.g. for the counts in a console's tab titles.</summary>
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

        if (filter.DueAfter is { } dueAfter)
        {
            query = query.Where(t => t.DueAt != null && t.DueAt >= dueAfter);
        }

        // Every task about one item (a suggestion), in its workflow and the child workflows that share its key.
        if (!string.IsNullOrEmpty(filter.CorrelationKey))
        {
            var key = filter.CorrelationKey;
            query = query.Where(t => db.Instances.Any(i => i.Id == t.InstanceId && i.CorrelationKey == key));
        }

        // The tasks about any of several items, e.g. the suggestions an inbox search matched.
        if (filter.CorrelationKeys is { } keys)
        {
            var list = keys.Distinct().ToList();
            query = query.Where(t => db.Instances.Any(i => i.Id == t.InstanceId && i.CorrelationKey != null && list.Contains(i.CorrelationKey)));
        }

        return FilterByData(query, filter);
    }

    /// <summary>
    /// The step type and data keys live in the task's data (JSON text, written compactly by the engine), matched in SQL with
    /// LIKE. The other filters (assignee, status) narrow first through their index, so this scans only, say, the office's open tasks.
    /// </summary>
    private static IQueryable<HumanTaskRecord> FilterByData(IQueryable<HumanTaskRecord> query, TaskFilter filter)
    {
        if (filter.ActivityTypes is { Count: > 0 } types)
        {
            var patterns = types.Select(t => $"%{StepMarker(t)}%").ToList();
            var task = System.Linq.Expressions.Expression.Parameter(typeof(HumanTaskRecord), "t");
            var data = System.Linq.Expressions.Expression.Property(task, nameof(HumanTaskRecord.DataJson));
            var like = typeof(DbFunctionsExtensions).GetMethod(nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string)])!;
            var functions = System.Linq.Expressions.Expression.Constant(EF.Functions);
            var any = patterns
                .Select(p => (System.Linq.Expressions.Expression)System.Linq.Expressions.Expression.Call(like, functions, data, System.Linq.Expressions.Expression.Constant(p)))
                .Aggregate(System.Linq.Expressions.Expression.OrElse);
            query = query.Where(System.Linq.Expressions.Expression.Lambda<Func<HumanTaskRecord, bool>>(any, task));
        }

        if (!string.IsNullOrEmpty(filter.WithDataKey))
        {
            var pattern = $"%{JsonSerializer.Serialize(filter.WithDataKey)}:%";
            query = query.Where(t => t.DataJson != null && EF.Functions.Like(t.DataJson, pattern));
        }

        if (!string.IsNullOrEmpty(filter.WithoutDataKey))
        {
            var pattern = $"%{JsonSerializer.Serialize(filter.WithoutDataKey)}:%";
            query = query.Where(t => t.DataJson == null || !EF.Functions.Like(t.DataJson, pattern));
        }

        foreach (var type in filter.ExceptActivityTypes ?? [])
        {
            var pattern = $"%{StepMarker(type)}%";
            query = query.Where(t => t.DataJson == null || !EF.Functions.Like(t.DataJson, pattern));
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
