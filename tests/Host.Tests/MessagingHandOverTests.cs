using Liaison.Domain.Persistence;
using Liaison.Host.Notifications;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>
/// Notifications, deliveries and message templates moved from the engine's DbContext to the application's
/// messaging context. A database written before the move keeps every row: the engine's migration renames
/// its tables and the messaging context adopts them, and a start never overwrites an edited text.
/// </summary>
public sealed class MessagingHandOverTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rows_written_while_the_engine_held_the_tables_are_there_after_the_upgrade_and_an_edited_template_stays(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "handover");
        var when = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var notificationId = Guid.NewGuid();
        var deliveryId = Guid.NewGuid();
        var outboxId = Guid.NewGuid();

        // The database as the release before the move left it: the engine's migrations up to ChildWorkflows.
        await using (var engine = database.CreateWorkflowsContext())
        {
            await engine.GetService<IMigrator>().MigrateAsync("ChildWorkflows");
            Assert.DoesNotContain(await engine.Database.GetAppliedMigrationsAsync(), m => m.EndsWith("_HandOverMessaging", StringComparison.Ordinal));
            object Id(Guid id) => provider == DatabaseProvider.Sqlite ? id.ToString("D").ToUpperInvariant() : id;
            object At(DateTimeOffset at) => provider == DatabaseProvider.Sqlite ? at.UtcTicks : at;
            await engine.Database.ExecuteSqlRawAsync(
                "INSERT INTO wf_message_templates (key, subject, body, updated_at, updated_by) VALUES ({0}, {1}, {2}, {3}, {4})",
                "task.reminder", "旧提醒：{{ task.title }}", "管理员改过的正文 {{ task.due }}", At(when), "admin");
            await engine.Database.ExecuteSqlRawAsync(
                "INSERT INTO wf_notifications (id, user_id, delivery_key, subject, message, created_at, read_at) VALUES ({0}, {1}, {2}, {3}, {4}, {5}, NULL)",
                Id(notificationId), "user-1", $"outbox:{outboxId}:user-1:inapp", "【新任务】受理建议", "请受理", At(when));
            await engine.Database.ExecuteSqlRawAsync(
                "INSERT INTO wf_deliveries (id, delivery_key, outbox_id, recipient, channel, created_at, claimed_until, sent_at, attempts, last_error) VALUES ({0}, {1}, {2}, {3}, {4}, {5}, NULL, {6}, 1, NULL)",
                Id(deliveryId), $"outbox:{outboxId}:user-1:inapp", Id(outboxId), "user-1", "inapp", At(when), At(when));
        }

        // The upgrade: a start migrates every context in order.
        await using (var app = await LiaisonWebApp.StartAsync(database))
        {
            await using var scope = app.Services.CreateAsyncScope();
            var messaging = scope.ServiceProvider.GetRequiredService<MessagingDbContext>();
            Assert.False(messaging.Database.HasPendingModelChanges(), $"the {provider} messaging model has changes without a migration: run dotnet ef migrations add");
            Assert.Empty(await messaging.Database.GetPendingMigrationsAsync());
            var notification = await messaging.Notifications.AsNoTracking().SingleAsync();
            Assert.Equal((notificationId, "user-1", "【新任务】受理建议", "请受理", when), (notification.Id, notification.UserId, notification.Subject, notification.Message, notification.CreatedAt));
            var delivery = await messaging.Deliveries.AsNoTracking().SingleAsync();
            Assert.Equal((deliveryId, outboxId, when), (delivery.Id, delivery.OutboxId, delivery.SentAt));

            // The unique keys came along: a second copy of the same delivery is refused.
            messaging.Notifications.Add(new NotificationRecord { Id = Guid.NewGuid(), UserId = "user-1", DeliveryKey = notification.DeliveryKey, Message = "again", CreatedAt = when });
            await Assert.ThrowsAsync<DbUpdateException>(() => messaging.SaveChangesAsync());

            var template = await scope.ServiceProvider.GetRequiredService<MessageTemplates>().GetAsync("task.reminder", CancellationToken.None);
            Assert.NotNull(template);
            Assert.True(template.Customised);
            Assert.Equal(("旧提醒：{{ task.title }}", "admin"), (template.Subject, template.UpdatedBy));
            await using var engine = database.CreateWorkflowsContext();
            Assert.Contains(await engine.Database.GetAppliedMigrationsAsync(), m => m.EndsWith("_HandOverMessaging", StringComparison.Ordinal));
        }

        // A second start (nothing pending) leaves the administrator's text alone too.
        await using (var again = await LiaisonWebApp.StartAsync(database))
        {
            await using var scope = again.Services.CreateAsyncScope();
            var template = await scope.ServiceProvider.GetRequiredService<MessageTemplates>().GetAsync("task.reminder", CancellationToken.None);
            Assert.Equal("旧提醒：{{ task.title }}", template?.Subject);
        }
    }
}
