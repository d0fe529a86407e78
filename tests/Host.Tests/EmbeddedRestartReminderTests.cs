using System.Diagnostics;
using System.Text.RegularExpressions;
using Liaison.Domain.Persistence;
using Liaison.Host.Notifications;
using Liaison.Testing;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>
/// The embedded default (SQLite, Hangfire in memory): the job store dies with the process, so a
/// restart must give every pending reminder its job again from the durable rows. None may be lost
/// and none sent twice, whether it fell due while the app was down or after it came back.
/// </summary>
public sealed partial class EmbeddedRestartReminderTests
{
    private const string UnitId = "unit-restart";

    [Fact]
    public async Task Restarting_the_embedded_app_with_reminders_pending_loses_none()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "restart");
        IReadOnlyList<(TestUser User, string Email)> users;
        IReadOnlyList<ReminderSeed.Reminder> reminders;
        DateTimeOffset whileDown;

        await using (var first = await LiaisonWebApp.StartAsync(database))
        {
            users = await ReminderSeed.UnitUsersAsync(first, UnitId, 2);
            whileDown = DateTimeOffset.UtcNow.AddSeconds(10); // room for a slow machine to seed and stop before any is due
            var afterRestart = whileDown.AddSeconds(10);
            // Half fall due while the app is stopped, half once it runs again.
            var times = Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? whileDown : afterRestart).ToList();
            reminders = await ReminderSeed.TasksAsync(first, UnitId, times);
        }

        Assert.True(DateTimeOffset.UtcNow < whileDown, "the first app took too long to stop: the test needs it down before the reminders are due");
        await using (var db = WorkflowsDbContextFactory.Create(DatabaseProvider.Sqlite, database.ConnectionString))
        {
            Assert.Equal(20, await db.DueItems.CountAsync(d => d.Kind == DueItemKinds.TaskReminder && d.FiredAt == null));
        }

        // Stay down until the first half is due (setting the scene, not an assertion).
        var down = whileDown - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        if (down > TimeSpan.Zero)
        {
            await Task.Delay(down);
        }

        await using var second = await LiaisonWebApp.StartAsync(database);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            await using var scope = second.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            var messaging = scope.ServiceProvider.GetRequiredService<MessagingDbContext>();
            if (await db.DueItems.CountAsync(d => d.Kind == DueItemKinds.TaskReminder && d.FiredAt == null) == 0 && await messaging.Deliveries.CountAsync(d => d.SentAt == null) == 0
                && await messaging.Notifications.CountAsync() >= reminders.Count * users.Count)
            {
                break;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(150), "the reminders were not all delivered after the restart");
            await Task.Delay(250);
        }

        await using var check = second.Services.CreateAsyncScope();
        var rows = check.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
        var notifications = await check.ServiceProvider.GetRequiredService<MessagingDbContext>().Notifications.AsNoTracking().ToListAsync();
        var received = notifications.GroupBy(n => (n.UserId, TaskId: Guid.Parse(TaskLink().Match(n.Message).Groups[1].Value))).ToDictionary(g => g.Key, g => g.Count());
        foreach (var reminder in reminders)
        {
            foreach (var (user, _) in users)
            {
                Assert.Equal(1, received.GetValueOrDefault((user.Id, reminder.TaskId)));
            }
        }

        Assert.Equal(reminders.Count * users.Count, notifications.Count);
        Assert.All(await rows.DueItems.AsNoTracking().Where(d => d.Kind == DueItemKinds.TaskReminder).ToListAsync(), d => Assert.StartsWith("sent to unit:", d.Outcome, StringComparison.Ordinal));
    }

    [GeneratedRegex("/tasks/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")]
    private static partial Regex TaskLink();
}
