using Liaison.Domain.Audit;
using Liaison.Domain.Calendar;
using Liaison.Domain.Common;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Domain.Rules;
using Liaison.Domain.Suggestions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Handling;

// 督办: the liaison office's view of every suggestion in flight (with an open unit task) and its reminders (催办) to units.

/// <summary>One unit's open share of an item on the board, and when the office last reminded it (null: never).</summary>
public sealed record BoardUnit(Guid UnitId, string UnitName, TaskRole Role, UnitTaskStatus Status, DateTimeOffset DueAt, DateTimeOffset? LastRemindedAt);

/// <summary>One suggestion in flight: its earliest open deadline (over the units filtered for) and its light.</summary>
public sealed record BoardItem(
    Guid SuggestionId, string? Number, string Title, string? Field, bool IsKey, Guid? SupervisingLeaderId, string? SupervisingLeaderName,
    DateTimeOffset DueAt, DeadlineLight Light, IReadOnlyList<BoardUnit> Units);

/// <summary>A page of the board: the total (the tab's count), the rows, and the next page's cursor (null: the last page).</summary>
public sealed record SupervisionBoard(IReadOnlyList<BoardItem> Items, int Total, string? Next, int Take)
{
    /// <summary>The cursor after one of the items (the API may cut a page short to keep it small).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Func<BoardItem, string> CursorOf { get; } = i => Keyset.Encode("board", i.DueAt, i.SuggestionId);
}

/// <summary>
/// The board of suggestions in flight, most urgent first, grouped per suggestion and paged in SQL. Filters: a unit (only its
/// open tasks count, so the light is that unit's), a field code, a supervising leader, a light (from the yellow-light rule).
/// </summary>
public sealed record GetSupervisionBoard(Guid? UnitId = null, string? Field = null, Guid? LeaderId = null, DeadlineLight? Light = null, string? After = null, int Take = 20)
    : IQuery<SupervisionBoard>;

public sealed class GetSupervisionBoardHandler(LiaisonDbContext db, TimeProvider clock) : IQueryHandler<GetSupervisionBoard, SupervisionBoard>
{
    public const int MaxTake = Keyset.MaxPageSize;

    public async ValueTask<SupervisionBoard> Handle(GetSupervisionBoard query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rules = await HandlingRules.LoadAsync(db, cancellationToken);
        var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
        var yellowFrom = rules.YellowLight.DueFrom(now, calendar);

        var open = db.UnitTasks.AsNoTracking()
            .Where(t => t.Status == UnitTaskStatus.Assigned || t.Status == UnitTaskStatus.SignedFor || t.Status == UnitTaskStatus.Rehandling);
        if (query.UnitId is { } unit)
        {
            open = open.Where(t => t.UnitId == unit);
        }

        // Grouped per suggestion in SQL; the suggestions are only probed (semi-join) when a filter needs them, and read for the page alone.
        var items = open.GroupBy(t => t.SuggestionId).Select(g => new { SuggestionId = g.Key, DueAt = g.Min(t => t.DueAt) });
        if (!string.IsNullOrWhiteSpace(query.Field))
        {
            var field = query.Field.Trim();
            items = items.Where(i => db.Suggestions.Any(s => s.Id == i.SuggestionId && s.Field == field));
        }

        if (query.LeaderId is { } leader)
        {
            items = items.Where(i => db.Suggestions.Any(s => s.Id == i.SuggestionId && s.SupervisingLeaderId == leader));
        }

        items = query.Light switch
        {
            DeadlineLight.Red => items.Where(i => i.DueAt <= now),
            DeadlineLight.Yellow => items.Where(i => i.DueAt > now && i.DueAt <= yellowFrom),
            DeadlineLight.Green => items.Where(i => i.DueAt > yellowFrom),
            _ => items,
        };

        var take = Math.Clamp(query.Take, 1, MaxTake);
        var total = await items.CountAsync(cancellationToken);
        if (Keyset.Decode("board", query.After, 2) is { } after)
        {
            var (due, id) = (after.Instant(0), after.Id(1));
            items = items.Where(i => i.DueAt > due || (i.DueAt == due && i.SuggestionId.CompareTo(id) > 0));
        }

        var keys = await items.OrderBy(i => i.DueAt).ThenBy(i => i.SuggestionId).Take(take + 1).ToListAsync(cancellationToken);
        var next = Keyset.NextOf(keys, take, "board", k => [k.DueAt, k.SuggestionId]);
        var pageIds = keys.Select(k => k.SuggestionId).ToList();
        var suggestions = await db.Suggestions.AsNoTracking().Where(s => pageIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Term, s.Year, s.Sequence, s.Title, s.Field, s.IsKey, s.SupervisingLeaderId })
            .ToDictionaryAsync(s => s.Id, cancellationToken);
        var page = keys.Where(k => suggestions.ContainsKey(k.SuggestionId)).Select(k =>
        {
            var s = suggestions[k.SuggestionId];
            return new { k.DueAt, s.Id, s.Term, s.Year, s.Sequence, s.Title, s.Field, s.IsKey, s.SupervisingLeaderId };
        }).ToList();

