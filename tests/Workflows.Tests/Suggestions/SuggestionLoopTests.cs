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
        var office = SuggestionWorld.Office;

        // 受理 → 分析 (key, with leaders) → leader review → 交办 to a lead and a co-handling unit.
        var receive = await w.OpenTask(instance, "receive");
        Assert.Equal(suggestion.ToString(), Data(receive)["suggestionId"]!.GetValue<string>());
        Assert.Equal("16-2026-0001", (await w.Complete(receive.Id, "Admitted", new ReceiveSuggestion(suggestion, true, null, null, office))).Value);
        await w.Complete((await w.OpenTask(instance, "analyse")).Id, "Key", new ClassifySuggestion(suggestion, "transport", true, w.Leader, w.Leader, office),
            new JsonObject { ["isKey"] = true, ["field"] = "transport", ["supervisingLeaderId"] = w.Leader.ToString() });
        var review = await w.OpenTask(instance, "leaderReview");
        Assert.Equal(("Person", w.Leader.ToString()), (review.AssigneeKind, review.AssigneeId));
        await w.Complete(review.Id, "Endorsed", (_, _) => ValueTask.FromResult(true));
        var assigned = await w.Complete((await w.OpenTask(instance, "assign")).Id, "Assigned",
            new AssignSuggestion(suggestion, AssignmentMode.LeadWithCoHandling, [w.Transport, w.Education], office),
            new JsonObject { ["lead"] = new JsonObject { ["unitId"] = w.Transport.ToString() }, ["co"] = new JsonObject { ["unitId"] = w.Education.ToString() } });
        var (leadTask, coTask) = (assigned.Value[0], assigned.Value[1]);

        var signLead = await w.OpenTask(instance, "signLead");
        Assert.Equal(("Unit", w.Transport.ToString(), leadTask.ToString()), (signLead.AssigneeKind, signLead.AssigneeId, Data(signLead)["unitTaskId"]!.GetValue<string>()));
        Assert.Equal(At(3, 10), signLead.DueAt); // 5 working days from Monday 2 March, to the end of the day
        var signCo = await w.OpenTask(instance, "signCo");
        Assert.Equal(w.Education.ToString(), signCo.AssigneeId);

        // The lead unit returns it within the window; the office gives it to another unit.
        w.Clock.SetUtcNow(At(3, 4, 10));
        await w.Complete(signLead.Id, "Returned", new ReturnTask(leadTask, "不属于本单位职责", SuggestionWorld.Handler));
        var reassigned = await w.Complete((await w.OpenTask(instance, "reassignLead")).Id, "Assigned", new ReassignTask(leadTask, w.Planning, office),
            new JsonObject { ["unitId"] = w.Planning.ToString() });
        var newLeadTask = reassigned.Value;
        signLead = await w.OpenTask(instance, "signLead");
        Assert.Equal((w.Planning.ToString(), newLeadTask.ToString(), At(3, 12)), (signLead.AssigneeId, Data(signLead)["unitTaskId"]!.GetValue<string>(), signLead.DueAt));

        // Co-handling opinion, sign-for, consultation (面商); the branches join at the reply.
        w.Clock.SetUtcNow(At(3, 5, 10));
        await w.Complete(signCo.Id, "Signed", new SignForTask(coTask, SuggestionWorld.Handler));
        var coOpinion = await w.OpenTask(instance, "coOpinion");
        Assert.Equal(At(4, 3), coOpinion.DueAt); // one month from assignment on 2 March: the domain's unit task decides, not when the step began
        await w.Complete(coOpinion.Id, "Sent", new SendCoOpinion(coTask, "同意主办单位意见", SuggestionWorld.Handler));
        await w.Complete(signLead.Id, "Signed", new SignForTask(newLeadTask, SuggestionWorld.Handler));
        Assert.Equal(["consult"], await w.OpenActivities(instance));
        w.Clock.SetUtcNow(At(3, 16, 10));
        await w.Complete((await w.OpenTask(instance, "consult")).Id, "Consulted",
            new RecordConsultation(newLeadTask, At(3, 16, 8), ConsultationMethod.Visit, ConsultationStage.Before, "王代表, 局长", null, SuggestionWorld.Handler));

        // The reply: three months from the reassignment on 4 March (the unit task's deadline), reminders 15, 7 and
        // 1 working days before; key suggestions escalate to the leader.
        var reply = await w.OpenTask(instance, "reply");
        Assert.Equal(At(6, 5), reply.DueAt);
        Assert.Equal([At(5, 15), At(5, 27), At(6, 4)], JsonSerializer.Deserialize<List<DateTimeOffset>>(reply.RemindersJson!));
        Assert.Equal($"leader:{w.Leader}", Data(reply)["escalateTo"]!.GetValue<string>()); // the supervising leader

        // Extension asked and approved.
        w.Clock.SetUtcNow(At(3, 17, 10));
        var extension = await w.Complete(reply.Id, "ExtensionRequested", new RequestExtension(newLeadTask, new DateOnly(2026, 7, 31), "需要跨部门协调", "已向代表说明", SuggestionWorld.Handler));
        var decide = await w.OpenTask(instance, "decideExtension");
        Assert.Equal(extension.Value.ToString(), Data(decide)["requestId"]!.GetValue<string>());
        await w.Complete(decide.Id, "Approved", new DecideExtension(extension.Value, true, "同意", office));

        // First reply (category B), approved by the head and sent; the lead deputy is dissatisfied.
        w.Clock.SetUtcNow(At(4, 13, 10));
        var first = await w.Complete((await w.OpenTask(instance, "reply")).Id, "Replied", new SubmitReply(newLeadTask, ReplyCategory.B, "正在解决", false, SuggestionWorld.Handler),
            new JsonObject { ["category"] = "B", ["publicInterest"] = false });
        var approve = await w.OpenTask(instance, "approve");
        Assert.Equal(("Role", "UnitHead", first.Value.ToString()), (approve.AssigneeKind, approve.AssigneeId, Data(approve)["replyId"]!.GetValue<string>()));
        await w.Complete(approve.Id, "Approved", ApproveAndSend(w, first.Value));
        var evaluate = await w.OpenTask(instance, "evaluate");
        Assert.Equal(("Person", w.LeadDeputy.ToString(), At(5, 14)), (evaluate.AssigneeKind, evaluate.AssigneeId, evaluate.DueAt));

        w.Clock.SetUtcNow(At(4, 14, 10));
        await w.Send(new EvaluateReply(first.Value, w.CoSigner, EvaluationResult.Satisfied, null, office));
        await w.Complete(evaluate.Id, "Dissatisfied", async (db, ct) =>
        {
            var id = await w.Step(new EvaluateReply(first.Value, w.LeadDeputy, EvaluationResult.Dissatisfied, "未解决", office))(db, ct);
            await w.Step(new RehandleTask(newLeadTask, "代表不满意", office))(db, ct);
            return id;
        });

        // 重新办理 within one month; the second reply touches the public interest.
        var rehandle = await w.OpenTask(instance, "rehandle");
        Assert.Equal(At(5, 15), rehandle.DueAt);
        w.Clock.SetUtcNow(At(4, 27, 10));
        var second = await w.Complete(rehandle.Id, "Replied", new SubmitReply(newLeadTask, ReplyCategory.B, "已列入计划", true, SuggestionWorld.Handler),
            new JsonObject { ["category"] = "B", ["publicInterest"] = true });
        await w.Complete((await w.OpenTask(instance, "approve")).Id, "Approved", ApproveAndSend(w, second.Value));
        Assert.Equal(["evaluate", "publish"], await w.OpenActivities(instance));

        // Publication within 20 working days of sending: across Labour Day (1–5 May) and its make-up Saturday 9 May.
        var publish = await w.OpenTask(instance, "publish");
        Assert.Equal(At(5, 28), publish.DueAt);

        w.Clock.SetUtcNow(At(4, 28, 10));
        await w.Send(new EvaluateReply(second.Value, w.CoSigner, EvaluationResult.Satisfied, null, office));
        await w.Complete((await w.OpenTask(instance, "evaluate")).Id, "Satisfied", new EvaluateReply(second.Value, w.LeadDeputy, EvaluationResult.Satisfied, "满意", office));
        Assert.Equal(["followUp", "publish"], await w.OpenActivities(instance)); // category B stays open for tracking

        w.Clock.SetUtcNow(At(5, 27, 15));
        await w.Complete(publish.Id, "Published", new PublishReply(second.Value, office));
        w.Clock.SetUtcNow(At(6, 1, 10));
        var solved = await w.Complete((await w.OpenTask(instance, "followUp")).Id, "Solved", new RecordFollowUp(second.Value, "已完成改造", true, SuggestionWorld.Handler));
        Assert.Equal(InstanceStatus.Finished, solved.Workflow.Instance.Status);

        await using var db = w.Database.CreateContext();
        var s = await db.Suggestions.SingleAsync(x => x.Id == suggestion);
        Assert.Equal(SuggestionStatus.Closed, s.Status);
        var sent = await db.Replies.SingleAsync(r => r.Id == second.Value);
        Assert.Equal((At(5, 28), true), (sent.PublishDueAt!.Value, sent.PublishedAt is not null));
        var ext = await db.ExtensionRequests.SingleAsync(e => e.TaskId == newLeadTask);
        Assert.Equal((ExtensionStatus.Approved, At(8, 1)), (ext.Status, ext.RequestedDueAt));
        Assert.Equal(At(5, 15), (await db.UnitTasks.SingleAsync(t => t.Id == newLeadTask)).DueAt); // moved by re-handling
        var actions = await db.AuditEntries.Where(a => a.SuggestionId == suggestion).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(
            [
                "suggestion.submitted", "suggestion.admitted", "suggestion.classified-key",
                "task.assigned", "task.assigned", "suggestion.assigned",
                "task.returned", "task.reassigned", "task.assigned",
                "task.signed-for", "task.co-opinion-sent", "task.signed-for", "consultation.recorded",
                "extension.requested", "extension.approved",
                "reply.drafted", "reply.approved", "reply.sent", "reply.evaluated", "reply.evaluated", "task.rehandling",
                "reply.drafted", "reply.approved", "reply.sent", "reply.evaluated", "reply.evaluated",
                "reply.published", "reply.follow-up-solved",
            ],
            actions);
        Assert.Equal("on time", (await db.AuditEntries.SingleAsync(a => a.SuggestionId == suggestion && a.Action == "reply.published")).Detail);

        await using var wf = w.Database.CreateWorkflowsContext();
        Assert.Equal(0, await wf.HumanTasks.CountAsync(t => t.InstanceId == instance && t.Status == HumanTaskStatus.Open));
        Assert.Contains(await wf.Outbox.Where(o => o.InstanceId == instance).Select(o => o.Recipient).ToListAsync(), r => r == w.Leader.ToString());
    }

    private static Func<LiaisonDbContext, CancellationToken, ValueTask<bool>> ApproveAndSend(SuggestionWorld w, Guid reply) => async (db, ct) =>
    {
        // Planning's head approves; sending goes with the approval, in the same transaction.
        await w.Step(new ApproveReply(reply, SuggestionWorld.OtherHead))(db, ct);
        return await w.Step(new SendReply(reply, SuggestionWorld.Handler))(db, ct);
    };

    private static JsonObject Data(HumanTaskRecord task) => (JsonObject)JsonNode.Parse(task.DataJson!)!;
}
