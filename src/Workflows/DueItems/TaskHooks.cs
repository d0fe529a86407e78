using System.Text.Json.Nodes;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Runtime;

namespace Liaison.Workflows.DueItems;

/// <summary>A task's deadline and reminder instants, when a module knows better than the activity's own periods.</summary>
public sealed record TaskDeadline(DateTimeOffset? DueAt, IReadOnlyList<DateTimeOffset> Reminders);

/// <summary>
/// Lets a module set a new task's deadline from its own data (the suggestion domain's unit task is the
/// authority on when a reply is due, whatever step of the workflow asks for it). Runs in the burst's
/// transaction; return null to keep what the activity computed.
/// </summary>
public interface ITaskDeadlinePolicy
{
    ValueTask<TaskDeadline?> ResolveAsync(HumanTaskRequest task, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>Who hears about a task's notices besides (or instead of) its assignee; null keeps the default.</summary>
public interface ITaskAudience
{
    ValueTask<string?> RecipientsAsync(HumanTaskRecord task, string kind, CancellationToken cancellationToken);
}

/// <summary>What a message says about the item a task is about (a suggestion's number and title), as "subject" in templates.</summary>
public interface IMessageSubjectProvider
{
    ValueTask<IReadOnlyDictionary<string, object?>?> DescribeAsync(JsonObject? taskData, CancellationToken cancellationToken);
}

/// <summary>Texts and time zone for messages, bound by the host.</summary>
public sealed class DueItemOptions
{
    /// <summary>The address people open from a message (links to tasks and the survey page).</summary>
    public string SiteUrl { get; set; } = "http://localhost:5000";

    public TimeZoneInfo TimeZone { get; set; } = DefaultZone();

    private static TimeZoneInfo DefaultZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("China", TimeSpan.FromHours(8), "China", "China");
        }
    }
}

/// <summary>
/// The texts of the engine's notices, which belong to the application (it stores them, ships the defaults
/// and lets administrators edit them): the subject and body for a due item's kind, or the step's own text
/// when it has one, rendered with <paramref name="model"/>. The engine writes the result to its outbox.
/// </summary>
public interface IMessageRenderer
{
    Task<(string Subject, string Body)> RenderAsync(string kind, string? step, IReadOnlyDictionary<string, object?> model, CancellationToken cancellationToken);
}
