using System.Globalization;
using Liaison.Workflows.Persistence;

namespace Liaison.Workflows.DueItems;

/// <summary>The due items a new human task brings: its notice, one per reminder and its overdue notice.</summary>
public static class DueItemPlanner
{
    public static IReadOnlyList<DueItemRecord> ForTask(HumanTaskRecord task, IEnumerable<DateTimeOffset> reminders, DateTimeOffset now)
    {
        var items = new List<DueItemRecord> { Item($"task:{task.Id}:assigned", DueItemKinds.TaskAssigned, task.Id, now, now) };
        foreach (var at in reminders.Where(r => task.DueAt is null || r < task.DueAt).Distinct().Order())
        {
            items.Add(Item($"task:{task.Id}:reminder:{Stamp(at)}", DueItemKinds.TaskReminder, task.Id, at, now));
        }

        if (task.DueAt is { } due)
        {
            items.Add(Item($"task:{task.Id}:overdue", DueItemKinds.TaskOverdue, task.Id, due, now));
        }

        return items;
    }

    public static DueItemRecord Item(string key, string kind, Guid? taskId, DateTimeOffset dueAt, DateTimeOffset now, string? dataJson = null) => new()
    {
        Id = Guid.CreateVersion7(),
        Key = key,
        Kind = kind,
        TaskId = taskId,
        DueAt = dueAt,
        CreatedAt = now,
        DataJson = dataJson,
    };

    /// <summary>A compact UTC instant for keys.</summary>
    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
