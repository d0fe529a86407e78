using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Calendar;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Domain.Rules;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Time;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Liaison.Workflows.Suggestions;

/// <summary>
/// The domain decides when suggestion work is due, whatever workflow step asks: a reply or co-opinion is
/// due when the unit task says (assignment + 3 months, moved by extensions and re-handling), a deputy's
/// evaluation when the reply's evaluation window closes, a publication when the reply's publication date
/// falls. The step's reminder periods are applied to that deadline.
/// </summary>
public sealed class SuggestionDeadlinePolicy(LiaisonDbContext domain, IWorkingCalendar calendar) : ITaskDeadlinePolicy
{
    public async ValueTask<TaskDeadline?> ResolveAsync(HumanTaskRequest task, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (task.Data is not JsonObject data || Text(data, "step") is not { } step)
        {
            return null;
        }

        DateTimeOffset? due = null;
        switch (step)
        {
            case "Suggestions.Reply" or "Suggestions.Rehandle" or "Suggestions.CoOpinion" when Id(data, "unitTaskId") is { } unitTaskId:
                due = await domain.UnitTasks.AsNoTracking().Where(t => t.Id == unitTaskId).Select(t => (DateTimeOffset?)t.DueAt).FirstOrDefaultAsync(cancellationToken);
                break;
            case "Suggestions.RequestEvaluation" when Id(data, "replyId") is { } replyId:
                var sentAt = await domain.Replies.AsNoTracking().Where(r => r.Id == replyId).Select(r => r.SentAt).FirstOrDefaultAsync(cancellationToken);
                if (sentAt is { } sent)
                {
                    var rules = await HandlingRules.LoadAsync(domain, cancellationToken);
                    due = rules.EvaluationWindow.DueFrom(sent, await WorkingCalendar.LoadAsync(domain, cancellationToken));
                }

                break;
            case "Suggestions.Publish" when Id(data, "replyId") is { } publishedReply:
                due = await domain.Replies.AsNoTracking().Where(r => r.Id == publishedReply).Select(r => r.PublishDueAt).FirstOrDefaultAsync(cancellationToken);
                break;
        }

        if (due is null)
        {
            return null;
        }

        var reminders = SuggestionTaskActivity.ReminderInstants(Texts(data, "reminders"), Texts(data, "remindAfter"), due, now, calendar);
        return new TaskDeadline(due, reminders);
    }

    internal static string? Text(JsonObject data, string name) =>
        data[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    internal static Guid? Id(JsonObject? data, string name) =>
        data is not null && Text(data, name) is { } s && Guid.TryParse(s, out var id) ? id : null;

    private static IEnumerable<string> Texts(JsonObject data, string name) =>
        data[name] is JsonArray a ? a.Select(n => n?.GetValue<string>()).OfType<string>() : [];
}

/// <summary>
/// The evaluation request and the survey reminders go to the signer (lead or co-signer) whose task it is, each signer
/// having a task of their own, while they have not evaluated the reply; nobody is reminded once they have.
/// </summary>
public sealed class SuggestionTaskAudience(LiaisonDbContext domain) : ITaskAudience
{
    public async ValueTask<string?> RecipientsAsync(HumanTaskRecord task, string kind, CancellationToken cancellationToken)
    {
        var data = task.Data();
        if (SuggestionDeadlinePolicy.Text(data, "step") != "Suggestions.RequestEvaluation"
            || kind is not (DueItemKinds.TaskAssigned or DueItemKinds.TaskReminder)
            || SuggestionDeadlinePolicy.Id(data, "replyId") is not { } replyId
            || !Guid.TryParse(task.AssigneeId, out var deputy))
        {
            return null;
        }

        var evaluated = await domain.Evaluations.AsNoTracking().AnyAsync(e => e.ReplyId == replyId && e.DeputyId == deputy, cancellationToken);
        return evaluated ? string.Empty : $"deputy:{deputy}";
    }
}

/// <summary>"subject" in message templates: the suggestion's number and title, or the public opinion's gist.</summary>
public sealed class SuggestionSubjects(LiaisonDbContext domain) : IMessageSubjectProvider
{
    public async ValueTask<IReadOnlyDictionary<string, object?>?> DescribeAsync(JsonObject? taskData, CancellationToken cancellationToken)
    {
        if (SuggestionDeadlinePolicy.Id(taskData, "suggestionId") is { } suggestionId
            && await domain.Suggestions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == suggestionId, cancellationToken) is { } suggestion)
        {
            return new Dictionary<string, object?> { ["number"] = suggestion.Number ?? "（未编号）", ["title"] = suggestion.Title, ["isKey"] = suggestion.IsKey };
        }

