using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Suggestions;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Benchmarks.Durable;

/// <summary>
/// One whole suggestion through the shipped suggestion-handling.json, as the office, the unit, its head and
/// the deputy would drive it: submit (with its workflow), receive, analyse, assign, sign for, consult, reply,
/// approve and send, evaluate — each step's domain command and workflow task in one transaction, ten bursts.
/// </summary>
public sealed class SuggestionLoopScenario(IServiceProvider provider)
{
    private static readonly Actor Office = new("bench-office", "代表工委");
    private static readonly Actor Handler = new("bench-handler", "承办人");
    private static readonly Actor Head = new("bench-head", "局长");

    private Guid _unit;
    private Guid _deputy;

    /// <summary>Migrates the domain, seeds a unit with a head and a deputy, publishes the shipped workflow.</summary>
    public async Task SetUpAsync()
    {
        await using var scope = provider.CreateAsyncScope();
        var domain = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
        await domain.Database.MigrateAsync();
        var unit = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长", HeadUserId = Head.UserId };
        var deputy = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
        domain.AddRange(unit, deputy);
        await domain.SaveChangesAsync();
        (_unit, _deputy) = (unit.Id, deputy.Id);

        var store = scope.ServiceProvider.GetRequiredService<DefinitionStore>();
        // The whole shipped folder: suggestion-handling starts suggestion-unit-handling and suggestion-co-handling as children.
        await store.LoadDirectoryAsync(Path.GetDirectoryName(WorkflowFile())!);
    }

    /// <summary>Runs one suggestion from submission to closed; throws if it does not end that way.</summary>
    public async Task RunOnceAsync()
    {
        Guid instance;
        await using (var scope = provider.CreateAsyncScope())
        {
            var bridge = scope.ServiceProvider.GetRequiredService<SuggestionWorkflowService>();
            var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            var started = await bridge.StartAsync<Guid>("suggestion-handling", async (db, ct) =>
            {
                var id = await DirectDispatch.SendAsync(db, clock, new SubmitSuggestion(16, 2026, "关于优化公交线路的建议", "正文", SuggestionSource.CongressSession, _deputy, [], Office), ct);
                return (id, new Dictionary<string, JsonNode?> { ["suggestionId"] = id.ToString(), ["leadDeputyId"] = _deputy.ToString() }, id.ToString());
            });
            instance = started.Workflow.Instance.Id;
        }

        var office = new ActingUser(Office.UserId, Office.Name, ["LiaisonOffice"], [], [], []);
        var handler = new ActingUser(Handler.UserId, Handler.Name, ["UnitHandler"], [_unit.ToString()], [], []);
        var head = new ActingUser(Head.UserId, Head.Name, ["UnitHead"], [_unit.ToString()], [], []);
        await StepAsync(instance, "receive", "Admitted", [], office);
        await StepAsync(instance, "analyse", "Ordinary", new JsonObject { ["field"] = "transport" }, office);
        await StepAsync(instance, "assign", "Assigned", new JsonObject { ["unitIds"] = new JsonArray(_unit.ToString()) }, office);
        await StepAsync(instance, "signFor", "Signed", [], handler);
        await StepAsync(instance, "consult", "Consulted", new JsonObject { ["at"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"), ["method"] = "Phone", ["stage"] = "Before", ["participants"] = "王代表" }, handler);
        await StepAsync(instance, "reply", "Replied", new JsonObject { ["category"] = "A", ["text"] = "已优化线路", ["publicInterest"] = false }, handler);
        await StepAsync(instance, "approve", "Approved", [], head);
        await StepAsync(instance, "evaluate", "Satisfied", new JsonObject { ["comment"] = "满意" }, new ActingUser("bench-deputy", "王代表", ["Deputy"], [], [_deputy.ToString()], []));
        InstanceStatus last;
        await using (var scope = provider.CreateAsyncScope())
        {
            last = await scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>().Instances.AsNoTracking().Where(i => i.Id == instance).Select(i => i.Status).SingleAsync();
        }

        if (last != InstanceStatus.Finished)
        {
            throw new InvalidOperationException($"suggestion loop {instance} ended {last}, not Finished");
        }
    }

    private async Task<InstanceStatus> StepAsync(Guid instance, string activity, string outcome, JsonObject fields, ActingUser user)
    {
        await using var scope = provider.CreateAsyncScope();
        var services = scope.ServiceProvider;
        // The step's task is on the loop's instance, a child (unit handling) or a grandchild (each signer's evaluation).
        var db = services.GetRequiredService<WorkflowsDbContext>();
        var task = await db.HumanTasks.AsNoTracking()
            .SingleAsync(t => t.ActivityId == activity && t.Status == HumanTaskStatus.Open && db.Instances.Any(i => i.Id == t.InstanceId
                && (i.Id == instance || i.ParentInstanceId == instance || db.Instances.Any(p => p.Id == i.ParentInstanceId && p.ParentInstanceId == instance))));
        var result = await services.GetRequiredService<TaskCompletion>().CompleteAsync(task.Id, outcome, fields, user);
        return result.Workflow.Instance.Status;
    }

    private static string WorkflowFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "workflows-json", "suggestion-handling.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("workflows-json/suggestion-handling.json not found above " + AppContext.BaseDirectory);
    }
}
