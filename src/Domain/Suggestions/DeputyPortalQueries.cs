using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Domain.Rules;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Suggestions;

// What the deputy portal and one suggestion's page read. Lists page in the database by key (Keyset), so a deputy
// with many items and a city with a million rows stay fast; only the page's rows are then enriched.

/// <summary>A deputy found by name or public code, for choosing co-signers. Contact details are never selected.</summary>
public sealed record DeputyLookup(Guid Id, string Name, DeputyLevel Level, int Term, string? PublicCode, string? GroupName, string? StationName);

/// <summary>A page of deputies; <paramref name="Next"/> is the cursor of the next page (null: the last).</summary>
public sealed record DeputyLookupPage(IReadOnlyList<DeputyLookup> Items, int Total, string? Next, int Take);

/// <summary>Deputies whose name contains <paramref name="Query"/> or whose public code starts with it; all of them when empty. By name, then id.</summary>
public sealed record SearchDeputies(string? Query, string? After = null, int Take = 20) : IQuery<DeputyLookupPage>;

public sealed class SearchDeputiesHandler(LiaisonDbContext db) : IQueryHandler<SearchDeputies, DeputyLookupPage>
{
    public const int MaxTake = Keyset.MaxPageSize;

    public async ValueTask<DeputyLookupPage> Handle(SearchDeputies query, CancellationToken cancellationToken)
    {
        var deputies = db.Deputies.AsNoTracking();
        if (query.Query?.Trim() is { Length: > 0 } q)
        {
            deputies = deputies.Where(d => d.Name.Contains(q) || (d.PublicCode != null && d.PublicCode.StartsWith(q)));
        }

        var take = Math.Clamp(query.Take, 1, MaxTake);
        var total = await deputies.CountAsync(cancellationToken);
        if (Keyset.Decode("deputies", query.After, 2) is { } after)
        {
            var (name, id) = (after.Text(0), after.Id(1));
            deputies = deputies.Where(d => string.Compare(d.Name, name) > 0 || (d.Name == name && d.Id.CompareTo(id) > 0));
        }

        var items = await deputies
            .OrderBy(d => d.Name).ThenBy(d => d.Id)
            .Take(take + 1)
            .Select(d => new DeputyLookup(
                d.Id, d.Name, d.Level, d.Term, d.PublicCode,
                db.DeputyGroups.Where(g => g.Id == d.DeputyGroupId).Select(g => g.Name).FirstOrDefault(),
                db.Stations.Where(s => s.Id == d.StationId).Select(s => s.Name).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        var next = Keyset.NextOf(items, take, "deputies", d => [d.Name, d.Id]);
        return new DeputyLookupPage(items, total, next, take);
    }
}

/// <summary>The tabs of a deputy's list: everything, replies waiting for their evaluation, in progress, finished.</summary>
public enum DeputyItemFilter
{
    All,
    AwaitingEvaluation,
    InProgress,
    Done,

    /// <summary>联名 not yet answered by these deputies, while the office has not decided on admission.</summary>
    AwaitingCoSignature,
}

/// <summary>One unit's share as a deputy sees it on a card: who, in which role, by when.</summary>
public sealed record DeputyItemUnit(Guid UnitId, string UnitName, TaskRole Role, UnitTaskStatus Status, DateTimeOffset DueAt, DateTimeOffset? SignedForAt);

/// <summary>
/// A card of the deputy's list. <paramref name="RepliesAwaitingMe"/>: sent replies this deputy has not evaluated yet (window open).
/// <paramref name="AwaitingMyCoSignature"/>: the deputy is asked to co-sign and may still confirm or refuse.
/// </summary>
public sealed record DeputyItem(
    Guid Id, string? Number, string Title, SuggestionStatus Status, DateTimeOffset SubmittedAt, bool IsLead, bool IsKey, string? FieldName,
    IReadOnlyList<DeputyItemUnit> Units, IReadOnlyList<Guid> RepliesAwaitingMe, int RepliesSent, bool AwaitingMyCoSignature = false, string? HandledWith = null);

/// <summary>并案: the primary's number for items handled with a primary (no units of their own), which its reply answers.</summary>
internal static class HandledWithPrimary
{
    public static async Task<Dictionary<Guid, string?>> NumbersAsync(LiaisonDbContext db, IReadOnlyCollection<Guid> items, CancellationToken cancellationToken)
    {
        var rows = await db.SuggestionLinks.AsNoTracking()
            .Where(l => items.Contains(l.LinkedSuggestionId) && !db.UnitTasks.Any(t => t.SuggestionId == l.LinkedSuggestionId))
            .Join(db.Suggestions, l => l.LinkedSuggestionId, s => s.Id, (l, s) => new { l.LinkedSuggestionId, l.PrimarySuggestionId, s.Status })
            .Where(x => x.Status == SuggestionStatus.Assigned || x.Status == SuggestionStatus.Replied || x.Status == SuggestionStatus.Closed)
            .Join(db.Suggestions, x => x.PrimarySuggestionId, p => p.Id, (x, p) => new { x.LinkedSuggestionId, p.Term, p.Year, p.Sequence })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.LinkedSuggestionId).ToDictionary(g => g.Key, g => g.Select(r => Numbering.Format(r.Term, r.Year, r.Sequence)).First());
    }
}

/// <summary>A page of a deputy's items: the tab's total (shown in the tab title, a deputy's own items: cheap) and the next page's cursor.</summary>
public sealed record DeputyItemPage(IReadOnlyList<DeputyItem> Items, int Total, string? Next = null);

public sealed record DeputyItemCounts(int All, int AwaitingEvaluation, int InProgress, int Done, int AwaitingCoSignature = 0);

/// <summary>The suggestions <paramref name="DeputyIds"/> lead or co-signed, newest first, one page of one tab.</summary>
public sealed record GetDeputyItems(IReadOnlyList<Guid> DeputyIds, DeputyItemFilter Filter, string? After = null, int Take = 20) : IQuery<DeputyItemPage>;

/// <summary>How many items each tab of <see cref="GetDeputyItems"/> holds.</summary>
public sealed record CountDeputyItems(IReadOnlyList<Guid> DeputyIds) : IQuery<DeputyItemCounts>;

public sealed class DeputyItemsHandler(LiaisonDbContext db) : IQueryHandler<GetDeputyItems, DeputyItemPage>, IQueryHandler<CountDeputyItems, DeputyItemCounts>
{
    public const int MaxTake = Keyset.MaxPageSize;