        // The page's units, leaders and last reminders by key: a handful of rows each.
        var ids = page.Select(p => p.Id).ToList();
        var tasks = await open.Where(t => ids.Contains(t.SuggestionId))
            .Select(t => new { t.SuggestionId, t.UnitId, t.Role, t.Status, t.DueAt }).ToListAsync(cancellationToken);
        var unitIds = tasks.Select(t => t.UnitId).Distinct().ToList();
        var unitNames = await db.HandlingUnits.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var leaderIds = page.Where(p => p.SupervisingLeaderId != null).Select(p => p.SupervisingLeaderId!.Value).Distinct().ToList();
        var leaderNames = await db.Leaders.AsNoTracking().Where(l => leaderIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.Name, cancellationToken);
        var reminders = await UnitReminders.LastSentAsync(db, ids, cancellationToken);

        var rows = page.Select(p => new BoardItem(
            p.Id, Numbering.Format(p.Term, p.Year, p.Sequence), p.Title, p.Field, p.IsKey, p.SupervisingLeaderId,
            p.SupervisingLeaderId is { } l && leaderNames.TryGetValue(l, out var name) ? name : null,
            p.DueAt,
            p.DueAt <= now ? DeadlineLight.Red : p.DueAt <= yellowFrom ? DeadlineLight.Yellow : DeadlineLight.Green,
            tasks.Where(t => t.SuggestionId == p.Id).OrderBy(t => t.Role).ThenBy(t => t.DueAt)
                .Select(t => new BoardUnit(
                    t.UnitId, unitNames.GetValueOrDefault(t.UnitId, t.UnitId.ToString()), t.Role, t.Status, t.DueAt,
                    reminders.TryGetValue((p.Id, t.UnitId), out var at) ? at : null))
                .ToList())).ToList();
        return new SupervisionBoard(rows, total, next, take);
    }
}

/// <summary>What a reminder was about, for the message to the unit.</summary>
public sealed record UnitReminded(Guid SuggestionId, string? Number, string Title, Guid UnitId, string UnitName, DateTimeOffset DueAt, DateTimeOffset At);

/// <summary>
/// 催办: the office reminds a unit of an item it has open. Written to the audit trail ("unit.reminded"); refused when the unit has no
/// open task for the item, or was already reminded of it today (China time), so one click too many sends nothing twice.
/// The caller sends the message in the same unit of work.
/// </summary>
public sealed record RemindUnit(Guid SuggestionId, Guid UnitId, Actor Actor) : ICommand<UnitReminded>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(SuggestionId), SuggestionId).NotEmpty(nameof(UnitId), UnitId);
}

public sealed class RemindUnitHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<RemindUnit, UnitReminded>
{
    public async ValueTask<UnitReminded> Handle(RemindUnit command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var suggestion = await db.Suggestions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == command.SuggestionId, cancellationToken)
            ?? throw NotFound.For<Suggestion>(command.SuggestionId);
        var unit = await db.HandlingUnits.AsNoTracking().FirstOrDefaultAsync(u => u.Id == command.UnitId, cancellationToken)
            ?? throw NotFound.For<HandlingUnit>(command.UnitId);
        var task = await db.UnitTasks.AsNoTracking()
            .Where(t => t.SuggestionId == suggestion.Id && t.UnitId == unit.Id
                && (t.Status == UnitTaskStatus.Assigned || t.Status == UnitTaskStatus.SignedFor || t.Status == UnitTaskStatus.Rehandling))
            .OrderBy(t => t.DueAt).FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(ErrorCodes.ReminderNoOpenTask, $"{unit.Name} has no open task for suggestion {suggestion.Number ?? suggestion.Id.ToString()}: there is nothing to remind it of");

