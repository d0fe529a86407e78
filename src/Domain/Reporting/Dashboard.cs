using System.Linq.Expressions;
using Liaison.Domain.Calendar;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Reporting;

/// <summary>What the leadership dashboard breaks its measures down by.</summary>
public enum BreakdownDimension
{
    /// <summary>The replying (or, for overdue items, the handling) unit.</summary>
    Unit,

    /// <summary>The suggestion's field (transport, education, ...).</summary>
    Field,

    /// <summary>The key suggestion's supervising leader (督办领导); ordinary suggestions have none and are left out.</summary>
    Leader,

    /// <summary>The calendar month (China time) the reply was sent, the evaluation given or the task fell due.</summary>
    Month,
}

/// <summary>
/// One group of a breakdown, measured as <see cref="Kpis"/> measures the whole: first-round replies sent in the
/// period (on time, A, B), evaluations given in it, and tasks that fell due in it and were not done by then.
/// </summary>
/// <param name="Key">Unit or leader id, field code, or month as yyyy-MM; empty for suggestions without a field.</param>
/// <param name="Label">Unit or leader name, the field's Chinese name, or the month.</param>
/// <param name="EnglishLabel">The field's English name when it has one; otherwise the label.</param>
public sealed record BreakdownRow(
    string Key, string Label, string EnglishLabel,
    int RepliesSent, int RepliesOnTime, int CategoryA, int CategoryB,
    int Evaluations, int SatisfiedOrBasically, int OverdueTasks)
{
    public double? OnTimeReplyRate => ReportRates.Of(RepliesOnTime, RepliesSent);

    public double? ResolutionRateA => ReportRates.Of(CategoryA, RepliesSent);

    public double? ResolutionRateAB => ReportRates.Of(CategoryA + CategoryB, RepliesSent);

    public double? SatisfactionRate => ReportRates.Of(SatisfiedOrBasically, Evaluations);
}

/// <summary>
/// The dashboard's measures over [From, To) grouped by <paramref name="By"/>: whole months from the rollups (kpi_months), the
/// other whole days from the day rollups (kpi_group_days), and the partial days at the ends and days changed since the last
/// refresh grouped from the raw rows in the database (see <see cref="MonthPlan"/>).
/// </summary>
public sealed record GetBreakdown(DateTimeOffset From, DateTimeOffset To, BreakdownDimension By) : IQuery<IReadOnlyList<BreakdownRow>>;

public sealed class GetBreakdownHandler(LiaisonDbContext db, TimeProvider clock) : IQueryHandler<GetBreakdown, IReadOnlyList<BreakdownRow>>
{
    /// <summary>A month breakdown longer than this is refused: the CASE that buckets the months grows with it.</summary>
    public const int MaxMonths = 120;

    /// <summary>From the raw rows only, as before the rollups: the reference the tests hold the rollups to.</summary>
    public bool RawOnly { get; init; }

    public async ValueTask<IReadOnlyList<BreakdownRow>> Handle(GetBreakdown query, CancellationToken cancellationToken)
    {
        var (start, end) = (query.From, query.To);
        var now = clock.GetUtcNow();
        var dueUntil = end < now ? end : now;
        var starts = MonthStarts(start, end);
        var built = !RawOnly && await db.KpiDays.AnyAsync(cancellationToken);
        var plan = await MonthPlan.OfAsync(db, start, end, built, cancellationToken);
        var latePlan = await MonthPlan.OfAsync(db, start, dueUntil, built, cancellationToken);

        return query.By switch
        {
            BreakdownDimension.Unit => await ByUnitAsync(plan, latePlan, cancellationToken),
            BreakdownDimension.Field => await ByFieldAsync(plan, latePlan, cancellationToken),
            BreakdownDimension.Leader => await ByLeaderAsync(plan, latePlan, cancellationToken),
            BreakdownDimension.Month => await ByMonthAsync(plan, latePlan, starts, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.By, "unknown dimension"),
        };
    }

