using Liaison.Domain.Calendar;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Liaison.Domain.Reporting;

// KPI rollups. The dashboard's figures are sums of counters kept per China-time day (KPI tiles) and per month × unit ×
// field × supervising leader (breakdowns; the same per day for the partial months at a period's ends), so a year is
// ≤ 365 rows, not hundreds of thousands of facts.
//
// How they stay right: every SaveChanges that adds, changes or removes a fact (a reply, an evaluation, a consultation, a
// unit task, a suggestion's field or leader) appends the China days it touches to kpi_dirty_days, in the same transaction
// (append-only: concurrent writers never contend on a row). A job (Hangfire, every minute) recomputes from the raw rows
// every month holding a marked day and then deletes exactly the marks it read. Readers take a day or month from the
// rollups only when no mark is pending for it, and compute marked days, partial days and partial months from the raw
// rows: the figures are always exact; the rollups only decide how much raw work a read does (none once the job has run).

/// <summary>The KPI counters of one China-time day (yyyyMMdd), every unit together.</summary>
public sealed class KpiDay
{
    public int Day { get; set; }

    /// <summary>yyyyMM of <see cref="Day"/>: the job replaces a month at a time.</summary>
    public int Month { get; set; }

    public int RepliesSent { get; set; }

    public int RepliesOnTime { get; set; }

    public int CategoryA { get; set; }

    public int CategoryB { get; set; }

    /// <summary>Suggestions whose first first-round reply was sent that day.</summary>
    public int SuggestionsReplied { get; set; }

    /// <summary>Of those, consulted at or before that reply.</summary>
    public int SuggestionsConsulted { get; set; }

    public int Evaluations { get; set; }

    public int SatisfiedOrBasically { get; set; }

    public int NotEvaluated { get; set; }

    /// <summary>Unit tasks due that day still open or completed after they were due.</summary>
    public int LateTasks { get; set; }
}

/// <summary>The breakdown counters of one unit, field and supervising leader (empty when none) over a month or a day.</summary>
public abstract class KpiGroupCounters
{
    /// <summary>yyyyMM.</summary>
    public int Month { get; set; }

    public Guid UnitId { get; set; }

    /// <summary>The field code; empty for suggestions without one.</summary>
    public string Field { get; set; } = string.Empty;

    /// <summary>The supervising leader; <see cref="Guid.Empty"/> for suggestions without one.</summary>
    public Guid LeaderId { get; set; }

    public int RepliesSent { get; set; }

    public int RepliesOnTime { get; set; }

    public int CategoryA { get; set; }

    public int CategoryB { get; set; }

    public int Evaluations { get; set; }

    public int SatisfiedOrBasically { get; set; }

    public int LateTasks { get; set; }

    internal void Count(KpiFact fact)
    {
        switch (fact.Kind)
        {
            case KpiFactKind.Reply:
                RepliesSent++;
                RepliesOnTime += fact.OnTime ? 1 : 0;
                CategoryA += fact.Category == ReplyCategory.A ? 1 : 0;
                CategoryB += fact.Category == ReplyCategory.B ? 1 : 0;
                break;
            case KpiFactKind.Evaluation:
                Evaluations++;
                SatisfiedOrBasically += fact.Content ? 1 : 0;
                break;
            case KpiFactKind.Late:
                LateTasks++;
                break;
        }
    }
}

/// <summary>A month's breakdown counters: whole months of a period are read from here.</summary>
public sealed class KpiMonth : KpiGroupCounters;

/// <summary>
/// A day's breakdown counters (yyyyMMdd): the whole days of the partial months at a period's ends are read from here, so a
/// rolling period (the last 365 days) reads two months of days, not two months of facts.
/// </summary>
public sealed class KpiGroupDay : KpiGroupCounters
{
    public int Day { get; set; }
}

internal enum KpiFactKind
{
    Reply,
    Evaluation,
    Late,
}

