using Liaison.Domain.Audit;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Domain.Suggestions;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Tests.Suggestions;

public sealed class LifecycleTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_suggestion_goes_from_receipt_to_evaluation(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "lifecycle");
        var id = await s.SubmitAsync();
        Assert.Equal("16-2026-0001", await s.Send(new ReceiveSuggestion(id, true, null, null, Scenario.Office)));
        await s.Send(new ClassifySuggestion(id, "transport", true, s.Leader, s.Leader, Scenario.Office));

        // Assigned on Monday 2 March 2026: return window 5 working days, reply 3 months, extensions up to 6 months.
        var tasks = await s.Send(new AssignSuggestion(id, AssignmentMode.LeadWithCoHandling, [s.Unit, s.OtherUnit], Scenario.Office));
        await using (var db = s.Database.CreateContext())
        {
            var lead = await db.UnitTasks.SingleAsync(t => t.Id == tasks[0]);
            var co = await db.UnitTasks.SingleAsync(t => t.Id == tasks[1]);
            Assert.Equal(TaskRole.Lead, lead.Role);
            Assert.Equal(new DateTimeOffset(2026, 3, 10, 0, 0, 0, China), lead.ReturnDeadline);
            Assert.Equal(new DateTimeOffset(2026, 6, 3, 0, 0, 0, China), lead.DueAt);
            Assert.Equal(new DateTimeOffset(2026, 9, 3, 0, 0, 0, China), lead.LatestDueAt);
            Assert.Equal(TaskRole.CoHandling, co.Role);
            Assert.Equal(new DateTimeOffset(2026, 4, 3, 0, 0, 0, China), co.DueAt);
        }

        var inbox = (await s.Ask(new GetUnitInbox(s.Unit))).Items;
        Assert.Equal("16-2026-0001", Assert.Single(inbox).Number);

        await s.Send(new SignForTask(tasks[1], Scenario.Handler));
        await s.Send(new SendCoOpinion(tasks[1], "同意主办单位意见", Scenario.Handler));
        await s.Send(new SignForTask(tasks[0], Scenario.Handler));
        s.Clock.Advance(TimeSpan.FromDays(10));
        await s.Send(new RecordConsultation(tasks[0], s.Clock.GetUtcNow().AddHours(-2), ConsultationMethod.Visit, ConsultationStage.Before, "王代表, 局长", "现场查看", Scenario.Handler));
        var extension = await s.Send(new RequestExtension(tasks[0], new DateOnly(2026, 7, 31), "需要跨部门协调", "已向代表说明", Scenario.Handler));
        await s.Send(new DecideExtension(extension, true, null, Scenario.Office));

        s.Clock.Advance(TimeSpan.FromDays(60));
        var reply = await s.Send(new SubmitReply(tasks[0], ReplyCategory.A, "已调整线路", true, Scenario.Handler));
        await s.Send(new ApproveReply(reply, Scenario.Head));
        await s.Send(new SendReply(reply, Scenario.Handler));
        await s.Send(new PublishReply(reply, Scenario.Office));
        await s.Send(new EvaluateReply(reply, s.LeadDeputy, EvaluationResult.Satisfied, "满意", Scenario.Office));
        await using (var db = s.Database.CreateContext())
        {
            Assert.Equal(SuggestionStatus.Replied, (await db.Suggestions.SingleAsync(x => x.Id == id)).Status);
            var sent = await db.Replies.SingleAsync(r => r.Id == reply);
            Assert.True(sent.OnTime);
            Assert.Equal(new DateTimeOffset(2026, 8, 1, 0, 0, 0, China), sent.DueAt);
        }

        // The co-signer evaluates too; now every deputy has, and nobody is dissatisfied.
        await s.Send(new EvaluateReply(reply, s.CoSigner, EvaluationResult.BasicallySatisfied, null, Scenario.Office));
        await using (var db = s.Database.CreateContext())
        {
            Assert.Equal(SuggestionStatus.Closed, (await db.Suggestions.SingleAsync(x => x.Id == id)).Status);
        }

        var timeline = await s.Ask(new GetSuggestionTimeline(id));
        Assert.Equal(
            ["suggestion.submitted", "suggestion.admitted", "suggestion.classified-key", "task.assigned", "task.assigned", "suggestion.assigned",
             "task.signed-for", "task.co-opinion-sent", "task.signed-for", "consultation.recorded", "extension.requested", "extension.approved",
             "reply.drafted", "reply.approved", "reply.sent", "reply.published", "reply.evaluated", "reply.evaluated"],
            timeline.Select(t => t.Action));
        Assert.Empty((await s.Ask(new GetUnitInbox(s.Unit))).Items);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dissatisfaction_leads_to_rehandling_within_a_month(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "rehandle");
        var (id, task) = await s.AssignedAsync();
        var reply = await s.RepliedAsync(task, ReplyCategory.C);
        await s.Send(new EvaluateReply(reply, s.LeadDeputy, EvaluationResult.Dissatisfied, "没有实质内容", Scenario.Office));
        await s.Send(new RehandleTask(task, "代表不满意", Scenario.Office));
        await using (var db = s.Database.CreateContext())
        {
            var t = await db.UnitTasks.SingleAsync(x => x.Id == task);
            Assert.Equal(UnitTaskStatus.Rehandling, t.Status);
            Assert.Equal(new DateTimeOffset(2026, 4, 3, 0, 0, 0, China), t.DueAt);
            Assert.Equal(SuggestionStatus.Assigned, (await db.Suggestions.SingleAsync(x => x.Id == id)).Status);
            Assert.True((await db.Replies.SingleAsync(r => r.Id == reply)).FollowUpOpen);
        }

        var second = await s.Send(new SubmitReply(task, ReplyCategory.A, "重新答复", false, Scenario.Handler));
        await s.Send(new ApproveReply(second, Scenario.Head));
        await s.Send(new SendReply(second, Scenario.Handler));
        await s.Send(new RecordFollowUp(reply, "已列入明年计划并完成", true, Scenario.Handler));
        await using (var db = s.Database.CreateContext())
        {
            Assert.Equal(2, (await db.Replies.SingleAsync(r => r.Id == second)).Round);
            Assert.False((await db.Replies.SingleAsync(r => r.Id == reply)).FollowUpOpen);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Linked_suggestions_keep_their_own_assignment_and_are_numbered_in_order(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "link");
        var first = await s.SubmitAsync("建议一");
        var second = await s.SubmitAsync("建议二");
        Assert.Equal("16-2026-0001", await s.Send(new ReceiveSuggestion(first, true, null, null, Scenario.Office)));
        Assert.Equal("16-2026-0002", await s.Send(new ReceiveSuggestion(second, true, null, null, Scenario.Office)));
        await s.Send(new LinkSimilarSuggestions(first, [second], Scenario.Office));

        // Assigning the first creates its tasks only: the linked item is assigned on its own task (by its own workflow),
        // so no unit task exists that nothing would ever run.
        Assert.Equal(2, (await s.Send(new AssignSuggestion(first, AssignmentMode.Separate, [s.Unit, s.OtherUnit], Scenario.Office))).Count);
        Assert.Single((await s.Ask(new GetUnitInbox(s.Unit))).Items);
        Assert.Equal(2, (await s.Send(new AssignSuggestion(second, AssignmentMode.Separate, [s.Unit, s.OtherUnit], Scenario.Office))).Count);
        var inbox = (await s.Ask(new GetUnitInbox(s.Unit))).Items;
        Assert.Equal(2, inbox.Count);

        // Pages follow the same order (most urgent first, then by task) and do not overlap.
        var firstPage = await s.Ask(new GetUnitInbox(s.Unit, null, 1));
        var secondPage = await s.Ask(new GetUnitInbox(s.Unit, firstPage.Next, 1));
        Assert.Equal(inbox.Select(i => i.TaskId), [Assert.Single(firstPage.Items).TaskId, Assert.Single(secondPage.Items).TaskId]);
        Assert.Null(secondPage.Next);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_audit_trail_records_who_and_from_where_and_cannot_be_edited(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "audit");
        var id = await s.SubmitAsync();
        await s.Send(new ReceiveSuggestion(id, false, Liaison.Domain.Rules.AdmissibilityReason.LitigationOrArbitration, "案件正在诉讼中", Scenario.Office));
        await using var db = s.Database.CreateContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == "suggestion.turned-away");
        Assert.Equal((Scenario.Office.UserId, "10.0.0.5", "Mozilla/5.0 test", id), (entry.ActorId, entry.IpAddress, entry.UserAgent, entry.SubjectId));
        Assert.Equal(s.Clock.GetUtcNow(), entry.At);

        db.AuditEntries.Remove(entry);
        await Scenario.Refused(Liaison.Domain.Common.ErrorCodes.AuditAppendOnly, () => db.SaveChangesAsync());
    }
}
