using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Testing;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Tests.Suggestions;

/// <summary>
/// Every way of assigning a suggestion runs through the published workflows: each replying unit (the lead, or
/// every unit of separate handling) in a suggestion-unit-handling child, each co-handling unit in a
/// suggestion-co-handling child; the suggestion's workflow ends when they all have.
/// </summary>
public sealed class AssignmentModeTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_lead_with_two_co_handling_units_replies_once_both_opinions_are_in(DatabaseProvider provider)
    {
        await using var w = await SuggestionWorld.CreateAsync(provider, "mode-co", new DateTimeOffset(2026, 3, 2, 9, 0, 0, China));
        var (suggestion, instance) = await TransactionBridgeTests.StartAsync(w);
        var office = SuggestionWorld.OfficeUser;
        await w.Do(instance, "receive", "Admitted", null, office);
        await w.Do(instance, "analyse", "Ordinary", new JsonObject { ["field"] = "交通" }, office);
        await w.Do(instance, "assign", "Assigned", new JsonObject { ["mode"] = "LeadWithCoHandling", ["unitIds"] = new JsonArray(w.Transport.ToString(), w.Education.ToString(), w.Planning.ToString()) }, office);

        // One unit-handling child for the lead, one co-handling child per co-handling unit, each at its sign-for.
        Assert.Equal(["signFor", "signFor", "signFor"], await w.OpenActivities(instance));
        await using (var wf = w.Database.CreateWorkflowsContext())
        {
            var children = await wf.Instances.AsNoTracking().Where(i => i.ParentInstanceId == instance).Select(i => i.DefinitionId).OrderBy(d => d).ToListAsync();
            Assert.Equal(["suggestion-co-handling", "suggestion-co-handling", "suggestion-unit-handling"], children);
        }

        var (lead, education, planning) = (SuggestionWorld.HandlerOf(w.Transport), SuggestionWorld.HandlerOf(w.Education), SuggestionWorld.HandlerOf(w.Planning));
        await w.Do(instance, "signFor", "Signed", null, lead, w.Transport);
        await w.Do(instance, "signFor", "Signed", null, education, w.Education);
        await w.Do(instance, "signFor", "Signed", null, planning, w.Planning);
        await w.Do(instance, "consult", "Consulted", new JsonObject { ["at"] = w.Clock.GetUtcNow().AddHours(-1).ToString("O"), ["method"] = "Phone", ["stage"] = "Before", ["participants"] = "王代表" }, lead);

        // The lead's reply waits for both co-handling opinions; refused, it changes nothing.
        await w.Do(instance, "coOpinion", "Sent", new JsonObject { ["opinion"] = "教育局意见" }, education, w.Education);
        var early = await Assert.ThrowsAsync<DomainException>(() => w.Do(instance, "reply", "Replied", new JsonObject { ["category"] = "A", ["text"] = "已解决" }, lead));
        Assert.Equal(ErrorCodes.ReplyCoOpinionsPending, early.Code);
        Assert.Single(await w.OpenTasks(instance), t => t.ActivityId == "reply");
        await w.Do(instance, "coOpinion", "Sent", new JsonObject { ["opinion"] = "规划局意见" }, planning, w.Planning);

        await w.Do(instance, "reply", "Replied", new JsonObject { ["category"] = "A", ["text"] = "已解决" }, lead);
        await w.Do(instance, "approve", "Approved", null, w.HeadOf(w.Transport));
        Assert.Equal(InstanceStatus.Suspended, await w.StatusOf(instance));
        await w.Do(instance, "evaluate", "Satisfied", new JsonObject { ["comment"] = "满意" }, SuggestionWorld.DeputyUser(w.LeadDeputy), w.LeadDeputy);
        Assert.Equal(InstanceStatus.Suspended, await w.StatusOf(instance)); // the co-signer evaluates too
        await w.Do(instance, "evaluate", "BasicallySatisfied", null, SuggestionWorld.DeputyUser(w.CoSigner), w.CoSigner);
        Assert.Equal(InstanceStatus.Finished, await w.StatusOf(instance));
        Assert.Empty(await w.OpenTasks(instance));

        await using var db = w.Database.CreateContext();
        var tasks = await db.UnitTasks.Where(t => t.SuggestionId == suggestion).Select(t => new { t.Role, t.Status }).ToListAsync();
        Assert.Equal(2, tasks.Count(t => t.Role == TaskRole.CoHandling && t.Status == UnitTaskStatus.CoOpinionSent));
        Assert.Single(tasks, t => t.Role == TaskRole.Lead && t.Status == UnitTaskStatus.Replied);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Separate_handling_gives_each_unit_its_own_reply_and_evaluation(DatabaseProvider provider)
    {
        await using var w = await SuggestionWorld.CreateAsync(provider, "mode-separate", new DateTimeOffset(2026, 3, 2, 9, 0, 0, China));
        var (suggestion, instance) = await TransactionBridgeTests.StartAsync(w);
        var office = SuggestionWorld.OfficeUser;
        await w.Do(instance, "receive", "Admitted", null, office);
        await w.Do(instance, "analyse", "Ordinary", new JsonObject { ["field"] = "交通" }, office);
        await w.Do(instance, "assign", "Assigned", new JsonObject { ["mode"] = "Separate", ["unitIds"] = new JsonArray(w.Transport.ToString(), w.Education.ToString()) }, office);

        var replies = new List<Guid>();
        foreach (var unit in new[] { w.Transport, w.Education })
        {
            var handler = SuggestionWorld.HandlerOf(unit);
            await w.Do(instance, "signFor", "Signed", null, handler, unit);
            await w.Do(instance, "consult", "Consulted", new JsonObject { ["at"] = w.Clock.GetUtcNow().AddHours(-1).ToString("O"), ["method"] = "Visit", ["stage"] = "Before", ["participants"] = "王代表" }, handler, unit);
            var reply = await w.Do(instance, "reply", "Replied", new JsonObject { ["category"] = "A", ["text"] = $"{unit} 已解决" }, handler, unit);
            replies.Add(Guid.Parse(reply.Result!["domainResult"]!.GetValue<string>()));
            await w.Do(instance, "approve", "Approved", null, w.HeadOf(unit), unit);
        }

        // Two evaluation tasks for each signer, one per reply; each unit's handling ends with its own.
        var all = (await w.OpenTasks(instance)).Where(t => t.ActivityId == "evaluate").ToList();
        Assert.Equal(4, all.Count);
        foreach (var co in all.Where(t => t.AssigneeId == w.CoSigner.ToString()))
        {
            await w.Complete(co.Id, "Satisfied", null, SuggestionWorld.DeputyUser(w.CoSigner));
        }

        var evaluations = all.Where(t => t.AssigneeId == w.LeadDeputy.ToString()).ToList();
        Assert.Equal(2, evaluations.Count);
        Assert.Equal(replies.Select(r => r.ToString()).Order(), evaluations.Select(e => e.Data()["replyId"]!.GetValue<string>()).Order());
        var deputy = SuggestionWorld.DeputyUser(w.LeadDeputy);
        await w.Complete(evaluations[0].Id, "Satisfied", null, deputy);
        Assert.Equal(InstanceStatus.Suspended, await w.StatusOf(instance));
        await w.Complete(evaluations[1].Id, "BasicallySatisfied", null, deputy);
        Assert.Equal(InstanceStatus.Finished, await w.StatusOf(instance));

        await using var db = w.Database.CreateContext();
        var sent = await db.Replies.Where(r => r.SuggestionId == suggestion).Select(r => new { r.UnitId, r.Status }).ToListAsync();
        Assert.Equal(new[] { w.Education, w.Transport }.Order(), sent.Select(r => r.UnitId).Order());
        Assert.All(sent, r => Assert.Equal(ReplyStatus.Sent, r.Status));
        Assert.Equal(AssignmentMode.Separate, (await db.Suggestions.SingleAsync(s => s.Id == suggestion)).AssignmentMode);
        Assert.Equal(2, await db.Evaluations.CountAsync(e => e.SuggestionId == suggestion && e.DeputyId == w.LeadDeputy));
    }
}