        if (SuggestionDeadlinePolicy.Id(taskData, "opinionId") is { } opinionId
            && await domain.PublicOpinions.AsNoTracking().FirstOrDefaultAsync(o => o.Id == opinionId, cancellationToken) is { } opinion)
        {
            var gist = opinion.Content.Length > 30 ? opinion.Content[..30] + "…" : opinion.Content;
            return new Dictionary<string, object?> { ["number"] = "群众意见", ["title"] = gist };
        }

        return null;
    }
}

/// <summary>When the recurring digests fall: 09:00 China time, the overdue digest on working days, the summary on Mondays.</summary>
public static class SuggestionDigests
{
    public static readonly TimeSpan SendAt = TimeSpan.FromHours(9);

    public static DueItemRecord NextOverdueDigest(DateTimeOffset after, WorkingCalendar calendar)
    {
        var day = WorkingCalendar.LocalDate(after);
        while (!calendar.IsWorkingDay(day) || At(day) <= after)
        {
            day = day.AddDays(1);
        }

        return DueItemPlanner.Item($"digest:overdue:{day:yyyy-MM-dd}", DueItemKinds.OverdueDigest, null, At(day), after);
    }

    public static DueItemRecord NextWeeklySummary(DateTimeOffset after)
    {
        var day = WorkingCalendar.LocalDate(after);
        while (day.DayOfWeek != DayOfWeek.Monday || At(day) <= after)
        {
            day = day.AddDays(1);
        }

        var week = string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):00}");
        return DueItemPlanner.Item($"summary:weekly:{week}", DueItemKinds.WeeklySummary, null, At(day), after);
    }

    /// <summary>Plans the next digest and summary if none is planned (start-up; several nodes may race, the key keeps one).</summary>
    public static async Task EnsurePlannedAsync(DueItemRunner runner, LiaisonDbContext domain, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var calendar = await WorkingCalendar.LoadAsync(domain, cancellationToken);
        await runner.EnsurePlannedAsync(NextOverdueDigest(now, calendar), cancellationToken);
        await runner.EnsurePlannedAsync(NextWeeklySummary(now), cancellationToken);
    }

    private static DateTimeOffset At(DateOnly day) => WorkingCalendar.StartOfDay(day) + SendAt;
}

/// <summary>
/// 逾期督办: each working day, one digest of every open overdue task to the liaison office, and the key
/// suggestions' to the leaders; nothing when nothing is overdue. Plans the next working day's digest.
/// </summary>
public sealed class OverdueDigestHandler(LiaisonDbContext domain, TimeProvider clock, IMessageRenderer templates, DueItemOptions options) : IDueItemHandler
{
    public string Kind => DueItemKinds.OverdueDigest;

    public async Task<string> FireAsync(DueItemFiring firing, CancellationToken cancellationToken)
    {
        var calendar = await WorkingCalendar.LoadAsync(domain, cancellationToken);
        await firing.PlanAsync(SuggestionDigests.NextOverdueDigest(firing.Now, calendar), cancellationToken);
        var overdue = (await DirectDispatch.AskAsync(domain, clock, new GetOverdueList(), cancellationToken)).Items;
        if (overdue.Count == 0)
        {
            return "nothing overdue";
        }

        await SendAsync(firing, $"role:{SuggestionRoles.LiaisonOffice}", overdue, cancellationToken);

        // Each key suggestion's supervising leader (督办领导) hears of their own; the leading leader when none supervises.
        var key = overdue.Where(o => o.IsKey).ToList();
        foreach (var group in key.GroupBy(o => o.SupervisingLeaderId ?? o.LeadingLeaderId))
        {
            await SendAsync(firing, group.Key is { } leader ? $"leader:{leader}" : $"role:{SuggestionRoles.Leader}", group.ToList(), cancellationToken);
        }

        return $"{overdue.Count} overdue ({key.Count} key)";
    }

