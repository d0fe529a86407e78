using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Domain.Suggestions;
using Liaison.Testing;

namespace Liaison.Domain.Tests.Suggestions;

public sealed class SuggestionListTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_deputy_sees_the_suggestions_they_lead_or_co_signed_and_the_office_sees_all(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "suggestion-list");
        var joint = await s.Send(new SubmitSuggestion(16, 2026, "联名建议", "正文", SuggestionSource.CongressSession, s.LeadDeputy, [s.CoSigner], Scenario.Office));
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        var own = await s.Send(new SubmitSuggestion(16, 2026, "个人建议", "正文", SuggestionSource.BetweenSessions, s.Outsider, [], Scenario.Office));

        Assert.Equal([own, joint], (await s.Ask(new GetSuggestions())).Items.Select(x => x.Id));
        Assert.Equal([joint], (await s.Ask(new GetSuggestions([s.CoSigner]))).Items.Select(x => x.Id));
        Assert.Equal([own], (await s.Ask(new GetSuggestions([s.Outsider]))).Items.Select(x => x.Id));
        Assert.Empty((await s.Ask(new GetSuggestions([s.Outsider], joint))).Items);

        var one = Assert.Single((await s.Ask(new GetSuggestions([s.LeadDeputy], joint))).Items);
        Assert.Equal((s.LeadDeputy, SuggestionStatus.Submitted, (string?)null), (one.LeadDeputyId, one.Status, one.Number));
        Assert.Equal([s.CoSigner], one.CoSignerIds);
    }
}