/// <summary>One reply, evaluation (not "not evaluated") or late task as the breakdown rollups count it.</summary>
internal readonly record struct KpiFact(KpiFactKind Kind, bool OnTime = false, ReplyCategory Category = default, bool Content = false);

/// <summary>A day whose facts changed since the rollups were computed (append-only; the job deletes the marks it handled).</summary>
public sealed class KpiDirtyDay
{
    public long Id { get; set; }

    public int Day { get; set; }
}

internal sealed class KpiDayConfiguration : IEntityTypeConfiguration<KpiDay>
{
    public void Configure(EntityTypeBuilder<KpiDay> builder)
    {
        builder.ToTable("kpi_days");
        builder.HasKey(d => d.Day);
        builder.Property(d => d.Day).ValueGeneratedNever();
        builder.HasIndex(d => d.Month);
    }
}

internal sealed class KpiMonthConfiguration : IEntityTypeConfiguration<KpiMonth>
{
    public void Configure(EntityTypeBuilder<KpiMonth> builder)
    {
        builder.ToTable("kpi_months");
        builder.HasKey(m => new { m.Month, m.UnitId, m.Field, m.LeaderId });
        builder.Property(m => m.Field).HasMaxLength(100);
    }
}

internal sealed class KpiGroupDayConfiguration : IEntityTypeConfiguration<KpiGroupDay>
{
    public void Configure(EntityTypeBuilder<KpiGroupDay> builder)
    {
        builder.ToTable("kpi_group_days");
        builder.HasKey(d => new { d.Day, d.UnitId, d.Field, d.LeaderId });
        builder.Property(d => d.Field).HasMaxLength(100);
        builder.HasIndex(d => d.Month);
    }
}

internal sealed class KpiDirtyDayConfiguration : IEntityTypeConfiguration<KpiDirtyDay>
{
    public void Configure(EntityTypeBuilder<KpiDirtyDay> builder)
    {
        builder.ToTable("kpi_dirty_days");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedOnAdd();
        builder.HasIndex(d => d.Day);
    }
}

