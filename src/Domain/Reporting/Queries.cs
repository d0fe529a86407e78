using Liaison.Domain.Audit;
using Liaison.Domain.Calendar;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Reporting;

public enum DeadlineLight
{
    Green,

    /// <summary>Due within the yellow-light period.</summary>
    Yellow,

    /// <summary>Overdue.</summary>
    Red,
}

public sealed record InboxItem(
    Guid TaskId, Guid SuggestionId, string? Number, string Title, TaskRole Role, UnitTaskStatus Status,
    DateTimeOffset AssignedAt, DateTimeOffset ReturnDeadline, DateTimeOffset DueAt, bool IsKey, DeadlineLight Light);

/// <summary>A unit's open tasks, most urgent first (due time, then id), one page after the cursor <paramref name="After"/>.</summary>
public sealed record GetUnitInbox(Guid UnitId, string? After = null, int Take = Keyset.MaxPageSize) : IQuery<KeysetPage<InboxItem>>;

public sealed class GetUnitInboxHandler(LiaisonDbContext db, TimeProvider clock) : IQueryHandler<GetUnitInbox, KeysetPage<InboxItem>>
{
    private const string List = "inbox";

    public async ValueTask<KeysetPage<InboxItem>> Handle(GetUnitInbox query, CancellationToken cancellationToken)
    {
        var open = db.UnitTasks.AsNoTracking()
            .Where(t => t.UnitId == query.UnitId
                && (t.Status == UnitTaskStatus.Assigned || t.Status == UnitTaskStatus.SignedFor || t.Status == UnitTaskStatus.Rehandling));
        if (Keyset.Decode(List, query.After, 2) is { } after)
        {
            var (due, id) = (after.Instant(0), after.Id(1));
            open = open.Where(t => t.DueAt > due || (t.DueAt == due && t.Id.CompareTo(id) > 0));
        }

        var size = Keyset.Size(query.Take);
        var tasks = await open
            .OrderBy(t => t.DueAt).ThenBy(t => t.Id)
            .Select(t => new { t.Id, t.SuggestionId, t.Role, t.Status, t.AssignedAt, t.ReturnDeadline, t.DueAt })
            .Take(size + 1)
            .ToListAsync(cancellationToken);
        var next = Keyset.NextOf(tasks, size, List, t => [t.DueAt, t.Id]);

        // The suggestions by key in a second step, not a join: see GetOverdueListHandler.
        var ids = tasks.Select(t => t.SuggestionId).Distinct().ToList();
        var suggestions = await db.Suggestions.AsNoTracking()
            .Where(s => ids.Contains(s.Id))
            .Select(s => new { s.Id, s.Term, s.Year, s.Sequence, s.Title, s.IsKey })
            .ToDictionaryAsync(s => s.Id, cancellationToken);
        var rows = tasks.Where(t => suggestions.ContainsKey(t.SuggestionId)).Select(t => (Task: t, S: suggestions[t.SuggestionId])).ToList();
        var rules = await HandlingRules.LoadAsync(db, cancellationToken);
        var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
        var now = clock.GetUtcNow();
        var yellowFrom = rules.YellowLight.DueFrom(now, calendar);
        return new KeysetPage<InboxItem>(rows.Select(r => new InboxItem(
            r.Task.Id, r.Task.SuggestionId, Numbering.Format(r.S.Term, r.S.Year, r.S.Sequence), r.S.Title, r.Task.Role, r.Task.Status,
            r.Task.AssignedAt, r.Task.ReturnDeadline, r.Task.DueAt, r.S.IsKey,
            now >= r.Task.DueAt ? DeadlineLight.Red : r.Task.DueAt <= yellowFrom ? DeadlineLight.Yellow : DeadlineLight.Green)).ToList(), next)
        {
            CursorOf = i => Keyset.Encode(List, i.DueAt, i.TaskId),
        };
    }
}

public sealed record OverdueItem(
    Guid TaskId, Guid SuggestionId, string? Number, string Title, Guid UnitId, string UnitName, TaskRole Role,
    DateTimeOffset DueAt, int WorkingDaysOverdue, bool IsKey, Guid? LeadingLeaderId, Guid? SupervisingLeaderId);

