using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

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

/// <summary>
/// The durable engine. Every state change is one database transaction: the instance's new state, the
/// bookmarks it consumed and created, its timers, tasks, journal, incidents and outbox messages are
/// committed together. A bookmark is claimed with a conditional update, so of two nodes racing to resume
/// it exactly one wins and the other gets "already resumed"; the instance row carries an optimistic
/// concurrency revision for resumes of different bookmarks of one instance.
/// </summary>
public sealed partial class WorkflowEngine(
    WorkflowsDbContext db,
    DefinitionStore definitions,
    WorkflowRunner runner,
    TimeProvider clock,
    ITimerScheduler timers,
    IOutboxSignal outbox,
    IDueItemScheduler dueItems,
    IEnumerable<ITaskDeadlinePolicy> deadlinePolicies,
    ILogger<WorkflowEngine> logger)
{
    private const int MaxAttempts = 8;

    private readonly List<TimerRecord> _deferredTimers = [];

    // Due items of the tasks this engine created, scheduled after the commit that makes their rows visible.
    private readonly List<DueItemRecord> _pendingDueItems = [];

    // Set when a burst staged outbox messages; signalled after the commit that makes them visible.
    private bool _messagesStaged;

    public async Task<BurstResult> StartAsync(string definitionId, IReadOnlyDictionary<string, JsonNode?>? input = null, string? correlationKey = null, CancellationToken cancellationToken = default)
    {
        var (record, definition) = await definitions.GetPublishedAsync(definitionId, cancellationToken);
        foreach (var required in definition.Inputs.Where(i => i.Required))
        {
            if (input is null || !input.TryGetValue(required.Name, out var value) || value is null)
            {
                throw new WorkflowEngineException(EngineErrorKind.BadRequest, $"input '{required.Name}' is required to start '{definitionId}'");
            }
        }

        var instanceId = Guid.NewGuid();
        var result = runner.Start(definition, input, correlationKey, instanceId.ToString("N"));
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
        };

        // In the caller's transaction (a domain command starting its workflow) the caller commits and schedules timers.
        var ambient = db.Database.CurrentTransaction is not null;
        await using var transaction = ambient ? null : await db.Database.BeginTransactionAsync(cancellationToken);
        db.Instances.Add(instance);
        var scheduled = await ApplyAsync(instance, result, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is null)
        {
            _deferredTimers.AddRange(scheduled);
        }
        else
        {
            await transaction.CommitAsync(cancellationToken);
            AfterCommit(scheduled);
        }

        return Summarize(instance, result);
    }

    /// <summary>Resumes one bookmark. Of concurrent callers exactly one succeeds; the others get a Conflict.</summary>
    public Task<BurstResult> ResumeAsync(Guid bookmarkId, JsonNode? payload = null, CancellationToken cancellationToken = default) =>
        WithRetriesAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var (instance, result, scheduled) = await ResumeInTransactionAsync(bookmarkId, payload, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            AfterCommit(scheduled);
            return Summarize(instance, result);
        });

    /// <summary>Resumes every open bookmark waiting for this event and key; returns how many instances it resumed.</summary>
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
    /// Completes a human task with one of its outcomes and resumes the workflow, in one transaction.
    /// When the context already has a transaction (the caller shares its connection and transaction, e.g.
    /// to run a domain command in the same commit), the engine neither begins nor commits nor retries:
    /// the caller owns the unit of work, and calls <see cref="ScheduleDeferredTimers"/> after its commit.
    /// </summary>
    public Task<BurstResult> CompleteTaskAsync(Guid taskId, string outcome, JsonNode? data, string? completedBy, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return CompleteTaskInAmbientTransactionAsync(taskId, outcome, data, completedBy, cancellationToken);
        }

        return WithRetriesAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var (instance, result, scheduled) = await CompleteTaskInTransactionAsync(taskId, outcome, data, completedBy, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            AfterCommit(scheduled);
            return Summarize(instance, result);
        });
    }

    /// <summary>Hands the timers of ambient-transaction completions to the scheduler; call once the caller has committed.</summary>
    public void ScheduleDeferredTimers()
    {
        var pending = _deferredTimers.ToList();
        _deferredTimers.Clear();
        AfterCommit(pending);
    }

    /// <summary>Forgets the timers of ambient-transaction completions; call when the caller rolled back.</summary>
    public void DiscardDeferredTimers()
    {
        _deferredTimers.Clear();
        _pendingDueItems.Clear();
        _messagesStaged = false;
    }

    private async Task<BurstResult> CompleteTaskInAmbientTransactionAsync(Guid taskId, string outcome, JsonNode? data, string? completedBy, CancellationToken cancellationToken)
    {
        try
        {
            var (instance, result, scheduled) = await CompleteTaskInTransactionAsync(taskId, outcome, data, completedBy, cancellationToken);

            // A job must not fire before the row it fires is committed; the sweep covers a caller that forgets.
            _deferredTimers.AddRange(scheduled);
            return Summarize(instance, result);
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
    }

    private async Task<(InstanceRecord Instance, RunResult Result, IReadOnlyList<TimerRecord> Scheduled)> CompleteTaskInTransactionAsync(Guid taskId, string outcome, JsonNode? data, string? completedBy, CancellationToken cancellationToken)
    {
        var task = await db.HumanTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken)
            ?? throw new WorkflowEngineException(EngineErrorKind.NotFound, $"task {taskId} does not exist");
        var outcomes = JsonSerializer.Deserialize<List<string>>(task.OutcomesJson) ?? [];
        var chosen = outcomes.FirstOrDefault(o => string.Equals(o, outcome, StringComparison.OrdinalIgnoreCase))
            ?? throw new WorkflowEngineException(EngineErrorKind.BadRequest, $"outcome '{outcome}' is not allowed for task {taskId} (allowed: {string.Join(", ", outcomes)})");
        var now = clock.GetUtcNow();
        var claimed = await db.HumanTasks.Where(t => t.Id == taskId && t.Status == HumanTaskStatus.Open)
            .ExecuteUpdateAsync(
                s => s.SetProperty(t => t.Status, HumanTaskStatus.Completed)
                    .SetProperty(t => t.Outcome, chosen)
                    .SetProperty(t => t.CompletedBy, completedBy)
                    .SetProperty(t => t.CompletedAt, now)
                    .SetProperty(t => t.DataJson, data == null ? null : data.ToJsonString(null)),
                cancellationToken);
        if (claimed == 0)
        {
            throw new WorkflowEngineException(EngineErrorKind.Conflict, $"task {taskId} is already {task.Status.ToString().ToLowerInvariant()}");
        }

        var payload = new JsonObject { ["outcome"] = chosen, ["data"] = data?.DeepClone(), ["completedBy"] = completedBy };
        return await ResumeInTransactionAsync(task.BookmarkId, payload, cancellationToken);
    }

    /// <summary>Fires one durable timer if it is due and not fired yet; returns false when there was nothing to do.</summary>
    public Task<bool> FireTimerAsync(Guid timerId, CancellationToken cancellationToken = default) =>
        WithRetriesAsync(async () =>
        {
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var claimed = await db.Timers.Where(t => t.Id == timerId && t.FiredAt == null && t.DueAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.FiredAt, now).SetProperty(t => t.Attempts, t => t.Attempts + 1), cancellationToken);
            if (claimed == 0)
            {
                return false;
            }

            var timer = await db.Timers.AsNoTracking().FirstAsync(t => t.Id == timerId, cancellationToken);
            var open = await db.Bookmarks.AsNoTracking().AnyAsync(b => b.Id == timer.BookmarkId && b.ConsumedAt == null, cancellationToken);
            IReadOnlyList<TimerRecord> scheduled = [];
            if (open)
            {
                (_, _, scheduled) = await ResumeInTransactionAsync(timer.BookmarkId, null, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            AfterCommit(scheduled);
            LogTimerFired(logger, timerId, timer.DueAt, now - timer.DueAt);
            return true;
        });

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
                db.ChangeTracker.Clear();
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
        WithRetriesAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var (instance, definition, state) = await LoadAsync(instanceId, cancellationToken);
            if (instance.Status is InstanceStatus.Finished or InstanceStatus.Cancelled)
            {
                throw new WorkflowEngineException(EngineErrorKind.Conflict, $"instance {instanceId} has already ended ({instance.Status})");
            }

            var result = runner.Cancel(definition, state);
            var scheduled = await ApplyAsync(instance, result, clock.GetUtcNow(), cancellationToken);
            await SaveInstanceAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            AfterCommit(scheduled);
            return Summarize(instance, result);
        });

    /// <summary>Re-runs the activity that faulted the instance and resolves its open incidents.</summary>
    public Task<BurstResult> RetryAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        WithRetriesAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var (instance, definition, state) = await LoadAsync(instanceId, cancellationToken);
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
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.ResolvedAt, now), cancellationToken);
            var scheduled = await ApplyAsync(instance, result, now, cancellationToken);
            await SaveInstanceAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            AfterCommit(scheduled);
            return Summarize(instance, result);
        });

    private async Task<(InstanceRecord Instance, RunResult Result, IReadOnlyList<TimerRecord> Scheduled)> ResumeInTransactionAsync(Guid bookmarkId, JsonNode? payload, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();

        // The claim: only one transaction can move consumed_at from null. On PostgreSQL a racing update
        // waits for the winner's commit and then matches no row.
        var claimed = await db.Bookmarks.Where(b => b.Id == bookmarkId && b.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.ConsumedAt, now), cancellationToken);
        if (claimed == 0)
        {
            var exists = await db.Bookmarks.AnyAsync(b => b.Id == bookmarkId, cancellationToken);
            throw exists
                ? new WorkflowEngineException(EngineErrorKind.Conflict, $"bookmark {bookmarkId} was already resumed")
                : new WorkflowEngineException(EngineErrorKind.NotFound, $"bookmark {bookmarkId} does not exist");
        }

        var instance = await db.Instances.FirstAsync(i => db.Bookmarks.Any(b => b.Id == bookmarkId && b.InstanceId == i.Id), cancellationToken);
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

        var scheduled = await ApplyAsync(instance, result, now, cancellationToken, alreadyConsumed: bookmarkId);
        await SaveInstanceAsync(cancellationToken);
        return (instance, result, scheduled);
    }

    private async Task<(InstanceRecord Instance, WorkflowDefinition Definition, WorkflowInstanceState State)> LoadAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var instance = await db.Instances.FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken)
            ?? throw new WorkflowEngineException(EngineErrorKind.NotFound, $"instance {instanceId} does not exist");
        var definition = await definitions.GetVersionAsync(instance.DefinitionVersionId, cancellationToken);
        return (instance, definition, WorkflowInstanceState.FromJson(instance.StateJson));
    }

    /// <summary>Stages the burst's state and effects on the context; the caller saves and commits.</summary>
    private async Task<IReadOnlyList<TimerRecord>> ApplyAsync(InstanceRecord instance, RunResult result, DateTimeOffset now, CancellationToken cancellationToken, Guid? alreadyConsumed = null)
    {
        var effects = result.Effects;

        // Close what the burst consumed besides the claimed bookmark; each statement only when it can
        // match something, so a plain resume costs no extra round trips.
        var others = effects.BookmarksConsumed.Where(b => Guid.Parse(b.Id) != alreadyConsumed).Select(b => Guid.Parse(b.Id)).ToList();
        if (others.Count > 0)
        {
            await db.Bookmarks.Where(b => others.Contains(b.Id) && b.ConsumedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.ConsumedAt, now), cancellationToken);
        }

        var timerBookmarks = effects.BookmarksConsumed.Where(b => b.Kind == BookmarkKind.Timer).Select(b => Guid.Parse(b.Id)).ToList();
        if (timerBookmarks.Count > 0)
        {
            await db.Timers.Where(t => timerBookmarks.Contains(t.BookmarkId) && t.FiredAt == null).ExecuteDeleteAsync(cancellationToken);
        }

        var taskBookmarks = effects.BookmarksConsumed.Where(b => b.Kind == BookmarkKind.HumanTask).Select(b => Guid.Parse(b.Id)).ToList();
        if (taskBookmarks.Count > 0)
        {
            await db.HumanTasks.Where(t => taskBookmarks.Contains(t.BookmarkId) && t.Status == HumanTaskStatus.Open)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, HumanTaskStatus.Cancelled).SetProperty(t => t.CompletedAt, now), cancellationToken);
        }

        foreach (var bookmark in effects.BookmarksCreated)
        {
            db.Bookmarks.Add(new BookmarkRecord
            {
                Id = Guid.Parse(bookmark.Id),
                InstanceId = instance.Id,
                ActivityId = bookmark.ActivityId,
                Kind = bookmark.Kind.ToString(),
                EventName = bookmark.EventName,
                CorrelationKey = bookmark.CorrelationKey,
                DueAt = bookmark.DueAt,
                PayloadJson = bookmark.Payload?.ToJsonString(),
                CreatedAt = now,
            });
        }

        var scheduled = new List<TimerRecord>();
        foreach (var timer in effects.Timers)
        {
            var record = new TimerRecord
            {
                Id = Guid.NewGuid(),
                UniqueKey = timer.UniqueKey,
                InstanceId = instance.Id,
                BookmarkId = Guid.Parse(timer.BookmarkId),
                DueAt = timer.DueAt,
            };
            db.Timers.Add(record);
            scheduled.Add(record);
        }

        foreach (var task in effects.HumanTasks)
        {
            var deadline = await DeadlineAsync(task, now, cancellationToken);
            var record = new HumanTaskRecord
            {
                Id = Guid.NewGuid(),
                InstanceId = instance.Id,
                BookmarkId = Guid.Parse(task.BookmarkId),
                ActivityId = task.ActivityId,
                Title = task.Title,
                Description = task.Description,
                AssigneeKind = task.AssigneeKind?.ToString() ?? "Unassigned",
                AssigneeId = task.AssigneeId ?? string.Empty,
                OutcomesJson = JsonSerializer.Serialize(task.Outcomes),
                RemindersJson = deadline.Reminders.Count == 0 ? null : JsonSerializer.Serialize(deadline.Reminders),
                DueAt = deadline.DueAt,
                DataJson = task.Data?.ToJsonString(),
                CreatedAt = now,
                Status = HumanTaskStatus.Open,
            };
            db.HumanTasks.Add(record);

            // The task's notices are durable rows in the same commit: a crash cannot lose a reminder.
            foreach (var item in DueItemPlanner.ForTask(record, deadline.Reminders, now))
            {
                db.DueItems.Add(item);
                _pendingDueItems.Add(item);
            }
        }

        _messagesStaged |= effects.Notifications.Count > 0;
        foreach (var notification in effects.Notifications)
        {
            db.Outbox.Add(new OutboxRecord
            {
                Id = Guid.NewGuid(),
                InstanceId = instance.Id,
                ActivityId = notification.ActivityId,
                Channel = notification.Channel,
                Recipient = notification.Recipient,
                Subject = notification.Subject,
                Message = notification.Message,
                CreatedAt = now,
            });
        }

        foreach (var entry in effects.Journal)
        {
            db.Journal.Add(new JournalRecord
            {
                InstanceId = instance.Id,
                ActivityId = entry.ActivityId,
                ActivityType = entry.ActivityType,
                Event = Enum.Parse<JournalEvent>(entry.Kind.ToString()),
                Outcome = entry.Port,
                Message = Truncate(entry.Message, 2000),
                At = entry.At,
            });
        }

        foreach (var line in effects.Lines)
        {
            db.Journal.Add(new JournalRecord { InstanceId = instance.Id, Event = JournalEvent.Output, Message = Truncate(line, 2000), At = now });
        }

        foreach (var incident in effects.Incidents)
        {
            db.Incidents.Add(new IncidentRecord
            {
                Id = Guid.NewGuid(),
                InstanceId = instance.Id,
                ActivityId = incident.ActivityId,
                ActivityType = incident.ActivityType,
                Message = Truncate(incident.Message, 2000)!,
                Details = incident.ExceptionType,
                At = incident.At,
            });
        }

        var state = result.State;
        instance.Status = Enum.Parse<InstanceStatus>(state.Status.ToString());
        instance.StateJson = state.ToJson();
        instance.UpdatedAt = now;
        instance.FinishedAt = state.Status is WorkflowStatus.Finished or WorkflowStatus.Cancelled ? now : null;
        instance.Revision++;
        return scheduled;
    }

    private async Task SaveInstanceAsync(CancellationToken cancellationToken) => await db.SaveChangesAsync(cancellationToken);

    private async Task<TaskDeadline> DeadlineAsync(HumanTaskRequest task, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var policy in deadlinePolicies)
        {
            if (await policy.ResolveAsync(task, now, cancellationToken) is { } decided)
            {
                return decided;
            }
        }

        return new TaskDeadline(task.DueAt, task.Reminders);
    }

    private void AfterCommit(IReadOnlyList<TimerRecord> scheduled)
    {
        if (_messagesStaged)
        {
            _messagesStaged = false;
            try
            {
                outbox.MessagesWritten();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The rows are committed; the periodic dispatch delivers them anyway.
                LogSignalFailed(logger, ex);
            }
        }

        var dueNow = _pendingDueItems.ToList();
        _pendingDueItems.Clear();
        foreach (var item in dueNow)
        {
            try
            {
                dueItems.Schedule(item.Id, item.DueAt);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScheduleFailed(logger, item.Id, ex);
            }
        }

        foreach (var timer in scheduled)
        {
            try
            {
                timers.Schedule(timer.Id, timer.DueAt);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The row is committed; the sweep fires it even if the job could not be scheduled.
                LogScheduleFailed(logger, timer.Id, ex);
            }
        }
    }

    /// <summary>
    /// Retries a whole transaction when it lost an optimistic-concurrency race on the instance row
    /// (another bookmark of the same instance was resumed at the same moment).
    /// </summary>
    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> operation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation();
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex))
            {
                db.ChangeTracker.Clear();
                _pendingDueItems.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)));
            }
            catch
            {
                db.ChangeTracker.Clear();
                _pendingDueItems.Clear();
                throw;
            }
        }
    }

    /// <summary>A lost race worth retrying the whole transaction for (also used by callers that own the transaction).</summary>
    internal static bool IsTransient(Exception ex) => ex switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: "40001" or "40P01" } } => true,
        Npgsql.PostgresException { SqlState: "40001" or "40P01" } => true,
        _ => false,
    };

    private static BurstResult Summarize(InstanceRecord instance, RunResult result) => new(
        InstanceSummary.From(instance),
        result.State.Bookmarks.Select(b => new OpenBookmark(Guid.Parse(b.Id), b.ActivityId, b.Kind.ToString(), b.EventName, b.CorrelationKey, b.DueAt)).ToList(),
        result.Effects.Lines,
        result.State.Fault?.Message);

    private static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Debug, Message = "Timer {TimerId} due {DueAt} fired {Lag} late")]
    private static partial void LogTimerFired(ILogger logger, Guid timerId, DateTimeOffset dueAt, TimeSpan lag);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer {TimerId} could not be fired; the sweep will try again")]
    private static partial void LogTimerFailed(ILogger logger, Guid timerId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox messages are saved but the dispatcher could not be woken; the periodic run will deliver them")]
    private static partial void LogSignalFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer or due item {Id} is saved but its job could not be scheduled; the sweep will fire it")]
    private static partial void LogScheduleFailed(ILogger logger, Guid id, Exception exception);
}
