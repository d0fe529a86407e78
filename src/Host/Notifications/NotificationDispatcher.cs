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
    MessagingDbContext messaging,
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
        var items = await PendingAsync(batchSize, cancellationToken);
        return await DeliverAsync(items, cancellationToken);
    }

    /// <summary>
    /// Outbox items not dispatched yet: the oldest first, or in random order when several nodes drain a
    /// burst at once, so that they mostly take different items instead of racing for the same ones.
    /// </summary>
    public Task<List<OutboxRecord>> PendingAsync(int batchSize, CancellationToken cancellationToken, bool shuffled = false)
    {
        var pending = db.Outbox.AsNoTracking().Where(o => o.DispatchedAt == null);
        return (shuffled ? pending.OrderBy(o => EF.Functions.Random()) : pending.OrderBy(o => o.CreatedAt))
            .Take(batchSize)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Delivers these items (each to each recipient on each channel, once) and stamps those that are complete.</summary>
    public async Task<DispatchResult> DeliverAsync(IReadOnlyList<OutboxRecord> items, CancellationToken cancellationToken = default)
    {
        int sent = 0, failed = 0;

        // A burst often addresses the same unit or role many times: resolve each recipient list once per run.
        var resolved = new Dictionary<string, IReadOnlyList<NotificationRecipient>>(StringComparer.Ordinal);

        // Deliveries of earlier runs (a retried item), read at once rather than one lookup per send.
        var ids = items.Select(i => i.Id).ToList();
        var known = await messaging.Deliveries.AsNoTracking().Where(d => ids.Contains(d.OutboxId)).ToDictionaryAsync(d => d.DeliveryKey, cancellationToken);
        var completed = new List<Guid>();
        foreach (var item in items)
        {
            var complete = true;
            var itemChannels = ChannelsFor(item.Channel);
            var key = item.Recipient ?? string.Empty;
            if (!resolved.TryGetValue(key, out var people))
            {
                resolved[key] = people = await recipients.ResolveAsync(item.Recipient, cancellationToken);
            }

            foreach (var recipient in people)
            {
                foreach (var channel in itemChannels.Where(c => c.CanReach(recipient)))
                {
                    var outcome = await DeliverAsync(item, recipient, channel, known, cancellationToken);
                    sent += outcome == Outcome.Sent ? 1 : 0;
                    failed += outcome == Outcome.Failed ? 1 : 0;
                    complete &= outcome == Outcome.Sent;
                }
            }

            if (complete)
            {
                completed.Add(item.Id);
            }
        }

        if (completed.Count > 0)
        {
            await db.Outbox.Where(o => completed.Contains(o.Id) && o.DispatchedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.DispatchedAt, clock.GetUtcNow()), cancellationToken);
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

    private async Task<Outcome> DeliverAsync(
        OutboxRecord item, NotificationRecipient recipient, INotificationChannel channel, Dictionary<string, DeliveryRecord> known, CancellationToken cancellationToken)
    {
        var key = DeliveryKey(item.Id, recipient.UserId, channel.Name);
        var delivery = known.GetValueOrDefault(key);
        if (delivery is null)
        {
            // Inserted already claimed: the usual case (first attempt, no rival) costs one statement; a
            // rival's insert wins the unique key and this runner treats the delivery as taken.
            var now = clock.GetUtcNow();
            delivery = new DeliveryRecord
            {
                Id = Guid.NewGuid(),
                DeliveryKey = key,
                OutboxId = item.Id,
                Recipient = recipient.UserId,
                Channel = channel.Name,
                CreatedAt = now,
                ClaimedUntil = now + ClaimLease,
                Attempts = 1,
            };
            messaging.Deliveries.Add(delivery);
            try
            {
                await messaging.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The unique key: another dispatcher inserted it first. Its row is the one that counts.
                return (await FindAsync(key, cancellationToken))?.SentAt is not null ? Outcome.Sent : Outcome.Busy;
            }
            finally
            {
                messaging.ChangeTracker.Clear();
            }
        }
        else
        {
            if (delivery.SentAt is not null)
            {
                return Outcome.Sent;
            }

            // Claim it: only one runner's conditional update matches, the others see it taken and skip.
            var now = clock.GetUtcNow();
            var claimed = await messaging.Deliveries
                .Where(d => d.Id == delivery.Id && d.SentAt == null && (d.ClaimedUntil == null || d.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedUntil, now + ClaimLease).SetProperty(d => d.Attempts, d => d.Attempts + 1), cancellationToken);
            if (claimed == 0)
            {
                return (await FindAsync(key, cancellationToken))?.SentAt is not null ? Outcome.Sent : Outcome.Busy;
            }
        }

        try
        {
            await channel.SendAsync(recipient, new NotificationContent(key, item.Subject, item.Message), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, key, e);
            var error = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
            await messaging.Deliveries.Where(d => d.Id == delivery.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null).SetProperty(d => d.LastError, error), CancellationToken.None);
            return Outcome.Failed;
        }

        await messaging.Deliveries.Where(d => d.Id == delivery.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.SentAt, clock.GetUtcNow()).SetProperty(d => d.ClaimedUntil, (DateTimeOffset?)null).SetProperty(d => d.LastError, (string?)null), CancellationToken.None);
        return Outcome.Sent;
    }

    private Task<DeliveryRecord?> FindAsync(string key, CancellationToken cancellationToken) =>
        messaging.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.DeliveryKey == key, cancellationToken);

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
