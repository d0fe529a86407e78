using System.Text.Json.Nodes;

using Liaison.Domain.Persistence;
using Liaison.Testing;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Harness;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using static Liaison.Workflows.Tests.ElsaLoopTests;

namespace Liaison.Workflows.Tests.Durable;

/// <summary>
/// Elsa's PublishEvent (Elsa.Workflows.Runtime/Activities/PublishEvent.cs): the event resumes the workflows waiting in
/// an Event activity of that name; a correlation id narrows it to those of that correlation, isLocal to the
/// publishing instance. Delivered in the unit of work that saved the publishing burst.
/// </summary>
public sealed class DurablePublishEventTests
{
    private static JsonObject Publish(string id, string eventName, string? correlationId = null, bool isLocal = false)
    {
        var activity = new JsonObject { ["id"] = id, ["type"] = "Elsa.PublishEvent", ["eventName"] = Lit(eventName), ["isLocal"] = Lit(isLocal, "Boolean") };
        if (correlationId is not null)
        {
            activity["correlationId"] = Lit(correlationId);
        }

        return activity;
    }

    private static string Waiter(string id) => Workflow(id, Sequence("s", Event("wait", Lit("Approved")), Line("after", Lit(id + " approved"))));

    private static Task PublishElsaAsync(EngineHost host, string json) => host.StoreAsync(async store =>
    {
        var (info, problems) = await store.ImportAsync(json);
        Assert.Empty(problems);
        return await store.PublishAsync(info.DefinitionId, info.Version);
    });

    private static async Task<Dictionary<string, InstanceStatus>> StatusesAsync(EngineHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>().Instances.AsNoTracking().ToListAsync();
        return rows.Where(r => r.CorrelationKey is not null).ToDictionary(r => r.CorrelationKey!, r => r.Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_published_event_resumes_the_waiting_workflows_its_correlation_and_locality_allow(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "pubevent");
        await using var host = await EngineHost.StartAsync(database);
        await PublishElsaAsync(host, Waiter("waiter"));
        await PublishElsaAsync(host, Workflow("to-k1", Sequence("s", Publish("p", "Approved", correlationId: "k1"))));
        await PublishElsaAsync(host, Workflow("local", Sequence("s", Publish("p", "Approved", isLocal: true))));
        await PublishElsaAsync(host, Workflow("to-all", Sequence("s", Publish("p", "Approved"))));

        await host.EngineAsync(e => e.StartAsync("waiter", correlationKey: "k1"));
        await host.EngineAsync(e => e.StartAsync("waiter", correlationKey: "k2"));
        await host.EngineAsync(e => e.StartAsync("waiter", correlationKey: "k3"));

        // Only k1's waiter is woken by an event for k1, in the publisher's own transaction.
        var published = await host.EngineAsync(e => e.StartAsync("to-k1", correlationKey: "pub-1"));
        Assert.Equal(InstanceStatus.Finished, published.Instance.Status);
        var statuses = await StatusesAsync(host);
        Assert.Equal(InstanceStatus.Finished, statuses["k1"]);
        Assert.Equal(InstanceStatus.Suspended, statuses["k2"]);

        // A local event stays in its own instance.
        await host.EngineAsync(e => e.StartAsync("local", correlationKey: "pub-2"));
        Assert.Equal(InstanceStatus.Suspended, (await StatusesAsync(host))["k2"]);

        // Without a correlation every waiter of that name is woken, once.
        await host.EngineAsync(e => e.StartAsync("to-all", correlationKey: "pub-3"));
        statuses = await StatusesAsync(host);
        Assert.Equal(InstanceStatus.Finished, statuses["k2"]);
        Assert.Equal(InstanceStatus.Finished, statuses["k3"]);
    }

    [Fact]
    public void A_workflow_that_publishes_the_event_it_waits_for_in_another_branch_goes_on_in_memory()
    {
        var json = Workflow(
            "self",
            Flow(
                "f",
                [
                    new JsonObject { ["id"] = "fork", ["type"] = "Elsa.FlowFork", ["branches"] = Obj("[\"wait\",\"tell\"]") },
                    Event("wait", Lit("Ready")),
                    Line("got", Lit("got it")),
                    Publish("tell", "Ready", isLocal: true),
                ],
                [Connect("fork", "wait", "wait"), Connect("wait", "got"), Connect("fork", "tell", "tell")]));

        var run = WorkflowHarness.Run(json);

        Assert.True(run.IsValid, string.Join("\n", run.Problems));
        Assert.Equal(["got it"], run.Lines);
        Assert.Equal(WorkflowStatus.Finished, run.Status);
    }
}
