using Hangfire;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Notifications;

public sealed record DispatchResult(int Items, int Sent, int Failed);

/// <summary>
/// Delivers the outbox: each item to each resolved recipient on each channel, once. A delivery row is
/// written (insert-if-absent on its unique key) and claimed before sending and stamped after, so two
/// dispatchers, a retry or a restart never send the same delivery twice; a failed delivery is
/// released and retried by a later run while the ones that succeeded stay sent.
/// </summary>
public sealed partial class NotificationDispatcher(
    WorkflowsDbContext db,
    RecipientResolver recipients,
    IEnumerable<INotificationChannel> channels,
    TimeProvider clock,
    ILogger<NotificationDispatcher> logger)
{
    /// <summary>How long a claimed delivery is left to its sender before another run may take it over.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    /// <summary>Used when an item names no channel this Host knows (e.g. "task").</summary>
    public static readonly IReadOnlyList<string> DefaultChannels = [InAppChannel.ChannelName, EmailChannel.ChannelName];

    private enum Outcome
    {
        Sent,
        Busy,
        Failed,
    }

    public async Task<DispatchResult> DispatchAsync(int batchSize = 200, CancellationToken cancellationToken = default)
    {
        var items = await db.Outbox.AsNoTracking()
            .Where(o => o.DispatchedAt == null)
            .OrderBy(o => o.CreatedAt)
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        int sent = 0, failed = 0;
        foreach (var item in items)
        {
            var complete = true;
            var itemChannels = ChannelsFor(item.Channel);
            foreach (var recipient in await recipients.ResolveAsync(item.Recipient, cancellationToken))
            {
                foreach (var channel in itemChannels.Where(c => c.CanReach(recipient)))
                {
                    var outcome = await DeliverAsync(item, recipient, channel, cancellationToken);
                    sent += outcome == Outcome.Sent ? 1 : 0;
                    failed += outcome == Outcome.Failed ? 1 : 0;
                    complete &= outcome == Outcome.Sent;
                }
            }

            if (complete)
            {
                await db.Outbox.Where(o => o.Id == item.Id && o.DispatchedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.DispatchedAt, clock.GetUtcNow()), cancellationToken);
            }
        }

        return new DispatchResult(items.Count, sent, failed);
    }

    public static string DeliveryKey(Guid outboxId, string recipient, string channel) => $"outbox:{outboxId}:{recipient}:{channel}";

    private List<INotificationChannel> ChannelsFor(string? requested)
    {
        var names = (requested ?? string.Empty).Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var known = channels.Where(c => names.Contains(c.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        return known.Count > 0 ? known : channels.Where(c => DefaultChannels.Contains(c.Name)).ToList();
    }

    private async Task<Outcome> DeliverAsync(OutboxRecord item, NotificationRecipient recipient, INotificationChannel channel, CancellationToken cancellationToken)
    {
        var key = DeliveryKey(item.Id, recipient.UserId, channel.Name);
        var delivery = await FindAsync(key, cancellationToken);
        if (delivery is null)
        {
            db.Deliveries.Add(new DeliveryRecord
            {
                Id = Guid.NewGuid(),
                DeliveryKey = key,
                OutboxId = item.Id,
                Recipient = recipient.UserId,
                Channel = channel.Name,
                CreatedAt = clock.GetUtcNow(),
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The unique key: another dispatcher inserted it first. Its row is the one that counts.
            }
            finally
            {
                db.ChangeTracker.Clear();
            }

            delivery = await FindAsync(key, cancellationToken) ?? throw new InvalidOperationException($"delivery {key} neither inserted nor found");
        }

        if (delivery.SentAt is not null)
        {
            return Outcome.Sent;
        }

        // Claim it: only one runner's conditional update matches, the others see it taken and skip.
        var now = clock.GetUtcNow();
        var claimed = await db.Deliveries
            .Where(d => d.Id == delivery.Id && d.SentAt == null && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedUntil, now + ClaimLease).SetProperty(d => d.Attempts, d => d.Attempts + 1), cancellationToken);
        if (claimed == 0)
        {
            return (await FindAsync(key, cancellationToken))?.SentAt is not null ? Outcome.Sent : Outcome.Busy;
        }

        try
        {
            await channel.SendAsync(recipient, new NotificationContent(key, item.Subject, item.Message), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, key, e);
            var error = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
            await db.Deliveries.Where(d => d.Id == delivery.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null).SetProperty(d => d.LastError, error), CancellationToken.None);
            return Outcome.Failed;
        }

        await db.Deliveries.Where(d => d.Id == delivery.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.SentAt, clock.GetUtcNow()).SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null).SetProperty(d => d.LastError, (string?)null), CancellationToken.None);
        return Outcome.Sent;
    }

    private Task<DeliveryRecord?> FindAsync(string key, CancellationToken cancellationToken) =>
        db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.DeliveryKey == key, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification delivery {DeliveryKey} failed; a later run retries it")]
    private static partial void LogFailed(ILogger logger, string deliveryKey, Exception exception);
}

/// <summary>The Hangfire entry point: minutely, and right after a burst wrote outbox rows.</summary>
public sealed class NotificationDispatchJob(NotificationDispatcher dispatcher)
{
    public const string RecurringJobId = "notification-dispatch";

    [AutomaticRetry(Attempts = 0)]
    public Task<DispatchResult> DispatchAsync(CancellationToken cancellationToken) => dispatcher.DispatchAsync(cancellationToken: cancellationToken);
}
