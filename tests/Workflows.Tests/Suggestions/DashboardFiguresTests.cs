using System.Text.Json.Nodes;
using Liaison.Domain.Calendar;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Domain.Suggestions;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Tests.Suggestions;

/// <summary>
/// The leadership dashboard's figures (KPIs, breakdowns, overdue and key lists) against the same figures computed here
/// from the raw rows, after several suggestions went through the shipped workflow to different ends.
/// </summary>
public sealed class DashboardFiguresTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static DateTimeOffset At(int month, int day, int hour = 0) => new(2026, month, day, hour, 0, 0, China);

    private sealed record Case(string Title, string Field, Func<SuggestionWorld, Guid> Unit, bool Key, string? Category, bool Late, string? Evaluation, bool Signs = true, bool Replies = true);

    // Assigned on 2 March (reply due three months later); on-time replies on 10 April, late ones on 10 June.
    private static readonly Case[] Cases =
    [
        new("准时 A 满意", "transport", w => w.Transport, Key: false, "A", Late: false, "Satisfied"),
        new("准时 B 基本满意（重点）", "education", w => w.Education, Key: true, "B", Late: false, "BasicallySatisfied"),
        new("逾期 C 不满意", "transport", w => w.Transport, Key: false, "C", Late: true, "Dissatisfied"),
        new("逾期 D 未评价", "health", w => w.Planning, Key: false, "D", Late: true, null),
        new("已面商未答复（重点）", "education", w => w.Education, Key: true, null, Late: false, null, Replies: false),
        new("未签收", "transport", w => w.Transport, Key: false, null, Late: false, null, Signs: false, Replies: false),
    ];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_dashboard_s_figures_equal_those_computed_from_the_raw_rows(DatabaseProvider provider)
    {
        await using var w = await SuggestionWorld.CreateAsync(provider, "dashboard", At(3, 2, 9));
        await RunScenarioAsync(w);

        await using var db = w.Database.CreateContext();
        var raw = await Raw.LoadAsync(db);
        var now = w.Clock.GetUtcNow();

        // The scenario reached the ends it was meant to: the independent figures below are not vacuous.
        Assert.Equal(4, raw.Replies.Count(r => r.Status == ReplyStatus.Sent));
        Assert.Equal(2, raw.Replies.Count(r => r.OnTime == true));
        Assert.Equal(3, raw.Evaluations.Count);
        Assert.Contains(raw.Tasks, t => t.Status == UnitTaskStatus.Rehandling);

        foreach (var (from, to) in new[] { (At(1, 1), At(7, 1)), (At(4, 1), At(5, 1)), (At(6, 1), At(6, 30)), (At(1, 1), At(3, 1)) })
        {
            var kpis = await new GetKpisHandler(db, w.Clock).Handle(new GetKpis(from, to), default);
            var expected = raw.Kpis(from, to, now);
            Assert.Equal(expected, kpis);

            foreach (var by in Enum.GetValues<BreakdownDimension>())
            {
                var rows = await new GetBreakdownHandler(db, w.Clock).Handle(new GetBreakdown(from, to, by), default);
                var want = raw.Breakdown(from, to, now, by);
                Assert.Equal(want.OrderBy(r => r.Key, StringComparer.Ordinal), rows.Select(r => (r.Key, r.RepliesSent, r.RepliesOnTime, r.CategoryA, r.CategoryB, r.Evaluations, r.SatisfiedOrBasically, r.OverdueTasks)).OrderBy(r => r.Key, StringComparer.Ordinal));
            }

            var keys = await new GetKeySuggestionsHandler(db, w.Clock).Handle(new GetKeySuggestions(from, to, null, 100), default);
            var keyWant = raw.Suggestions.Where(s => s.IsKey && s.SubmittedAt >= from && s.SubmittedAt < to).ToList();
            Assert.Equal(keyWant.Count, keys.Total);
            Assert.Equal(
                keyWant.Select(s => (s.Id, s.Status, Open: raw.Tasks.Count(t => t.SuggestionId == s.Id && t.IsOpen), Overdue: raw.Tasks.Count(t => t.SuggestionId == s.Id && t.IsOpen && t.DueAt <= now))).OrderBy(x => x.Id),
                keys.Items.Select(k => (k.Id, k.Status, Open: k.OpenTasks, Overdue: k.OverdueTasks)).OrderBy(x => x.Id));
        }

        // The months of a period: each China-time month, the empty ones too.
        var months = await new GetBreakdownHandler(db, w.Clock).Handle(new GetBreakdown(At(1, 1), At(7, 1), BreakdownDimension.Month), default);
        Assert.Equal(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"], months.Select(m => m.Key));

        // Overdue lists: every open task past due, by unit, and those with a supervising leader, by leader; paged.
        var open = raw.Tasks.Where(t => t.IsOpen && t.DueAt <= now).ToList();
        Assert.Equal(2, open.Count); // the re-handled one is not due yet; the unreplied and the unsigned ones are
        var byUnit = await new GetOverduePageHandler(db, w.Clock).Handle(new GetOverduePage(OverdueGrouping.Unit, Take: 1), default);
        var byUnitRest = await new GetOverduePageHandler(db, w.Clock).Handle(new GetOverduePage(OverdueGrouping.Unit, After: byUnit.Next, Take: 5), default);
        Assert.Equal(open.Count, byUnit.Total);
        Assert.Equal(open.Select(t => t.Id).Order(), byUnit.Items.Concat(byUnitRest.Items).Select(r => r.TaskId).Order());
        var units = raw.Units;
        Assert.Equal(byUnit.Items.Concat(byUnitRest.Items).Select(r => units[r.UnitId]).ToList(), byUnit.Items.Concat(byUnitRest.Items).Select(r => units[r.UnitId]).Order(StringComparer.Ordinal).ToList());
        var calendar = await WorkingCalendar.LoadAsync(db, default);
        Assert.All(byUnit.Items.Concat(byUnitRest.Items), r => Assert.Equal(calendar.WorkingDaysBetween(WorkingCalendar.LocalDate(r.DueAt), WorkingCalendar.LocalDate(now)) + (calendar.IsWorkingDay(WorkingCalendar.LocalDate(r.DueAt)) ? 1 : 0), r.WorkingDaysOverdue));

        var supervised = open.Where(t => raw.Suggestions.Single(s => s.Id == t.SuggestionId).SupervisingLeaderId == w.Leader).ToList();
        var byLeader = await new GetOverduePageHandler(db, w.Clock).Handle(new GetOverduePage(OverdueGrouping.Leader, LeaderId: w.Leader), default);
        Assert.Equal(supervised.Select(t => t.Id).Order(), byLeader.Items.Select(r => r.TaskId).Order());
        Assert.NotEmpty(supervised);
        Assert.All(byLeader.Items, r => Assert.Equal("副市长", r.SupervisingLeaderName));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_rollups_give_the_raw_rows_figures_also_after_old_months_change(DatabaseProvider provider)
    {
        await using var w = await SuggestionWorld.CreateAsync(provider, "rollups", At(3, 2, 9));
        var started = await RunScenarioAsync(w);

        // Whole months, a period cut inside days at both ends, one month, one day, part of a day.
        (DateTimeOffset From, DateTimeOffset To)[] periods =
            [(At(1, 1), At(9, 1)), (At(3, 15, 13), At(8, 20, 7)), (At(6, 1), At(7, 1)), (At(4, 10), At(4, 11)), (At(4, 10, 9), At(4, 10, 18)), (At(4, 1), At(4, 1))];

        async Task AssertFiguresEqualRawAsync(LiaisonDbContext db)
        {
            var now = w.Clock.GetUtcNow();
            var raw = await Raw.LoadAsync(db);
            foreach (var (from, to) in periods)
            {
                var kpis = await new GetKpisHandler(db, w.Clock).Handle(new GetKpis(from, to), default);
                Assert.Equal(await RawKpis.ComputeAsync(db, from, to, now), kpis);
                Assert.Equal(raw.Kpis(from, to, now), kpis);
                foreach (var by in Enum.GetValues<BreakdownDimension>())
                {
                    var rows = await new GetBreakdownHandler(db, w.Clock).Handle(new GetBreakdown(from, to, by), default);
                    var want = await new GetBreakdownHandler(db, w.Clock) { RawOnly = true }.Handle(new GetBreakdown(from, to, by), default);
                    Assert.Equal(want, rows);
                }
            }
        }

        await using (var db = w.Database.CreateContext())
        {
            // Before the first refresh every figure is read raw; the refresh builds every month with facts.
            await AssertFiguresEqualRawAsync(db);
            Assert.NotEmpty(await db.KpiDirtyDays.ToListAsync());
            Assert.Equal(4, await KpiRollups.RefreshAsync(db)); // March (assignments, consultations) to June
            Assert.Empty(await db.KpiDirtyDays.ToListAsync());
            Assert.Equal(4, await db.KpiDays.SumAsync(d => d.RepliesSent));
            Assert.Equal(3, await db.KpiMonths.SumAsync(m => m.Evaluations));
            Assert.Equal(3, await db.KpiGroupDays.SumAsync(m => m.Evaluations));
            await AssertFiguresEqualRawAsync(db);

            // Inside a month the whole days come from the day rollups (kpi_group_days): a wrong counter there shows.
            var dayRow = await db.KpiGroupDays.AsNoTracking().Where(d => d.RepliesSent > 0).OrderBy(d => d.Day).FirstAsync();
            var dayStart = WorkingCalendar.StartOfDay(KpiCalendar.DateOf(dayRow.Day));
            async Task<int> SentAsync() => (await new GetBreakdownHandler(db, w.Clock).Handle(new GetBreakdown(dayStart, dayStart.AddHours(36), BreakdownDimension.Unit), default)).Sum(r => r.RepliesSent);
            var sent = await SentAsync();
            Assert.True(sent > 0);
            var row = db.KpiGroupDays.Where(d => d.Day == dayRow.Day && d.UnitId == dayRow.UnitId && d.Field == dayRow.Field && d.LeaderId == dayRow.LeaderId);
            await row.ExecuteUpdateAsync(u => u.SetProperty(d => d.RepliesSent, d => d.RepliesSent + 100));
            Assert.Equal(sent + 100, await SentAsync());
            await row.ExecuteUpdateAsync(u => u.SetProperty(d => d.RepliesSent, d => d.RepliesSent - 100));

            // The figures come from the rollups now: a wrong counter shows (and is mended by the next refresh once its day is marked).
            var april = KpiCalendar.DayOf(At(4, 10, 10));
            await db.KpiDays.Where(d => d.Day == april).ExecuteUpdateAsync(u => u.SetProperty(d => d.RepliesSent, d => d.RepliesSent + 100));
            Assert.Equal((await RawKpis.ComputeAsync(db, At(1, 1), At(9, 1), w.Clock.GetUtcNow())).RepliesSent + 100, (await new GetKpisHandler(db, w.Clock).Handle(new GetKpis(At(1, 1), At(9, 1)), default)).RepliesSent);
            db.KpiDirtyDays.Add(new KpiDirtyDay { Day = april });
            await db.SaveChangesAsync();
            await AssertFiguresEqualRawAsync(db); // a marked day is read raw
            Assert.Equal(1, await KpiRollups.RefreshAsync(db));
            await AssertFiguresEqualRawAsync(db);
        }

        // Old months change in August: the consulted suggestion is replied late (its June task completes), and the unsigned
        // task due in June is moved to September (no longer late in June).
        int juneLate;
        await using (var db = w.Database.CreateContext())
        {
            juneLate = await db.KpiDays.Where(d => d.Month == 202606).SumAsync(d => d.LateTasks);
        }

        w.Clock.SetUtcNow(At(8, 20, 10));
        var consulted = started.Single(s => s.Case.Title == "已面商未答复（重点）");
        await w.Do(consulted.Instance, "reply", "Replied", new JsonObject { ["category"] = "A", ["text"] = "答复", ["publicInterest"] = false }, SuggestionWorld.HandlerOf(consulted.Case.Unit(w)));
        await w.Do(consulted.Instance, "approve", "Approved", null, w.HeadOf(consulted.Case.Unit(w)));
        await using (var db = w.Database.CreateContext())
        {
            var unsigned = await db.UnitTasks.SingleAsync(t => t.Status == UnitTaskStatus.Assigned);
            Assert.True(unsigned.DueAt is { Month: 6 });
            db.Entry(unsigned).Property(t => t.DueAt).CurrentValue = At(9, 30); // a correction, as an approved extension does
            await db.SaveChangesAsync();

            Assert.NotEmpty(await db.KpiDirtyDays.ToListAsync());
            await AssertFiguresEqualRawAsync(db); // dirty days raw, the rest from the rollups
            Assert.Equal(3, await KpiRollups.RefreshAsync(db)); // June (the tasks' due days), August (the reply), September (the new due day)
            Assert.Empty(await db.KpiDirtyDays.ToListAsync());
            Assert.Equal(juneLate - 1, await db.KpiDays.Where(d => d.Month == 202606).SumAsync(d => d.LateTasks));
            await AssertFiguresEqualRawAsync(db);
        }
    }

    /// <summary>Six suggestions through the shipped workflow to different ends (on time, late, unreplied, unsigned); the clock ends on 15 June.</summary>
    private static async Task<List<(Case Case, Guid Instance)>> RunScenarioAsync(SuggestionWorld w)
    {
        await w.PublishLoopAsync();
        var office = SuggestionWorld.OfficeUser;

        var started = new List<(Case Case, Guid Instance)>();
        foreach (var c in Cases)
        {
            var suggestion = await w.Send(new SubmitSuggestion(16, 2026, c.Title, "正文", SuggestionSource.CongressSession, w.LeadDeputy, [], SuggestionWorld.Office));
            var instance = (await w.Engine.EngineAsync(e => e.StartAsync("suggestion-handling", TransactionBridgeTests.Inputs(suggestion, w.LeadDeputy), suggestion.ToString()))).Instance.Id;
            await w.Do(instance, "receive", "Admitted", null, office);
            if (c.Key)
            {
                await w.Do(instance, "analyse", "Key", new JsonObject { ["field"] = c.Field, ["leadingLeaderId"] = w.Leader.ToString(), ["supervisingLeaderId"] = w.Leader.ToString() }, office);
                await w.Do(instance, "leaderReview", "Endorsed", new JsonObject { ["instruction"] = "抓紧办理" }, SuggestionWorld.LeaderUser(w.Leader));
            }
            else
            {
                await w.Do(instance, "analyse", "Ordinary", new JsonObject { ["field"] = c.Field }, office);
            }

            await w.Do(instance, "assign", "Assigned", new JsonObject { ["unitIds"] = new JsonArray(c.Unit(w).ToString()) }, office);
            if (c.Signs)
            {
                var handler = SuggestionWorld.HandlerOf(c.Unit(w));
                await w.Do(instance, "signFor", "Signed", null, handler);
                await w.Do(instance, "consult", "Consulted", new JsonObject { ["at"] = At(3, 2, 8).ToString("O"), ["method"] = "Phone", ["stage"] = "Before", ["participants"] = "王代表" }, handler);
            }

            started.Add((c, instance));
        }

        async Task ReplyAsync(bool late)
        {
            foreach (var (c, instance) in started.Where(s => s.Case.Replies && s.Case.Late == late))
            {
                await w.Do(instance, "reply", "Replied", new JsonObject { ["category"] = c.Category, ["text"] = "答复", ["publicInterest"] = false }, SuggestionWorld.HandlerOf(c.Unit(w)));
                await w.Do(instance, "approve", "Approved", null, w.HeadOf(c.Unit(w)));
            }

            w.Clock.Advance(TimeSpan.FromDays(1));
            foreach (var (c, instance) in started.Where(s => s.Case.Replies && s.Case.Late == late && s.Case.Evaluation is not null))
            {
                var comment = new JsonObject { ["comment"] = "意见" };
                await w.Do(instance, "evaluate", c.Evaluation!, comment, SuggestionWorld.DeputyUser(w.LeadDeputy));
            }
        }

        w.Clock.SetUtcNow(At(4, 10, 10));
        await ReplyAsync(late: false);
        w.Clock.SetUtcNow(At(6, 10, 10));
        await ReplyAsync(late: true);
        w.Clock.SetUtcNow(At(6, 15, 10));

        return started;
    }

    /// <summary>The rows as stored, and the measures computed from them in memory, by the definitions of domain.md.</summary>
    private sealed record Raw(List<Reply> Replies, List<Evaluation> Evaluations, List<Consultation> Consultations, List<UnitTask> Tasks, List<Suggestion> Suggestions, Dictionary<Guid, string> Units)
    {
        public static async Task<Raw> LoadAsync(LiaisonDbContext db) => new(
            await db.Replies.AsNoTracking().ToListAsync(),
            await db.Evaluations.AsNoTracking().ToListAsync(),
            await db.Consultations.AsNoTracking().ToListAsync(),
            await db.UnitTasks.AsNoTracking().ToListAsync(),
            await db.Suggestions.AsNoTracking().ToListAsync(),
            await db.HandlingUnits.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name));

        private IEnumerable<Reply> FirstReplies(DateTimeOffset from, DateTimeOffset to) =>
            Replies.Where(r => r.Status == ReplyStatus.Sent && r.Round == 1 && r.SentAt >= from && r.SentAt < to);

        private IEnumerable<Evaluation> Evaluated(DateTimeOffset from, DateTimeOffset to) =>
            Evaluations.Where(e => e.At >= from && e.At < to && e.Result != EvaluationResult.NotEvaluated);

        private IEnumerable<UnitTask> Late(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now) =>
            Tasks.Where(t => t.DueAt >= from && t.DueAt < to && t.DueAt < now && (t.IsOpen || t.CompletedAt > t.DueAt));

        public Kpis Kpis(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
        {
            var replies = FirstReplies(from, to).ToList();
            // A suggestion is replied in the period of its first first-round reply ever (so periods add up).
            var firstBySuggestion = Replies.Where(r => r.Status == ReplyStatus.Sent && r.Round == 1).GroupBy(r => r.SuggestionId)
                .ToDictionary(g => g.Key, g => g.Min(r => r.SentAt!.Value)).Where(f => f.Value >= from && f.Value < to).ToDictionary();
            var consulted = firstBySuggestion.Count(f => Consultations.Any(c => c.SuggestionId == f.Key && c.At <= f.Value));
            var evaluated = Evaluated(from, to).ToList();
            var content = evaluated.Count(e => e.Result is EvaluationResult.Satisfied or EvaluationResult.BasicallySatisfied);
            int A = replies.Count(r => r.Category == ReplyCategory.A), B = replies.Count(r => r.Category == ReplyCategory.B), onTime = replies.Count(r => r.OnTime == true);
            static double? Rate(int part, int whole) => whole == 0 ? null : (double)part / whole;
            return new Kpis(
                replies.Count, onTime, Rate(onTime, replies.Count),
                firstBySuggestion.Count, consulted, Rate(consulted, firstBySuggestion.Count),
                A, B, Rate(A, replies.Count), Rate(A + B, replies.Count),
                evaluated.Count, content, Rate(content, evaluated.Count),
                Tasks.Count(t => t.IsOpen && t.DueAt <= now),
                Evaluations.Count(e => e.At >= from && e.At < to && e.Result == EvaluationResult.NotEvaluated),
                Late(from, to, now).Count());
        }

        public List<(string Key, int Sent, int OnTime, int A, int B, int Evaluations, int Content, int Late)> Breakdown(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, BreakdownDimension by)
        {
            Suggestion Of(Guid id) => Suggestions.Single(s => s.Id == id);
            string? KeyOf(Guid unit, Guid suggestion, DateTimeOffset at) => by switch
            {
                BreakdownDimension.Unit => unit.ToString(),
                BreakdownDimension.Field => Of(suggestion).Field ?? string.Empty,
                BreakdownDimension.Leader => Of(suggestion).SupervisingLeaderId?.ToString(),
                _ => at.ToOffset(China).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
            };

            var replies = FirstReplies(from, to).Select(r => (Key: KeyOf(r.UnitId, r.SuggestionId, r.SentAt!.Value), r)).Where(x => x.Key is not null).ToList();
            var evaluations = Evaluated(from, to).Select(e => (Key: KeyOf(Replies.Single(r => r.Id == e.ReplyId).UnitId, e.SuggestionId, e.At), e)).Where(x => x.Key is not null).ToList();
            var late = Late(from, to, now).Select(t => (Key: KeyOf(t.UnitId, t.SuggestionId, t.DueAt), t)).Where(x => x.Key is not null).ToList();
            var keys = replies.Select(x => x.Key!).Concat(evaluations.Select(x => x.Key!)).Concat(late.Select(x => x.Key!)).ToHashSet();
            if (by == BreakdownDimension.Month)
            {
                // Every month of the period is listed, the empty ones with zeros.
                for (var m = new DateTimeOffset(from.ToOffset(China).Year, from.ToOffset(China).Month, 1, 0, 0, 0, China); m < to; m = m.AddMonths(1))
                {
                    keys.Add(m.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            return keys.Select(k => (
                k,
                replies.Count(x => x.Key == k), replies.Count(x => x.Key == k && x.r.OnTime == true),
                replies.Count(x => x.Key == k && x.r.Category == ReplyCategory.A), replies.Count(x => x.Key == k && x.r.Category == ReplyCategory.B),
                evaluations.Count(x => x.Key == k), evaluations.Count(x => x.Key == k && x.e.Result is EvaluationResult.Satisfied or EvaluationResult.BasicallySatisfied),
                late.Count(x => x.Key == k))).ToList();
        }
    }
}
