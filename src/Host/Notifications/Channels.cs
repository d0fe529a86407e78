using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Liaison.Host.Notifications;

/// <summary>A person a notification goes to, resolved from the outbox's recipient.</summary>
public sealed record NotificationRecipient(string UserId, string UserName, string DisplayName, string? Email, string? PhoneNumber);

/// <summary>What to send; the workflow's Liquid template has already rendered it.</summary>
public sealed record NotificationContent(string DeliveryKey, string? Subject, string Message);

/// <summary>One way of reaching a person: "inapp", "email", "sms".</summary>
public interface INotificationChannel
{
    string Name { get; }

    /// <summary>False when the channel is switched off or the person has no address on it; no delivery is written then.</summary>
    bool CanReach(NotificationRecipient recipient);

    Task SendAsync(NotificationRecipient recipient, NotificationContent content, CancellationToken cancellationToken);
}

/// <summary>Writes to the user's in-app list. Keyed by the delivery, so a send repeated after a crash adds no second copy.</summary>
public sealed class InAppChannel(MessagingDbContext db, TimeProvider clock) : INotificationChannel
{
    public const string ChannelName = "inapp";

    public string Name => ChannelName;

    public bool CanReach(NotificationRecipient recipient) => !recipient.UserId.StartsWith(RecipientResolver.AddressOnlyPrefix, StringComparison.Ordinal);

    public async Task SendAsync(NotificationRecipient recipient, NotificationContent content, CancellationToken cancellationToken)
    {
        if (await db.Notifications.AnyAsync(n => n.DeliveryKey == content.DeliveryKey, cancellationToken))
        {
            return;
        }

        db.Notifications.Add(new NotificationRecord
        {
            Id = Guid.NewGuid(),
            UserId = recipient.UserId,
            DeliveryKey = content.DeliveryKey,
            Subject = content.Subject,
            Message = content.Message,
            CreatedAt = clock.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();

            // Someone else wrote the same delivery meanwhile: it is there, which is all that matters.
            if (!await db.Notifications.AsNoTracking().AnyAsync(n => n.DeliveryKey == content.DeliveryKey, cancellationToken))
            {
                throw;
            }
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}

/// <summary>SMTP settings, bound from "Liaison:Notifications:Smtp". No Host means no email.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public string From { get; set; } = "liaison@localhost";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>True: TLS from the start (port 465); false: STARTTLS when the server offers it.</summary>
    public bool UseSsl { get; set; }
}

public sealed class EmailChannel(SmtpOptions options) : INotificationChannel
{
    public const string ChannelName = "email";

    public string Name => ChannelName;

    public bool CanReach(NotificationRecipient recipient) => !string.IsNullOrWhiteSpace(options.Host) && !string.IsNullOrWhiteSpace(recipient.Email);

    public async Task SendAsync(NotificationRecipient recipient, NotificationContent content, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(new MailboxAddress(recipient.DisplayName, recipient.Email!));
        message.Subject = content.Subject ?? "Liaison 通知 · Notification";
        message.Body = new TextPart("plain") { Text = content.Message };
        // Lets a receiving system spot a duplicate, should one ever slip through a crash.
        message.Headers.Add("X-Liaison-Delivery", content.DeliveryKey);

        using var client = new SmtpClient();
        await client.ConnectAsync(options.Host!, options.Port, options.UseSsl ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, cancellationToken);
        if (!string.IsNullOrEmpty(options.UserName))
        {
            await client.AuthenticateAsync(options.UserName, options.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }
}

/// <summary>The SMS gateway; a real one replaces <see cref="LoggingSmsSender"/> in DI.</summary>
public interface ISmsSender
{
    Task SendAsync(string phoneNumber, string text, CancellationToken cancellationToken);
}

public sealed partial class LoggingSmsSender(ILogger<LoggingSmsSender> logger) : ISmsSender
{
    public Task SendAsync(string phoneNumber, string text, CancellationToken cancellationToken)
    {
        LogSms(logger, phoneNumber, text);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS to {PhoneNumber}: {Text}")]
    private static partial void LogSms(ILogger logger, string phoneNumber, string text);
}

public sealed class SmsChannel(ISmsSender sender) : INotificationChannel
{
    public const string ChannelName = "sms";

    public string Name => ChannelName;

    public bool CanReach(NotificationRecipient recipient) => !string.IsNullOrWhiteSpace(recipient.PhoneNumber);

    public Task SendAsync(NotificationRecipient recipient, NotificationContent content, CancellationToken cancellationToken) =>
        sender.SendAsync(recipient.PhoneNumber!, content.Subject is null ? content.Message : $"{content.Subject}：{content.Message}", cancellationToken);
}
