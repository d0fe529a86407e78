using Liaison.Domain.Common;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Testing;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Workflows.Tests.Suggestions;

/// <summary>The domain command and the task completion commit together or not at all.</summary>
public sealed class TransactionBridgeTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_domain_refusal_leaves_the_task_open_and_writes_nothing(DatabaseProvider provider)
    {
        await using var w = await SuggestionWorld.CreateAsync(provider, "bridge-refusal");
        var (suggestion, instance) = await StartAsync(w);
        var receive = await w.OpenTask(instance, "receive");

        // Turned away for a reason this locality does not allow: the domain refuses after the handler ran its checks.
        await w.Send(new Liaison.Domain.Settings.ChangeSetting(Liaison.Domain.Rules.HandlingRules.AdmissibilityReasonsKey, "Advertising", SuggestionWorld.Office));
        var ex = await Assert.ThrowsAsync<DomainException>(() => w.Complete(receive.Id, "TurnedAway",
            new System.Text.Json.Nodes.JsonObject { ["reason"] = "EmptyContent", ["note"] = "空" }, SuggestionWorld.OfficeUser));
        Assert.Equal(ErrorCodes.ReasonNotAllowed, ex.Code);

        // A refusal after the domain wrote (the admission took a number) rolls that write back too: here the
        // workflow's bookmark was resumed by another node meanwhile, so resuming it is a conflict.
        await using (var wf = w.Database.CreateWorkflowsContext())
        {
            await wf.Bookmarks.Where(b => b.Id == receive.BookmarkId).ExecuteUpdateAsync(s => s.SetProperty(b => b.ConsumedAt, DateTimeOffset.UtcNow));
        }

        var after = await Assert.ThrowsAsync<WorkflowEngineException>(() => w.Complete(receive.Id, "Admitted", null, SuggestionWorld.OfficeUser));
        Assert.Equal(EngineErrorKind.Conflict, after.Kind);
        await using (var wf = w.Database.CreateWorkflowsContext())
        {
            await wf.Bookmarks.Where(b => b.Id == receive.BookmarkId).ExecuteUpdateAsync(s => s.SetProperty(b => b.ConsumedAt, (DateTimeOffset?)null));
        }

        Assert.Equal(["receive"], await w.OpenActivities(instance));
        await using (var db = w.Database.CreateContext())
        {
            var s = await db.Suggestions.SingleAsync(x => x.Id == suggestion);
            Assert.Equal((SuggestionStatus.Submitted, (int?)null), (s.Status, s.Sequence));
            Assert.Empty(await db.SuggestionNumberCounters.ToListAsync());
            Assert.DoesNotContain(await db.AuditEntries.Select(a => a.Action).ToListAsync(), a => a is "suggestion.admitted" or "suggestion.turned-away");
        }

        // The task still works afterwards, and the number the failed attempt took is given again.
        var done = await w.Complete(receive.Id, "Admitted", null, SuggestionWorld.OfficeUser);
        Assert.Equal("16-2026-0001", done.Result!["domainResult"]!.GetValue<string>());
        Assert.Equal(["analyse"], await w.OpenActivities(instance));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_workflow_refusal_rolls_the_domain_change_back(DatabaseProvider provider)
    {
        await using var w = await SuggestionWorld.CreateAsync(provider, "bridge-conflict");
        var (suggestion, instance) = await StartAsync(w);
        var receive = await w.OpenTask(instance, "receive");

        // The domain refuses (a turn-away without its reason's rules met is not the point here: the suggestion was
        // already handled elsewhere), so the claim of the task rolls back with it and the task stays open.
        await w.Send(new ReceiveSuggestion(suggestion, false, Liaison.Domain.Rules.AdmissibilityReason.EmptyContent, null, SuggestionWorld.Office));
        var refused = await Assert.ThrowsAsync<Liaison.Domain.Common.DomainException>(() => w.Complete(receive.Id, "Admitted", null, SuggestionWorld.OfficeUser));
        Assert.Equal(Liaison.Domain.Common.ErrorCodes.SuggestionNotSubmitted, refused.Code);
        Assert.Equal(["receive"], await w.OpenActivities(instance));

        // An outcome the task does not have is refused before anything runs.
        var suggestion2 = await w.Send(new SubmitSuggestion(16, 2026, "第二件", "正文", SuggestionSource.BetweenSessions, w.LeadDeputy, [], SuggestionWorld.Office));
        var second = await w.Engine.EngineAsync(e => e.StartAsync("suggestion-handling", Inputs(suggestion2, w.LeadDeputy), suggestion2.ToString()));
        var receive2 = await w.OpenTask(second.Instance.Id, "receive");
        var bad = await Assert.ThrowsAsync<Liaison.Domain.Common.ValidationFailedException>(() => w.Complete(receive2.Id, "Maybe", null, SuggestionWorld.OfficeUser));
        Assert.Equal("outcome", Assert.Single(bad.Errors).Field);

        await using var db = w.Database.CreateContext();
        Assert.Equal(SuggestionStatus.Submitted, (await db.Suggestions.SingleAsync(s => s.Id == suggestion2)).Status);
        Assert.Empty(await db.SuggestionNumberCounters.ToListAsync());
        Assert.DoesNotContain(await db.AuditEntries.Select(a => a.Action).ToListAsync(), a => a == "suggestion.admitted");
        await using var wf = w.Database.CreateWorkflowsContext();
        var task2 = await wf.HumanTasks.AsNoTracking().SingleAsync(t => t.Id == receive2.Id);
        Assert.Equal(HumanTaskStatus.Open, task2.Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_suggestion_and_its_workflow_start_together_or_not_at_all(DatabaseProvider provider)
    {
        await using var w = await SuggestionWorld.CreateAsync(provider, "bridge-start");
        async Task<Liaison.Workflows.Suggestions.SuggestionStepResult<Guid>> SubmitAndStartAsync()
        {
            await using var scope = w.Engine.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Liaison.Workflows.Suggestions.SuggestionWorkflowService>().StartAsync<Guid>("suggestion-handling", async (db, ct) =>
            {
                var id = await w.Step(new SubmitSuggestion(16, 2026, "关于增设公交站点的建议", "正文", SuggestionSource.BetweenSessions, w.LeadDeputy, [], SuggestionWorld.Office))(db, ct);
                return (id, Inputs(id, w.LeadDeputy), id.ToString());
            });
        }

        // Nothing published yet: the engine refuses after the suggestion was written, and that write is rolled back.
        await Assert.ThrowsAsync<WorkflowEngineException>(SubmitAndStartAsync);
        await using (var db = w.Database.CreateContext())
        {
            Assert.Empty(await db.Suggestions.ToListAsync());
        }

        await w.PublishFileAsync("suggestion-handling.json");
        var started = await SubmitAndStartAsync();
        Assert.Equal(started.Value.ToString(), started.Workflow.Instance.CorrelationKey);
        Assert.Equal(["receive"], await w.OpenActivities(started.Workflow.Instance.Id));
    }

    internal static async Task<(Guid Suggestion, Guid Instance)> StartAsync(SuggestionWorld w)
    {
        await w.PublishLoopAsync();
        var suggestion = await w.Send(new SubmitSuggestion(16, 2026, "关于优化公交线路的建议", "正文", SuggestionSource.CongressSession, w.LeadDeputy, [w.CoSigner], SuggestionWorld.Office));
        var started = await w.Engine.EngineAsync(e => e.StartAsync("suggestion-handling", Inputs(suggestion, w.LeadDeputy), suggestion.ToString()));
        return (suggestion, started.Instance.Id);
    }

    internal static Dictionary<string, System.Text.Json.Nodes.JsonNode?> Inputs(Guid suggestion, Guid deputy) => new()
    {
        ["suggestionId"] = suggestion.ToString(),
        ["leadDeputyId"] = deputy.ToString(),
    };
}
