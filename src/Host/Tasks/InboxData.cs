using System.Security.Claims;
using System.Text.RegularExpressions;
using Liaison.Domain.Calendar;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Liaison.Host.Components.Shared;
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

/// <summary>The inbox's deadline filter: every task, the overdue ones, or those due within 3 or 7 working days (not yet overdue).</summary>
public enum InboxDeadline
{
    All,
    Overdue,
    Within3,
    Within7,
}

/// <summary>
/// What narrows the inbox besides its tab, as the URL's query carries it: the suggestion's field (领域, a taxonomy code),
/// the deadline, and a search over the suggestion's number (届-年-序号, or its tail) and title.
/// </summary>
public sealed record InboxQuery(string? Field = null, InboxDeadline Deadline = InboxDeadline.All, string? Search = null)
{
    public const int MaxSearchLength = 100;

    public bool NarrowsItems => !string.IsNullOrWhiteSpace(Field) || !string.IsNullOrWhiteSpace(Search);
}

/// <summary>An <see cref="InboxQuery"/> resolved at one instant: the deadline as bounds and the matching suggestions as workflow keys.</summary>
public sealed record InboxNarrowing(DateTimeOffset? DueAfter, DateTimeOffset? DueBefore, IReadOnlyCollection<string>? CorrelationKeys)
{
    public static InboxNarrowing None { get; } = new(null, null, null);
}

/// <summary>One inbox row: the task with its step, the suggestion it is about, our role in it, the lead deputy and its light.</summary>
public sealed record InboxRow(TaskView Task, TaskDeclaration Step, string? Number, string? SuggestionTitle, TaskRole? Role, string? Deputy, TaskLight Light);

/// <summary>
/// The signed-in user's tasks by tab, paged on the server: one query for the page, one per tab for the counts (both
/// narrowed alike by the query, so a tab's count is its rows), and for the page's rows only, the suggestions, unit roles
/// and deputies they name.
/// </summary>
public sealed partial class InboxData(TaskAccess access, WorkflowsDbContext workflows, LiaisonDbContext domain, TaskSteps steps)
{
    private static readonly string SignForStep = new SignForStep().ActivityType;
    private static readonly string ApproveStep = new ApproveReplyStep().ActivityType;

    public static TaskFilter FilterFor(InboxTab tab, DateTimeOffset now, string? after = null, int take = 20, InboxNarrowing? narrowing = null)
    {
        var filter = tab switch
        {
            InboxTab.SignFor => new TaskFilter(Status: HumanTaskStatus.Open, ActivityTypes: [SignForStep], After: after, Take: take),
            InboxTab.Approve => new TaskFilter(Status: HumanTaskStatus.Open, ActivityTypes: [ApproveStep], After: after, Take: take),
            InboxTab.InHand => new TaskFilter(Status: HumanTaskStatus.Open, ExceptActivityTypes: [SignForStep, ApproveStep], After: after, Take: take),
            InboxTab.Overdue => new TaskFilter(Status: HumanTaskStatus.Open, DueBefore: now, After: after, Take: take),
            _ => new TaskFilter(Status: HumanTaskStatus.Completed, After: after, Take: take),
        };
        if (narrowing is null)
        {
            return filter;
        }

        var dueBefore = (filter.DueBefore, narrowing.DueBefore) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            (var a, var b) => a ?? b,
        };
        return filter with { DueBefore = dueBefore, DueAfter = narrowing.DueAfter, CorrelationKeys = narrowing.CorrelationKeys };
    }

    /// <summary>
    /// Resolves the query once for a page and its counts: the deadline against the working calendar, and the field and
    /// search against the suggestions (the tasks live in the workflow store, so they are matched by their item's key).
    /// </summary>
    public async Task<InboxNarrowing> NarrowAsync(InboxQuery query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        DateTimeOffset? dueAfter = null, dueBefore = null;
        if (query.Deadline == InboxDeadline.Overdue)
        {
            dueBefore = now;
        }
        else if (query.Deadline is InboxDeadline.Within3 or InboxDeadline.Within7)
        {
            var calendar = await WorkingCalendar.LoadAsync(domain, cancellationToken);
            dueAfter = now;
            dueBefore = DeadlineRule.WorkingDays(query.Deadline == InboxDeadline.Within3 ? 3 : 7).DueFrom(now, calendar);
        }

        if (!query.NarrowsItems)
        {
            return new InboxNarrowing(dueAfter, dueBefore, null);
        }

        var suggestions = domain.Suggestions.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Field))
        {
            var field = query.Field.Trim();
            suggestions = suggestions.Where(s => s.Field == field);
        }

        if (query.Search?.Trim() is { Length: > 0 } search)
        {
            search = search.Length > InboxQuery.MaxSearchLength ? search[..InboxQuery.MaxSearchLength] : search;
            var number = NumberPattern().Match(search);
            if (number.Success)
            {
                // 16-2026-0001, 2026-0001 or 0001: the number's parts from the right, each compared as a number.
                var parts = search.Split('-').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                int? sequence = parts[^1];
                int? year = parts.Length >= 2 ? parts[^2] : null;
                int? term = parts.Length == 3 ? parts[0] : null;
                suggestions = suggestions.Where(s => s.Title.Contains(search)
                    || (s.Sequence == sequence && (year == null || s.Year == year) && (term == null || s.Term == term)));
            }
            else
            {
                suggestions = suggestions.Where(s => s.Title.Contains(search));
            }
        }

        var ids = await suggestions.Select(s => s.Id).ToListAsync(cancellationToken);
        return new InboxNarrowing(dueAfter, dueBefore, ids.Select(id => id.ToString()).ToList());
    }

    public async Task<IReadOnlyDictionary<InboxTab, int>> CountsAsync(ClaimsPrincipal user, DateTimeOffset now, CancellationToken cancellationToken, InboxNarrowing? narrowing = null)
    {
        var counts = new Dictionary<InboxTab, int>();
        foreach (var tab in Enum.GetValues<InboxTab>())
        {
            counts[tab] = await access.CountAsync(user, FilterFor(tab, now, narrowing: narrowing), cancellationToken, ownOnly: true);
        }

        return counts;
    }

    /// <param name="now">The instant the lights are for (the yellow-light rule is read with each page).</param>
    public async Task<Page<InboxRow>> PageAsync(ClaimsPrincipal user, TaskFilter filter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var page = await access.ListAsync(user, filter, cancellationToken, ownOnly: true);
        var lights = await LightWindow.LoadAsync(domain, now, cancellationToken);
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
                s is null ? null : deputies.GetValueOrDefault(s.LeadDeputyId),
                task.Status == HumanTaskStatus.Open ? lights.Of(task.DueAt) : TaskLight.Green);
        }).ToList();
        return new Page<InboxRow>(rows, page.Total, page.Next, page.Take);
    }

    [GeneratedRegex(@"^(\d{1,4}-)?(\d{4}-)?\d{1,6}$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
