using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Testing;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Workflows.Tests.Suggestions;

/// <summary>
/// Two paths of the loop walked to their end through the published workflows: a joint suggestion (联名) whose co-signer
/// is dissatisfied, and 并案 of three items answered by one reply.
/// </summary>
public sealed class JointAndLinkedPathTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_co_signer_s_dissatisfaction_re_handles_once_and_every_signer_evaluates_the_new_reply(DatabaseProvider provider)
    {
        await using var w = await SuggestionWorld.CreateAsync(provider, "joint-rehandle", new DateTimeOffset(2026, 3, 2, 9, 0, 0, China));
        var (suggestion, instance) = await TransactionBridgeTests.StartAsync(w);
        var (office, handler, lead, co) = (SuggestionWorld.OfficeUser, SuggestionWorld.HandlerOf(w.Transport), SuggestionWorld.DeputyUser(w.LeadDeputy), SuggestionWorld.DeputyUser(w.CoSigner));
        await w.Do(instance, "receive", "Admitted", null, office);
        await w.Do(instance, "analyse", "Ordinary", new JsonObject { ["field"] = "交通" }, office);
        await w.Do(instance, "assign", "Assigned", new JsonObject { ["unitIds"] = new JsonArray(w.Transport.ToString()) }, office);
        await w.Do(instance, "signFor", "Signed", null, handler);
        await w.Do(instance, "consult", "Consulted", new JsonObject { ["at"] = w.Clock.GetUtcNow().AddHours(-1).ToString("O"), ["method"] = "Phone", ["stage"] = "Before", ["participants"] = "王代表" }, handler);
        var first = await w.Do(instance, "reply", "Replied", new JsonObject { ["category"] = "A", ["text"] = "已优化线路" }, handler);
        await w.Do(instance, "approve", "Approved", null, w.HeadOf(w.Transport));

        // Each signer has an evaluation task of their own; the lead is satisfied, the co-signer is not.
        var tasks = (await w.OpenTasks(instance)).Where(t => t.ActivityId == "evaluate").Select(t => t.AssigneeId).Order().ToList();
        Assert.Equal(new[] { w.LeadDeputy.ToString(), w.CoSigner.ToString() }.Order(), tasks);
        w.Clock.Advance(TimeSpan.FromDays(3));
        await w.Do(instance, "evaluate", "Satisfied", null, lead, w.LeadDeputy);
        Assert.DoesNotContain(await w.OpenTasks(instance), t => t.ActivityId == "rehandle");
        var dissatisfied = await w.Do(instance, "evaluate", "Dissatisfied", new JsonObject { ["comment"] = "站点仍未增设" }, co, w.CoSigner);
        Assert.True(dissatisfied.Result!["rehandling"]!.GetValue<bool>());

        // 重新办理: one task, due by the re-handling rule (1 month) from the dissatisfaction; the suggestion reopens.
        var rehandle = Assert.Single(await w.OpenTasks(instance), t => t.ActivityId == "rehandle");
        Assert.Equal(w.Clock.GetUtcNow().ToOffset(China).Date.AddMonths(1).AddDays(1), rehandle.DueAt!.Value.ToOffset(China).DateTime); // the end of that day a month on
        await using (var db = w.Database.CreateContext())
        {
            Assert.Equal(SuggestionStatus.Assigned, (await db.Suggestions.SingleAsync(s => s.Id == suggestion)).Status);
            Assert.Equal(UnitTaskStatus.Rehandling, (await db.UnitTasks.SingleAsync(t => t.SuggestionId == suggestion)).Status);
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.SuggestionId == suggestion && a.Action == "task.rehandling"));
        }

        var second = await w.Complete(rehandle.Id, "Replied", new JsonObject { ["category"] = "A", ["text"] = "已增设站点" }, handler);
        Assert.NotEqual(first.Result!["domainResult"]!.GetValue<string>(), second.Result!["domainResult"]!.GetValue<string>());
        await w.Do(instance, "approve", "Approved", null, w.HeadOf(w.Transport));

        // The new reply goes to all signers again; both evaluate it and the suggestion closes.
        await w.Do(instance, "evaluate", "BasicallySatisfied", null, co, w.CoSigner);
        Assert.Equal(InstanceStatus.Suspended, await w.StatusOf(instance));
        await w.Do(instance, "evaluate", "Satisfied", null, lead, w.LeadDeputy);
        Assert.Equal(InstanceStatus.Finished, await w.StatusOf(instance));
        Assert.Empty(await w.OpenTasks(instance));

        await using (var db = w.Database.CreateContext())
        {
            Assert.Equal(SuggestionStatus.Closed, (await db.Suggestions.SingleAsync(s => s.Id == suggestion)).Status);
            var rounds = await db.Evaluations.Where(e => e.SuggestionId == suggestion).Join(db.Replies, e => e.ReplyId, r => r.Id, (e, r) => new { r.Round, e.DeputyId, e.Result }).ToListAsync();
            Assert.Equal(4, rounds.Count);
            Assert.Equal([EvaluationResult.Dissatisfied], rounds.Where(r => r.Round == 1 && r.DeputyId == w.CoSigner).Select(r => r.Result));

            // The satisfaction rate counts per evaluation, as the dashboard defines it: 3 of 4 content.
            var kpis = await DirectDispatch.AskAsync(db, w.Clock, new Domain.Reporting.GetKpis(w.Clock.GetUtcNow().AddYears(-1), w.Clock.GetUtcNow().AddDays(1)));
            Assert.Equal((4, 3, 1), (kpis.Evaluations, kpis.SatisfiedOrBasically, kpis.RepliesSent));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_deputy_who_did_not_sign_cannot_evaluate_and_nothing_changes(DatabaseProvider provider)
    {
        await using var w = await SuggestionWorld.CreateAsync(provider, "joint-stranger", new DateTimeOffset(2026, 3, 2, 9, 0, 0, China));
        var (suggestion, instance) = await TransactionBridgeTests.StartAsync(w);
        var (office, handler) = (SuggestionWorld.OfficeUser, SuggestionWorld.HandlerOf(w.Transport));
        await w.Do(instance, "receive", "Admitted", null, office);
        await w.Do(instance, "analyse", "Ordinary", new JsonObject { ["field"] = "交通" }, office);
        await w.Do(instance, "assign", "Assigned", new JsonObject { ["unitIds"] = new JsonArray(w.Transport.ToString()) }, office);
        await w.Do(instance, "signFor", "Signed", null, handler);
        await w.Do(instance, "consult", "Consulted", new JsonObject { ["at"] = w.Clock.GetUtcNow().AddHours(-1).ToString("O"), ["method"] = "Phone", ["stage"] = "Before", ["participants"] = "王代表" }, handler);
        await w.Do(instance, "reply", "Replied", new JsonObject { ["category"] = "A", ["text"] = "已优化线路" }, handler);
        await w.Do(instance, "approve", "Approved", null, w.HeadOf(w.Transport));

        Guid stranger;
        await using (var db = w.Database.CreateContext())
        {
            var deputy = new Deputy { Name = "赵代表", Level = DeputyLevel.City, Term = 16 };
            db.Add(deputy);
            await db.SaveChangesAsync();
            stranger = deputy.Id;
        }

        var before = await SnapshotAsync(w, suggestion, instance);
        var task = await w.OpenTask(instance, "evaluate", w.CoSigner);

        // Another deputy neither sees the co-signer's task nor may act on it; a signer may not act on another signer's task.
        var hidden = await Assert.ThrowsAsync<WorkflowEngineException>(() => w.Complete(task.Id, "Dissatisfied", new JsonObject { ["comment"] = "不满意" }, SuggestionWorld.DeputyUser(stranger)));
        Assert.Equal(EngineErrorKind.NotFound, hidden.Kind);
        var notTheirs = await Assert.ThrowsAsync<WorkflowEngineException>(() => w.Complete(task.Id, "Dissatisfied", new JsonObject { ["comment"] = "不满意" }, SuggestionWorld.DeputyUser(w.LeadDeputy)));
        Assert.Equal(EngineErrorKind.NotFound, notTheirs.Kind);
        Assert.Equal(before, await SnapshotAsync(w, suggestion, instance));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task One_reply_answers_three_linked_items_each_deputy_evaluates_and_the_dissatisfied_one_is_re_handled_alone(DatabaseProvider provider)
    {
        await using var w = await SuggestionWorld.CreateAsync(provider, "linked-reply", new DateTimeOffset(2026, 3, 2, 9, 0, 0, China));
        var (primary, primaryInstance) = await TransactionBridgeTests.StartAsync(w);
        Guid third, fourth;
        await using (var db = w.Database.CreateContext())
        {
            var (d3, d4) = (new Deputy { Name = "张代表", Level = DeputyLevel.City, Term = 16 }, new Deputy { Name = "刘代表", Level = DeputyLevel.City, Term = 16 });
            db.AddRange(d3, d4);
            await db.SaveChangesAsync();
            (third, fourth) = (d3.Id, d4.Id);
        }

        async Task<(Guid Suggestion, Guid Instance)> SubmitAsync(Guid deputy, string title)
        {
            var id = await w.Send(new SubmitSuggestion(16, 2026, title, "正文", SuggestionSource.CongressSession, deputy, [], SuggestionWorld.Office));
            var started = await w.Engine.EngineAsync(e => e.StartAsync("suggestion-handling", TransactionBridgeTests.Inputs(id, deputy), id.ToString()));
            return (id, started.Instance.Id);
        }

        var (second, secondInstance) = await SubmitAsync(third, "关于优化公交线路的建议（二）");
        var (late, lateInstance) = await SubmitAsync(fourth, "关于优化公交线路的建议（三）");
        var office = SuggestionWorld.OfficeUser;
        foreach (var i in new[] { primaryInstance, secondInstance, lateInstance })
        {
            await w.Do(i, "receive", "Admitted", null, office);
        }

        // 并案 on the primary's analysis; the second item's own analysis then sends it to wait for the primary's reply.
        await w.Do(primaryInstance, "analyse", "Ordinary", new JsonObject { ["field"] = "交通", ["linkedSuggestionIds"] = new JsonArray(second.ToString(), late.ToString()) }, office);
        await w.Do(secondInstance, "analyse", "Ordinary", new JsonObject { ["field"] = "交通" }, office);
        Assert.Empty(await w.OpenTasks(secondInstance));
        await w.Do(primaryInstance, "assign", "Assigned", new JsonObject { ["unitIds"] = new JsonArray(w.Transport.ToString()) }, office);

        var handler = SuggestionWorld.HandlerOf(w.Transport);
        await w.Do(primaryInstance, "signFor", "Signed", null, handler);
        await w.Do(primaryInstance, "consult", "Consulted", new JsonObject { ["at"] = w.Clock.GetUtcNow().AddHours(-1).ToString("O"), ["method"] = "Phone", ["stage"] = "Before", ["participants"] = "王代表" }, handler);

        // The waiting item has no unit task, so nothing of it can fall due or go red; its status says it is handled with the primary.
        w.Clock.Advance(TimeSpan.FromDays(120));
        await using (var db = w.Database.CreateContext())
        {
            Assert.False(await db.UnitTasks.AnyAsync(t => t.SuggestionId == second));
            Assert.Equal(SuggestionStatus.Assigned, (await db.Suggestions.SingleAsync(s => s.Id == second)).Status);
        }

        await w.Do(primaryInstance, "reply", "Replied", new JsonObject { ["category"] = "A", ["text"] = "三件建议一并答复：已优化线路" }, handler);
        var sent = await w.Do(primaryInstance, "approve", "Approved", null, w.HeadOf(w.Transport));
        Assert.Equal(1, sent.Result!["linkedAnswered"]!.GetValue<int>());

        // The third item was analysed only after the reply: it takes the reply at once.
        await w.Do(lateInstance, "analyse", "Ordinary", new JsonObject { ["field"] = "交通" }, office);

        await using (var db = w.Database.CreateContext())
        {
            var replies = await db.Replies.AsNoTracking().Where(r => r.SuggestionId == primary || r.SuggestionId == second || r.SuggestionId == late).ToListAsync();
            Assert.Equal(3, replies.Count);
            var original = Assert.Single(replies, r => r.SuggestionId == primary);
            Assert.All(replies, r => Assert.Equal((ReplyStatus.Sent, original.TaskId, original.Text, original.OnTime), (r.Status, r.TaskId, r.Text, r.OnTime)));
            Assert.Equal(1, await db.UnitTasks.CountAsync(t => t.SuggestionId == primary || t.SuggestionId == second || t.SuggestionId == late));
            Assert.All(await db.Suggestions.Where(s => s.Id == second || s.Id == late).ToListAsync(), s => Assert.Equal(SuggestionStatus.Replied, s.Status));
        }

        // Each deputy evaluates their own reply: the primary's two signers and the second item's deputy are content...
        await w.Do(primaryInstance, "evaluate", "Satisfied", null, SuggestionWorld.DeputyUser(w.LeadDeputy), w.LeadDeputy);
        await w.Do(primaryInstance, "evaluate", "Satisfied", null, SuggestionWorld.DeputyUser(w.CoSigner), w.CoSigner);
        await w.Do(secondInstance, "evaluate", "BasicallySatisfied", null, SuggestionWorld.DeputyUser(third), third);
        Assert.Equal(InstanceStatus.Finished, await w.StatusOf(secondInstance));

        // ...the third's is not: that item alone is re-handled, by the unit that replied, on a task of its own.
        var dissatisfied = await w.Do(lateInstance, "evaluate", "Dissatisfied", new JsonObject { ["comment"] = "我所在片区未涉及" }, SuggestionWorld.DeputyUser(fourth), fourth);
        Assert.True(dissatisfied.Result!["rehandling"]!.GetValue<bool>());
        var rehandle = await w.OpenTask(lateInstance, "rehandle");
        Assert.StartsWith(w.Transport.ToString(), rehandle.AssigneeId, StringComparison.Ordinal);
        await w.Complete(rehandle.Id, "Replied", new JsonObject { ["category"] = "A", ["text"] = "已在您所在片区增设线路" }, handler);
        await w.Do(lateInstance, "approve", "Approved", null, w.HeadOf(w.Transport));
        await w.Do(lateInstance, "evaluate", "Satisfied", null, SuggestionWorld.DeputyUser(fourth), fourth);

        foreach (var i in new[] { primaryInstance, secondInstance, lateInstance })
        {
            Assert.Empty(await w.OpenTasks(i));
            Assert.Equal(InstanceStatus.Finished, await w.StatusOf(i));
        }

        await using (var db = w.Database.CreateContext())
        {
            Assert.All(await db.Suggestions.Where(s => s.Id == primary || s.Id == second || s.Id == late).ToListAsync(), s => Assert.Equal(SuggestionStatus.Closed, s.Status));
            var own = await db.UnitTasks.SingleAsync(t => t.SuggestionId == late);
            Assert.Equal((TaskRole.Lead, UnitTaskStatus.Replied, w.Transport), (own.Role, own.Status, own.UnitId));
            Assert.Equal([1, 2], await db.Replies.Where(r => r.SuggestionId == late).OrderBy(r => r.Round).Select(r => r.Round).ToListAsync());

            // Figures per reply and per evaluation, as the dashboard defines them: three first replies (one unit's reply, delivered to each item), five evaluations, four content.
            var kpis = await DirectDispatch.AskAsync(db, w.Clock, new Domain.Reporting.GetKpis(w.Clock.GetUtcNow().AddYears(-1), w.Clock.GetUtcNow().AddDays(1)));
            Assert.Equal((3, 5, 4, 0), (kpis.RepliesSent, kpis.Evaluations, kpis.SatisfiedOrBasically, kpis.OpenOverdueTasks));
        }
    }

    [Fact]
    public async Task When_the_window_closes_on_two_silent_co_signers_of_a_linked_item_it_is_re_handled_once()
    {
        await using var w = await SuggestionWorld.CreateAsync(DatabaseProvider.Sqlite, "linked-window", new DateTimeOffset(2026, 3, 2, 9, 0, 0, China));
        var (_, primaryInstance) = await TransactionBridgeTests.StartAsync(w);
        Guid[] others;
        await using (var db = w.Database.CreateContext())
        {
            var added = new[] { "张代表", "刘代表", "陈代表" }.Select(n => new Deputy { Name = n, Level = DeputyLevel.City, Term = 16 }).ToArray();
            db.AddRange(added);
            await db.SaveChangesAsync();
            others = [.. added.Select(d => d.Id)];
        }

        var linked = await w.Send(new SubmitSuggestion(16, 2026, "关于优化公交线路的建议（联名）", "正文", SuggestionSource.CongressSession, others[0], [others[1], others[2]], SuggestionWorld.Office));
        var linkedInstance = (await w.Engine.EngineAsync(e => e.StartAsync("suggestion-handling", TransactionBridgeTests.Inputs(linked, others[0]), linked.ToString()))).Instance.Id;
        var (office, handler) = (SuggestionWorld.OfficeUser, SuggestionWorld.HandlerOf(w.Transport));
        await w.Do(primaryInstance, "receive", "Admitted", null, office);
        await w.Do(linkedInstance, "receive", "Admitted", null, office);
        await w.Do(primaryInstance, "analyse", "Ordinary", new JsonObject { ["field"] = "交通", ["linkedSuggestionIds"] = new JsonArray(linked.ToString()) }, office);
        await w.Do(linkedInstance, "analyse", "Ordinary", new JsonObject { ["field"] = "交通" }, office);
        await w.Do(primaryInstance, "assign", "Assigned", new JsonObject { ["unitIds"] = new JsonArray(w.Transport.ToString()) }, office);
        await w.Do(primaryInstance, "signFor", "Signed", null, handler);
        await w.Do(primaryInstance, "consult", "Consulted", new JsonObject { ["at"] = w.Clock.GetUtcNow().AddHours(-1).ToString("O"), ["method"] = "Phone", ["stage"] = "Before", ["participants"] = "王代表" }, handler);
        await w.Do(primaryInstance, "reply", "Replied", new JsonObject { ["category"] = "A", ["text"] = "已优化线路" }, handler);
        await w.Do(primaryInstance, "approve", "Approved", null, w.HeadOf(w.Transport));

        // The linked item's three signers each have a task; the lead is dissatisfied, the co-signers never answer.
        Assert.Equal(3, (await w.OpenTasks(linkedInstance)).Count(t => t.ActivityId == "evaluate"));
        await w.Do(linkedInstance, "evaluate", "Dissatisfied", new JsonObject { ["comment"] = "未解决" }, SuggestionWorld.DeputyUser(others[0]), others[0]);
        Assert.DoesNotContain(await w.OpenTasks(linkedInstance), t => t.ActivityId == "rehandle");
        await RunUntilAsync(w, w.Clock.GetUtcNow().AddDays(32));

        // Both silent tasks closed as not evaluated; the round re-handled the item once, on one unit task.
        var open = await w.OpenTasks(linkedInstance);
        Assert.Equal(["rehandle"], open.Select(t => t.ActivityId));
        await using (var db = w.Database.CreateContext())
        {
            Assert.Equal(1, await db.UnitTasks.CountAsync(t => t.SuggestionId == linked));
            Assert.Equal(2, await db.Evaluations.CountAsync(e => e.SuggestionId == linked && e.Result == EvaluationResult.NotEvaluated));
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.SuggestionId == linked && a.Action == "task.rehandling"));
        }
    }

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

            await using var scope = w.Engine.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DueItemRunner>().SweepAsync();
        }
    }

    private static async Task<string> SnapshotAsync(SuggestionWorld w, Guid suggestion, Guid instance)
    {
        await using var db = w.Database.CreateContext();
        var evaluations = await db.Evaluations.CountAsync(e => e.SuggestionId == suggestion);
        var status = (await db.Suggestions.SingleAsync(s => s.Id == suggestion)).Status;
        var audit = await db.AuditEntries.CountAsync(a => a.SuggestionId == suggestion);
        var tasks = string.Join(",", (await w.OpenTasks(instance)).Select(t => $"{t.ActivityId}:{t.Status}").Order());
        return $"{evaluations}|{status}|{audit}|{tasks}";
    }
}