/// <summary>Day and month keys in China time.</summary>
public static class KpiCalendar
{
    /// <summary>Instants from here on are placeholders ("no deadline"), never reported on.</summary>
    public static readonly DateTimeOffset Horizon = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Instants before this are unset values, never reported on.</summary>
    public static readonly DateTimeOffset Floor = new(1000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static int DayOf(DateTimeOffset instant) => DayOf(WorkingCalendar.LocalDate(instant));

    public static int DayOf(DateOnly date) => (date.Year * 10000) + (date.Month * 100) + date.Day;

    public static int MonthOfDay(int day) => day / 100;

    public static DateOnly DateOf(int day) => new(day / 10000, day / 100 % 100, day % 100);

    public static DateOnly FirstOfMonth(int month) => new(month / 100, month % 100, 1);

    public static int MonthOf(DateOnly date) => (date.Year * 100) + date.Month;

    /// <summary>
    /// The parts of [from, to) outside the whole days [first, end) that rollups answer: they are read from raw rows.
    /// </summary>
    public static List<(DateTimeOffset From, DateTimeOffset To)> RawEdges(DateTimeOffset from, DateTimeOffset to, DateOnly first, DateOnly end)
    {
        var raw = new List<(DateTimeOffset, DateTimeOffset)>();
        if (from < WorkingCalendar.StartOfDay(first))
        {
            raw.Add((from, WorkingCalendar.StartOfDay(first)));
        }

        if (WorkingCalendar.StartOfDay(end) < to)
        {
            raw.Add((WorkingCalendar.StartOfDay(end), to));
        }

        return raw;
    }

    /// <summary>The first China-time midnight at or after <paramref name="instant"/>.</summary>
    public static DateOnly FirstWholeDay(DateTimeOffset instant)
    {
        var date = WorkingCalendar.LocalDate(instant);
        return WorkingCalendar.StartOfDay(date) == instant ? date : date.AddDays(1);
    }
}

/// <summary>Marks the days a save touches; called by <see cref="LiaisonDbContext"/> before it saves.</summary>
internal static class KpiDirtyMarks
{
    public static void Mark(LiaisonDbContext db)
    {
        var days = new HashSet<int>();
        void At(DateTimeOffset? instant)
        {
            // "No deadline" placeholders (far-future instants) are in no period anyone reports on.
            if (instant is { } i && i < KpiCalendar.Horizon && i >= KpiCalendar.Floor)
            {
                days.Add(KpiCalendar.DayOf(i));
            }
        }

        var tracker = db.ChangeTracker;
        tracker.DetectChanges();
        foreach (var e in tracker.Entries<Reply>().Where(Changed))
        {
            At(Original<DateTimeOffset?>(e, nameof(Reply.SentAt)));
            At(e.Entity.SentAt);

            // Which reply is a suggestion's first may move to another day when a sent reply changes or goes.
            if (e.State != EntityState.Added)
            {
                foreach (var at in db.Replies.AsNoTracking().Where(r => r.SuggestionId == e.Entity.SuggestionId && r.SentAt != null).Select(r => r.SentAt).ToList())
                {
                    At(at);
                }
            }
        }

        foreach (var e in tracker.Entries<Evaluation>().Where(Changed))
        {
            At(Original<DateTimeOffset>(e, nameof(Evaluation.At)));
            At(e.Entity.At);
        }

        foreach (var e in tracker.Entries<UnitTask>().Where(Changed))
        {
            At(Original<DateTimeOffset>(e, nameof(UnitTask.DueAt)));
            At(e.Entity.DueAt);
        }

        // A consultation counts on the day of its suggestion's first reply (when it came before it).
        var consulted = tracker.Entries<Consultation>().Where(Changed).Select(e => e.Entity.SuggestionId).Distinct().ToList();
        if (consulted.Count > 0)
        {
            foreach (var at in db.Replies.AsNoTracking()
                .Where(r => consulted.Contains(r.SuggestionId) && r.Status == ReplyStatus.Sent && r.Round == 1)
                .GroupBy(r => r.SuggestionId).Select(g => g.Min(r => r.SentAt)).ToList())
            {
                At(at);
            }
        }

        // A suggestion's field or leader moves every fact of it to another breakdown row.
        var moved = tracker.Entries<Suggestion>()
            .Where(e => e.State == EntityState.Modified
                && (e.Property(s => s.Field).IsModified || e.Property(s => s.SupervisingLeaderId).IsModified))
            .Select(e => e.Entity.Id).ToList();
        if (moved.Count > 0)
        {
            foreach (var at in db.Replies.AsNoTracking().Where(r => moved.Contains(r.SuggestionId) && r.SentAt != null).Select(r => r.SentAt).ToList())
            {
                At(at);
            }

            foreach (var at in db.Evaluations.AsNoTracking().Where(x => moved.Contains(x.SuggestionId)).Select(x => x.At).ToList())
            {
                At(at);
            }

            foreach (var at in db.UnitTasks.AsNoTracking().Where(t => moved.Contains(t.SuggestionId)).Select(t => t.DueAt).ToList())
            {
                At(at);
            }
        }

        if (days.Count > 0)
        {
            db.KpiDirtyDays.AddRange(days.Select(d => new KpiDirtyDay { Day = d }));
        }
    }

    private static bool Changed(EntityEntry e) => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted;

    private static T? Original<T>(EntityEntry e, string property) =>
        e.State == EntityState.Added ? default : (T?)e.Property(property).OriginalValue;
}

/// <summary>Counts of the KPI measures; added together from rollup rows and raw ranges.</summary>
internal sealed class KpiCounts
{
    public int Sent { get; set; }

    public int OnTime { get; set; }

    public int A { get; set; }

    public int B { get; set; }

    public int SuggestionsReplied { get; set; }

