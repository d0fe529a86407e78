using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Domain.Suggestions;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Tests.Suggestions;

/// <summary>联名确认: co-signers are asked, answer for themselves only, and only before the office decides on admission.</summary>
public sealed class CoSignatureTests
{
    private static readonly Actor CoSignerUser = new("deputy-li", "李代表", "10.0.0.9", "Mozilla/5.0 test");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_co_signer_is_asked_and_only_they_can_confirm_once(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "cosign-confirm");
        var submittedAt = s.Clock.GetUtcNow();
        var id = await s.SubmitAsync();

        var signer = await SignerAsync(s, id);
        Assert.Equal((CoSignatureState.Pending, (DateTimeOffset?)submittedAt, (DateTimeOffset?)null), (signer.State, signer.AskedAt, signer.AnsweredAt));
        var pending = Assert.Single(await s.Ask(new GetPendingCoSignatures([s.CoSigner])));
        Assert.Equal((id, s.CoSigner, "王代表"), (pending.SuggestionId, pending.DeputyId, pending.LeadDeputyName));
        Assert.Empty(await s.Ask(new GetPendingCoSignatures([s.LeadDeputy, s.Outsider])));

        // The lead and an outsider are not co-signers: refused, and nothing changes.
        await Scenario.Refused(ErrorCodes.CoSignatureNotACoSigner, () => s.Send(new ConfirmCoSignature(id, s.LeadDeputy, Scenario.Office)));
        await Scenario.Refused(ErrorCodes.CoSignatureNotACoSigner, () => s.Send(new RefuseCoSignature(id, s.Outsider, "不是我", Scenario.Office)));
        await Scenario.Refused(ErrorCodes.NotFound, () => s.Send(new ConfirmCoSignature(Guid.NewGuid(), s.CoSigner, CoSignerUser)));
        Assert.Equal(CoSignatureState.Pending, (await SignerAsync(s, id)).State);
        Assert.Equal(0, await AuditCountAsync(s, id, "suggestion.co-signature-"));

        s.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(CoSignatureState.Confirmed, await s.Send(new ConfirmCoSignature(id, s.CoSigner, CoSignerUser)));
        signer = await SignerAsync(s, id);
        Assert.Equal((CoSignatureState.Confirmed, (DateTimeOffset?)s.Clock.GetUtcNow()), (signer.State, signer.AnsweredAt));
        Assert.Empty(await s.Ask(new GetPendingCoSignatures([s.CoSigner])));

        // One answer: neither a second confirmation nor a late refusal.
        await Scenario.Refused(ErrorCodes.CoSignatureAnswered, () => s.Send(new ConfirmCoSignature(id, s.CoSigner, CoSignerUser)));
        await Scenario.Refused(ErrorCodes.CoSignatureAnswered, () => s.Send(new RefuseCoSignature(id, s.CoSigner, null, CoSignerUser)));
        Assert.Equal(CoSignatureState.Confirmed, (await SignerAsync(s, id)).State);

