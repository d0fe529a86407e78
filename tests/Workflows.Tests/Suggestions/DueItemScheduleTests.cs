using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Testing;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Suggestions;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Workflows.Tests.Suggestions;

/// <summary>
/// A whole three-month assignment on a fake clock, through the shipped suggestion-handling.json on real
/// PostgreSQL: the clock jumps from one due item to the next and the sweep fires what is due, as the
/// minutely Hangfire job does in production.
/// </summary>
public sealed class DueItemScheduleTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static DateTimeOffset At(int month, int day, int hour = 0) => new(2026, month, day, hour, 0, 0, China);

    [Fact]
    public async Task A_three_month_assignment_reminds_on_its_working_days_escalates_after_the_deadline_and_closes_the_evaluation_window()
    {
        await using var w = await SuggestionWorld.CreateAsync(DatabaseProvider.PostgreSql, "dueitems", At(3, 2, 9));
        var (suggestion, instance) = await TransactionBridgeTests.StartAsync(w);
        await using (var scope = w.Engine.Services.CreateAsyncScope())
        {
            var sp = scope.ServiceProvider;
            await SuggestionDigests.EnsurePlannedAsync(sp.GetRequiredService<DueItemRunner>(), sp.GetRequiredService<LiaisonDbContext>(), w.Clock, CancellationToken.None);
        }

        var office = SuggestionWorld.OfficeUser;
        await Do(w, instance, "receive", "Admitted", [], office);
        await Do(w, instance, "analyse", "Ordinary", new JsonObject { ["field"] = "transport" }, office);
        await Do(w, instance, "assign", "Assigned", new JsonObject { ["unitIds"] = new JsonArray(w.Transport.ToString()) }, office);
        await Do(w, instance, "signFor", "Signed", [], SuggestionWorld.HandlerOf(w.Transport));
        w.Clock.SetUtcNow(At(3, 3, 10));
        await Do(w, instance, "consult", "Consulted", new JsonObject { ["at"] = At(3, 3, 9).ToString("O"), ["method"] = "Phone", ["stage"] = "Before", ["participants"] = "王代表" }, SuggestionWorld.HandlerOf(w.Transport));

        // The reply is due when the unit task says: three months from assignment on 2 March, to the end of 2 June.
        var reply = await w.OpenTask(instance, "reply");
        Assert.Equal(At(6, 3), reply.DueAt);
        Assert.Equal([At(5, 13), At(5, 25), At(6, 2)], JsonSerializer.Deserialize<List<DateTimeOffset>>(reply.RemindersJson!)); // 15, 7, 1 working days (Labour Day and its make-up Saturday 9 May counted right)

        // Three months pass with nothing done.
        await RunUntilAsync(w, At(6, 8, 12));
        var replyItems = await ItemsAsync(w, i => i.TaskId == reply.Id);
        Assert.Equal(
            [
                ("task.assigned", At(3, 3, 10), "sent to unit:" + w.Transport),
                ("task.reminder", At(5, 13), "sent to unit:" + w.Transport),
                ("task.reminder", At(5, 25), "sent to unit:" + w.Transport),
                ("task.reminder", At(6, 2), "sent to unit:" + w.Transport),
                ("task.overdue", At(6, 3), $"sent to unit:{w.Transport},role:LiaisonOffice"),
            ],
            replyItems.Select(i => (i.Kind, i.FiredAt!.Value, i.Outcome!)).ToList());
        Assert.All(replyItems, i => Assert.Equal(i.DueAt, i.FiredAt)); // each on its due instant, once
        Assert.Equal(TaskLight.Red, (await w.OpenTask(instance, "reply")).Light);

        // The daily digest to the office starts the day after the deadline and runs on working days only.
        var digests = await ItemsAsync(w, i => i.Kind == DueItemKinds.OverdueDigest && i.FiredAt != null && i.DueAt >= At(6, 1));
        Assert.Equal(
            [(At(6, 1, 9), "nothing overdue"), (At(6, 2, 9), "nothing overdue"), (At(6, 3, 9), "1 overdue (0 key)"), (At(6, 4, 9), "1 overdue (0 key)"), (At(6, 5, 9), "1 overdue (0 key)"), (At(6, 8, 9), "1 overdue (0 key)")],
            digests.Select(d => (d.FiredAt!.Value, d.Outcome!)).ToList());
        await using (var wf = w.Database.CreateWorkflowsContext())
        {
            var digest = await wf.Outbox.Where(o => o.ActivityId == DueItemKinds.OverdueDigest).OrderBy(o => o.CreatedAt).FirstAsync();
            Assert.Equal("role:LiaisonOffice", digest.Recipient);
            Assert.Contains("16-2026-0001", digest.Message);
            Assert.Contains("市交通运输局", digest.Message);
            var reminder = await wf.Outbox.Where(o => o.ActivityId == DueItemKinds.TaskReminder && o.CreatedAt == At(5, 13)).SingleAsync();
            Assert.Contains("2026-06-02", reminder.Subject); // people read the last allowed day
            Assert.Contains("关于优化公交线路的建议", reminder.Message);

            // Leaders get the weekly summary on Monday mornings: on 8 June, one suggestion assigned this year and one overdue.
            var weekly = await wf.Outbox.Where(o => o.ActivityId == DueItemKinds.WeeklySummary).OrderBy(o => o.CreatedAt).ToListAsync();
            Assert.All(weekly, o => Assert.Equal((DayOfWeek.Monday, 9, "role:Leader"), (o.CreatedAt.ToOffset(China).DayOfWeek, o.CreatedAt.ToOffset(China).Hour, o.Recipient)));
            Assert.Equal(14, weekly.Count); // 9 March … 8 June
            Assert.Contains("2026-W24", weekly[^1].Subject);
            Assert.Contains("交办 1 项", weekly[^1].Message);
            Assert.Contains("当前逾期 1 项", weekly[^1].Message);
        }

        // The unit replies late; the head approves and it is sent: the survey goes to both deputies.
        w.Clock.SetUtcNow(At(6, 9, 10));
        var replied = await Do(w, instance, "reply", "Replied", new JsonObject { ["category"] = "A", ["text"] = "已优化线路", ["publicInterest"] = false }, SuggestionWorld.HandlerOf(w.Transport));
        await Do(w, instance, "approve", "Approved", [], w.HeadOf(w.Transport));
        var evaluate = await w.OpenTask(instance, "evaluate", w.LeadDeputy);
        Assert.Equal(At(7, 10), evaluate.DueAt); // the reply's 30-day evaluation window
        await RunUntilAsync(w, At(6, 20, 12));
        await w.Do(instance, "evaluate", "Satisfied", null, SuggestionWorld.DeputyUser(w.CoSigner), w.CoSigner);

        await RunUntilAsync(w, At(7, 13, 12));
        var surveyItems = await ItemsAsync(w, i => i.TaskId == evaluate.Id);
        Assert.Equal(
            [
                ("task.assigned", At(6, 9, 10), $"sent to deputy:{w.LeadDeputy}"),
                ("task.reminder", At(6, 16, 10), $"sent to deputy:{w.LeadDeputy}"),
                ("task.reminder", At(6, 23, 10), $"sent to deputy:{w.LeadDeputy}"),
                ("task.overdue", At(7, 10), "completed as NotEvaluated"),
            ],
            surveyItems.Select(i => (i.Kind, i.FiredAt!.Value, i.Outcome!)).ToList());

        // The window closed: the lead deputy counts as not evaluated, never as satisfied; the loop goes on and ends.
        await using (var db = w.Database.CreateContext())
        {
            var evaluations = await db.Evaluations.Where(e => e.SuggestionId == suggestion).ToDictionaryAsync(e => e.DeputyId, e => e.Result);
            Assert.Equal(EvaluationResult.NotEvaluated, evaluations[w.LeadDeputy]);
            Assert.Equal(EvaluationResult.Satisfied, evaluations[w.CoSigner]);
            var kpis = await DirectDispatch.AskAsync(db, w.Clock, new GetKpis(At(1, 1), At(12, 31)));
            Assert.Equal((1, 1, 1.0, 1), (kpis.Evaluations, kpis.SatisfiedOrBasically, kpis.SatisfactionRate, kpis.NotEvaluated));
            var late = await Assert.ThrowsAsync<DomainException>(() => w.Send(new EvaluateReply(replied.DomainResult, w.LeadDeputy, EvaluationResult.Satisfied, null, SuggestionWorld.Office)));
            Assert.Equal(ErrorCodes.EvaluationWindowClosed, late.Code);
        }

        await using (var wf = w.Database.CreateWorkflowsContext())
        {
            Assert.Equal(InstanceStatus.Finished, (await wf.Instances.SingleAsync(i => i.Id == instance)).Status);

            // Nothing fired twice: one message per firing that sent, and a last sweep finds nothing left.
            var sent = await wf.DueItems.CountAsync(i => i.Outcome!.StartsWith("sent") || i.Outcome!.Contains("overdue ("));
            var messages = await wf.Outbox.CountAsync();
            var digestsToLeaders = 0; // no key suggestion here, so each digest has one message
            Assert.Equal(sent + digestsToLeaders, messages);
        }

        Assert.Equal(0, await SweepAsync(w));
    }

    [Fact]
    public async Task A_key_suggestion_overdue_escalates_to_its_supervising_leader_and_appears_in_their_digest()
    {
        await using var w = await SuggestionWorld.CreateAsync(DatabaseProvider.PostgreSql, "dueitems-key", At(3, 2, 9));
        var (_, instance) = await TransactionBridgeTests.StartAsync(w);
        await using (var scope = w.Engine.Services.CreateAsyncScope())
        {
            var sp = scope.ServiceProvider;
            await SuggestionDigests.EnsurePlannedAsync(sp.GetRequiredService<DueItemRunner>(), sp.GetRequiredService<LiaisonDbContext>(), w.Clock, CancellationToken.None);
        }

        var office = SuggestionWorld.OfficeUser;
        await Do(w, instance, "receive", "Admitted", [], office);
        await Do(w, instance, "analyse", "Key", new JsonObject { ["field"] = "transport", ["leadingLeaderId"] = w.Leader.ToString(), ["supervisingLeaderId"] = w.Leader.ToString() }, office);
        await Do(w, instance, "leaderReview", "Endorsed", [], SuggestionWorld.LeaderUser(w.Leader));
        await Do(w, instance, "assign", "Assigned", new JsonObject { ["unitIds"] = new JsonArray(w.Transport.ToString()) }, office);
        await Do(w, instance, "signFor", "Signed", [], SuggestionWorld.HandlerOf(w.Transport));
        await Do(w, instance, "consult", "Consulted", new JsonObject { ["at"] = At(3, 2, 8).ToString("O"), ["method"] = "Phone", ["stage"] = "Before", ["participants"] = "王代表" }, SuggestionWorld.HandlerOf(w.Transport));
        var reply = await w.OpenTask(instance, "reply");

        await RunUntilAsync(w, At(6, 3, 12));
        var overdue = Assert.Single(await ItemsAsync(w, i => i.TaskId == reply.Id && i.Kind == DueItemKinds.TaskOverdue));
        Assert.Equal($"sent to unit:{w.Transport},leader:{w.Leader}", overdue.Outcome);
        await using var wf = w.Database.CreateWorkflowsContext();
        var digest = await wf.Outbox.Where(o => o.ActivityId == DueItemKinds.OverdueDigest).Select(o => o.Recipient!).ToListAsync();
        Assert.Equal(new[] { "role:LiaisonOffice", $"leader:{w.Leader}" }.Order(StringComparer.Ordinal), digest.Order(StringComparer.Ordinal)); // one firing, one instant: no order between them
        var red = await wf.Outbox.SingleAsync(o => o.ActivityId == DueItemKinds.TaskOverdue);
        Assert.Contains("督办领导", red.Message);
    }

    private static async Task<(Guid DomainResult, BurstResult Workflow)> Do(SuggestionWorld w, Guid instance, string activity, string outcome, JsonObject fields, ActingUser user)
    {
        var done = await w.Do(instance, activity, outcome, fields, user);
        var id = done.Result?["domainResult"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out var g) ? g : Guid.Empty;
        return (id, done.Workflow);
    }

    /// <summary>Moves the clock from one due item to the next up to <paramref name="end"/>, sweeping at each (twice: the second must find nothing).</summary>
    private static async Task RunUntilAsync(SuggestionWorld w, DateTimeOffset end)
    {
        while (true)
        {
            await using var wf = w.Database.CreateWorkflowsContext();
            var next = await wf.DueItems.Where(i => i.FiredAt == null && i.DueAt <= end).OrderBy(i => i.DueAt).Select(i => (DateTimeOffset?)i.DueAt).FirstOrDefaultAsync();
            if (next is null)
            {
                w.Clock.SetUtcNow(end);
                return;
            }

            if (next > w.Clock.GetUtcNow())
            {
                w.Clock.SetUtcNow(next.Value);
            }

            Assert.True(await SweepAsync(w) > 0);
            Assert.Equal(0, await SweepAsync(w));
        }
    }

    private static async Task<int> SweepAsync(SuggestionWorld w)
    {
        await using var scope = w.Engine.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DueItemRunner>().SweepAsync();
    }

    private static async Task<List<DueItemRecord>> ItemsAsync(SuggestionWorld w, System.Linq.Expressions.Expression<Func<DueItemRecord, bool>> filter)
    {
        await using var wf = w.Database.CreateWorkflowsContext();
        return await wf.DueItems.AsNoTracking().Where(filter).OrderBy(i => i.DueAt).ThenBy(i => i.Kind).ToListAsync();
    }
}
