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
/// Elsa loops whose bodies wait, and DispatchWorkflow, on the durable engine (SQLite and PostgreSQL): the loop's
/// position and each parallel item's scope live in the saved instance state, and a dispatched child is started in
/// the unit of work of the burst that dispatched it.
/// </summary>
public sealed class DurableLoopTests
{
    private static Task<DefinitionVersionInfo> PublishElsaAsync(EngineHost host, string json) => host.StoreAsync(async store =>
    {
        var (info, problems) = await store.ImportAsync(json);
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
    public async Task A_for_each_body_waiting_on_an_event_resumes_to_the_next_item_across_bursts(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "loop");
        await using var host = await EngineHost.StartAsync(database);
        await PublishElsaAsync(host, Workflow(
            "each-wait",
            Sequence(
                "s",
                new JsonObject
                {
                    ["id"] = "ForEach1",
                    ["type"] = "Elsa.ForEach",
                    ["items"] = Obj("[\"一\",\"二\",\"三\"]"),
                    ["currentValue"] = Bound("v"),
                    ["body"] = Flow(
                        "body",
                        [Line("before", Js("'waiting for ' + getItem()", "String")), Event("wait", Lit("Next")), Line("after", Js("'got ' + getItem()", "String"))],
                        [Connect("before", "wait"), Connect("wait", "after")]),
                },
                Line("end", Lit("all done"))),
            [Variable("v", "Item")]));

        var started = await host.EngineAsync(e => e.StartAsync("each-wait", correlationKey: "k"));
        Assert.Equal(["waiting for 一"], started.Lines);
        var lines = new List<string>();
        BurstResult last = started;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(InstanceStatus.Suspended, last.Instance.Status);
            Assert.Single(last.Bookmarks);
            last = Assert.Single(await host.EngineAsync(e => e.PublishEventAsync("Next", "k")));
            lines.AddRange(last.Lines);
        }

        Assert.Equal(["got 一", "waiting for 二", "got 二", "waiting for 三", "got 三", "all done"], lines);
        Assert.Equal(InstanceStatus.Finished, last.Instance.Status);
        Assert.Empty(await host.EngineAsync(e => e.PublishEventAsync("Next", "k")));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Parallel_for_each_items_wait_and_resume_in_any_order_with_their_own_current_value(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "pfe");
        await using var host = await EngineHost.StartAsync(database);
        await PublishElsaAsync(host, Workflow(
            "parallel-wait",
            Flow(
                "F",
                [
                    new JsonObject
                    {
                        ["id"] = "P",
                        ["type"] = "Elsa.ParallelForEach",
                        ["items"] = Obj("[\"甲\",\"乙\"]"),
                        ["body"] = Sequence("body", Event("wait", Js("'approve-' + getCurrentValue()", "String")), Line("end", Js("'approved ' + getCurrentValue() + '#' + getCurrentIndex()", "String"))),
                    },
                    Line("all", Lit("all approved")),
                ],
                [Connect("P", "all")])));

        var started = await host.EngineAsync(e => e.StartAsync("parallel-wait", correlationKey: "k"));
        Assert.Equal(["approve-乙", "approve-甲"], started.Bookmarks.Select(b => b.EventName!).Order(StringComparer.Ordinal));

        var second = Assert.Single(await host.EngineAsync(e => e.PublishEventAsync("approve-乙", "k")));
        Assert.Equal(["approved 乙#1"], second.Lines);
        Assert.Equal(InstanceStatus.Suspended, second.Instance.Status);
        var first = Assert.Single(await host.EngineAsync(e => e.PublishEventAsync("approve-甲", "k")));
        Assert.Equal(["approved 甲#0", "all approved"], first.Lines);
        Assert.Equal(InstanceStatus.Finished, first.Instance.Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatch_workflow_starts_the_published_child_once_in_the_same_unit_and_can_wait_for_it(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "dispatch");
        await using var host = await EngineHost.StartAsync(database);
        await PublishElsaAsync(host, Workflow(
            "child",
            Sequence(
                "s",
                Line("hello", Js("'child for ' + getInput('caseNo')", "String")),
                Event("wait", Lit("ChildGo")),
                new JsonObject { ["id"] = "out", ["type"] = "Elsa.SetOutput", ["outputName"] = Lit("answer"), ["outputValue"] = Js("'done ' + getInput('caseNo')") })));
        await PublishElsaAsync(host, Workflow(
            "fire-and-forget",
            Sequence(
                "s",
                new JsonObject { ["id"] = "go", ["type"] = "Elsa.DispatchWorkflow", ["workflowDefinitionId"] = Lit("child"), ["input"] = Obj("{\"caseNo\":\"A-1\"}"), ["correlationId"] = Lit("child-a") },
                Line("p", Lit("parent goes on")))));
        await PublishElsaAsync(host, Workflow(
            "waiting-parent",
            Sequence(
                "s",
                new JsonObject { ["id"] = "go", ["type"] = "Elsa.DispatchWorkflow", ["workflowDefinitionId"] = Lit("child"), ["input"] = Obj("{\"caseNo\":\"B-2\"}"), ["correlationId"] = Lit("child-b"), ["waitForCompletion"] = Lit(true, "Boolean"), ["result"] = Bound("r") },
                Line("p", Js("'parent got ' + getR().answer", "String"))),
            [Variable("r", "R")]));

        // Without waiting: the parent finishes and its child, started in the same transaction, waits on its own.
        var parent = await host.EngineAsync(e => e.StartAsync("fire-and-forget"));
        Assert.Equal(["parent goes on"], parent.Lines);
        Assert.Equal(InstanceStatus.Finished, parent.Instance.Status);
        var instances = await InstancesAsync(host);
        var child = Assert.Single(instances, i => i.DefinitionId == "child");
        Assert.Equal((parent.Instance.Id, InstanceStatus.Suspended, "child-a"), (child.ParentInstanceId!.Value, child.Status, child.CorrelationKey));
        Assert.Null(child.ParentBookmarkId);

        // Waiting: the parent stays suspended until its child finishes, then goes on with the child's output.
        var waiting = await host.EngineAsync(e => e.StartAsync("waiting-parent"));
        Assert.Equal(InstanceStatus.Suspended, waiting.Instance.Status);
        Assert.Equal("Children", Assert.Single(waiting.Bookmarks).Kind);
        Assert.Equal(4, (await InstancesAsync(host)).Length); // two parents, two children
        var resumed = Assert.Single(await host.EngineAsync(e => e.PublishEventAsync("ChildGo", "child-b")));
        Assert.Equal(InstanceStatus.Finished, resumed.Instance.Status);
        var after = await host.QueriesAsync(q => q.GetInstanceAsync(waiting.Instance.Id));
        Assert.Equal(InstanceStatus.Finished, after.Instance.Status);
        Assert.Equal("done B-2", after.Variables["R"]?["answer"]?.GetValue<string>());
        var journal = await host.QueriesAsync(q => q.JournalAsync(waiting.Instance.Id));
        Assert.Contains(journal, j => j.Message == "parent got done B-2");

        // The first child is still waiting: nothing resumes a parent that did not wait.
        Assert.Equal(InstanceStatus.Suspended, (await InstancesAsync(host)).Single(i => i.CorrelationKey == "child-a").Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Dispatching_an_unpublished_workflow_rolls_the_parents_burst_back(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "dispatch-missing");
        await using var host = await EngineHost.StartAsync(database);
        await PublishElsaAsync(host, Workflow(
            "orphan-parent",
            Sequence("s", new JsonObject { ["id"] = "go", ["type"] = "Elsa.DispatchWorkflow", ["workflowDefinitionId"] = Lit("nowhere") })));

        var ex = await Assert.ThrowsAsync<WorkflowEngineException>(() => host.EngineAsync(e => e.StartAsync("orphan-parent")));

        Assert.Contains("nowhere", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await InstancesAsync(host));
    }
}