    private static readonly SuggestionStatus[] InProgress = [SuggestionStatus.Submitted, SuggestionStatus.Admitted, SuggestionStatus.Assigned, SuggestionStatus.Replied];

    private static readonly SuggestionStatus[] Done = [SuggestionStatus.Closed, SuggestionStatus.TurnedAway];

    public async ValueTask<DeputyItemPage> Handle(GetDeputyItems query, CancellationToken cancellationToken)
    {
        var ids = query.DeputyIds.ToList();
        var items = Filtered(ids, query.Filter);
        var total = await items.CountAsync(cancellationToken);
        var list = "deputy-items-" + query.Filter.ToString().ToLowerInvariant();
        if (Keyset.Decode(list, query.After, 2) is { } after)
        {
            var (at, last) = (after.Instant(0), after.Id(1));
            items = items.Where(s => s.SubmittedAt < at || (s.SubmittedAt == at && s.Id.CompareTo(last) > 0));
        }

        var size = Math.Clamp(query.Take, 1, MaxTake);
        var rows = await items
            .OrderByDescending(s => s.SubmittedAt).ThenBy(s => s.Id)
            .Take(size + 1)
            .Select(s => new { s.Id, s.Term, s.Year, s.Sequence, s.Title, s.Status, s.SubmittedAt, s.LeadDeputyId, s.IsKey, s.Field })
            .ToListAsync(cancellationToken);
        var next = Keyset.NextOf(rows, size, list, r => [r.SubmittedAt, r.Id]);

        var page = rows.Select(r => r.Id).ToList();
        var units = await db.UnitTasks.AsNoTracking()
            .Where(t => page.Contains(t.SuggestionId) && t.Status != UnitTaskStatus.Returned)
            .Join(db.HandlingUnits, t => t.UnitId, u => u.Id, (t, u) => new { t.SuggestionId, Unit = new DeputyItemUnit(t.UnitId, u.Name, t.Role, t.Status, t.DueAt, t.SignedForAt) })
            .ToListAsync(cancellationToken);
        var awaiting = await AwaitingEvaluation(ids).Where(r => page.Contains(r.SuggestionId)).Select(r => new { r.SuggestionId, r.Id }).ToListAsync(cancellationToken);
        var sent = await db.Replies.AsNoTracking().Where(r => page.Contains(r.SuggestionId) && r.Status == ReplyStatus.Sent)
            .GroupBy(r => r.SuggestionId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var asked = await AwaitingCoSignature(ids).Where(s => page.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
        var fieldCodes = rows.Select(r => r.Field).OfType<string>().Distinct().ToList();
        var fields = await db.FieldCategories.AsNoTracking().Where(f => fieldCodes.Contains(f.Code)).ToDictionaryAsync(f => f.Code, f => f.Name, cancellationToken);
        var handledWith = await HandledWithPrimary.NumbersAsync(db, page, cancellationToken);

        return new DeputyItemPage(
            rows.Select(r => new DeputyItem(
                r.Id, Numbering.Format(r.Term, r.Year, r.Sequence), r.Title, r.Status, r.SubmittedAt, ids.Contains(r.LeadDeputyId), r.IsKey,
                r.Field is { } code ? fields.GetValueOrDefault(code, code) : null,
                units.Where(u => u.SuggestionId == r.Id).Select(u => u.Unit).OrderBy(u => u.Role).ThenBy(u => u.UnitName, StringComparer.Ordinal).ToList(),
                awaiting.Where(a => a.SuggestionId == r.Id).Select(a => a.Id).ToList(),
                sent.FirstOrDefault(s => s.Key == r.Id)?.Count ?? 0,
                asked.Contains(r.Id),
                handledWith.GetValueOrDefault(r.Id))).ToList(),
            total,
            next);
    }

    public async ValueTask<DeputyItemCounts> Handle(CountDeputyItems query, CancellationToken cancellationToken)
    {
        var ids = query.DeputyIds.ToList();
        var byStatus = await Filtered(ids, DeputyItemFilter.All).GroupBy(s => s.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var awaiting = await Filtered(ids, DeputyItemFilter.AwaitingEvaluation).CountAsync(cancellationToken);
        var asked = await AwaitingCoSignature(ids).CountAsync(cancellationToken);
        return new DeputyItemCounts(
            byStatus.Sum(s => s.Count), awaiting, byStatus.Where(s => InProgress.Contains(s.Key)).Sum(s => s.Count), byStatus.Where(s => Done.Contains(s.Key)).Sum(s => s.Count), asked);
    }

    private IQueryable<Suggestion> Filtered(List<Guid> ids, DeputyItemFilter filter)
    {
        // A co-signer who refused is no longer one of the item's deputies.
        var mine = db.Suggestions.AsNoTracking().Where(s => ids.Contains(s.LeadDeputyId) || s.CoSigners.Any(c => ids.Contains(c.DeputyId) && c.State != CoSignatureState.Refused));
        return filter switch
        {
            DeputyItemFilter.AwaitingCoSignature => AwaitingCoSignature(ids),
            DeputyItemFilter.AwaitingEvaluation => mine.Where(s => AwaitingEvaluation(ids).Any(r => r.SuggestionId == s.Id)),
            DeputyItemFilter.InProgress => mine.Where(s => InProgress.Contains(s.Status)),
            DeputyItemFilter.Done => mine.Where(s => Done.Contains(s.Status)),
            _ => mine,
        };
    }

    private IQueryable<Suggestion> AwaitingCoSignature(List<Guid> ids) =>
        db.Suggestions.AsNoTracking().Where(s => s.Status == SuggestionStatus.Submitted
            && s.CoSigners.Any(c => ids.Contains(c.DeputyId) && c.State == CoSignatureState.Pending));

    // A sent reply whose evaluation window is open and that none of these deputies has evaluated yet.
    private IQueryable<Reply> AwaitingEvaluation(List<Guid> ids) =>
        db.Replies.AsNoTracking().Where(r => r.Status == ReplyStatus.Sent && r.EvaluationClosedAt == null
            && !db.Evaluations.Any(e => e.ReplyId == r.Id && ids.Contains(e.DeputyId)));
}

/// <summary>A signer; <paramref name="CoSignature"/> is null for the lead, else the co-signer's answer (Pending: 未确认) and when.</summary>
public sealed record FileDeputy(Guid Id, string Name, bool IsLead, CoSignatureState? CoSignature = null, DateTimeOffset? AnsweredAt = null);

/// <summary>A deputy asked to co-sign who declined: no longer a signer, shown apart.</summary>
public sealed record FileRefusedCoSigner(Guid Id, string Name, string? Reason, DateTimeOffset? At);

public sealed record FileUnit(
    Guid TaskId, Guid UnitId, string UnitName, TaskRole Role, UnitTaskStatus Status, DateTimeOffset AssignedAt, DateTimeOffset DueAt,
    DateTimeOffset? SignedForAt, DateTimeOffset? CompletedAt, DateTimeOffset? ReturnedAt, string? ReturnReason);

public sealed record FileConsultation(Guid UnitId, string UnitName, DateTimeOffset At, ConsultationMethod Method, ConsultationStage Stage);

public sealed record FileReply(Guid Id, Guid UnitId, string UnitName, int Round, ReplyCategory Category, string Text, DateTimeOffset SentAt, bool EvaluationClosed);

public sealed record FileEvaluation(Guid ReplyId, Guid DeputyId, string DeputyName, EvaluationResult Result, string? Comment, DateTimeOffset At);

/// <summary>Everything one suggestion's page shows: the item, its deputies and units, the facts of each step, replies and evaluations.</summary>
public sealed record SuggestionFile(
    Guid Id, string? Number, string Title, string Text, SuggestionStatus Status, SuggestionSource Source, DateTimeOffset SubmittedAt,
    DateTimeOffset? ReceivedAt, DateTimeOffset? AssignedAt, AdmissibilityReason? TurnAwayReason, string? TurnAwayNote,
    string? FieldCode, string? FieldName, bool IsKey, string? LeadingLeader, string? SupervisingLeader, AssignmentMode? Mode,
    IReadOnlyList<FileDeputy> Deputies, IReadOnlyList<FileUnit> Units, IReadOnlyList<FileConsultation> Consultations,
    IReadOnlyList<FileReply> Replies, IReadOnlyList<FileEvaluation> Evaluations, IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<FileRefusedCoSigner>? RefusedCoSigners = null, string? HandledWith = null);

/// <summary>One suggestion's file; null when it does not exist. Who may see it is the caller's decision.</summary>
public sealed record GetSuggestionFile(Guid SuggestionId) : IQuery<SuggestionFile?>;

public sealed class GetSuggestionFileHandler(LiaisonDbContext db) : IQueryHandler<GetSuggestionFile, SuggestionFile?>
{
    public async ValueTask<SuggestionFile?> Handle(GetSuggestionFile query, CancellationToken cancellationToken)
    {
        var s = await db.Suggestions.AsNoTracking().Include(x => x.CoSigners).FirstOrDefaultAsync(x => x.Id == query.SuggestionId, cancellationToken);
        if (s is null)
        {
            return null;
        }

        var deputyIds = s.CoSigners.Select(c => c.DeputyId).Prepend(s.LeadDeputyId).ToList();
        var names = await db.Deputies.AsNoTracking().Where(d => deputyIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var deputies = s.Deputies.Select(id => s.CoSigners.FirstOrDefault(c => c.DeputyId == id) is { } c
            ? new FileDeputy(id, names.GetValueOrDefault(id, "—"), false, c.State, c.AnsweredAt)
            : new FileDeputy(id, names.GetValueOrDefault(id, "—"), true)).ToList();
        var refused = s.CoSigners.Where(c => c.State == CoSignatureState.Refused)
            .Select(c => new FileRefusedCoSigner(c.DeputyId, names.GetValueOrDefault(c.DeputyId, "—"), c.RefusalReason, c.AnsweredAt)).ToList();

        var tasks = await db.UnitTasks.AsNoTracking().Where(t => t.SuggestionId == s.Id).OrderBy(t => t.AssignedAt).ThenBy(t => t.Role).ToListAsync(cancellationToken);
        var replies = await db.Replies.AsNoTracking().Where(r => r.SuggestionId == s.Id && r.Status == ReplyStatus.Sent).OrderBy(r => r.SentAt).ToListAsync(cancellationToken);

        // A reply that answered it through its primary (并案) names a unit it has no task with.
        var unitIds = tasks.Select(t => t.UnitId).Concat(replies.Select(r => r.UnitId)).Distinct().ToList();
        var unitNames = await db.HandlingUnits.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        string UnitName(Guid id) => unitNames.GetValueOrDefault(id, "—");

        var consultations = await db.Consultations.AsNoTracking().Where(c => c.SuggestionId == s.Id).OrderBy(c => c.At).ToListAsync(cancellationToken);
        var evaluations = await db.Evaluations.AsNoTracking().Where(e => e.SuggestionId == s.Id).OrderBy(e => e.At).ToListAsync(cancellationToken);
        var field = s.Field is { } code ? await db.FieldCategories.AsNoTracking().Where(f => f.Code == code).Select(f => f.Name).FirstOrDefaultAsync(cancellationToken) ?? code : null;
        var leaders = new[] { s.LeadingLeaderId, s.SupervisingLeaderId }.OfType<Guid>().ToList();
        var leaderNames = await db.Leaders.AsNoTracking().Where(l => leaders.Contains(l.Id))
            .ToDictionaryAsync(l => l.Id, l => string.IsNullOrEmpty(l.Title) ? l.Name : l.Name + "（" + l.Title + "）", cancellationToken);
        var timeline = await new GetSuggestionTimelineHandler(db).Handle(new GetSuggestionTimeline(s.Id), cancellationToken);

        return new SuggestionFile(
            s.Id, s.Number, s.Title, s.Text, s.Status, s.Source, s.SubmittedAt, s.ReceivedAt, s.AssignedAt, s.TurnAwayReason, s.TurnAwayNote,
            s.Field, field, s.IsKey,
            s.LeadingLeaderId is { } lead ? leaderNames.GetValueOrDefault(lead) : null,
            s.SupervisingLeaderId is { } supervising ? leaderNames.GetValueOrDefault(supervising) : null,
            s.AssignmentMode,
            deputies,
            tasks.Select(t => new FileUnit(t.Id, t.UnitId, UnitName(t.UnitId), t.Role, t.Status, t.AssignedAt, t.DueAt, t.SignedForAt, t.CompletedAt, t.ReturnedAt, t.ReturnReason)).ToList(),
            consultations.Select(c => new FileConsultation(c.UnitId, UnitName(c.UnitId), c.At, c.Method, c.Stage)).ToList(),
            replies.Select(r => new FileReply(r.Id, r.UnitId, UnitName(r.UnitId), r.Round, r.Category, r.Text, r.SentAt!.Value, r.EvaluationClosedAt is not null)).ToList(),
            evaluations.Select(e => new FileEvaluation(e.ReplyId, e.DeputyId, names.GetValueOrDefault(e.DeputyId, "—"), e.Result, e.Comment, e.At)).ToList(),
            timeline,
            refused,
            (await HandledWithPrimary.NumbersAsync(db, [s.Id], cancellationToken)).GetValueOrDefault(s.Id));
    }
}