    // Flat facts (one row per reply, evaluation or late task, with the suggestion's field and leader by join) of a raw range,
    // then grouped by the dimension's key: the database returns one row per group, never the facts.
    private IQueryable<Fact> Replies(DateTimeOffset start, DateTimeOffset end) =>
        from r in db.Replies.AsNoTracking()
        where r.Status == ReplyStatus.Sent && r.SentAt >= start && r.SentAt < end && r.Round == 1
        join s in db.Suggestions on r.SuggestionId equals s.Id
        select new Fact { UnitId = r.UnitId, Field = s.Field, LeaderId = s.SupervisingLeaderId, At = r.SentAt!.Value, OnTime = r.OnTime == true, Category = r.Category };

    private IQueryable<Fact> Evaluations(DateTimeOffset start, DateTimeOffset end) =>
        from e in db.Evaluations.AsNoTracking()
        where e.At >= start && e.At < end && e.Result != EvaluationResult.NotEvaluated
        join r in db.Replies on e.ReplyId equals r.Id
        join s in db.Suggestions on e.SuggestionId equals s.Id
        select new Fact { UnitId = r.UnitId, Field = s.Field, LeaderId = s.SupervisingLeaderId, At = e.At, Content = e.Result == EvaluationResult.Satisfied || e.Result == EvaluationResult.BasicallySatisfied };

    private IQueryable<Fact> Late(DateTimeOffset start, DateTimeOffset until) =>
        from t in OverdueMeasure.LateTasks(db.UnitTasks.AsNoTracking(), start, until)
        join s in db.Suggestions on t.SuggestionId equals s.Id
        select new Fact { UnitId = t.UnitId, Field = s.Field, LeaderId = s.SupervisingLeaderId, At = t.DueAt };

