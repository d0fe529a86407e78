using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Opinions;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Domain.Rules;
using Liaison.Domain.Settings;
using Liaison.Domain.Suggestions;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Tests.Suggestions;

public sealed class RulesTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public void Absent_settings_give_the_defaults_of_the_domain()
    {
        var rules = HandlingRules.FromSettings(new Dictionary<string, string>());
        Assert.Equal(DeadlineRule.WorkingDays(5), rules.ReturnWindow);
        Assert.Equal(DeadlineRule.Months(1), rules.CoOpinion);
        Assert.Equal(DeadlineRule.Months(3), rules.Reply);
        Assert.Equal(DeadlineRule.Months(6), rules.ExtensionMaxTotal);
        Assert.Equal(DeadlineRule.Months(1), rules.Rehandle);
        Assert.Equal(DeadlineRule.WorkingDays(20), rules.Publication);
        Assert.Equal(6, rules.AdmissibilityReasons.Count);
    }

    [Fact]
    public void Each_setting_overrides_its_rule()
    {
        var rules = HandlingRules.FromSettings(new Dictionary<string, string>
        {
            [HandlingRules.ReturnWindowKey] = "3wd",
            [HandlingRules.CoOpinionKey] = "10wd",
            [HandlingRules.ReplyKey] = "2m",
            [HandlingRules.ExtensionMaxTotalKey] = "4m",
            [HandlingRules.RehandleKey] = "15d",
            [HandlingRules.PublicationKey] = "10wd",
            [HandlingRules.AdmissibilityReasonsKey] = "Advertising, EmptyContent",
        });
        Assert.Equal(DeadlineRule.WorkingDays(3), rules.ReturnWindow);
        Assert.Equal(DeadlineRule.WorkingDays(10), rules.CoOpinion);
        Assert.Equal(DeadlineRule.Months(2), rules.Reply);
        Assert.Equal(DeadlineRule.Months(4), rules.ExtensionMaxTotal);
        Assert.Equal(DeadlineRule.Days(15), rules.Rehandle);
        Assert.Equal(DeadlineRule.WorkingDays(10), rules.Publication);
        Assert.Equal([AdmissibilityReason.Advertising, AdmissibilityReason.EmptyContent], rules.AdmissibilityReasons.Order());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Changed_settings_drive_the_deadlines_of_new_assignments(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "settings");
        await s.Send(new ChangeSetting(HandlingRules.ReturnWindowKey, "3wd", Scenario.Office));
        await s.Send(new ChangeSetting(HandlingRules.ReplyKey, "2m", Scenario.Office));
        await s.Send(new ChangeSetting(HandlingRules.PublicationKey, "10wd", Scenario.Office));
        await Scenario.Refused(ErrorCodes.SettingInvalid, () => s.Send(new ChangeSetting(HandlingRules.RehandleKey, "one month", Scenario.Office)));

        var (_, task) = await s.AssignedAsync();
        var reply = await s.RepliedAsync(task, publicInterest: true);
        await using var db = s.Database.CreateContext();
        var t = await db.UnitTasks.SingleAsync(x => x.Id == task);
        Assert.Equal(new DateTimeOffset(2026, 3, 6, 0, 0, 0, China), t.ReturnDeadline);
        Assert.Equal(new DateTimeOffset(2026, 5, 3, 0, 0, 0, China), (await db.Replies.SingleAsync(r => r.Id == reply)).DueAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 17, 0, 0, 0, China), (await db.Replies.SingleAsync(r => r.Id == reply)).PublishDueAt);
        Assert.Single(await db.AuditEntries.Where(a => a.Action == "setting.changed" && a.Detail!.Contains("rules.reply")).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Public_opinions_are_forwarded_with_a_short_deadline_or_become_suggestions(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "opinions");
        var forwarded = await s.Send(new Liaison.Domain.Opinions.RecordPublicOpinion("市民甲", "13900000000", Liaison.Domain.Opinions.OpinionChannel.Hotline12345, null, s.LeadDeputy, "路灯坏了", Scenario.Office));
        Assert.Equal(new DateTimeOffset(2026, 3, 17, 0, 0, 0, China), await s.Send(new Liaison.Domain.Opinions.ForwardPublicOpinion(forwarded, s.Unit, Scenario.Office)));
        await s.Send(new Liaison.Domain.Opinions.AnswerForwardedOpinion(forwarded, "已修复", Scenario.Handler));

        var converted = await s.Send(new Liaison.Domain.Opinions.RecordPublicOpinion("市民乙", null, Liaison.Domain.Opinions.OpinionChannel.DeputyCode, null, s.LeadDeputy, "建议增设公交站", Scenario.Office));
        var suggestion = await s.Send(new Liaison.Domain.Opinions.ConvertOpinionToSuggestion(converted, 16, 2026, "关于增设公交站的建议", Scenario.Office));
        await Scenario.Refused(ErrorCodes.OpinionNotOpen, () => s.Send(new Liaison.Domain.Opinions.AnswerPublicOpinion(converted, "已答复", Scenario.Office)));
        await using var db = s.Database.CreateContext();
        Assert.Equal(s.LeadDeputy, (await db.Suggestions.SingleAsync(x => x.Id == suggestion)).LeadDeputyId);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_dissatisfied_call_back_hands_the_opinion_back_to_the_unit_with_a_short_deadline(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "opinion-callback");
        var opinion = await s.Send(new RecordPublicOpinion("市民甲", null, OpinionChannel.Hotline12345, null, s.LeadDeputy, "路灯坏了", Scenario.Office));
        await s.Send(new ForwardPublicOpinion(opinion, s.Unit, Scenario.Office));

        // Only an answered opinion is called back.
        await Scenario.Refused(ErrorCodes.OpinionNotOpen, () => s.Send(new RecordOpinionCallBack(opinion, false, "还没答复", Scenario.Office)));
        await s.Send(new AnswerForwardedOpinion(opinion, "已报修", Scenario.Handler));

        // Dissatisfied: forwarded again, due within 5 working days (the forwarding period is 10).
        var due = await s.Send(new RecordOpinionCallBack(opinion, false, "路灯仍不亮", Scenario.Office));
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 0, 0, 0, China), due);
        await using (var db = s.Database.CreateContext())
        {
            var reopened = await db.PublicOpinions.SingleAsync(o => o.Id == opinion);
            Assert.Equal((OpinionStatus.Forwarded, due, s.Unit), (reopened.Status, reopened.DueAt, reopened.ForwardedToUnitId));
        }

        await s.Send(new AnswerForwardedOpinion(opinion, "已更换灯具", Scenario.Handler));
        Assert.Null(await s.Send(new RecordOpinionCallBack(opinion, true, null, Scenario.Office)));
        await Scenario.Refused(ErrorCodes.OpinionNotOpen, () => s.Send(new AnswerForwardedOpinion(opinion, "再次答复", Scenario.Handler)));

        await using (var db = s.Database.CreateContext())
        {
            var closed = await db.PublicOpinions.SingleAsync(o => o.Id == opinion);
            Assert.Equal((OpinionStatus.Closed, "已更换灯具"), (closed.Status, closed.UnitAnswer));
            var trail = await db.AuditEntries.Where(a => a.SubjectId == opinion).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
            Assert.Equal(["opinion.received", "opinion.forwarded", "opinion.unit-answered", "opinion.called-back", "opinion.unit-answered", "opinion.called-back"], trail);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Impossible_transitions_are_refused_with_a_code(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "refused");
        var (id, task) = await s.AssignedAsync();

        await Scenario.Refused(ErrorCodes.SuggestionNotSubmitted, () => s.Send(new ReceiveSuggestion(id, true, null, null, Scenario.Office)));
        await Scenario.Refused(ErrorCodes.SuggestionAlreadyAssigned, () => s.Send(new AssignSuggestion(id, AssignmentMode.Single, [s.OtherUnit], Scenario.Office)));
        await Scenario.Refused(ErrorCodes.ValidationFailed, () => s.Send(new AssignSuggestion(id, AssignmentMode.Separate, [s.Unit], Scenario.Office)));
        await Scenario.Refused(ErrorCodes.NotFound, () => s.Send(new SignForTask(Guid.NewGuid(), Scenario.Handler)));

        // Reply before sign-for.
        await Scenario.Refused(ErrorCodes.TaskNotSignedFor, () => s.Send(new SubmitReply(task, ReplyCategory.A, "答复", false, Scenario.Handler)));
        await s.Send(new SignForTask(task, Scenario.Handler));
        await Scenario.Refused(ErrorCodes.TaskAlreadySignedFor, () => s.Send(new SignForTask(task, Scenario.Handler)));

        // Return after the window (5 working days from Monday 2 March: closed from 10 March).
        s.Clock.Advance(TimeSpan.FromDays(8));
        await Scenario.Refused(ErrorCodes.ReturnWindowClosed, () => s.Send(new ReturnTask(task, "不属于本单位职责", Scenario.Handler)));

        // Extension beyond six months in total.
        await Scenario.Refused(ErrorCodes.ExtensionBeyondLimit, () => s.Send(new RequestExtension(task, new DateOnly(2026, 9, 3), "复杂", "已说明", Scenario.Handler)));
        var ext = await s.Send(new RequestExtension(task, new DateOnly(2026, 9, 2), "复杂", "已说明", Scenario.Handler));
        await Scenario.Refused(ErrorCodes.ExtensionPending, () => s.Send(new RequestExtension(task, new DateOnly(2026, 8, 2), "复杂", "已说明", Scenario.Handler)));
        await s.Send(new DecideExtension(ext, false, "理由不充分", Scenario.Office));
        await Scenario.Refused(ErrorCodes.ExtensionNotPending, () => s.Send(new DecideExtension(ext, true, null, Scenario.Office)));

        // Sending before the head approved; approval by someone else than the head.
        var reply = await s.Send(new SubmitReply(task, ReplyCategory.B, "答复", false, Scenario.Handler));
        await Scenario.Refused(ErrorCodes.ReplyPending, () => s.Send(new SubmitReply(task, ReplyCategory.B, "又一份", false, Scenario.Handler)));
        await Scenario.Refused(ErrorCodes.ReplyNotSent, () => s.Send(new EvaluateReply(reply, s.LeadDeputy, EvaluationResult.Satisfied, null, Scenario.Office)));
        await Scenario.Refused(ErrorCodes.ReplyNotApproved, () => s.Send(new SendReply(reply, Scenario.Handler)));
        await Scenario.Refused(ErrorCodes.ReplyNotUnitHead, () => s.Send(new ApproveReply(reply, Scenario.Handler)));
        await s.Send(new ApproveReply(reply, Scenario.Head));
        await Scenario.Refused(ErrorCodes.ReplyNotDraft, () => s.Send(new ApproveReply(reply, Scenario.Head)));
        await s.Send(new SendReply(reply, Scenario.Handler));

        // Not public interest; second evaluation by the same deputy; a deputy who did not sign; re-handling while satisfied.
        await Scenario.Refused(ErrorCodes.ReplyNotPublic, () => s.Send(new PublishReply(reply, Scenario.Office)));
        await s.Send(new EvaluateReply(reply, s.LeadDeputy, EvaluationResult.Satisfied, null, Scenario.Office));
        await Scenario.Refused(ErrorCodes.EvaluationDuplicate, () => s.Send(new EvaluateReply(reply, s.LeadDeputy, EvaluationResult.Dissatisfied, null, Scenario.Office)));
        await Scenario.Refused(ErrorCodes.EvaluationNotASigner, () => s.Send(new EvaluateReply(reply, s.Outsider, EvaluationResult.Satisfied, null, Scenario.Office)));
        await Scenario.Refused(ErrorCodes.RehandleNotDissatisfied, () => s.Send(new RehandleTask(task, "再办", Scenario.Office)));
        await Scenario.Refused(ErrorCodes.TaskNotOpen, () => s.Send(new SubmitReply(task, ReplyCategory.A, "答复", false, Scenario.Handler)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Returns_inside_the_window_and_turn_away_reasons_follow_the_settings(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "returns");
        var (_, task) = await s.AssignedAsync();
        s.Clock.Advance(TimeSpan.FromDays(7)); // Monday 9 March, the fifth working day: still inside.
        await s.Send(new ReturnTask(task, "不属于本单位职责", Scenario.Handler));
        await Scenario.Refused(ErrorCodes.TaskNotOpen, () => s.Send(new SignForTask(task, Scenario.Handler)));

        await s.Send(new ChangeSetting(HandlingRules.AdmissibilityReasonsKey, "Advertising,EmptyContent", Scenario.Office));
        var id = await s.SubmitAsync();
        await Scenario.Refused(ErrorCodes.ReasonNotAllowed, () => s.Send(new ReceiveSuggestion(id, false, AdmissibilityReason.OutsideJurisdiction, null, Scenario.Office)));
        await Scenario.Refused(ErrorCodes.ValidationFailed, () => s.Send(new ReceiveSuggestion(id, false, null, null, Scenario.Office)));
        Assert.Null(await s.Send(new ReceiveSuggestion(id, false, AdmissibilityReason.Advertising, "广告", Scenario.Office)));
        await Scenario.Refused(ErrorCodes.SuggestionNotAdmitted, () => s.Send(new AssignSuggestion(id, AssignmentMode.Single, [s.Unit], Scenario.Office)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Kpis_and_the_overdue_list_on_a_small_data_set(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "kpis");
        var start = s.Clock.GetUtcNow();
        var (_, onTime) = await s.AssignedAsync("按时答复");
        var (_, late) = await s.AssignedAsync("逾期答复");
        var (_, never) = await s.AssignedAsync("未答复");

        await s.Send(new SignForTask(onTime, Scenario.Handler));
        await s.Send(new RecordConsultation(onTime, s.Clock.GetUtcNow(), ConsultationMethod.Phone, ConsultationStage.Before, "王代表", null, Scenario.Handler));
        var first = await s.RepliedAsync(onTime, ReplyCategory.A, signFor: false);
        await s.Send(new EvaluateReply(first, s.LeadDeputy, EvaluationResult.Satisfied, null, Scenario.Office));

        s.Clock.Advance(TimeSpan.FromDays(100)); // past the 3-month deadline of 3 June
        var second = await s.RepliedAsync(late, ReplyCategory.B);
        await s.Send(new EvaluateReply(second, s.LeadDeputy, EvaluationResult.Dissatisfied, null, Scenario.Office));

        var kpis = await s.Ask(new GetKpis(start, s.Clock.GetUtcNow().AddSeconds(1)));
        Assert.Equal((2, 1, 0.5), (kpis.RepliesSent, kpis.RepliesOnTime, kpis.OnTimeReplyRate));
        Assert.Equal((2, 1, 0.5), (kpis.SuggestionsReplied, kpis.SuggestionsConsulted, kpis.ConsultationRate));
        Assert.Equal((0.5, 1.0), (kpis.ResolutionRateA, kpis.ResolutionRateAB));
        Assert.Equal((2, 1, 0.5), (kpis.Evaluations, kpis.SatisfiedOrBasically, kpis.SatisfactionRate));
        Assert.Equal(1, kpis.OpenOverdueTasks);

        var overdue = Assert.Single((await s.Ask(new GetOverdueList())).Items);
        Assert.Equal(never, overdue.TaskId);
        Assert.True(overdue.WorkingDaysOverdue > 0);
        Assert.Equal(DeadlineLight.Red, Assert.Single((await s.Ask(new GetUnitInbox(s.Unit))).Items).Light);

        var empty = await s.Ask(new GetKpis(start.AddYears(-1), start));
        Assert.Null(empty.OnTimeReplyRate);
    }
}
