using System.Text.Json.Nodes;

using Liaison.Domain.Persistence;
using Liaison.Testing;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using static Liaison.Workflows.Tests.ElsaLoopTests;

namespace Liaison.Workflows.Tests.Durable;

/// <summary>
/// Elsa.ExecuteWorkflow and workflows used as activities on the durable engine (SQLite and PostgreSQL): the child
/// is its own instance of the published version, the parent waits on it and goes on with its output.
/// </summary>
public sealed class DurableExecuteWorkflowTests
{
    private static Task<DefinitionVersionInfo> PublishElsaAsync(EngineHost host, string json, string? asId = null) => host.StoreAsync(async store =>
    {
        var (info, problems) = await store.ImportAsync(json, asId);
        Assert.Empty(problems);
        return await store.PublishAsync(info.DefinitionId, info.Version);
    });

    private static async Task<InstanceRecord[]> InstancesAsync(EngineHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>().Instances.AsNoTracking().OrderBy(i => i.CreatedAt).ToArrayAsync();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Execute_workflow_and_a_workflow_activity_wait_for_the_published_child_and_take_its_output(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "execwf");
        await using var host = await EngineHost.StartAsync(database);

        // The child is imported under a Liaison id of its own; Elsa references keep naming its Elsa definitionId.
        var child = await PublishElsaAsync(host, Workflow(
            "elsa-review",
            Sequence(
                "s",
                Line("hello", Js("'reviewing ' + getInput('caseNo')", "String")),
                Event("wait", Lit("ReviewDone")),
                new JsonObject { ["id"] = "out", ["type"] = "Elsa.SetOutput", ["outputName"] = Lit("verdict"), ["outputValue"] = Js("'ok ' + getInput('caseNo')") })), asId: "review");
        Assert.Equal("review", child.DefinitionId);
        await PublishElsaAsync(host, Workflow(
            "parent",
            Sequence(
                "s",
                new JsonObject { ["id"] = "exec", ["type"] = "Elsa.ExecuteWorkflow", ["workflowDefinitionId"] = Lit("elsa-review"), ["input"] = Obj("{\"caseNo\":\"A-1\"}"), ["result"] = Bound("r") },
                new JsonObject { ["id"] = "asActivity", ["type"] = "Review", ["workflowDefinitionId"] = "elsa-review", ["latestAvailablePublishedVersion"] = 1, ["caseNo"] = Lit("B-2"), ["verdict"] = Bound("v") },
                Line("p", Js("getR().verdict + ' / ' + getV()", "String"))),
            [Variable("r", "R"), Variable("v", "V")]));

        var parent = await host.EngineAsync(e => e.StartAsync("parent", correlationKey: "p-1"));
        Assert.Equal(InstanceStatus.Suspended, parent.Instance.Status);
        var first = Assert.Single(await InstancesAsync(host), i => i.DefinitionId == "review");
        Assert.Equal((parent.Instance.Id, InstanceStatus.Suspended), (first.ParentInstanceId!.Value, first.Status));

        // The first child finishing resumes the parent, which starts the second (the workflow used as an activity).
        await host.EngineAsync(e => e.PublishEventAsync("ReviewDone", "p-1"));
        Assert.Equal(InstanceStatus.Suspended, (await host.QueriesAsync(q => q.GetInstanceAsync(parent.Instance.Id))).Instance.Status);
        Assert.Equal(2, (await InstancesAsync(host)).Count(i => i.DefinitionId == "review"));
        await host.EngineAsync(e => e.PublishEventAsync("ReviewDone", "p-1"));

        var after = await host.QueriesAsync(q => q.GetInstanceAsync(parent.Instance.Id));
        Assert.Equal(InstanceStatus.Finished, after.Instance.Status);
        Assert.Equal("ok B-2", after.Variables["V"]?.GetValue<string>());
        var journal = await host.QueriesAsync(q => q.JournalAsync(parent.Instance.Id));
        Assert.Contains(journal, j => j.Message == "ok A-1 / ok B-2");
        Assert.All(await InstancesAsync(host), i => Assert.Equal(InstanceStatus.Finished, i.Status));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Executing_a_missing_workflow_is_a_bad_request_that_saves_nothing(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "execwf-missing");
        await using var host = await EngineHost.StartAsync(database);
        await PublishElsaAsync(host, Workflow(
            "orphan",
            Sequence("s", new JsonObject { ["id"] = "exec", ["type"] = "Elsa.ExecuteWorkflow", ["workflowDefinitionId"] = Lit("nowhere") })));

        var ex = await Assert.ThrowsAsync<WorkflowEngineException>(() => host.EngineAsync(e => e.StartAsync("orphan")));

        Assert.Equal(EngineErrorKind.BadRequest, ex.Kind);
        Assert.Contains("activity exec of 'orphan' starts workflow 'nowhere'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await InstancesAsync(host));
    }
}