    /// <summary>Counts per key: rollup groups (<paramref name="rollupKey"/>) plus the raw ranges grouped in the database (<paramref name="rawKey"/>).</summary>
    private async Task<Dictionary<TKey, Counts>> CountAsync<TKey>(
        MonthPlan plan, MonthPlan latePlan, Expression<Func<KpiGroupCounters, TKey>> rollupKey, Expression<Func<Fact, TKey>> rawKey,
        Expression<Func<KpiGroupCounters, bool>>? rollupFilter, Expression<Func<Fact, bool>>? rawFilter, CancellationToken ct)
        where TKey : notnull
    {
        var counts = new Dictionary<TKey, Counts>();
        Counts Of(TKey k) => counts.TryGetValue(k, out var c) ? c : counts[k] = new Counts();

        // Whole clean months from kpi_months, the whole clean days of the other months from kpi_group_days.
        var (months, days, lateMonths, lateDays) = (plan.Months, plan.Days, latePlan.Months, latePlan.Days);
        if (months.Count > 0)
        {
            await AddRollupsAsync(db.KpiMonths.AsNoTracking().Where(m => months.Contains(m.Month)), rollupKey, rollupFilter, Of, late: false, ct);
        }

        if (days.Count > 0)
        {
            await AddRollupsAsync(db.KpiGroupDays.AsNoTracking().Where(d => days.Contains(d.Day)), rollupKey, rollupFilter, Of, late: false, ct);
        }

        if (lateMonths.Count > 0)
        {
            await AddRollupsAsync(db.KpiMonths.AsNoTracking().Where(m => lateMonths.Contains(m.Month)), rollupKey, rollupFilter, Of, late: true, ct);
        }

        if (lateDays.Count > 0)
        {
            await AddRollupsAsync(db.KpiGroupDays.AsNoTracking().Where(d => lateDays.Contains(d.Day)), rollupKey, rollupFilter, Of, late: true, ct);
        }

        foreach (var (start, end) in plan.Raw)
        {
            var replies = Replies(start, end);
            var evaluations = Evaluations(start, end);
            if (rawFilter is not null)
            {
                (replies, evaluations) = (replies.Where(rawFilter), evaluations.Where(rawFilter));
            }

            foreach (var g in await replies.GroupBy(rawKey).Select(g => new
            {
                g.Key,
                Sent = g.Count(),
                OnTime = g.Count(f => f.OnTime),
                A = g.Count(f => f.Category == ReplyCategory.A),
                B = g.Count(f => f.Category == ReplyCategory.B),
            }).ToListAsync(ct))
            {
                var c = Of(g.Key);
                (c.Sent, c.OnTime, c.A, c.B) = (c.Sent + g.Sent, c.OnTime + g.OnTime, c.A + g.A, c.B + g.B);
            }

            foreach (var g in await evaluations.GroupBy(rawKey).Select(g => new { g.Key, All = g.Count(), Content = g.Count(f => f.Content) }).ToListAsync(ct))
            {
                var c = Of(g.Key);
                (c.Evaluations, c.Content) = (c.Evaluations + g.All, c.Content + g.Content);
            }
        }

        foreach (var (start, until) in latePlan.Raw)
        {
            var late = Late(start, until);
            if (rawFilter is not null)
            {
                late = late.Where(rawFilter);
            }

            foreach (var g in await late.GroupBy(rawKey).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            {
                Of(g.Key).Late += g.Count;
            }
        }

        return counts;
    }

    /// <summary>Adds rollup rows (months or days) grouped in the database: the replies' and evaluations' counters, or the late tasks'.</summary>
    private static async Task AddRollupsAsync<TRow, TKey>(
        IQueryable<TRow> rows, Expression<Func<KpiGroupCounters, TKey>> key, Expression<Func<KpiGroupCounters, bool>>? filter, Func<TKey, Counts> of, bool late, CancellationToken ct)
        where TRow : KpiGroupCounters
        where TKey : notnull
    {
        if (filter is not null)
        {
            rows = rows.Where(Retype<TRow, bool>(filter));
        }

        var grouped = rows.GroupBy(Retype<TRow, TKey>(key));
        if (late)
        {
            foreach (var g in await grouped.Select(g => new { g.Key, Late = g.Sum(m => m.LateTasks) }).ToListAsync(ct))
            {
                of(g.Key).Late += g.Late;
            }

            return;
        }

        foreach (var g in await grouped.Select(g => new
        {
            g.Key,
            Sent = g.Sum(m => m.RepliesSent),
            OnTime = g.Sum(m => m.RepliesOnTime),
            A = g.Sum(m => m.CategoryA),
            B = g.Sum(m => m.CategoryB),
            All = g.Sum(m => m.Evaluations),
            Content = g.Sum(m => m.SatisfiedOrBasically),
        }).ToListAsync(ct))
        {
            var c = of(g.Key);
            (c.Sent, c.OnTime, c.A, c.B, c.Evaluations, c.Content) = (c.Sent + g.Sent, c.OnTime + g.OnTime, c.A + g.A, c.B + g.B, c.Evaluations + g.All, c.Content + g.Content);
        }
    }

    /// <summary>One key or filter written once over the counters, applied to the month or the day table.</summary>
    private static Expression<Func<TRow, T>> Retype<TRow, T>(Expression<Func<KpiGroupCounters, T>> lambda)
        where TRow : KpiGroupCounters
    {
        var row = Expression.Parameter(typeof(TRow), lambda.Parameters[0].Name);
        return Expression.Lambda<Func<TRow, T>>(new ParameterSwap(lambda.Parameters[0], row).Visit(lambda.Body), row);
    }

    private sealed class ParameterSwap(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }

    private async Task<IReadOnlyList<BreakdownRow>> ByUnitAsync(MonthPlan plan, MonthPlan late, CancellationToken ct)
    {
        var counts = await CountAsync(plan, late, m => m.UnitId, f => f.UnitId, null, null, ct);
        var ids = counts.Keys.ToList();
        var names = await db.HandlingUnits.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return ByVolume(counts.Select(c => c.Value.Row(c.Key.ToString(), names.GetValueOrDefault(c.Key, c.Key.ToString()), null)));
    }

    private async Task<IReadOnlyList<BreakdownRow>> ByFieldAsync(MonthPlan plan, MonthPlan late, CancellationToken ct)
    {
        // Suggestions without a field group under the empty key (never null: a dictionary key).
        var counts = await CountAsync(plan, late, m => m.Field, f => f.Field ?? string.Empty, null, null, ct);
        var codes = counts.Keys.ToList();
        var fields = await db.FieldCategories.AsNoTracking().Where(f => codes.Contains(f.Code)).ToDictionaryAsync(f => f.Code, ct);
        return ByVolume(counts.Select(c => fields.TryGetValue(c.Key, out var f)
            ? c.Value.Row(c.Key, f.Name, f.EnglishName)
            : c.Value.Row(c.Key, c.Key.Length == 0 ? "未分类" : c.Key, c.Key.Length == 0 ? "Unclassified" : c.Key)));
    }

    private async Task<IReadOnlyList<BreakdownRow>> ByLeaderAsync(MonthPlan plan, MonthPlan late, CancellationToken ct)
    {
        var counts = await CountAsync(plan, late, m => m.LeaderId, f => f.LeaderId ?? Guid.Empty, m => m.LeaderId != Guid.Empty, f => f.LeaderId != null, ct);
        var ids = counts.Keys.ToList();
        var names = await db.Leaders.AsNoTracking().Where(l => ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.Name, ct);
        return ByVolume(counts.Select(c => c.Value.Row(c.Key.ToString(), names.GetValueOrDefault(c.Key, c.Key.ToString()), null)));
    }

    private async Task<IReadOnlyList<BreakdownRow>> ByMonthAsync(MonthPlan plan, MonthPlan late, IReadOnlyList<DateTimeOffset> starts, CancellationToken ct)
    {
        // Rollup months map to their bucket by yyyyMM; raw ranges are bucketed by a CASE over the month starts.
        var index = starts.Select((s, i) => (Month: KpiCalendar.MonthOf(WorkingCalendar.LocalDate(s)), i)).ToDictionary(x => x.Month, x => x.i);
        var counts = await CountAsync(plan, late, m => m.Month, MonthKey(starts), null, null, ct);
        var byBucket = new Dictionary<int, Counts>();
        foreach (var (month, c) in counts)
        {
            if (index.TryGetValue(month, out var i))
            {
                byBucket[i] = c;
            }
        }

        // Every month of the period, the empty ones too: a chart over time needs its gaps.
        return starts.Select((start, i) =>
        {
            var month = start.ToOffset(WorkingCalendar.ChinaOffset).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            return (byBucket.GetValueOrDefault(i) ?? new Counts()).Row(month, month, null);
        }).ToList();
    }

    /// <summary>A raw fact's month as yyyyMM of its bucket (a CASE the database groups by).</summary>
    private static Expression<Func<Fact, int>> MonthKey(IReadOnlyList<DateTimeOffset> starts)
    {
        var fact = Expression.Parameter(typeof(Fact), "f");
        var at = Expression.Property(fact, nameof(Fact.At));
        int MonthAt(int i) => KpiCalendar.MonthOf(WorkingCalendar.LocalDate(starts[i]));
        Expression bucket = Expression.Constant(MonthAt(starts.Count - 1));
        for (var i = starts.Count - 1; i >= 1; i--)
        {
            bucket = Expression.Condition(Expression.LessThan(at, Expression.Constant(starts[i])), Expression.Constant(MonthAt(i - 1)), bucket);
        }

        return Expression.Lambda<Func<Fact, int>>(bucket, fact);
    }

    /// <summary>The first instant of every China-time month that overlaps [from, to), the first one being <paramref name="from"/> itself.</summary>
    internal static IReadOnlyList<DateTimeOffset> MonthStarts(DateTimeOffset from, DateTimeOffset to)
    {
        var starts = new List<DateTimeOffset> { from };
        var local = WorkingCalendar.LocalDate(from);
        var month = new DateOnly(local.Year, local.Month, 1).AddMonths(1);
        while (WorkingCalendar.StartOfDay(month) < to)
        {
            if (starts.Count >= MaxMonths)
            {
                throw new Common.DomainException(Common.ErrorCodes.ValidationFailed, $"a monthly breakdown covers at most {MaxMonths} months");
            }

            starts.Add(WorkingCalendar.StartOfDay(month));
            month = month.AddMonths(1);
        }

        return starts;
    }

    private static List<BreakdownRow> ByVolume(IEnumerable<BreakdownRow> rows) =>
        rows.OrderByDescending(r => r.RepliesSent + r.OverdueTasks + r.Evaluations).ThenBy(r => r.Label, StringComparer.Ordinal).ToList();

    /// <summary>A reply, evaluation or late task with what it is grouped by; only the columns a query selects are read.</summary>
    private sealed class Fact
    {
        public Guid UnitId { get; init; }

        public string? Field { get; init; }

        public Guid? LeaderId { get; init; }

        public DateTimeOffset At { get; init; }

        public bool OnTime { get; init; }

        public ReplyCategory Category { get; init; }

        public bool Content { get; init; }
    }

    private sealed class Counts
    {
        public int Sent { get; set; }

        public int OnTime { get; set; }

        public int A { get; set; }

        public int B { get; set; }

        public int Evaluations { get; set; }

        public int Content { get; set; }

        public int Late { get; set; }

        public BreakdownRow Row(string key, string label, string? englishLabel) =>
            new(key, label, englishLabel ?? label, Sent, OnTime, A, B, Evaluations, Content, Late);
    }
}

/// <summary>
/// How a breakdown reads [from, to): whole China-time months from kpi_months (<see cref="Months"/>, yyyyMM), the other whole
/// days from kpi_group_days (<see cref="Days"/>, yyyyMMdd), and from the raw rows the partial days at the ends, days marked
/// dirty since the last refresh (a month holding one is read by days), and everything when the rollups were never built.
/// </summary>
internal sealed record MonthPlan(List<int> Months, List<int> Days, List<(DateTimeOffset Start, DateTimeOffset End)> Raw)
{
    public static async Task<MonthPlan> OfAsync(LiaisonDbContext db, DateTimeOffset from, DateTimeOffset to, bool built, CancellationToken ct)
    {
        if (to <= from)
        {
            return new([], [], []);
        }

        var firstDay = KpiCalendar.FirstWholeDay(from);
        var lastDay = WorkingCalendar.LocalDate(to); // the whole days end at the start of this one
        if (!built || firstDay >= lastDay)
        {
            return new([], [], [(from, to)]);
        }

        var raw = KpiCalendar.RawEdges(from, to, firstDay, lastDay);
        var (d1, d2) = (KpiCalendar.DayOf(firstDay), KpiCalendar.DayOf(lastDay));
        var dirty = (await db.KpiDirtyDays.AsNoTracking().Where(d => d.Day >= d1 && d.Day < d2).Select(d => d.Day).Distinct().ToListAsync(ct)).ToHashSet();
        var dirtyMonths = dirty.Select(KpiCalendar.MonthOfDay).ToHashSet();
        var (months, days) = (new List<int>(), new List<int>());
        for (var day = firstDay; day < lastDay;)
        {
            var monthStart = new DateOnly(day.Year, day.Month, 1);
            var next = monthStart.AddMonths(1);
            if (day == monthStart && next <= lastDay && !dirtyMonths.Contains(KpiCalendar.MonthOf(monthStart)))
            {
                months.Add(KpiCalendar.MonthOf(monthStart));
                day = next;
                continue;
            }

            var key = KpiCalendar.DayOf(day);
            if (dirty.Contains(key))
            {
                raw.Add((WorkingCalendar.StartOfDay(day), WorkingCalendar.StartOfDay(day.AddDays(1))));
            }
            else
            {
                days.Add(key);
            }

            day = day.AddDays(1);
        }

        return new(months, days, Merge(raw));
    }

