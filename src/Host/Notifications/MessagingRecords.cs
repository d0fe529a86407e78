namespace Liaison.Host.Notifications;

/// <summary>
/// One send of one outbox item to one recipient on one channel. Written before sending, stamped after:
/// the unique key makes a retry or a second node find the row instead of sending again.
/// </summary>
public sealed class DeliveryRecord
{
    public Guid Id { get; set; }

    /// <summary>"outbox:{outboxId}:{recipient}:{channel}"; unique.</summary>
    public required string DeliveryKey { get; set; }

    /// <summary>The engine's outbox item (wf_outbox) this delivers; no foreign key, the tables belong to different contexts.</summary>
    public Guid OutboxId { get; set; }

    /// <summary>The resolved recipient (a user id).</summary>
    public required string Recipient { get; set; }

    public required string Channel { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Whoever holds an unexpired claim is sending it; others skip it until it expires.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}

/// <summary>An in-app notification in a user's list; read once the user opens it.</summary>
public sealed class NotificationRecord
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>The delivery that wrote it; unique, so a delivery retried after a crash adds no second copy.</summary>
    public required string DeliveryKey { get; set; }

    public string? Subject { get; set; }

    public required string Message { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>A message text an administrator changed; absent keys use the shipped default. Nothing else writes it.</summary>
public sealed class MessageTemplateRecord
{
    public required string Key { get; set; }

    public required string Subject { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }
}
