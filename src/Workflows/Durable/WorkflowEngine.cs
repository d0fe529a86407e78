using System.Text.Json.Nodes;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Diagnostics;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Liaison.Workflows.Durable;

/// <summary>
/// The durable engine's operations: start, resume, events, timers, cancel, retry. Each runs in the scope's
/// <see cref="UnitOfWork"/> (joining one a caller already runs, e.g. a task step's command), so every state
/// change is one database transaction. A bookmark is claimed with a conditional update: of two nodes racing
/// to resume it exactly one wins and the other gets "already resumed"; the instance row carries an
/// optimistic concurrency revision for resumes of different bookmarks of one instance. Human tasks are
/// completed through <see cref="Tasks.TaskCompletion"/>, never here.
/// </summary>
public sealed partial class WorkflowEngine(
    WorkflowsDbContext db,
    UnitOfWork unit,
    BurstWriter writer,
    DefinitionStore definitions,
    WorkflowRunner runner,
    TimeProvider clock,
    WorkflowTelemetry telemetry,
    ILogger<WorkflowEngine> logger)
{
    private const int MaxDispatchDepth = 16;
    private int _dispatchDepth;

    public Task<BurstResult> StartAsync(string definitionId, IReadOnlyDictionary<string, JsonNode?>? input = null, string? correlationKey = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("start", definitionId, () => unit.RunAsync(ct => StartInUnitAsync(definitionId, input, correlationKey, null, null, null, ct), cancellationToken));

    /// <summary>Starts the published version at one activity (the trigger a request matched), as Elsa runs a triggered workflow.</summary>
    public Task<BurstResult> StartAtAsync(string definitionId, string startActivityId, string? correlationKey = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("start", definitionId, () => unit.RunAsync(ct => StartInUnitAsync(definitionId, null, correlationKey, null, null, startActivityId, ct), cancellationToken));

    /// <summary>Resumes one bookmark. Of concurrent callers exactly one succeeds; the others get a Conflict.</summary>
    public Task<BurstResult> ResumeAsync(Guid bookmarkId, JsonNode? payload = null, CancellationToken cancellationToken = default) =>
        ObserveAsync("resume", null, () => unit.RunAsync(ct => ResumeBookmarkAsync(bookmarkId, payload, ct), cancellationToken));

    /// <summary>Resumes every open bookmark waiting for this event and key; returns the bursts it ran.</summary>
    public async Task<IReadOnlyList<BurstResult>> PublishEventAsync(string eventName, string? correlationKey, JsonNode? payload = null, CancellationToken cancellationToken = default)
    {
        var ids = await db.Bookmarks.AsNoTracking()
            .Where(b => b.ConsumedAt == null && b.Kind == nameof(BookmarkKind.Event) && b.EventName == eventName && b.CorrelationKey == correlationKey)
            .OrderBy(b => b.CreatedAt).Select(b => b.Id).ToListAsync(cancellationToken);
        var results = new List<BurstResult>();
        foreach (var id in ids)
        {
            try
            {
                results.Add(await ResumeAsync(id, payload, cancellationToken));
            }
            catch (WorkflowEngineException ex) when (ex.Kind == EngineErrorKind.Conflict)
            {
                // Another node delivered this event to that bookmark first: exactly once either way.
            }
        }

        return results;
    }

    /// <summary>
    /// Resumes the bookmark of a human task the caller has just claimed, in the caller's unit of work
    /// (<see cref="Tasks.TaskCompletion"/>): the payload is the step's checked result, never the caller's raw data.
    /// </summary>
    internal Task<BurstResult> ResumeClaimedTaskAsync(Guid bookmarkId, JsonObject payload, CancellationToken cancellationToken) =>
        unit.IsActive
            ? ResumeBookmarkAsync(bookmarkId, payload, cancellationToken)
            : throw new InvalidOperationException("a task's bookmark is resumed inside the completion's unit of work");

    /// <summary>Fires one durable timer if it is due and not fired yet; returns false when there was nothing to do.</summary>
    public Task<bool> FireTimerAsync(Guid timerId, CancellationToken cancellationToken = default) =>
        ObserveAsync("timer", null, () => unit.RunAsync(
            async ct =>
            {
                var now = clock.GetUtcNow();
                var claimed = await db.Timers.Where(t => t.Id == timerId && t.FiredAt == null && t.DueAt <= now)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.FiredAt, now).SetProperty(t => t.Attempts, t => t.Attempts + 1), ct);
                if (claimed == 0)
                {
                    return false;
                }

                var timer = await db.Timers.AsNoTracking().FirstAsync(t => t.Id == timerId, ct);
                if (await db.Bookmarks.AsNoTracking().AnyAsync(b => b.Id == timer.BookmarkId && b.ConsumedAt == null, ct))
                {
                    await ResumeBookmarkAsync(timer.BookmarkId, null, ct);
                }

                LogTimerFired(logger, timerId, timer.DueAt, now - timer.DueAt);
                telemetry.DueItemLag.Record((now - timer.DueAt).TotalSeconds, new KeyValuePair<string, object?>("liaison.kind", "timer"));
                return true;
            },
            cancellationToken));

    /// <summary>Fires every timer that is due and not fired (after a restart, a lost job, a crash). Returns how many fired.</summary>
    public async Task<int> SweepDueTimersAsync(int batchSize = 500, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var due = await db.Timers.AsNoTracking().Where(t => t.FiredAt == null && t.DueAt <= now)
            .OrderBy(t => t.DueAt).Select(t => t.Id).Take(batchSize).ToListAsync(cancellationToken);
        var fired = 0;
        foreach (var id in due)
        {
            try
            {
                if (await FireTimerAsync(id, cancellationToken))
                {
                    fired++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One broken instance must not stop the sweep; the incident is on that instance or in the log.
                LogTimerFailed(logger, id, ex);
                await db.Timers.Where(t => t.Id == id).ExecuteUpdateAsync(
                    s => s.SetProperty(t => t.Attempts, t => t.Attempts + 1).SetProperty(t => t.LastError, Truncate(ex.Message, 2000)),
                    cancellationToken);
            }
        }

        return fired;
    }

    /// <summary>Timers not fired yet, for rescheduling their jobs after a restart of an in-memory job store.</summary>
    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset DueAt)>> PendingTimersAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.Timers.AsNoTracking().Where(t => t.FiredAt == null).OrderBy(t => t.DueAt)
            .Select(t => new { t.Id, t.DueAt }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.DueAt)).ToList();
    }

    /// <summary>When a timer is due, or null when it has fired or does not exist.</summary>
    public async Task<DateTimeOffset?> PendingDueAtAsync(Guid timerId, CancellationToken cancellationToken = default) =>
        await db.Timers.AsNoTracking().Where(t => t.Id == timerId && t.FiredAt == null).Select(t => (DateTimeOffset?)t.DueAt).FirstOrDefaultAsync(cancellationToken);

    public Task<BurstResult> CancelAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        unit.RunAsync(
            async ct =>
            {
                var (instance, definition, state) = await LoadAsync(instanceId, ct);
                if (instance.Status is InstanceStatus.Finished or InstanceStatus.Cancelled)
                {
                    throw new WorkflowEngineException(EngineErrorKind.Conflict, $"instance {instanceId} has already ended ({instance.Status})");
                }

                var result = runner.Cancel(definition, state);
                await writer.ApplyAsync(instance, result, clock.GetUtcNow(), ct);
                await db.SaveChangesAsync(ct);
                return Summarize(instance, result);
            },
            cancellationToken);

    /// <summary>Re-runs the activity that faulted the instance and resolves its open incidents.</summary>
    public Task<BurstResult> RetryAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        unit.RunAsync(
            async ct =>
            {
                var (instance, definition, state) = await LoadAsync(instanceId, ct);
                if (instance.Status != InstanceStatus.Faulted)
                {
                    throw new WorkflowEngineException(EngineErrorKind.Conflict, $"instance {instanceId} is {instance.Status}, not faulted; there is nothing to retry");
                }

                RunResult result;
                try
                {
                    result = runner.RetryFaulted(definition, state);
                }
                catch (WorkflowResumeException ex)
                {
                    throw new WorkflowEngineException(EngineErrorKind.Conflict, ex.Message, inner: ex);
                }

                var now = clock.GetUtcNow();
                await db.Incidents.Where(i => i.InstanceId == instanceId && i.ResolvedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.ResolvedAt, now), ct);
                await writer.ApplyAsync(instance, result, now, ct);
                await db.SaveChangesAsync(ct);
                await FollowUpAsync(instance, result, ct);
                return Summarize(instance, result);
            },
            cancellationToken);

    private async Task<BurstResult> StartInUnitAsync(
        string definitionId, IReadOnlyDictionary<string, JsonNode?>? input, string? correlationKey, Guid? parentInstanceId, Guid? parentBookmarkId, string? startActivityId, CancellationToken ct)
    {
        var (record, definition) = await definitions.GetPublishedAsync(definitionId, ct);
        foreach (var required in definition.Inputs.Where(i => i.Required))
        {
            if (input is null || !input.TryGetValue(required.Name, out var value) || value is null)
            {
                throw new WorkflowEngineException(EngineErrorKind.BadRequest, $"input '{required.Name}' is required to start '{definitionId}'");
            }
        }

        var instanceId = Guid.NewGuid();
        var result = runner.Start(definition, input, correlationKey, instanceId.ToString("N"), startActivityId);
        var now = clock.GetUtcNow();
        var instance = new InstanceRecord
        {
            Id = instanceId,
            DefinitionId = definition.DefinitionId,
            Version = record.Version,
            DefinitionVersionId = record.Id,
            CorrelationKey = correlationKey,
            StateJson = string.Empty,
            CreatedAt = now,
            ParentInstanceId = parentInstanceId,
            ParentBookmarkId = parentBookmarkId,
        };
        db.Instances.Add(instance);
        await writer.ApplyAsync(instance, result, now, ct);
        await db.SaveChangesAsync(ct);
        await FollowUpAsync(instance, result, ct);
        return Summarize(instance, result);
    }

    /// <summary>
    /// What a saved burst sets off in the same unit: the child workflows it asked for, and, when it finished a
    /// child, the parent's resume once every sibling has finished too.
    /// </summary>
    private async Task FollowUpAsync(InstanceRecord instance, RunResult result, CancellationToken ct)
    {
        foreach (var request in result.Effects.ChildWorkflows)
        {
            var bookmark = request.BookmarkId is { } id ? Guid.Parse(id) : (Guid?)null;
            foreach (var child in request.Children)
            {
                await StartInUnitAsync(request.DefinitionId, child.Input, child.CorrelationKey, instance.Id, bookmark, null, ct);
            }
        }

        // DispatchWorkflow: started here, in the unit that saved the dispatching burst, so a rolled-back burst starts
        // nothing and a committed one started its child exactly once.
        foreach (var dispatch in result.Effects.Dispatches)
        {
            if (++_dispatchDepth > MaxDispatchDepth)
            {
                throw new WorkflowEngineException(EngineErrorKind.BadRequest, $"activity {dispatch.ActivityId} dispatches '{dispatch.DefinitionId}' more than {MaxDispatchDepth} levels deep in one transaction; check for a workflow that dispatches itself");
            }

            try
            {
                await StartInUnitAsync(dispatch.DefinitionId, dispatch.Input, dispatch.CorrelationKey, instance.Id, dispatch.BookmarkId is { } b ? Guid.Parse(b) : null, null, ct);
            }
            catch (WorkflowEngineException ex) when (ex.Kind is EngineErrorKind.NotFound or EngineErrorKind.Conflict)
            {
                // The parent is what was asked for: its child being absent or unpublished is a bad request, not a 404/409.
                throw new WorkflowEngineException(EngineErrorKind.BadRequest, $"activity {dispatch.ActivityId} of '{instance.DefinitionId}' starts workflow '{dispatch.DefinitionId}': {ex.Message}");
            }
            finally
            {
                _dispatchDepth--;
            }
        }

        // PublishEvent: delivered in the same unit, after the publishing burst was saved (so a bookmark it made itself
        // is there to resume); the depth bound stops two workflows that wake each other for ever.
        foreach (var published in result.Effects.Events)
        {
            if (++_dispatchDepth > MaxDispatchDepth)
            {
                throw new WorkflowEngineException(EngineErrorKind.BadRequest, $"activity {published.ActivityId} publishes '{published.EventName}' more than {MaxDispatchDepth} levels deep in one transaction; check for workflows that wake each other");
            }

            try
            {
                var waiting = db.Bookmarks.AsNoTracking().Where(b => b.ConsumedAt == null && b.Kind == nameof(BookmarkKind.Event) && b.EventName == published.EventName);
                if (published.IsLocal)
                {
                    waiting = waiting.Where(b => b.InstanceId == instance.Id);
                }

                if (published.CorrelationKey is { } key)
                {
                    waiting = waiting.Where(b => b.CorrelationKey == key);
                }

                foreach (var id in await waiting.OrderBy(b => b.CreatedAt).Select(b => b.Id).ToListAsync(ct))
                {
                    try
                    {
                        await ResumeBookmarkAsync(id, published.Payload?.DeepClone(), ct);
                    }
                    catch (WorkflowEngineException ex) when (ex.Kind is EngineErrorKind.Conflict or EngineErrorKind.NotFound)
                    {
                        // Consumed meanwhile (another node, or an earlier resume in this unit): delivered once either way.
                    }
                }
            }
            finally
            {
                _dispatchDepth--;
            }
        }

        if (instance.Status == InstanceStatus.Finished && instance.ParentBookmarkId is { } parentBookmark)
        {
            await ChildFinishedAsync(instance, parentBookmark, ct);
        }
    }

    private async Task ChildFinishedAsync(InstanceRecord child, Guid parentBookmark, CancellationToken ct)
    {
        // Siblings finishing at once on two nodes: the parent's row lock makes the second see the first's finish.
        await db.Instances.Where(i => i.Id == child.ParentInstanceId).ExecuteUpdateAsync(s => s.SetProperty(i => i.UpdatedAt, i => i.UpdatedAt), ct);
        var bookmark = await db.Bookmarks.AsNoTracking().FirstOrDefaultAsync(b => b.Id == parentBookmark && b.ConsumedAt == null, ct);
        if (bookmark is null)
        {
            return;
        }

        var expected = bookmark.PayloadJson is { } json && JsonNode.Parse(json)?["count"] is JsonValue count ? count.GetValue<int>() : 1;
        var finished = await db.Instances.AsNoTracking()
            .Where(i => i.ParentBookmarkId == parentBookmark && i.Status == InstanceStatus.Finished)
            .OrderBy(i => i.FinishedAt).ThenBy(i => i.CreatedAt)
            .Select(i => new { i.Id, i.StateJson }).ToListAsync(ct);
        if (finished.Count < expected)
        {
            return;
        }

        var results = new JsonArray();
        foreach (var f in finished)
        {
            var state = WorkflowInstanceState.FromJson(f.StateJson);
            results.Add(new JsonObject
            {
                ["instanceId"] = f.Id.ToString(),
                ["correlationKey"] = state.CorrelationKey,
                ["input"] = new JsonObject(state.Input.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
                ["output"] = state.Output?.DeepClone(),
            });
        }

        await ResumeBookmarkAsync(parentBookmark, results, ct);
    }

    private async Task<BurstResult> ResumeBookmarkAsync(Guid bookmarkId, JsonNode? payload, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();

        // The claim and the load in one statement: only one transaction can move consumed_at from null. On
        // PostgreSQL a racing update waits for the winner's commit and then matches no row, so it loads nothing.
        var instance = await ClaimAsync(bookmarkId, now, cancellationToken);
        if (instance is null)
        {
            var exists = await db.Bookmarks.AnyAsync(b => b.Id == bookmarkId, cancellationToken);
            throw exists
                ? new WorkflowEngineException(EngineErrorKind.Conflict, $"bookmark {bookmarkId} was already resumed")
                : new WorkflowEngineException(EngineErrorKind.NotFound, $"bookmark {bookmarkId} does not exist");
        }

        var definition = await definitions.GetVersionAsync(instance.DefinitionVersionId, cancellationToken);
        RunResult result;
        try
        {
            result = runner.Resume(definition, WorkflowInstanceState.FromJson(instance.StateJson), bookmarkId.ToString("N"), payload);
        }
        catch (WorkflowResumeException ex)
        {
            throw new WorkflowEngineException(EngineErrorKind.BadRequest, ex.Message, inner: ex);
        }

        await writer.ApplyAsync(instance, result, now, cancellationToken, alreadyConsumed: bookmarkId);
        await db.SaveChangesAsync(cancellationToken);
        await FollowUpAsync(instance, result, cancellationToken);
        return Summarize(instance, result);
    }

    private async Task<T> ObserveAsync<T>(string operation, string? definitionId, Func<Task<T>> work)
    {
        using var observation = telemetry.Observe(operation, definitionId);
        try
        {
            var result = await work();
            if (result is BurstResult burst)
            {
                observation.Activity?.SetTag("liaison.instance.id", burst.Instance.Id);
                observation.Activity?.SetTag("liaison.instance.status", burst.Instance.Status.ToString());
            }

            return result;
        }
        catch (Exception ex)
        {
            observation.Failed(ex);
            throw;
        }
    }

    /// <summary>
    /// Marks the bookmark consumed if nobody has, and returns its instance (tracked), or null when the claim
    /// matched nothing (resumed already, or no such bookmark). One round trip on either provider.
    /// </summary>
    private async Task<InstanceRecord?> ClaimAsync(Guid bookmarkId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Raw parameters bypass the model's converters, so they are given as each provider stores them.
        var query = db.Provider == Domain.Persistence.DatabaseProvider.PostgreSql
            ? db.Instances.FromSqlRaw(
                """
                WITH claimed AS (
                    UPDATE wf_bookmarks SET consumed_at = {0} WHERE id = {1} AND consumed_at IS NULL RETURNING instance_id)
                SELECT i.* FROM wf_instances AS i JOIN claimed AS c ON i.id = c.instance_id
                """,
                now.ToUniversalTime(),
                bookmarkId)
            // SQLite has no UPDATE inside a WITH; the two statements go in one command, and changes() says
            // whether this command's update matched (SQLite runs one writer at a time).
            : db.Instances.FromSqlRaw(
                """
                UPDATE wf_bookmarks SET consumed_at = {0} WHERE id = {1} AND consumed_at IS NULL;
                SELECT i.* FROM wf_instances AS i JOIN wf_bookmarks AS b ON b.instance_id = i.id WHERE b.id = {1} AND changes() = 1
                """,
                now.UtcTicks,
                bookmarkId.ToString().ToUpperInvariant());
        var rows = await query.AsTracking().ToListAsync(cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<(InstanceRecord Instance, WorkflowDefinition Definition, WorkflowInstanceState State)> LoadAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var instance = await db.Instances.FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken)
            ?? throw new WorkflowEngineException(EngineErrorKind.NotFound, $"instance {instanceId} does not exist");
        var definition = await definitions.GetVersionAsync(instance.DefinitionVersionId, cancellationToken);
        return (instance, definition, WorkflowInstanceState.FromJson(instance.StateJson));
    }

    private static BurstResult Summarize(InstanceRecord instance, RunResult result) => new(
        InstanceSummary.From(instance),
        result.State.Bookmarks.Select(b => new OpenBookmark(Guid.Parse(b.Id), b.ActivityId, b.Kind.ToString(), b.EventName, b.CorrelationKey, b.DueAt)).ToList(),
        result.Effects.Lines,
        result.State.Fault?.Message)
    {
        HttpResponses = result.Effects.HttpResponses,
    };

    private static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Debug, Message = "Timer {TimerId} due {DueAt} fired {Lag} late")]
    private static partial void LogTimerFired(ILogger logger, Guid timerId, DateTimeOffset dueAt, TimeSpan lag);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer {TimerId} could not be fired; the sweep will try again")]
    private static partial void LogTimerFailed(ILogger logger, Guid timerId, Exception exception);
}