    /// <summary>Adjacent raw ranges as one: a run of dirty days is one query, not one per day.</summary>
    private static List<(DateTimeOffset Start, DateTimeOffset End)> Merge(List<(DateTimeOffset Start, DateTimeOffset End)> ranges)
    {
        var merged = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var r in ranges.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && merged[^1].End >= r.Start)
            {
                merged[^1] = (merged[^1].Start, r.End > merged[^1].End ? r.End : merged[^1].End);
            }
            else
            {
                merged.Add(r);
            }
        }

        return merged;
    }
}

/// <summary>逾期件数 for a period: the tasks that fell due in it and were not done by their due time.</summary>
internal static class OverdueMeasure
{
    /// <summary>
    /// Unit tasks due in [from, until) (until: the period's end or now, whichever is earlier) still open, or completed after
    /// they were due. A task moved by an approved extension or by re-handling counts by its current due time.
    /// </summary>
    public static IQueryable<UnitTask> LateTasks(IQueryable<UnitTask> tasks, DateTimeOffset from, DateTimeOffset until) =>
        tasks.Where(t => t.DueAt >= from && t.DueAt < until
            && ((t.Status == UnitTaskStatus.Assigned || t.Status == UnitTaskStatus.SignedFor || t.Status == UnitTaskStatus.Rehandling)
                || (t.CompletedAt != null && t.CompletedAt > t.DueAt)));
}

