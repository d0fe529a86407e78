using System.Text.Json.Nodes;

using Liaison.Workflows.Definitions;
using Liaison.Workflows.Runtime;

using static Liaison.Workflows.Tests.Flow;

namespace Liaison.Workflows.Tests;

public sealed class IncidentTests
{
    private static WorkflowDefinition Fragile(IncidentStrategy strategy) => new Flow()
        .Var("ok", VariableType.Boolean, false)
        .Act("fork", "Fork", ("branches", InputValue.Object(new JsonArray("risky", "safe"))))
        .Act("risky", "RunScript", ("script", L("if (!getOk()) { throw new Error('service down'); } return 1;")))
        .Line("after", "after risky")
        .Line("safe", "safe")
        .Connect("fork", "risky", "risky").Connect("fork", "safe", "safe").Connect("risky", "after")
        .Options(o => o.IncidentStrategy = strategy)
        .Build();

    [Fact]
    public void A_throwing_activity_records_an_incident_and_faults_the_instance()
    {
        var (runner, _) = Clock.Runner();

        var result = runner.Start(Fragile(IncidentStrategy.Fault));

        Assert.Equal(WorkflowStatus.Faulted, result.Status);
        var incident = Assert.Single(result.Effects.Incidents);
        Assert.Equal("risky", incident.ActivityId);
        Assert.Contains("service down", incident.Message);
        Assert.Equal("risky", result.State.Fault!.ActivityId);
        Assert.DoesNotContain("safe", result.Effects.Lines); // the burst stopped at the fault
    }

    [Fact]
    public void Retry_reruns_the_faulted_activity_and_continues()
    {
        var (runner, _) = Clock.Runner();
        var d = Fragile(IncidentStrategy.Fault);
        var faulted = runner.Start(d);

        faulted.State.Variables["ok"] = true; // an operator fixes the cause
        var retried = runner.RetryFaulted(d, faulted.State);

        Assert.Equal(["safe", "after risky"], retried.Effects.Lines);
        Assert.Equal(WorkflowStatus.Finished, retried.Status);
        Assert.Null(retried.State.Fault);
        Assert.Throws<WorkflowResumeException>(() => runner.RetryFaulted(d, retried.State));
    }

    [Fact]
    public void Continue_strategy_ends_only_the_failing_path()
    {
        var (runner, _) = Clock.Runner();

        var result = runner.Start(Fragile(IncidentStrategy.Continue));

        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Single(result.Effects.Incidents);
        Assert.Equal(["safe"], result.Effects.Lines);
    }

    [Fact]
    public void The_fault_activity_faults_with_its_message_and_code()
    {
        var (runner, _) = Clock.Runner();
        var d = new Flow().Act("f", "Fault", ("message", L("no unit found")), ("code", L("E42"))).Build();

        var result = runner.Start(d);

        Assert.Equal(WorkflowStatus.Faulted, result.Status);
        Assert.Equal(("no unit found", "E42"), (result.State.Fault!.Message, result.State.Fault.Code));
    }

    [Fact]
    public void Cancel_consumes_every_bookmark()
    {
        var (runner, _) = Clock.Runner();
        var d = new Flow().Act("w", "WaitForEvent", ("eventName", L("x"))).Build();
        var started = runner.Start(d);

        var cancelled = runner.Cancel(d, started.State);

        Assert.Equal(WorkflowStatus.Cancelled, cancelled.Status);
        Assert.Single(cancelled.Effects.BookmarksConsumed);
        Assert.Empty(cancelled.State.Bookmarks);
    }
}
