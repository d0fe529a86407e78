using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Testing;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Tests.Suggestions;

/// <summary>One suggestion through the shipped suggestion-handling.json on real PostgreSQL, weeks of deadlines on a fake clock.</summary>
public sealed class SuggestionLoopTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static DateTimeOffset At(int month, int day, int hour = 0) => new(2026, month, day, hour, 0, 0, China);

    [Fact]
    public async Task A_key_suggestion_goes_round_the_whole_loop_with_a_return_an_extension_and_re_handling()
    {
        await using var w = await SuggestionWorld.CreateAsync(DatabaseProvider.PostgreSql, "loop", At(3, 2, 9));
        var (suggestion, instance) = await TransactionBridgeTests.StartAsync(w);
        var office = SuggestionWorld.OfficeUser;

        // 受理 → 分析 (key, with leaders) → leader review → 交办 to a lead and a co-handling unit.
        var receive = await w.OpenTask(instance, "receive");
        Assert.Equal(suggestion.ToString(), Data(receive)["suggestionId"]!.GetValue<string>());
        Assert.Equal("16-2026-0001", (await w.Complete(receive.Id, "Admitted", null, office)).Result!["domainResult"]!.GetValue<string>());
        await w.Do(instance, "analyse", "Key", new JsonObject { ["field"] = "transport", ["leadingLeaderId"] = w.Leader.ToString(), ["supervisingLeaderId"] = w.Leader.ToString() }, office);
        var review = await w.OpenTask(instance, "leaderReview");
        Assert.Equal(("Person", w.Leader.ToString()), (review.AssigneeKind, review.AssigneeId));
        await w.Complete(review.Id, "Endorsed", new JsonObject { ["instruction"] = "请交通运输局抓紧办理" }, SuggestionWorld.LeaderUser(w.Leader));
        var assigned = await w.Do(instance, "assign", "Assigned", new JsonObject { ["unitIds"] = new JsonArray(w.Transport.ToString(), w.Education.ToString()) }, office);
        var ids = assigned.Result!["domainResult"]!.AsArray().Select(n => Guid.Parse(n!.GetValue<string>())).ToList();
        var (leadTask, coTask) = (ids[0], ids[1]);

        // The key suggestion's leader follows the handling in a supervision task and gives an instruction.
        var supervise = await w.OpenTask(instance, "supervise");
        Assert.Equal(("Person", w.Leader.ToString()), (supervise.AssigneeKind, supervise.AssigneeId));
        await w.Complete(supervise.Id, "Instructed", new JsonObject { ["instruction"] = "请规划局牵头，月底前答复" }, SuggestionWorld.LeaderUser(w.Leader));
        Assert.Single(await w.OpenTasks(instance), t => t.ActivityId == "supervise");

        var signLead = await w.OpenTask(instance, "signFor", w.Transport);
        Assert.Equal(("Unit", w.Transport.ToString(), leadTask.ToString()), (signLead.AssigneeKind, signLead.AssigneeId, Data(signLead)["unitTaskId"]!.GetValue<string>()));
        Assert.Equal(At(3, 10), signLead.DueAt); // 5 working days from Monday 2 March, to the end of the day
        var signCo = await w.OpenTask(instance, "signFor", w.Education);
        Assert.Equal(w.Education.ToString(), signCo.AssigneeId);

        // The lead unit returns it within the window; the office gives it to another unit.
        w.Clock.SetUtcNow(At(3, 4, 10));
        await w.Complete(signLead.Id, "Returned", new JsonObject { ["reason"] = "不属于本单位职责" }, SuggestionWorld.HandlerOf(w.Transport));
        var reassigned = await w.Do(instance, "reassign", "Assigned", new JsonObject { ["unitId"] = w.Planning.ToString() }, office);
        var newLeadTask = Guid.Parse(reassigned.Result!["domainResult"]!.GetValue<string>());
        signLead = await w.OpenTask(instance, "signFor", w.Planning);
        Assert.Equal((w.Planning.ToString(), newLeadTask.ToString(), At(3, 12)), (signLead.AssigneeId, Data(signLead)["unitTaskId"]!.GetValue<string>(), signLead.DueAt));

        // Co-handling opinion, sign-for, consultation (面商); the branches join at the reply.
        w.Clock.SetUtcNow(At(3, 5, 10));
        var education = SuggestionWorld.HandlerOf(w.Education);
        var planning = SuggestionWorld.HandlerOf(w.Planning);
        await w.Complete(signCo.Id, "Signed", null, education);
        var coOpinion = await w.OpenTask(instance, "coOpinion");
        Assert.Equal(At(4, 3), coOpinion.DueAt); // one month from assignment on 2 March: the domain's unit task decides, not when the step began
        await w.Complete(coOpinion.Id, "Sent", new JsonObject { ["opinion"] = "同意主办单位意见" }, education);
        await w.Complete(signLead.Id, "Signed", null, planning);
        Assert.Equal(["consult", "supervise"], await w.OpenActivities(instance));
        w.Clock.SetUtcNow(At(3, 16, 10));
        await w.Do(instance, "consult", "Consulted", new JsonObject { ["at"] = At(3, 16, 8).ToString("O"), ["method"] = "Visit", ["stage"] = "Before", ["participants"] = "王代表, 局长" }, planning);

        // The reply: three months from the reassignment on 4 March (the unit task's deadline), reminders 15, 7 and
        // 1 working days before; key suggestions escalate to the leader.
        var reply = await w.OpenTask(instance, "reply");
        Assert.Equal(At(6, 5), reply.DueAt);
        Assert.Equal([At(5, 15), At(5, 27), At(6, 4)], JsonSerializer.Deserialize<List<DateTimeOffset>>(reply.RemindersJson!));
        Assert.Equal($"leader:{w.Leader}", Data(reply)["escalateTo"]!.GetValue<string>()); // the supervising leader

        // Extension asked and approved.
        w.Clock.SetUtcNow(At(3, 17, 10));
        var extension = await w.Complete(reply.Id, "ExtensionRequested", new JsonObject { ["newLastDay"] = "2026-07-31", ["reason"] = "需要跨部门协调", ["explanationToDeputy"] = "已向代表说明" }, planning);
        var decide = await w.OpenTask(instance, "decideExtension");
        Assert.Equal(extension.Result!["domainResult"]!.GetValue<string>(), Data(decide)["requestId"]!.GetValue<string>());
        await w.Complete(decide.Id, "Approved", new JsonObject { ["note"] = "同意" }, office);

        // First reply (category B) is sent back by the head once, then approved and sent; the lead deputy is dissatisfied.
        w.Clock.SetUtcNow(At(4, 13, 10));
        await w.Do(instance, "reply", "Replied", new JsonObject { ["category"] = "B", ["text"] = "正在研究", ["publicInterest"] = false }, planning);
        var approve = await w.OpenTask(instance, "approve");
        Assert.Equal(("UnitRole", $"{w.Planning}/UnitHead"), (approve.AssigneeKind, approve.AssigneeId));
        await w.Complete(approve.Id, "Returned", new JsonObject { ["reason"] = "请写明改造时间表" }, w.HeadOf(w.Planning));
        var first = await w.Do(instance, "reply", "Replied", new JsonObject { ["category"] = "B", ["text"] = "正在解决", ["publicInterest"] = false }, planning);
        var firstReply = Guid.Parse(first.Result!["domainResult"]!.GetValue<string>());
        approve = await w.OpenTask(instance, "approve");
        Assert.Equal(firstReply.ToString(), Data(approve)["replyId"]!.GetValue<string>());
        await w.Complete(approve.Id, "Approved", null, w.HeadOf(w.Planning));
        // Each signer evaluates on a task of their own (the evaluation window is the same for both).
        var evaluate = await w.OpenTask(instance, "evaluate", w.LeadDeputy);
        Assert.Equal(("Person", w.LeadDeputy.ToString(), At(5, 14)), (evaluate.AssigneeKind, evaluate.AssigneeId, evaluate.DueAt));

        w.Clock.SetUtcNow(At(4, 14, 10));
        await w.Do(instance, "evaluate", "Satisfied", null, SuggestionWorld.DeputyUser(w.CoSigner), w.CoSigner);
        Assert.DoesNotContain(await w.OpenTasks(instance), t => t.ActivityId == "rehandle"); // the round is not complete yet
        await w.Complete(evaluate.Id, "Dissatisfied", new JsonObject { ["comment"] = "未解决" }, SuggestionWorld.DeputyUser(w.LeadDeputy));

        // 重新办理 within one month; the second reply touches the public interest.
        var rehandle = await w.OpenTask(instance, "rehandle");
        Assert.Equal(At(5, 15), rehandle.DueAt);
        w.Clock.SetUtcNow(At(4, 27, 10));
        var second = await w.Complete(rehandle.Id, "Replied", new JsonObject { ["category"] = "B", ["text"] = "已列入计划", ["publicInterest"] = true }, planning);
        var secondReply = Guid.Parse(second.Result!["domainResult"]!.GetValue<string>());
        await w.Do(instance, "approve", "Approved", null, w.HeadOf(w.Planning));
        Assert.Equal(["evaluate", "evaluate", "publish", "supervise"], await w.OpenActivities(instance));

        // Publication within 20 working days of sending: across Labour Day (1–5 May) and its make-up Saturday 9 May.
        var publish = await w.OpenTask(instance, "publish");
        Assert.Equal(At(5, 28), publish.DueAt);

        w.Clock.SetUtcNow(At(4, 28, 10));
        Assert.NotEqual(firstReply, secondReply);
        await w.Do(instance, "evaluate", "Satisfied", null, SuggestionWorld.DeputyUser(w.CoSigner), w.CoSigner);
        await w.Do(instance, "evaluate", "Satisfied", new JsonObject { ["comment"] = "满意" }, SuggestionWorld.DeputyUser(w.LeadDeputy), w.LeadDeputy);
        Assert.Equal(["followUp", "publish", "supervise"], await w.OpenActivities(instance)); // category B stays open for tracking

        w.Clock.SetUtcNow(At(5, 27, 15));
        await w.Complete(publish.Id, "Published", null, office);
        w.Clock.SetUtcNow(At(6, 1, 10));
        var solved = await w.Do(instance, "followUp", "Solved", new JsonObject { ["note"] = "已完成改造" }, planning);
        Assert.Equal(InstanceStatus.Finished, solved.Workflow.Instance.Status);
        Assert.Equal(InstanceStatus.Finished, await w.StatusOf(instance)); // the suggestion's workflow ends with its units'

        await using var db = w.Database.CreateContext();
        var s = await db.Suggestions.SingleAsync(x => x.Id == suggestion);
        Assert.Equal(SuggestionStatus.Closed, s.Status);
        var sent = await db.Replies.SingleAsync(r => r.Id == secondReply);
        Assert.Equal((At(5, 28), true), (sent.PublishDueAt!.Value, sent.PublishedAt is not null));
        var ext = await db.ExtensionRequests.SingleAsync(e => e.TaskId == newLeadTask);
        Assert.Equal((ExtensionStatus.Approved, At(8, 1)), (ext.Status, ext.RequestedDueAt));
        Assert.Equal(At(5, 15), (await db.UnitTasks.SingleAsync(t => t.Id == newLeadTask)).DueAt); // moved by re-handling
        var actions = await db.AuditEntries.Where(a => a.SuggestionId == suggestion).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(
            [
                "suggestion.submitted", "suggestion.admitted", "suggestion.classified-key", "suggestion.leader-reviewed",
                "task.assigned", "task.assigned", "suggestion.assigned", "analysis.decided", "suggestion.leader-instructed",
                "task.returned", "task.reassigned", "task.assigned", "analysis.decided",
                "task.signed-for", "task.co-opinion-sent", "task.signed-for", "consultation.recorded",
                "extension.requested", "extension.approved",
                "reply.drafted", "reply.returned", "reply.drafted", "reply.approved", "reply.sent", "reply.evaluated", "reply.evaluated", "task.rehandling",
                "reply.drafted", "reply.approved", "reply.sent", "reply.evaluated", "reply.evaluated",
                "reply.published", "reply.follow-up-solved",
            ],
            actions);
        Assert.Equal("on time", (await db.AuditEntries.SingleAsync(a => a.SuggestionId == suggestion && a.Action == "reply.published")).Detail);

        // The analysis' record follows the office's final choice: the reassigned unit leads, the co-unit stays.
        var decision = await db.AnalysisDecisions.SingleAsync(d => d.SuggestionId == suggestion);
        Assert.Equal([w.Planning, w.Education], decision.ChosenUnitIds);

        await using var wf = w.Database.CreateWorkflowsContext();
        Assert.Empty(await w.OpenTasks(instance));
        Assert.Contains(await wf.Outbox.Where(o => o.InstanceId == instance).Select(o => o.Recipient).ToListAsync(), r => r == w.Leader.ToString());
    }

    private static JsonObject Data(HumanTaskRecord task) => (JsonObject)JsonNode.Parse(task.DataJson!)!;
}
