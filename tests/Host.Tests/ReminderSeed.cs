using Liaison.Host.Identity;
using Liaison.Testing;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>
/// Open human tasks with one reminder each, planned as the engine plans them (a task.reminder due item
/// keyed by task and instant) and handed to the app's <see cref="IDueItemScheduler"/>, so firing and
/// delivery take the real path: due-item job → handler → outbox → dispatcher → channels.
/// </summary>
internal static class ReminderSeed
{
    public sealed record Reminder(Guid TaskId, Guid DueItemId, DateTimeOffset DueAt);

    /// <summary>Users of one unit with an email address each; the unit is every seeded task's assignee.</summary>
    public static async Task<IReadOnlyList<(TestUser User, string Email)>> UnitUsersAsync(LiaisonWebApp app, string unitId, int count)
    {
        var created = new List<(TestUser, string)>();
        for (var i = 0; i < count; i++)
        {
            var user = await app.CreateUserAsync([Roles.UnitHandler], unitId);
            var email = $"{user.UserName}@example.test";
            await using var scope = app.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<LiaisonUser>>();
            var stored = await users.FindByIdAsync(user.Id) ?? throw new InvalidOperationException(user.Id);
            stored.Email = email;
            if (!(await users.UpdateAsync(stored)).Succeeded)
            {
                throw new InvalidOperationException($"could not give {user.UserName} an email address");
            }

            created.Add((user, email));
        }

        return created;
    }

    /// <summary>Saves the tasks and their reminders in one transaction, then schedules each reminder's job.</summary>
    public static async Task<IReadOnlyList<Reminder>> TasksAsync(LiaisonWebApp app, string unitId, IReadOnlyList<DateTimeOffset> reminderTimes)
    {
        var now = DateTimeOffset.UtcNow;
        var reminders = new List<Reminder>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            for (var i = 0; i < reminderTimes.Count; i++)
            {
                var task = new HumanTaskRecord
                {
                    Id = Guid.CreateVersion7(),
                    InstanceId = Guid.NewGuid(),
                    BookmarkId = Guid.NewGuid(),
                    ActivityId = "handle",
                    Title = $"提醒测试 {i + 1:D5}",
                    AssigneeKind = "Unit",
                    AssigneeId = unitId,
                    OutcomesJson = "[\"Done\"]",
                    CreatedAt = now,
                    RemindersJson = $"[\"{reminderTimes[i]:O}\"]",
                    Status = HumanTaskStatus.Open,
                };
                db.HumanTasks.Add(task);
                var item = DueItemPlanner.Item($"task:{task.Id}:reminder:{DueItemPlanner.Stamp(reminderTimes[i])}", DueItemKinds.TaskReminder, task.Id, reminderTimes[i], now);
                db.DueItems.Add(item);
                reminders.Add(new Reminder(task.Id, item.Id, item.DueAt));
            }

            await db.SaveChangesAsync();
        }

        var scheduler = app.Services.GetRequiredService<IDueItemScheduler>();
        foreach (var reminder in reminders)
        {
            scheduler.Schedule(reminder.DueItemId, reminder.DueAt);
        }

        return reminders;
    }
}