/// <summary>
/// Every open task past its due time, for the liaison office and the leaders (red lights), longest overdue first (due time,
/// then id). <paramref name="Take"/> null: all of them (the daily digest); otherwise one page after <paramref name="After"/>.
/// </summary>
public sealed record GetOverdueList(Guid? UnitId = null, Guid? LeaderId = null, string? After = null, int? Take = null) : IQuery<KeysetPage<OverdueItem>>;

public sealed class GetOverdueListHandler(LiaisonDbContext db, TimeProvider clock) : IQueryHandler<GetOverdueList, KeysetPage<OverdueItem>>
{
    private const string OverdueListCursor = "overdue";

    public async ValueTask<KeysetPage<OverdueItem>> Handle(GetOverdueList query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var tasks = db.UnitTasks.AsNoTracking()
            .Where(t => (t.Status == UnitTaskStatus.Assigned || t.Status == UnitTaskStatus.SignedFor || t.Status == UnitTaskStatus.Rehandling)
                && t.DueAt <= now);
        if (query.UnitId is { } unit)
        {
            tasks = tasks.Where(t => t.UnitId == unit);
        }

        if (Keyset.Decode(OverdueListCursor, query.After, 2) is { } after)
        {
            var (due, id) = (after.Instant(0), after.Id(1));
            tasks = tasks.Where(t => t.DueAt > due || (t.DueAt == due && t.Id.CompareTo(id) > 0));
        }

        var ordered = tasks.OrderBy(t => t.DueAt).ThenBy(t => t.Id)
            .Select(t => new { t.Id, t.SuggestionId, t.UnitId, t.Role, t.DueAt });
        var overdueTasks = await (query.Take is { } take ? ordered.Take(Keyset.Size(take) + 1) : ordered).ToListAsync(cancellationToken);
        // The cursor is the last task read, before the leader filter below drops some: a page may hold fewer rows and still have a next.
        var next = query.Take is { } size ? Keyset.NextOf(overdueTasks, Keyset.Size(size), OverdueListCursor, t => [t.DueAt, t.Id]) : null;

        // Suggestions and units by key in a second step, not a join: PostgreSQL multiplies the selectivities
        // of "open" and "due" (most open tasks are not due yet) and expects ~20× the rows there are, so the
        // join's plan depends on a wrong estimate; two key lookups do not (bench `scale`, docs/benchmarks.md).
        var suggestionIds = overdueTasks.Select(t => t.SuggestionId).Distinct().ToList();
        var suggestionQuery = db.Suggestions.AsNoTracking().Where(s => suggestionIds.Contains(s.Id));
        if (query.LeaderId is { } leader)
        {
            suggestionQuery = suggestionQuery.Where(s => s.LeadingLeaderId == leader || s.SupervisingLeaderId == leader);
        }

        var suggestions = await suggestionQuery
            .Select(s => new { s.Id, s.Term, s.Year, s.Sequence, s.Title, s.IsKey, s.LeadingLeaderId, s.SupervisingLeaderId })
            .ToDictionaryAsync(s => s.Id, cancellationToken);
        var unitIds = overdueTasks.Select(t => t.UnitId).Distinct().ToList();
        var unitNames = await db.HandlingUnits.AsNoTracking()
            .Where(u => unitIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var rows = overdueTasks
            .Where(t => suggestions.ContainsKey(t.SuggestionId) && unitNames.ContainsKey(t.UnitId))
            .Select(t => (Task: t, S: suggestions[t.SuggestionId], UnitName: unitNames[t.UnitId]))
            .ToList();
        var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
        var today = WorkingCalendar.LocalDate(now);
        var overdueDays = WorkingDaysUntil(calendar, today, rows.Select(r => WorkingCalendar.LocalDate(r.Task.DueAt)));
        return new KeysetPage<OverdueItem>(rows.Select(r => new OverdueItem(
            r.Task.Id, r.Task.SuggestionId, Numbering.Format(r.S.Term, r.S.Year, r.S.Sequence), r.S.Title, r.Task.UnitId, r.UnitName, r.Task.Role,
            r.Task.DueAt, overdueDays(WorkingCalendar.LocalDate(r.Task.DueAt)),
            r.S.IsKey, r.S.LeadingLeaderId, r.S.SupervisingLeaderId)).ToList(), next)
        {
            CursorOf = o => Keyset.Encode(OverdueListCursor, o.DueAt, o.TaskId),
        };
    }

    /// <summary>
    /// Working days from each due date up to today, the due day included when it is a working day.
    /// Counted once over the whole span rather than day by day per row: items can be years overdue.
    /// </summary>
    internal static Func<DateOnly, int> WorkingDaysUntil(WorkingCalendar calendar, DateOnly today, IEnumerable<DateOnly> dueDates)
    {
        var earliest = dueDates.Where(d => d <= today).DefaultIfEmpty(today).Min();
        var span = today.DayNumber - earliest.DayNumber;

        // fromStart[i]: working days in [earliest + i, today].
        var fromStart = new int[span + 2];
        for (var i = span; i >= 0; i--)
        {
            fromStart[i] = fromStart[i + 1] + (calendar.IsWorkingDay(earliest.AddDays(i)) ? 1 : 0);
        }

        return due => due >= earliest && due <= today
            ? fromStart[due.DayNumber - earliest.DayNumber]
            : calendar.WorkingDaysBetween(due, today) + (calendar.IsWorkingDay(due) ? 1 : 0);
    }
}

public sealed record TimelineEntry(DateTimeOffset At, string Action, string ActorName, string SubjectType, Guid SubjectId, string? Detail);

/// <summary>Everything that happened to a suggestion, from the audit trail, oldest first.</summary>
public sealed record GetSuggestionTimeline(Guid SuggestionId) : IQuery<IReadOnlyList<TimelineEntry>>;

public sealed class GetSuggestionTimelineHandler(LiaisonDbContext db) : IQueryHandler<GetSuggestionTimeline, IReadOnlyList<TimelineEntry>>
{
    public async ValueTask<IReadOnlyList<TimelineEntry>> Handle(GetSuggestionTimeline query, CancellationToken cancellationToken) =>
        await db.AuditEntries.AsNoTracking()
            .Where(a => a.SuggestionId == query.SuggestionId)
            .OrderBy(a => a.At).ThenBy(a => a.Id)
            .Select(a => new TimelineEntry(a.At, a.Action, a.ActorName, a.SubjectType, a.SubjectId, a.Detail))
            .ToListAsync(cancellationToken);
}

/// <summary>
/// The leadership measures over [From, To): rates are null when there is nothing to measure.
/// Replies count per unit reply (separate handling gives one per unit), first round only, so re-handling
/// does not improve a unit's on-time record; consultation counts per suggestion.
/// <see cref="OpenOverdueTasks"/> is the open tasks past due now, whatever the period; <see cref="OverdueInPeriod"/>
/// (逾期件数 of the period) the unit tasks that fell due in it and were not done by then, so periods compare.
/// </summary>
public sealed record Kpis(
    int RepliesSent, int RepliesOnTime, double? OnTimeReplyRate,
    int SuggestionsReplied, int SuggestionsConsulted, double? ConsultationRate,
    int CategoryA, int CategoryB, double? ResolutionRateA, double? ResolutionRateAB,
    int Evaluations, int SatisfiedOrBasically, double? SatisfactionRate,
    int OpenOverdueTasks,
    int NotEvaluated = 0,
    int OverdueInPeriod = 0);

public sealed record GetKpis(DateTimeOffset From, DateTimeOffset To) : IQuery<Kpis>;

/// <summary>
/// The KPIs from the rollups (Reporting/Rollups.cs): whole China days from kpi_days, and from the raw rows only what the
/// rollups cannot answer exactly (the partial days at the ends, days changed since the last refresh).
/// </summary>
public sealed class GetKpisHandler(LiaisonDbContext db, TimeProvider clock) : IQueryHandler<GetKpis, Kpis>
{
    public async ValueTask<Kpis> Handle(GetKpis query, CancellationToken cancellationToken)
    {
        var (from, to) = (query.From, query.To);
        var now = clock.GetUtcNow();
        var until = to < now ? to : now;
        var built = await db.KpiDays.AnyAsync(cancellationToken);

        var counts = new KpiCounts();
        var plan = await KpiPlan.DaysAsync(db, from, to, built, cancellationToken);
        if (plan.FromDay < plan.ToDay)
        {
            var (d1, d2, dirty) = (plan.FromDay, plan.ToDay, plan.Dirty);
            var sums = await db.KpiDays.AsNoTracking()
                .Where(d => d.Day >= d1 && d.Day < d2 && !dirty.Contains(d.Day))
                .GroupBy(d => 1)
                .Select(g => new KpiCounts
                {
                    Sent = g.Sum(d => d.RepliesSent),
                    OnTime = g.Sum(d => d.RepliesOnTime),
                    A = g.Sum(d => d.CategoryA),
                    B = g.Sum(d => d.CategoryB),
                    SuggestionsReplied = g.Sum(d => d.SuggestionsReplied),
                    SuggestionsConsulted = g.Sum(d => d.SuggestionsConsulted),
                    Evaluated = g.Sum(d => d.Evaluations),
                    Content = g.Sum(d => d.SatisfiedOrBasically),
                    NotEvaluated = g.Sum(d => d.NotEvaluated),
                })
                .SingleOrDefaultAsync(cancellationToken);
            if (sums is not null)
            {
                counts.Add(sums);
            }
        }

        foreach (var (start, end) in plan.Raw)
        {
            counts.Add(await RawKpis.CountAsync(db, start, end, cancellationToken));
        }

        var late = await KpiPlan.DaysAsync(db, from, until, built, cancellationToken);
        if (late.FromDay < late.ToDay)
        {
            var (d1, d2, dirty) = (late.FromDay, late.ToDay, late.Dirty);
            counts.Late += await db.KpiDays.AsNoTracking().Where(d => d.Day >= d1 && d.Day < d2 && !dirty.Contains(d.Day)).SumAsync(d => d.LateTasks, cancellationToken);
        }

        foreach (var (start, end) in late.Raw)
        {
            counts.Late += await RawKpis.LateAsync(db, start, end, cancellationToken);
        }

        return RawKpis.ToKpis(counts, await RawKpis.OpenOverdueAsync(db, now, cancellationToken));
    }
}

/// <summary>
/// Which days of [from, to) a reader takes from the rollups ([FromDay, ToDay) in yyyyMMdd, less <see cref="Dirty"/>)
/// and which instant ranges it computes from the raw rows (partial days at the ends, dirty days, everything when never built).
/// </summary>
internal sealed record KpiPlan(int FromDay, int ToDay, List<int> Dirty, List<(DateTimeOffset Start, DateTimeOffset End)> Raw)
{
    public static async Task<KpiPlan> DaysAsync(LiaisonDbContext db, DateTimeOffset from, DateTimeOffset to, bool built, CancellationToken ct)
    {
        if (to <= from)
        {
            return new(0, 0, [], []);
        }

        var first = KpiCalendar.FirstWholeDay(from);
        var last = WorkingCalendar.LocalDate(to); // the whole days end at the start of this one
        if (!built || first >= last)
        {
            return new(0, 0, [], [(from, to)]);
        }

        var raw = KpiCalendar.RawEdges(from, to, first, last);

        var (d1, d2) = (KpiCalendar.DayOf(first), KpiCalendar.DayOf(last));
        var dirty = await db.KpiDirtyDays.AsNoTracking().Where(d => d.Day >= d1 && d.Day < d2).Select(d => d.Day).Distinct().ToListAsync(ct);
        foreach (var day in dirty.Order())
        {
            var date = KpiCalendar.DateOf(day);
            raw.Add((WorkingCalendar.StartOfDay(date), WorkingCalendar.StartOfDay(date.AddDays(1))));
        }

        return new(d1, d2, dirty, raw);
    }
}

/// <summary>
/// The KPIs counted from the raw rows: what the rollups are built from and held to (the tests compare the two). A suggestion
/// counts as replied in the period of its first first-round reply (so a period's count is the sum of its days'), and as
/// consulted when a consultation came at or before that reply.
/// </summary>
public static class RawKpis
{
    /// <summary>Every KPI over [from, to) from the raw rows alone.</summary>
    public static async Task<Kpis> ComputeAsync(LiaisonDbContext db, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var counts = await CountAsync(db, from, to, cancellationToken);
        counts.Late = await LateAsync(db, from, to < now ? to : now, cancellationToken);
        return ToKpis(counts, await OpenOverdueAsync(db, now, cancellationToken));
    }