internal static class ReportRates
{
    public static double? Of(int part, int whole) => whole == 0 ? null : (double)part / whole;
}

/// <summary>One page of a dashboard list: the total (cheap here: these lists are small), the rows, the next page's cursor (null: the last).</summary>
public sealed record ReportPage<T>(int Total, IReadOnlyList<T> Items, string? Next = null);

/// <summary>How an overdue list is ordered and narrowed: by handling unit, or by the key suggestion's supervising leader.</summary>
public enum OverdueGrouping
{
    Unit,
    Leader,
}

public sealed record OverdueRow(
    Guid TaskId, Guid SuggestionId, string? Number, string Title, Guid UnitId, string UnitName, TaskRole Role,
    DateTimeOffset DueAt, int WorkingDaysOverdue, bool IsKey, string? LeadingLeaderName, Guid? SupervisingLeaderId, string? SupervisingLeaderName);

/// <summary>
/// One page of the open tasks past their due time. By unit: every one, by unit name then the longest overdue;
/// by leader: those of suggestions with a supervising leader, by leader name then the longest overdue.
/// </summary>
public sealed record GetOverduePage(OverdueGrouping By, Guid? UnitId = null, Guid? LeaderId = null, string? After = null, int Take = 20) : IQuery<ReportPage<OverdueRow>>;

