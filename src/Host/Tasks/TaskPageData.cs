using System.Security.Claims;
using System.Text.Json.Nodes;
using Liaison.Domain.Attachments;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Liaison.Domain.Suggestions;
using Liaison.Host.Workflows;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Tasks;

/// <summary>The suggestion a task is about, as the task page shows it on the left.</summary>
public sealed record SuggestionFacts(
    Guid Id, string? Number, string Title, string Text, SuggestionStatus Status, string LeadDeputy, IReadOnlyList<CoSignerFact> CoSigners,
    string? Field, bool IsKey, DateTimeOffset SubmittedAt);

/// <summary>A co-signer and their answer (the office sees who confirmed when it decides on admission).</summary>
public sealed record CoSignerFact(string Name, CoSignatureState State, string? RefusalReason);

/// <summary>The unit's share of the suggestion behind a unit step: which unit, its role and its deadlines.</summary>
public sealed record UnitTaskFacts(Guid Id, string UnitName, TaskRole Role, UnitTaskStatus Status, DateTimeOffset ReturnDeadline, DateTimeOffset DueAt);

/// <summary>One line of the timeline: who did what, when.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Actor, string Action, string? Detail);

public sealed record ReplyView(
    Guid Id, string UnitName, int Round, ReplyCategory Category, ReplyStatus Status, string Html, DateTimeOffset DraftedAt, string DraftedBy, DateTimeOffset? SentAt,
    IReadOnlyList<AttachmentInfo> Attachments);

public sealed record CoOpinionView(string UnitName, string Opinion, DateTimeOffset? At);

public sealed record ConsultationView(string UnitName, DateTimeOffset At, ConsultationMethod Method, ConsultationStage Stage, string Participants, string? Notes);

/// <summary>
/// Everything the task page shows: the task and its step's declaration, whether the user may act or only look,
/// the suggestion, the unit's share, the timeline, replies, co-units' opinions and consultations.
/// </summary>
public sealed record TaskPageModel(
    TaskView Task,
    TaskDeclaration Step,
    bool MayAct,
    bool Overseeing,
    SuggestionFacts? Suggestion,
    UnitTaskFacts? UnitTask,
    ReplyView? ReplyToApprove,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<ReplyView> Replies,
    IReadOnlyList<CoOpinionView> CoOpinions,
    IReadOnlyList<ConsultationView> Consultations,
    DeadlineRule ReturnWindow);

/// <summary>Loads the task page for one user; a task they may not see is null (the page says not found, never shows data).</summary>
public sealed class TaskPageData(WorkflowsDbContext workflows, LiaisonDbContext domain, TaskSteps steps)
{
    public const int TimelineLimit = 200;

    public async Task<TaskPageModel?> LoadAsync(Guid taskId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var acting = TaskAccess.ActingUserOf(user);
        var task = await workflows.HumanTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null || !TaskVisibility.CanSee(acting, task))
        {
            return null;
        }

        var assignee = acting.IsAssignee(task.AssigneeKind, task.AssigneeId);
        var data = task.Data();
        var declaration = steps.For(task).Describe(task);
        var suggestionId = IdIn(data, "suggestionId") ?? await SuggestionOfInstanceAsync(task.InstanceId, cancellationToken);
        var unitTaskId = IdIn(data, "unitTaskId");
        var replyId = IdIn(data, "replyId");

        var units = domain.HandlingUnits.AsNoTracking();
        UnitTaskFacts? unitTask = null;
        if (unitTaskId is { } ut)
        {
            unitTask = await domain.UnitTasks.AsNoTracking().Where(t => t.Id == ut)
                .Select(t => new UnitTaskFacts(t.Id, units.Where(u => u.Id == t.UnitId).Select(u => u.Name).FirstOrDefault() ?? "", t.Role, t.Status, t.ReturnDeadline, t.DueAt))
                .FirstOrDefaultAsync(cancellationToken);
        }