    public int SuggestionsConsulted { get; set; }

    public int Evaluated { get; set; }

    public int Content { get; set; }

    public int NotEvaluated { get; set; }

    public int Late { get; set; }

    public void Add(KpiCounts o)
    {
        Sent += o.Sent;
        OnTime += o.OnTime;
        A += o.A;
        B += o.B;
        SuggestionsReplied += o.SuggestionsReplied;
        SuggestionsConsulted += o.SuggestionsConsulted;
        Evaluated += o.Evaluated;
        Content += o.Content;
        NotEvaluated += o.NotEvaluated;
        Late += o.Late;
    }
}

/// <summary>Recomputes the rollups of the months holding marked days (the job), or of every month when they were never built.</summary>
public static class KpiRollups
{
    /// <summary>Returns how many months were recomputed.</summary>
    public static async Task<int> RefreshAsync(LiaisonDbContext db, CancellationToken cancellationToken = default)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var marks = await db.KpiDirtyDays.AsNoTracking().Select(d => new { d.Id, d.Day }).ToListAsync(cancellationToken);
        var months = marks.Select(m => KpiCalendar.MonthOfDay(m.Day)).Where(m => m is > 100001 and < 900001).ToHashSet();

        // Never built (a new migration on an existing database, or data loaded around the app): every month with facts.
        if (!await db.KpiDays.AnyAsync(cancellationToken))
        {
            var floor = KpiCalendar.Floor;
            var firsts = new[]
            {
                await db.Replies.Where(r => r.SentAt >= floor).MinAsync(r => r.SentAt, cancellationToken),
                await db.Evaluations.Where(e => e.At >= floor).Select(e => (DateTimeOffset?)e.At).MinAsync(cancellationToken),
                await db.UnitTasks.Where(t => t.DueAt >= floor).Select(t => (DateTimeOffset?)t.DueAt).MinAsync(cancellationToken),
            }.OfType<DateTimeOffset>().ToList();
            var horizon = KpiCalendar.Horizon;
            var lasts = new[]
            {
                await db.Replies.Where(r => r.SentAt < horizon).MaxAsync(r => r.SentAt, cancellationToken),
                await db.Evaluations.Where(e => e.At < horizon).Select(e => (DateTimeOffset?)e.At).MaxAsync(cancellationToken),
                await db.UnitTasks.Where(t => t.DueAt < horizon).Select(t => (DateTimeOffset?)t.DueAt).MaxAsync(cancellationToken),
            }.OfType<DateTimeOffset>().ToList();
            if (firsts.Count > 0)
            {
                var first = WorkingCalendar.LocalDate(firsts.Min());
                var last = WorkingCalendar.LocalDate(lasts.Max());
                for (var m = new DateOnly(first.Year, first.Month, 1); m <= last; m = m.AddMonths(1))
                {
                    months.Add(KpiCalendar.MonthOf(m));
                }
            }
        }

        foreach (var month in months.Order())
        {
            await RecomputeMonthAsync(db, month, cancellationToken);
        }

