using System.Security.Claims;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Host.Workflows;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Suggestions.Steps;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Tasks;

/// <summary>The inbox's tabs: what is waiting to be signed for, in hand, waiting for the head's approval, overdue, done.</summary>
public enum InboxTab
{
    SignFor,
    InHand,
    Approve,
    Overdue,
    Done,
}

/// <summary>One inbox row: the task with its step, the suggestion it is about, our role in it and the lead deputy.</summary>
public sealed record InboxRow(TaskView Task, TaskDeclaration Step, string? Number, string? SuggestionTitle, TaskRole? Role, string? Deputy);

/// <summary>
/// The signed-in user's tasks by tab, paged on the server: one query for the page, one per tab for the counts,
/// and for the page's rows only, the suggestions, unit roles and deputies they name.
/// </summary>
public sealed class InboxData(TaskAccess access, WorkflowsDbContext workflows, LiaisonDbContext domain, TaskSteps steps)
{
    private static readonly string SignForStep = new SignForStep().ActivityType;
    private static readonly string ApproveStep = new ApproveReplyStep().ActivityType;

    public static TaskFilter FilterFor(InboxTab tab, DateTimeOffset now, int skip = 0, int take = 20) => tab switch
    {
        InboxTab.SignFor => new TaskFilter(Status: HumanTaskStatus.Open, ActivityTypes: [SignForStep], Skip: skip, Take: take),
        InboxTab.Approve => new TaskFilter(Status: HumanTaskStatus.Open, ActivityTypes: [ApproveStep], Skip: skip, Take: take),
        InboxTab.InHand => new TaskFilter(Status: HumanTaskStatus.Open, ExceptActivityTypes: [SignForStep, ApproveStep], Skip: skip, Take: take),
        InboxTab.Overdue => new TaskFilter(Status: HumanTaskStatus.Open, DueBefore: now, Skip: skip, Take: take),
        _ => new TaskFilter(Status: HumanTaskStatus.Completed, Skip: skip, Take: take),
    };

    public async Task<IReadOnlyDictionary<InboxTab, int>> CountsAsync(ClaimsPrincipal user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<InboxTab, int>();
        foreach (var tab in Enum.GetValues<InboxTab>())
        {
            counts[tab] = await access.CountAsync(user, FilterFor(tab, now), cancellationToken, ownOnly: true);
        }

        return counts;
    }

    public async Task<Page<InboxRow>> PageAsync(ClaimsPrincipal user, TaskFilter filter, CancellationToken cancellationToken)
    {
        var page = await access.ListAsync(user, filter, cancellationToken, ownOnly: true);
        var ids = page.Items.Select(t => t.Id).ToList();
        var records = await workflows.HumanTasks.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        var data = records.ToDictionary(r => r.Key, r => r.Value.Data());
        var suggestionIds = data.Values.Select(d => TaskPageData.IdIn(d, "suggestionId")).OfType<Guid>().Distinct().ToList();
        var unitTaskIds = data.Values.Select(d => TaskPageData.IdIn(d, "unitTaskId")).OfType<Guid>().Distinct().ToList();

        var suggestions = await domain.Suggestions.AsNoTracking().Where(s => suggestionIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Term, s.Year, s.Sequence, s.Title, s.LeadDeputyId }).ToDictionaryAsync(s => s.Id, cancellationToken);
        var deputyIds = suggestions.Values.Select(s => s.LeadDeputyId).Distinct().ToList();
        var deputies = await domain.Deputies.AsNoTracking().Where(d => deputyIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var roles = await domain.UnitTasks.AsNoTracking().Where(t => unitTaskIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Role, cancellationToken);

        var rows = page.Items.Select(task =>
        {
            var record = records[task.Id];
            var d = data[task.Id];
            var s = TaskPageData.IdIn(d, "suggestionId") is { } sid && suggestions.TryGetValue(sid, out var found) ? found : null;
            TaskRole? role = TaskPageData.IdIn(d, "unitTaskId") is { } ut && roles.TryGetValue(ut, out var r) ? r : null;
            return new InboxRow(
                task,
                steps.For(record).Describe(record),
                s is null ? null : TaskPageData.NumberOf(s.Term, s.Year, s.Sequence),
                s?.Title,
                role,
                s is null ? null : deputies.GetValueOrDefault(s.LeadDeputyId));
        }).ToList();
        return new Page<InboxRow>(rows, page.Total, page.Skip, page.Take);
    }
}