        var now = clock.GetUtcNow();
        var today = WorkingCalendar.StartOfDay(WorkingCalendar.LocalDate(now));
        var last = await UnitReminders.Of(db, suggestion.Id, unit.Id).Where(a => a.At >= today).Select(a => (DateTimeOffset?)a.At).MaxAsync(cancellationToken);
        if (last is { } sent)
        {
            throw new DomainException(ErrorCodes.ReminderAlreadySent, $"{unit.Name} was already reminded of this suggestion today at {sent.ToOffset(WorkingCalendar.ChinaOffset):HH:mm}; one reminder a day");
        }

        db.Audit(now, command.Actor, UnitReminders.AuditAction, nameof(HandlingUnit), unit.Id, suggestion.Id, $"reminded {unit.Name}, due {task.DueAt:u}");
        await db.CommitAsync(cancellationToken);
        return new UnitReminded(suggestion.Id, suggestion.Number, suggestion.Title, unit.Id, unit.Name, task.DueAt, now);
    }
}

/// <summary>The reminders are audit lines; these read them back.</summary>
public static class UnitReminders
{
    public const string AuditAction = "unit.reminded";

    public static IQueryable<AuditEntry> Of(LiaisonDbContext db, Guid suggestionId, Guid unitId) =>
        db.AuditEntries.AsNoTracking().Where(a => a.SuggestionId == suggestionId && a.Action == AuditAction && a.SubjectType == nameof(HandlingUnit) && a.SubjectId == unitId);

    /// <summary>The last reminder per (suggestion, unit) of these suggestions.</summary>
    public static async Task<Dictionary<(Guid SuggestionId, Guid UnitId), DateTimeOffset>> LastSentAsync(LiaisonDbContext db, IReadOnlyList<Guid> suggestionIds, CancellationToken cancellationToken)
    {
        var ids = suggestionIds.Cast<Guid?>().ToList();
        var rows = await db.AuditEntries.AsNoTracking()
            .Where(a => ids.Contains(a.SuggestionId) && a.Action == AuditAction && a.SubjectType == nameof(HandlingUnit))
            .GroupBy(a => new { a.SuggestionId, a.SubjectId })
            .Select(g => new { g.Key.SuggestionId, g.Key.SubjectId, At = g.Max(a => a.At) })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => (r.SuggestionId!.Value, r.SubjectId), r => r.At);
    }
}

/// <summary>Each unit's current load: how many open tasks it holds (signed for or not), for choosing units when assigning.</summary>
public sealed record GetUnitLoads(IReadOnlyList<Guid> UnitIds) : IQuery<IReadOnlyDictionary<Guid, int>>;

public sealed class GetUnitLoadsHandler(LiaisonDbContext db) : IQueryHandler<GetUnitLoads, IReadOnlyDictionary<Guid, int>>
{
    public async ValueTask<IReadOnlyDictionary<Guid, int>> Handle(GetUnitLoads query, CancellationToken cancellationToken)
    {
        var ids = query.UnitIds.Distinct().ToList();
        var counts = await db.UnitTasks.AsNoTracking()
            .Where(t => ids.Contains(t.UnitId) && (t.Status == UnitTaskStatus.Assigned || t.Status == UnitTaskStatus.SignedFor || t.Status == UnitTaskStatus.Rehandling))
            .GroupBy(t => t.UnitId).Select(g => new { UnitId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.UnitId, g => g.Count, cancellationToken);
        return ids.ToDictionary(id => id, id => counts.GetValueOrDefault(id));
    }
}

/// <summary>The deadlines an assignment made now would set, from the rules and the calendar (as <see cref="AssignSuggestionHandler"/> sets them).</summary>
public sealed record AssignmentDeadlines(DateTimeOffset ReturnDeadline, DateTimeOffset ReplyDue, DateTimeOffset CoOpinionDue, DateTimeOffset LatestDue, HandlingRules Rules);

public sealed record GetAssignmentDeadlines : IQuery<AssignmentDeadlines>;

public sealed class GetAssignmentDeadlinesHandler(LiaisonDbContext db, TimeProvider clock) : IQueryHandler<GetAssignmentDeadlines, AssignmentDeadlines>
{
    public async ValueTask<AssignmentDeadlines> Handle(GetAssignmentDeadlines query, CancellationToken cancellationToken)
    {
        var rules = await HandlingRules.LoadAsync(db, cancellationToken);
        var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
        var now = clock.GetUtcNow();
        return new AssignmentDeadlines(
            rules.ReturnWindow.DueFrom(now, calendar), rules.Reply.DueFrom(now, calendar), rules.CoOpinion.DueFrom(now, calendar),
            rules.ExtensionMaxTotal.DueFrom(now, calendar), rules);
    }
}