        SuggestionFacts? suggestion = null;
        IReadOnlyList<TimelineEntry> timeline = [];
        IReadOnlyList<ReplyView> replies = [];
        IReadOnlyList<CoOpinionView> coOpinions = [];
        IReadOnlyList<ConsultationView> consultations = [];
        if (suggestionId is { } sid)
        {
            suggestion = await LoadSuggestionAsync(sid, cancellationToken);
            timeline = await domain.AuditEntries.AsNoTracking().Where(a => a.SuggestionId == sid).OrderBy(a => a.Id).Take(TimelineLimit)
                .Select(a => new TimelineEntry(a.At, a.ActorName, a.Action, a.Detail)).ToListAsync(cancellationToken);

            // The analysis records the field's code; people read its name.
            var fields = await domain.FieldCategories.AsNoTracking().ToDictionaryAsync(f => f.Code, f => f.Name, cancellationToken);
            timeline = timeline.Select(e => e.Action.StartsWith("suggestion.classified", StringComparison.Ordinal) && e.Detail is { } code && fields.TryGetValue(code, out var name)
                ? e with { Detail = name }
                : e).ToList();
            replies = await RepliesAsync(domain.Replies.Where(r => r.SuggestionId == sid), cancellationToken);
            coOpinions = await domain.UnitTasks.AsNoTracking().Where(t => t.SuggestionId == sid && t.CoOpinion != null)
                .OrderBy(t => t.CompletedAt)
                .Select(t => new CoOpinionView(units.Where(u => u.Id == t.UnitId).Select(u => u.Name).FirstOrDefault() ?? "", t.CoOpinion!, t.CompletedAt))
                .ToListAsync(cancellationToken);
            var rows = await domain.Consultations.AsNoTracking().Where(c => c.SuggestionId == sid)
                .Select(c => new { c.UnitId, c.At, c.Method, c.Stage, c.Participants, c.Notes }).ToListAsync(cancellationToken);
            var names = await UnitNamesAsync(rows.Select(r => r.UnitId), cancellationToken);
            consultations = rows.OrderBy(r => r.At).Select(r => new ConsultationView(names.GetValueOrDefault(r.UnitId, ""), r.At, r.Method, r.Stage, r.Participants, r.Notes)).ToList();
        }

        var toApprove = replyId is { } rid ? (await RepliesAsync(domain.Replies.Where(r => r.Id == rid), cancellationToken)).FirstOrDefault() : null;
        var rules = await HandlingRules.LoadAsync(domain, cancellationToken);
        return new TaskPageModel(
            WorkflowQueries.ToView(task),
            declaration,
            MayAct: task.Status == HumanTaskStatus.Open && assignee,
            Overseeing: !assignee,
            suggestion,
            unitTask,
            toApprove,
            timeline,
            replies,
            coOpinions,
            consultations,
            rules.ReturnWindow);
    }

    private async Task<SuggestionFacts?> LoadSuggestionAsync(Guid id, CancellationToken cancellationToken)
    {
        var s = await domain.Suggestions.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.Id, x.Term, x.Year, x.Sequence, x.Title, x.Text, x.Status, x.LeadDeputyId, CoSigners = x.CoSigners.Select(c => new { c.DeputyId, c.State, c.RefusalReason }).ToList(), x.Field, x.IsKey, x.SubmittedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (s is null)
        {
            return null;
        }

        var ids = s.CoSigners.Select(c => c.DeputyId).Append(s.LeadDeputyId).ToList();
        var deputies = await domain.Deputies.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var fieldName = s.Field is null ? null
            : await domain.FieldCategories.AsNoTracking().Where(f => f.Code == s.Field).Select(f => f.Name).FirstOrDefaultAsync(cancellationToken) ?? s.Field;
        return new SuggestionFacts(
            s.Id, NumberOf(s.Term, s.Year, s.Sequence), s.Title, s.Text, s.Status, deputies.GetValueOrDefault(s.LeadDeputyId, "—"),
            s.CoSigners.Select(c => new CoSignerFact(deputies.GetValueOrDefault(c.DeputyId, "—"), c.State, c.RefusalReason)).ToList(), fieldName, s.IsKey, s.SubmittedAt);
    }

    private async Task<IReadOnlyList<ReplyView>> RepliesAsync(IQueryable<Reply> replies, CancellationToken cancellationToken)
    {
        var rows = await replies.AsNoTracking().OrderBy(r => r.DraftedAt).ToListAsync(cancellationToken);
        var names = await UnitNamesAsync(rows.Select(r => r.UnitId), cancellationToken);
        var files = await new GetReplyAttachmentsHandler(domain).Handle(new GetReplyAttachments(rows.Select(r => r.Id).ToList()), cancellationToken);
        return rows.Select(r => new ReplyView(
            r.Id, names.GetValueOrDefault(r.UnitId, ""), r.Round, r.Category, r.Status, r.Text, r.DraftedAt, r.DraftedBy, r.SentAt,
            files.Where(f => f.ReplyId == r.Id).ToList())).ToList();
    }

    private async Task<Dictionary<Guid, string>> UnitNamesAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        return wanted.Count == 0 ? [] : await domain.HandlingUnits.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
    }

    /// <summary>A task whose data does not name its suggestion (a designer's step) still belongs to the instance's item.</summary>
    private async Task<Guid?> SuggestionOfInstanceAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        var key = await workflows.Instances.AsNoTracking().Where(i => i.Id == instanceId).Select(i => i.CorrelationKey).FirstOrDefaultAsync(cancellationToken);
        return Guid.TryParse(key, out var id) && await domain.Suggestions.AnyAsync(s => s.Id == id, cancellationToken) ? id : null;
    }

    /// <summary>The suggestion's number as the domain writes it (届-年-序号); null before admission.</summary>
    internal static string? NumberOf(int term, int year, int? sequence) =>
        sequence is { } n ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{term}-{year}-{n:0000}") : null;

    internal static Guid? IdIn(JsonObject data, string name) =>
        data[name] is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out var id) ? id : null;
}
