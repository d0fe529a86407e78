using System.Text.Json;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Liaison.Workflows.Durable;

/// <summary>
/// Writes one burst as rows on the unit of work: the instance's new state, the bookmarks it consumed and
/// created, its timers, tasks (with their due items), journal, incidents and outbox messages. What must follow
/// the commit (the jobs of new timers and due items, waking the outbox pump) hangs on the unit.
/// </summary>
public sealed partial class BurstWriter(
    WorkflowsDbContext db,
    UnitOfWork unit,
    ITimerScheduler timers,
    IOutboxSignal outbox,
    IDueItemScheduler dueItems,
    IEnumerable<ITaskDeadlinePolicy> deadlinePolicies,
    ILogger<BurstWriter> logger)
{
    /// <summary>Stages the burst's state and effects on the context; the caller saves and commits.</summary>
    public async Task ApplyAsync(InstanceRecord instance, RunResult result, DateTimeOffset now, CancellationToken cancellationToken, Guid? alreadyConsumed = null)
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
            unit.OnCommitted(() => Schedule(record.Id, record.DueAt, timers.Schedule));
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
                unit.OnCommitted(() => Schedule(item.Id, item.DueAt, dueItems.Schedule));
            }
        }

        if (effects.Notifications.Count > 0)
        {
            unit.OnCommitted(WakeOutbox);
        }

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
                Id = instance.NextJournalId(),
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
            db.Journal.Add(new JournalRecord { InstanceId = instance.Id, Id = instance.NextJournalId(), Event = JournalEvent.Output, Message = Truncate(line, 2000), At = now });
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
    }

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

    private void WakeOutbox()
    {
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

    private void Schedule(Guid id, DateTimeOffset dueAt, Action<Guid, DateTimeOffset> schedule)
    {
        try
        {
            schedule(id, dueAt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The row is committed; the sweep fires it even if the job could not be scheduled.
            LogScheduleFailed(logger, id, ex);
        }
    }

    private static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox messages are saved but the dispatcher could not be woken; the periodic run will deliver them")]
    private static partial void LogSignalFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer or due item {Id} is saved but its job could not be scheduled; the sweep will fire it")]
    private static partial void LogScheduleFailed(ILogger logger, Guid id, Exception exception);
}
