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

/// <summary>One firing of one due item: the claimed row, the transaction's context and the clock's reading.</summary>
public sealed class DueItemFiring(DueItemRecord item, WorkflowsDbContext db, DateTimeOffset now)
{
    private readonly List<Action> _afterCommit = [];

    public DueItemRecord Item { get; } = item;

    public WorkflowsDbContext Db { get; } = db;

    public DateTimeOffset Now { get; } = now;

    public bool MessagesStaged { get; private set; }

    /// <summary>Items planned by this firing (the next digest), scheduled once the firing commits.</summary>
    public List<DueItemRecord> Planned { get; } = [];

    internal IReadOnlyList<Action> AfterCommitActions => _afterCommit;

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
        MessagesStaged = true;
    }

    /// <summary>Plans another item (e.g. the next day's digest) unless one with its key exists.</summary>
    public async Task PlanAsync(DueItemRecord next, CancellationToken cancellationToken)
    {
        if (!await Db.DueItems.AnyAsync(d => d.Key == next.Key, cancellationToken))
        {
            Db.DueItems.Add(next);
            Planned.Add(next);
        }
    }

    /// <summary>Runs <paramref name="action"/> once the firing has committed (e.g. scheduling jobs of tasks it created).</summary>
    public void AfterCommit(Action action) => _afterCommit.Add(action);
}