        // Exactly the marks read: one committed meanwhile (its facts perhaps unseen above) stays for the next run.
        var ids = marks.Select(m => m.Id).ToList();
        foreach (var chunk in ids.Chunk(1000))
        {
            await db.KpiDirtyDays.Where(d => chunk.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        return months.Count;
    }

    private static async Task RecomputeMonthAsync(LiaisonDbContext db, int month, CancellationToken ct)
    {
        var first = KpiCalendar.FirstOfMonth(month);
        var (start, end) = (WorkingCalendar.StartOfDay(first), WorkingCalendar.StartOfDay(first.AddMonths(1)));
        var facts = await RawFacts.LoadAsync(db, start, end, ct);

        var days = new Dictionary<int, KpiDay>();
        KpiDay Day(DateTimeOffset at)
        {
            var d = KpiCalendar.DayOf(at);
            return days.TryGetValue(d, out var row) ? row : days[d] = new KpiDay { Day = d, Month = month };
        }

        var groups = new Dictionary<(Guid, string, Guid), KpiMonth>();
        var dayGroups = new Dictionary<(int, Guid, string, Guid), KpiGroupDay>();
        void Group(DateTimeOffset at, Guid unit, Guid suggestion, KpiFact fact)
        {
            var (field, leader) = facts.Suggestions.TryGetValue(suggestion, out var s) ? (s.Field ?? string.Empty, s.LeaderId ?? Guid.Empty) : (string.Empty, Guid.Empty);
            var monthly = groups.TryGetValue((unit, field, leader), out var m) ? m : groups[(unit, field, leader)] = new KpiMonth { Month = month, UnitId = unit, Field = field, LeaderId = leader };
            var d = KpiCalendar.DayOf(at);
            var day = dayGroups.TryGetValue((d, unit, field, leader), out var g) ? g : dayGroups[(d, unit, field, leader)] = new KpiGroupDay { Day = d, Month = month, UnitId = unit, Field = field, LeaderId = leader };
            monthly.Count(fact);
            day.Count(fact);
        }

        foreach (var r in facts.Replies)
        {
            var d = Day(r.SentAt);
            d.RepliesSent++;
            d.RepliesOnTime += r.OnTime ? 1 : 0;
            d.CategoryA += r.Category == ReplyCategory.A ? 1 : 0;
            d.CategoryB += r.Category == ReplyCategory.B ? 1 : 0;
            Group(r.SentAt, r.UnitId, r.SuggestionId, new KpiFact(KpiFactKind.Reply, r.OnTime, r.Category));
        }

        foreach (var f in facts.FirstReplies)
        {
            var d = Day(f.At);
            d.SuggestionsReplied++;
            if (f.Consulted)
            {
                d.SuggestionsConsulted++;
            }
        }

        foreach (var e in facts.Evaluations)
        {
            var d = Day(e.At);
            if (e.Result == EvaluationResult.NotEvaluated)
            {
                d.NotEvaluated++;
                continue;
            }

            var content = e.Result is EvaluationResult.Satisfied or EvaluationResult.BasicallySatisfied;
            d.Evaluations++;
            d.SatisfiedOrBasically += content ? 1 : 0;
            Group(e.At, e.UnitId, e.SuggestionId, new KpiFact(KpiFactKind.Evaluation, Content: content));
        }

        foreach (var t in facts.LateTasks)
        {
            Day(t.DueAt).LateTasks++;
            Group(t.DueAt, t.UnitId, t.SuggestionId, new KpiFact(KpiFactKind.Late));
        }

        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.KpiDays.Where(d => d.Month == month).ExecuteDeleteAsync(ct);
        await db.KpiMonths.Where(m => m.Month == month).ExecuteDeleteAsync(ct);
        await db.KpiGroupDays.Where(m => m.Month == month).ExecuteDeleteAsync(ct);
        // A month without facts keeps one empty row on its first day, so "never built" stays false once built.
        if (days.Count == 0)
        {
            days[KpiCalendar.DayOf(first)] = new KpiDay { Day = KpiCalendar.DayOf(first), Month = month };
        }

        db.KpiDays.AddRange(days.Values);
        db.KpiMonths.AddRange(groups.Values);
        db.KpiGroupDays.AddRange(dayGroups.Values);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
        }
    }
}

/// <summary>The facts of [start, end) the measures count, read from the raw rows (the job's input, and the reference the tests hold the rollups to).</summary>
internal sealed class RawFacts
{
    public required List<(DateTimeOffset SentAt, Guid UnitId, Guid SuggestionId, bool OnTime, ReplyCategory Category)> Replies { get; init; }

    public required List<(DateTimeOffset At, bool Consulted)> FirstReplies { get; init; }

    public required List<(DateTimeOffset At, EvaluationResult Result, Guid UnitId, Guid SuggestionId)> Evaluations { get; init; }

