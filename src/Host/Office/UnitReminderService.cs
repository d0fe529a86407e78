using System.Security.Cryptography;
using System.Text;
using Liaison.Domain.Calendar;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Office;

/// <summary>What a reminder did: to which unit, when, and the outbox message that carries it.</summary>
public sealed record ReminderSent(Guid SuggestionId, string? Number, Guid UnitId, string UnitName, DateTimeOffset SentAt, Guid MessageId);

/// <summary>
/// 催办 as one unit of work: the domain's <see cref="RemindUnit"/> (checks and the audit line) and the message to the unit's
/// users in the outbox commit together or not at all. The message's id is derived from (item, unit, China date), so two
/// clicks racing past the domain's check still cannot both commit: the loser is refused like any second reminder that day.
/// </summary>
public sealed class UnitReminderService(UnitOfWork unit, ISender sender, WorkflowsDbContext workflows, IOutboxSignal outbox, DueItemOptions options)
{
    public const string OutboxActivity = "office.reminder";

    public async Task<ReminderSent> SendAsync(Guid suggestionId, Guid unitId, Actor actor, CancellationToken cancellationToken)
    {
        try
        {
            return await unit.RunAsync(
                async ct =>
                {
                    var reminded = await sender.Send(new RemindUnit(suggestionId, unitId, actor), ct);
                    var id = MessageId(suggestionId, unitId, WorkingCalendar.LocalDate(reminded.At));
                    var due = reminded.DueAt.ToOffset(WorkingCalendar.ChinaOffset);
                    var item = reminded.Number is { } n ? $"{n}《{reminded.Title}》" : $"《{reminded.Title}》";
                    workflows.Outbox.Add(new OutboxRecord
                    {
                        Id = id,
                        InstanceId = Guid.Empty,
                        ActivityId = OutboxActivity,
                        Recipient = $"unit:{unitId}",
                        Subject = Truncate($"催办：{item} · Reminder from the liaison office", 400),
                        Message = $"代表工委催办：请{reminded.UnitName}抓紧办理建议{item}，办理期限 {due:yyyy-MM-dd}。"
                            + $" The liaison office asks {reminded.UnitName} to press on with suggestion {reminded.Number}; due {due:yyyy-MM-dd}. "
                            + $"{options.SiteUrl.TrimEnd('/')}/tasks",
                        CreatedAt = reminded.At,
                    });
                    unit.OnCommitted(outbox.MessagesWritten);
                    return new ReminderSent(suggestionId, reminded.Number, unitId, reminded.UnitName, reminded.At, id);
                },
                cancellationToken);
        }
        catch (DbUpdateException ex) when (IsDuplicate(ex))
        {
            throw new DomainException(ErrorCodes.ReminderAlreadySent, "this unit was already reminded of this suggestion today; one reminder a day");
        }
    }

    /// <summary>A name-based id (SHA-256, version 8 layout): the same item, unit and day always give the same message id.</summary>
    public static Guid MessageId(Guid suggestionId, Guid unitId, DateOnly day)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"reminder:{suggestionId:N}:{unitId:N}:{day:yyyy-MM-dd}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static bool IsDuplicate(DbUpdateException ex) => ex.GetBaseException() switch
    {
        Npgsql.PostgresException { SqlState: "23505" } => true,
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } => true,
        _ => false,
    };

    private static string Truncate(string text, int max) => text.Length > max ? text[..max] : text;
}