        await using var db = s.Database.CreateContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.SuggestionId == id && a.Action == "suggestion.co-signature-confirmed");
        Assert.Equal(("deputy-li", "李代表"), (entry.ActorId, entry.Detail));

        var file = await s.Ask(new GetSuggestionFile(id));
        Assert.Equal([(s.LeadDeputy, (CoSignatureState?)null), (s.CoSigner, CoSignatureState.Confirmed)], file!.Deputies.Select(d => (d.Id, d.CoSignature)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_refusing_co_signer_is_no_longer_a_signer_nor_asked_to_evaluate(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "cosign-refuse");
        var id = await s.SubmitAsync();

        await Scenario.Refused(ErrorCodes.ValidationFailed, () => s.Send(new RefuseCoSignature(id, s.CoSigner, new string('长', 501), CoSignerUser)));
        Assert.Equal(CoSignatureState.Refused, await s.Send(new RefuseCoSignature(id, s.CoSigner, "  未参与调研  ", CoSignerUser)));

        var signer = await SignerAsync(s, id);
        Assert.Equal((CoSignatureState.Refused, "未参与调研"), (signer.State, signer.RefusalReason));
        Assert.Empty((await s.Ask(new GetSuggestions([s.CoSigner]))).Items);
        Assert.Equal(0, (await s.Ask(new CountDeputyItems([s.CoSigner]))).All);
        var summary = Assert.Single((await s.Ask(new GetSuggestions([s.LeadDeputy]))).Items);
        Assert.Empty(summary.CoSignerIds);
        Assert.Equal(CoSignatureState.Refused, Assert.Single(summary.CoSignatures!).State);
        var file = await s.Ask(new GetSuggestionFile(id));
        Assert.Equal([s.LeadDeputy], file!.Deputies.Select(d => d.Id));
        Assert.Equal(("李代表", "未参与调研"), (Assert.Single(file.RefusedCoSigners!).Name, file.RefusedCoSigners![0].Reason));
        Assert.Equal(1, await AuditCountAsync(s, id, "suggestion.co-signature-refused"));

        // Handled and replied to: only the lead is asked; the refused deputy cannot evaluate, and the lead's answer closes it.
        await s.Send(new ReceiveSuggestion(id, true, null, null, Scenario.Office));
        var task = Assert.Single(await s.Send(new AssignSuggestion(id, AssignmentMode.Single, [s.Unit], Scenario.Office)));
        var reply = await s.RepliedAsync(task);
        await Scenario.Refused(ErrorCodes.EvaluationNotASigner, () => s.Send(new EvaluateReply(reply, s.CoSigner, EvaluationResult.Satisfied, null, CoSignerUser)));
        await s.Send(new EvaluateReply(reply, s.LeadDeputy, EvaluationResult.Satisfied, null, Scenario.Office));
        await using var db = s.Database.CreateContext();
        Assert.Equal(SuggestionStatus.Closed, (await db.Suggestions.SingleAsync(x => x.Id == id)).Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Once_admitted_an_unanswered_co_signer_stays_listed_as_unconfirmed_and_can_no_longer_answer(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "cosign-admitted");
        var id = await s.SubmitAsync();
        Assert.Equal(1, (await s.Ask(new CountDeputyItems([s.CoSigner]))).AwaitingCoSignature);
        var page = await s.Ask(new GetDeputyItems([s.CoSigner], DeputyItemFilter.AwaitingCoSignature));
        Assert.True(Assert.Single(page.Items).AwaitingMyCoSignature);

        await s.Send(new ReceiveSuggestion(id, true, null, null, Scenario.Office));

        await Scenario.Refused(ErrorCodes.CoSignatureClosed, () => s.Send(new ConfirmCoSignature(id, s.CoSigner, CoSignerUser)));
        await Scenario.Refused(ErrorCodes.CoSignatureClosed, () => s.Send(new RefuseCoSignature(id, s.CoSigner, null, CoSignerUser)));
        Assert.Equal(CoSignatureState.Pending, (await SignerAsync(s, id)).State);
        Assert.Empty(await s.Ask(new GetPendingCoSignatures([s.CoSigner])));
        Assert.Equal(0, (await s.Ask(new CountDeputyItems([s.CoSigner]))).AwaitingCoSignature);
        Assert.False(Assert.Single((await s.Ask(new GetDeputyItems([s.CoSigner], DeputyItemFilter.All))).Items).AwaitingMyCoSignature);

        // Still a signer (未确认): listed, and asked to evaluate like the others.
        var file = await s.Ask(new GetSuggestionFile(id));
        Assert.Equal(CoSignatureState.Pending, file!.Deputies.Single(d => d.Id == s.CoSigner).CoSignature);
        var task = Assert.Single(await s.Send(new AssignSuggestion(id, AssignmentMode.Single, [s.Unit], Scenario.Office)));
        var reply = await s.RepliedAsync(task);
        await s.Send(new EvaluateReply(reply, s.CoSigner, EvaluationResult.Satisfied, null, CoSignerUser));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_answers_racing_each_other_leave_one(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "cosign-race");
        var id = await s.SubmitAsync();
        await using var first = s.Database.CreateContext();
        await using var second = s.Database.CreateContext();
        var confirming = await first.Suggestions.Include(x => x.CoSigners).SingleAsync(x => x.Id == id);
        var refusing = await second.Suggestions.Include(x => x.CoSigners).SingleAsync(x => x.Id == id);

        confirming.ConfirmCoSignature(s.CoSigner, s.Clock.GetUtcNow());
        await first.SaveChangesAsync();
        refusing.RefuseCoSignature(s.CoSigner, "迟到的不同意", s.Clock.GetUtcNow());
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        Assert.Equal(CoSignatureState.Confirmed, (await SignerAsync(s, id)).State);
    }

    private static async Task<SuggestionCoSigner> SignerAsync(Scenario s, Guid id)
    {
        await using var db = s.Database.CreateContext();
        return await db.Set<SuggestionCoSigner>().AsNoTracking().SingleAsync(c => c.SuggestionId == id && c.DeputyId == s.CoSigner);
    }

    private static async Task<int> AuditCountAsync(Scenario s, Guid id, string actionPrefix)
    {
        await using var db = s.Database.CreateContext();
        return await db.AuditEntries.CountAsync(a => a.SuggestionId == id && a.Action.StartsWith(actionPrefix));
    }
}
