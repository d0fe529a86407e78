using System.Globalization;
using System.Text.Json.Nodes;
using Liaison.Workflows.Expressions;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.DueItems;

/// <summary>
/// A human task's notices: its assignment, each reminder (yellow light) and its overdue notice (red light,
/// also to the escalation target). Nothing is sent for a task that is no longer open. A step that names an
/// outcome for its due time ("onDue") is completed with it instead of escalating.
/// </summary>
public sealed class TaskDueItemHandler(
    string kind,
    IMessageRenderer templates,
    DueItemOptions options,
    TaskCompletion completion,
    IEnumerable<ITaskAudience> audiences,
    IEnumerable<IMessageSubjectProvider> subjects) : IDueItemHandler
{
    public string Kind { get; } = kind;

    public async Task<string> FireAsync(DueItemFiring firing, CancellationToken cancellationToken)
    {
        var task = await firing.Db.HumanTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == firing.Item.TaskId, cancellationToken);
        if (task is null)
        {
            return "task not found";
        }

        if (task.Status != HumanTaskStatus.Open)
        {
            return $"task {task.Status.ToString().ToLowerInvariant()}";
        }

        var data = task.Data();
        if (Kind == DueItemKinds.TaskOverdue && data["onDue"] is JsonValue onDue && onDue.TryGetValue<string>(out var outcome) && outcome.Length > 0)
        {
            return await CompleteOnDueAsync(task, outcome, cancellationToken);
        }

        var recipients = await RecipientsAsync(task, cancellationToken);
        var escalateTo = Kind == DueItemKinds.TaskOverdue ? data["escalateTo"]?.GetValue<string>() : null;
        if (escalateTo is { Length: > 0 })
        {
            recipients = string.Join(',', new[] { recipients, Recipient(escalateTo) }.Where(r => !string.IsNullOrEmpty(r)));
        }

        var light = Kind switch
        {
            DueItemKinds.TaskOverdue => TaskLight.Red,
            DueItemKinds.TaskReminder => TaskLight.Yellow,
            _ => task.Light,
        };
        if (light > task.Light)
        {
            await firing.Db.HumanTasks.Where(t => t.Id == task.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Light, light), cancellationToken);
        }

        if (string.IsNullOrEmpty(recipients))
        {
            return "nobody to notify";
        }

        var model = new Dictionary<string, object?>
        {
            ["task"] = TaskModel(task, data, firing.Now),
            ["subject"] = await DescribeAsync(data, cancellationToken),
            ["site"] = options.SiteUrl.TrimEnd('/'),
            ["escalatedTo"] = EscalationName(escalateTo),
        };
        var (subject, body) = await templates.RenderAsync(Kind, data["step"]?.GetValue<string>(), model, cancellationToken);
        firing.Send(recipients, subject, body);
        return $"sent to {recipients}";
    }

    /// <summary>How an assignee is addressed by the notification dispatcher's recipient resolver.</summary>
    public static string Recipient(string kindOrRole, string id) => kindOrRole switch
    {
        "Unit" => $"unit:{id}",
        "Role" => $"role:{id}",
        "UnitRole" => $"unitrole:{id}",
        _ => id,
    };

    /// <summary>An escalation target as designers write it: a role name, a person id, or an explicit "kind:id".</summary>
    public static string Recipient(string target) =>
        target.Contains(':', StringComparison.Ordinal) || Guid.TryParse(target, out _) ? target : $"role:{target}";

    private async Task<string> CompleteOnDueAsync(HumanTaskRecord task, string outcome, CancellationToken cancellationToken)
    {
        // The deadline acts like a person would: through the task's step, in the firing's unit of work.
        await completion.CompleteAsync(task.Id, outcome, null, ActingUser.System, cancellationToken);
        return $"completed as {outcome}";
    }

    private async Task<string?> RecipientsAsync(HumanTaskRecord task, CancellationToken cancellationToken)
    {
        foreach (var audience in audiences)
        {
            if (await audience.RecipientsAsync(task, Kind, cancellationToken) is { } chosen)
            {
                return chosen;
            }
        }

        return string.IsNullOrEmpty(task.AssigneeId) ? null : Recipient(task.AssigneeKind, task.AssigneeId);
    }

    private async Task<IReadOnlyDictionary<string, object?>> DescribeAsync(JsonObject? data, CancellationToken cancellationToken)
    {
        foreach (var provider in subjects)
        {
            if (await provider.DescribeAsync(data, cancellationToken) is { } described)
            {
                return described;
            }
        }

        return new Dictionary<string, object?>();
    }

    private Dictionary<string, object?> TaskModel(HumanTaskRecord task, JsonObject? data, DateTimeOffset now)
    {
        // Deadlines are exclusive (midnight after the last allowed day): people read the last allowed day.
        var lastDay = task.DueAt is { } due ? TimeZoneInfo.ConvertTime(due.AddTicks(-1), options.TimeZone) : (DateTimeOffset?)null;
        return new Dictionary<string, object?>
        {
            ["id"] = task.Id.ToString(),
            ["title"] = task.Title,
            ["description"] = task.Description,
            ["assignee"] = task.AssigneeId,
            ["due"] = lastDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["dueAt"] = task.DueAt?.ToString("O", CultureInfo.InvariantCulture),
            ["daysLeft"] = task.DueAt is { } d ? Math.Max(0, (int)Math.Ceiling((d - now).TotalDays)) : null,
            ["data"] = LiquidRenderer.ToPlain(data),
        };
    }

    private static string? EscalationName(string? target) => target switch
    {
        null or "" => null,
        "LiaisonOffice" => "代表工委",
        "Leader" => "领导",
        _ when target.StartsWith("leader:", StringComparison.Ordinal) => "督办领导",
        _ => target,
    };
}
