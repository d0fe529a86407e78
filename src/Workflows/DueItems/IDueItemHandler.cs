using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.DueItems;

/// <summary>
/// Fires one kind of due item. It runs inside the transaction that claimed the item: whatever it stages
/// on <see cref="DueItemFiring.Db"/> (outbox messages, the next occurrence, a task completion) commits
/// with the claim or not at all. Returns what it did, kept on the row ("sent", "task completed", ...).
/// </summary>
public interface IDueItemHandler
{
    string Kind { get; }

    Task<string> FireAsync(DueItemFiring firing, CancellationToken cancellationToken);
}

/// <summary>One firing of one due item: the claimed row, the unit of work's context and the clock's reading.</summary>
public sealed class DueItemFiring(DueItemRecord item, WorkflowsDbContext db, UnitOfWork unit, IDueItemScheduler scheduler, IOutboxSignal outbox, DateTimeOffset now)
{
    private bool _messagesStaged;

    public DueItemRecord Item { get; } = item;

    public WorkflowsDbContext Db { get; } = db;

    public DateTimeOffset Now { get; } = now;

    /// <summary>Stages a message for the notification dispatcher; one row per firing and recipient list.</summary>
    public void Send(string recipients, string subject, string message, string? channel = null)
    {
        Db.Outbox.Add(new OutboxRecord
        {
            Id = Guid.NewGuid(),
            InstanceId = Guid.Empty,
            ActivityId = Item.Kind,
            Channel = channel,
            Recipient = recipients.Length > 200 ? recipients[..200] : recipients,
            Subject = subject.Length > 400 ? subject[..400] : subject,
            Message = message,
            CreatedAt = Now,
        });
        if (!_messagesStaged)
        {
            _messagesStaged = true;
            unit.OnCommitted(outbox.MessagesWritten);
        }
    }

    /// <summary>Plans another item (e.g. the next day's digest) unless one with its key exists; its job is scheduled after the commit.</summary>
    public async Task PlanAsync(DueItemRecord next, CancellationToken cancellationToken)
    {
        if (!await Db.DueItems.AnyAsync(d => d.Key == next.Key, cancellationToken))
        {
            Db.DueItems.Add(next);
            unit.OnCommitted(() => scheduler.Schedule(next.Id, next.DueAt));
        }
    }
}