public sealed class GetOverduePageHandler(LiaisonDbContext db, TimeProvider clock) : IQueryHandler<GetOverduePage, ReportPage<OverdueRow>>
{
    /// <summary>The export reads in batches of this many; the screen and the API ask for at most <see cref="Keyset.MaxPageSize"/>.</summary>
    public const int MaxTake = 1000;

    public async ValueTask<ReportPage<OverdueRow>> Handle(GetOverduePage query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows =
            from t in db.UnitTasks.AsNoTracking()
            where (t.Status == UnitTaskStatus.Assigned || t.Status == UnitTaskStatus.SignedFor || t.Status == UnitTaskStatus.Rehandling) && t.DueAt <= now
            join s in db.Suggestions on t.SuggestionId equals s.Id
            join u in db.HandlingUnits on t.UnitId equals u.Id
            from lead in db.Leaders.Where(l => l.Id == s.LeadingLeaderId).DefaultIfEmpty()
            from sup in db.Leaders.Where(l => l.Id == s.SupervisingLeaderId).DefaultIfEmpty()
            select new { Task = t, s.Term, s.Year, s.Sequence, s.Title, s.IsKey, s.SupervisingLeaderId, UnitName = u.Name, LeadName = lead.Name, SupName = sup.Name };
        if (query.UnitId is { } unit)
        {
            rows = rows.Where(r => r.Task.UnitId == unit);
        }

        if (query.By == OverdueGrouping.Leader)
        {
            rows = rows.Where(r => r.SupervisingLeaderId != null);
        }

        if (query.LeaderId is { } leader)
        {
            rows = rows.Where(r => r.SupervisingLeaderId == leader);
        }

        var total = await rows.CountAsync(cancellationToken);

        // Keyset on (group name, due time, id); a missing name sorts as empty, so the key has no nulls.
        var list = "overdue-" + query.By.ToString().ToLowerInvariant();
        var keyed = rows.Select(r => new { Row = r, Group = (query.By == OverdueGrouping.Leader ? r.SupName : r.UnitName) ?? string.Empty });
        if (Keyset.Decode(list, query.After, 3) is { } after)
        {
            var (group, due, id) = (after.Text(0), after.Instant(1), after.Id(2));
            keyed = keyed.Where(k => string.Compare(k.Group, group) > 0
                || (k.Group == group && (k.Row.Task.DueAt > due || (k.Row.Task.DueAt == due && k.Row.Task.Id.CompareTo(id) > 0))));
        }

        var size = Math.Clamp(query.Take, 1, MaxTake);
        var page = await keyed
            .OrderBy(k => k.Group).ThenBy(k => k.Row.Task.DueAt).ThenBy(k => k.Row.Task.Id)
            .Take(size + 1)
            .Select(k => new { k.Group, k.Row.Task.Id, k.Row.Task.SuggestionId, k.Row.Term, k.Row.Year, k.Row.Sequence, k.Row.Title, k.Row.Task.UnitId, k.Row.UnitName, k.Row.Task.Role, k.Row.Task.DueAt, k.Row.IsKey, k.Row.LeadName, k.Row.SupervisingLeaderId, k.Row.SupName })
            .ToListAsync(cancellationToken);
        var next = Keyset.NextOf(page, size, list, r => [r.Group, r.DueAt, r.Id]);

        var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
        var overdueDays = GetOverdueListHandler.WorkingDaysUntil(calendar, WorkingCalendar.LocalDate(now), page.Select(r => WorkingCalendar.LocalDate(r.DueAt)));
        return new ReportPage<OverdueRow>(total, page.Select(r => new OverdueRow(
            r.Id, r.SuggestionId, Numbering.Format(r.Term, r.Year, r.Sequence), r.Title, r.UnitId, r.UnitName, r.Role,
            r.DueAt, overdueDays(WorkingCalendar.LocalDate(r.DueAt)), r.IsKey, r.LeadName, r.SupervisingLeaderId, r.SupName)).ToList(), next);
    }
}