    internal static async Task<KpiCounts> CountAsync(LiaisonDbContext db, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // Aggregated in the database: a year of a big city's replies is hundreds of thousands of rows.
        var firstRound = db.Replies.AsNoTracking().Where(r => r.Status == ReplyStatus.Sent && r.Round == 1);
        var replies = firstRound.Where(r => r.SentAt >= from && r.SentAt < to);
        var totals = await replies
            .GroupBy(r => 1)
            .Select(g => new
            {
                Sent = g.Count(),
                OnTime = g.Count(r => r.OnTime == true),
                A = g.Count(r => r.Category == ReplyCategory.A),
                B = g.Count(r => r.Category == ReplyCategory.B),
            })
            .SingleOrDefaultAsync(cancellationToken);

        // The suggestions replied in the period whose first first-round reply ever is in it, looked up by key in batches
        // (index replies (suggestion_id), consultations (suggestion_id, at)): a partial day at a period's end is a few rows.
        var candidates = await replies.Select(r => r.SuggestionId).Distinct().ToListAsync(cancellationToken);
        var (repliedSuggestions, consulted) = (0, 0);
        foreach (var chunk in candidates.Chunk(2000))
        {
            var firsts = (await firstRound.Where(r => chunk.Contains(r.SuggestionId))
                .GroupBy(r => r.SuggestionId)
                .Select(g => new { SuggestionId = g.Key, At = g.Min(r => r.SentAt) })
                .ToListAsync(cancellationToken))
                .Where(f => f.At >= from && f.At < to).ToDictionary(f => f.SuggestionId, f => f.At!.Value);
            var ids = firsts.Keys.ToList();
            var consultedAt = ids.Count == 0 ? [] : await db.Consultations.AsNoTracking().Where(c => ids.Contains(c.SuggestionId))
                .GroupBy(c => c.SuggestionId).Select(g => new { g.Key, At = g.Min(c => c.At) }).ToListAsync(cancellationToken);
            repliedSuggestions += firsts.Count;
            consulted += consultedAt.Count(c => c.At <= firsts[c.Key]);
        }

        var evaluations = await db.Evaluations.AsNoTracking()
            .Where(e => e.At >= from && e.At < to)
            .GroupBy(e => e.Result)
            .Select(g => new { Result = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        return new KpiCounts
        {
            Sent = totals?.Sent ?? 0,
            OnTime = totals?.OnTime ?? 0,
            A = totals?.A ?? 0,
            B = totals?.B ?? 0,
            SuggestionsReplied = repliedSuggestions,
            SuggestionsConsulted = consulted,
            // "Not evaluated" (the window closed unanswered) is reported apart: it is neither satisfied nor in the rate's base.
            Evaluated = evaluations.Where(e => e.Result != EvaluationResult.NotEvaluated).Sum(e => e.Count),
            Content = evaluations.Where(e => e.Result is EvaluationResult.Satisfied or EvaluationResult.BasicallySatisfied).Sum(e => e.Count),
            NotEvaluated = evaluations.Where(e => e.Result == EvaluationResult.NotEvaluated).Sum(e => e.Count),
        };
    }

    /// <summary>逾期件数 over [from, until) (until: the period's end or now, whichever is earlier).</summary>
    internal static async Task<int> LateAsync(LiaisonDbContext db, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken) =>
        until <= from ? 0 : await OverdueMeasure.LateTasks(db.UnitTasks.AsNoTracking(), from, until).CountAsync(cancellationToken);

    /// <summary>Open tasks past due now, whatever the period (index unit_tasks (status, due_at): the overdue tasks alone).</summary>
    internal static Task<int> OpenOverdueAsync(LiaisonDbContext db, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.UnitTasks.CountAsync(
            t => (t.Status == UnitTaskStatus.Assigned || t.Status == UnitTaskStatus.SignedFor || t.Status == UnitTaskStatus.Rehandling) && t.DueAt <= now,
            cancellationToken);

    internal static Kpis ToKpis(KpiCounts c, int openOverdue) => new(
        c.Sent, c.OnTime, Rate(c.OnTime, c.Sent),
        c.SuggestionsReplied, c.SuggestionsConsulted, Rate(c.SuggestionsConsulted, c.SuggestionsReplied),
        c.A, c.B, Rate(c.A, c.Sent), Rate(c.A + c.B, c.Sent),
        c.Evaluated, c.Content, Rate(c.Content, c.Evaluated),
        openOverdue,
        c.NotEvaluated,
        c.Late);

    private static double? Rate(int part, int whole) => whole == 0 ? null : (double)part / whole;
}

internal static class Numbering
{
    public static string? Format(int term, int year, int? sequence) =>
        sequence is { } s ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{term}-{year}-{s:0000}") : null;
}