    public required List<(DateTimeOffset DueAt, Guid UnitId, Guid SuggestionId)> LateTasks { get; init; }

    public required Dictionary<Guid, (string? Field, Guid? LeaderId)> Suggestions { get; init; }

    public static async Task<RawFacts> LoadAsync(LiaisonDbContext db, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var replies = (await db.Replies.AsNoTracking()
            .Where(r => r.Status == ReplyStatus.Sent && r.Round == 1 && r.SentAt >= start && r.SentAt < end)
            .Select(r => new { SentAt = r.SentAt!.Value, r.UnitId, r.SuggestionId, OnTime = r.OnTime == true, r.Category })
            .ToListAsync(ct)).Select(r => (r.SentAt, r.UnitId, r.SuggestionId, r.OnTime, r.Category)).ToList();

        // A suggestion counts as replied on the day of its first first-round reply; consulted when a consultation came by then.
        var replied = replies.Select(r => r.SuggestionId).Distinct().ToList();
        var firsts = new List<(Guid SuggestionId, DateTimeOffset At)>();
        foreach (var chunk in replied.Chunk(2000))
        {
            var found = await db.Replies.AsNoTracking()
                .Where(r => chunk.Contains(r.SuggestionId) && r.Status == ReplyStatus.Sent && r.Round == 1)
                .GroupBy(r => r.SuggestionId).Select(g => new { g.Key, At = g.Min(r => r.SentAt) })
                .ToListAsync(ct);
            firsts.AddRange(found.Where(f => f.At >= start && f.At < end).Select(f => (f.Key, f.At!.Value)));
        }

        var consultedBy = new Dictionary<Guid, DateTimeOffset>();
        foreach (var chunk in firsts.Select(f => f.SuggestionId).Chunk(2000))
        {
            foreach (var c in await db.Consultations.AsNoTracking().Where(c => chunk.Contains(c.SuggestionId))
                .GroupBy(c => c.SuggestionId).Select(g => new { g.Key, At = g.Min(c => c.At) }).ToListAsync(ct))
            {
                consultedBy[c.Key] = c.At;
            }
        }

        var evaluations = (await db.Evaluations.AsNoTracking()
            .Where(e => e.At >= start && e.At < end)
            .Join(db.Replies, e => e.ReplyId, r => r.Id, (e, r) => new { e.At, e.Result, r.UnitId, e.SuggestionId })
            .ToListAsync(ct)).Select(e => (e.At, e.Result, e.UnitId, e.SuggestionId)).ToList();

        // Late whatever the time now: a reader counts a day only once it has passed.
        var late = (await OverdueMeasure.LateTasks(db.UnitTasks.AsNoTracking(), start, end)
            .Select(t => new { t.DueAt, t.UnitId, t.SuggestionId })
            .ToListAsync(ct)).Select(t => (t.DueAt, t.UnitId, t.SuggestionId)).ToList();

        var ids = replies.Select(r => r.SuggestionId).Concat(evaluations.Select(e => e.SuggestionId)).Concat(late.Select(t => t.SuggestionId)).Distinct().ToList();
        var suggestions = new Dictionary<Guid, (string?, Guid?)>();
        foreach (var chunk in ids.Chunk(2000))
        {
            foreach (var s in await db.Suggestions.AsNoTracking().Where(s => chunk.Contains(s.Id)).Select(s => new { s.Id, s.Field, s.SupervisingLeaderId }).ToListAsync(ct))
            {
                suggestions[s.Id] = (s.Field, s.SupervisingLeaderId);
            }
        }

        return new RawFacts
        {
            Replies = replies,
            FirstReplies = firsts.Select(f => (f.At, consultedBy.TryGetValue(f.SuggestionId, out var c) && c <= f.At)).ToList(),
            Evaluations = evaluations,
            LateTasks = late,
            Suggestions = suggestions,
        };
    }
}