/// <param name="FieldName">The field's Chinese name (<paramref name="FieldEnglishName"/> in English) when the field is known.</param>
public sealed record KeySuggestionRow(
    Guid Id, string? Number, string Title, string? Field, string? FieldName, string? FieldEnglishName, SuggestionStatus Status, DateTimeOffset SubmittedAt,
    string? LeadingLeaderName, string? SupervisingLeaderName, int OpenTasks, int OverdueTasks);

/// <summary>重点建议 submitted in [From, To), newest first, with their leaders, state and open / overdue unit tasks.</summary>
public sealed record GetKeySuggestions(DateTimeOffset From, DateTimeOffset To, string? After = null, int Take = 20) : IQuery<ReportPage<KeySuggestionRow>>;

public sealed class GetKeySuggestionsHandler(LiaisonDbContext db, TimeProvider clock) : IQueryHandler<GetKeySuggestions, ReportPage<KeySuggestionRow>>
{
    private const string List = "key-suggestions";

    public async ValueTask<ReportPage<KeySuggestionRow>> Handle(GetKeySuggestions query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var keys = db.Suggestions.AsNoTracking().Where(s => s.IsKey && s.SubmittedAt >= query.From && s.SubmittedAt < query.To);
        var total = await keys.CountAsync(cancellationToken);
        if (Keyset.Decode(List, query.After, 2) is { } after)
        {
            var (at, last) = (after.Instant(0), after.Id(1));
            keys = keys.Where(s => s.SubmittedAt < at || (s.SubmittedAt == at && s.Id.CompareTo(last) > 0));
        }

        var open = db.UnitTasks.Where(t => t.Status == UnitTaskStatus.Assigned || t.Status == UnitTaskStatus.SignedFor || t.Status == UnitTaskStatus.Rehandling);
        var size = Math.Clamp(query.Take, 1, GetOverduePageHandler.MaxTake);
        var page = await (
            from s in keys
            from lead in db.Leaders.Where(l => l.Id == s.LeadingLeaderId).DefaultIfEmpty()
            from sup in db.Leaders.Where(l => l.Id == s.SupervisingLeaderId).DefaultIfEmpty()
            from field in db.FieldCategories.Where(f => f.Code == s.Field).DefaultIfEmpty()
            orderby s.SubmittedAt descending, s.Id
            select new
            {
                s.Id,
                s.Term,
                s.Year,
                s.Sequence,
                s.Title,
                s.Field,
                FieldName = field.Name,
                FieldEnglishName = field.EnglishName,
                s.Status,
                s.SubmittedAt,
                LeadName = lead.Name,
                SupName = sup.Name,
                Open = open.Count(t => t.SuggestionId == s.Id),
                Overdue = open.Count(t => t.SuggestionId == s.Id && t.DueAt <= now),
            })
            .Take(size + 1)
            .ToListAsync(cancellationToken);
        var next = Keyset.NextOf(page, size, List, r => [r.SubmittedAt, r.Id]);
        return new ReportPage<KeySuggestionRow>(total, page.Select(r => new KeySuggestionRow(
            r.Id, Numbering.Format(r.Term, r.Year, r.Sequence), r.Title, r.Field, r.FieldName, r.FieldEnglishName, r.Status, r.SubmittedAt, r.LeadName, r.SupName, r.Open, r.Overdue)).ToList(), next);
    }
}