    private async Task SendAsync(DueItemFiring firing, string recipients, IReadOnlyList<OverdueItem> items, CancellationToken cancellationToken)
    {
        var model = new Dictionary<string, object?>
        {
            ["date"] = TimeZoneInfo.ConvertTime(firing.Now, options.TimeZone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["count"] = items.Count,
            ["items"] = items.Select(o => new Dictionary<string, object?>
            {
                ["number"] = o.Number,
                ["title"] = o.Title,
                ["unit"] = o.UnitName,
                ["due"] = TimeZoneInfo.ConvertTime(o.DueAt.AddTicks(-1), options.TimeZone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["workingDaysOverdue"] = o.WorkingDaysOverdue,
                ["isKey"] = o.IsKey,
            }).ToList(),
            ["site"] = options.SiteUrl.TrimEnd('/'),
        };
        var (subject, body) = await templates.RenderAsync(Kind, null, model, cancellationToken);
        firing.Send(recipients, subject, body);
    }
}

/// <summary>每周办理情况: Monday morning, the year's rates and the overdue count for the leaders. Plans the next week's.</summary>
public sealed class WeeklySummaryHandler(LiaisonDbContext domain, TimeProvider clock, IMessageRenderer templates, DueItemOptions options) : IDueItemHandler
{
    public string Kind => DueItemKinds.WeeklySummary;

    public async Task<string> FireAsync(DueItemFiring firing, CancellationToken cancellationToken)
    {
        await firing.PlanAsync(SuggestionDigests.NextWeeklySummary(firing.Now), cancellationToken);
        var local = WorkingCalendar.LocalDate(firing.Now);
        var yearStart = WorkingCalendar.StartOfDay(new DateOnly(local.Year, 1, 1));
        var kpis = await DirectDispatch.AskAsync(domain, clock, new GetKpis(yearStart, firing.Now), cancellationToken);
        var weekAgo = firing.Now.AddDays(-7);
        var assignedThisWeek = await domain.Suggestions.AsNoTracking().CountAsync(x => x.AssignedAt >= weekAgo && x.AssignedAt < firing.Now, cancellationToken);
        var assignedThisYear = await domain.Suggestions.AsNoTracking().CountAsync(x => x.AssignedAt >= yearStart && x.AssignedAt < firing.Now, cancellationToken);
        var model = new Dictionary<string, object?>
        {
            ["week"] = firing.Item.Key.Replace("summary:weekly:", string.Empty, StringComparison.Ordinal),
            ["year"] = local.Year,
            ["kpis"] = new Dictionary<string, object?>
            {
                ["assigned"] = assignedThisYear,
                ["replied"] = kpis.RepliesSent,
                ["onTimeRate"] = Percent(kpis.OnTimeReplyRate),
                ["consultationRate"] = Percent(kpis.ConsultationRate),
                ["satisfactionRate"] = Percent(kpis.SatisfactionRate),
                ["notEvaluated"] = kpis.NotEvaluated,
            },
            ["overdue"] = kpis.OpenOverdueTasks,
            ["assignedThisWeek"] = assignedThisWeek,
            ["site"] = options.SiteUrl.TrimEnd('/'),
        };
        var (subject, body) = await templates.RenderAsync(Kind, null, model, cancellationToken);
        firing.Send($"role:{SuggestionRoles.Leader}", subject, body);
        return "sent";
    }

    private static string Percent(double? rate) => rate is { } r ? r.ToString("P1", CultureInfo.InvariantCulture) : "—";
}
