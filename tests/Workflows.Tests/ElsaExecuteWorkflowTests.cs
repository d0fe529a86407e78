using System.Text.Json.Nodes;

using Liaison.Workflows.Definitions;
using Liaison.Workflows.Harness;
using Liaison.Workflows.Runtime;

using static Liaison.Workflows.Tests.ElsaLoopTests;

namespace Liaison.Workflows.Tests;

/// <summary>
/// Elsa workflow composition in the harness: Elsa.ExecuteWorkflow (ExecuteWorkflow.cs) and a published workflow
/// used as an activity (WorkflowDefinitionActivity), both run as DispatchWorkflow waiting for the child.
/// </summary>
public sealed class ElsaExecuteWorkflowTests
{
    private static WorkflowDefinition Child() => WorkflowHarness.Load(Workflow(
        "doubler",
        Sequence(
            "s",
            Line("c", Js("'child got ' + getInput('n')", "String")),
            new JsonObject { ["id"] = "out", ["type"] = "Elsa.SetOutput", ["outputName"] = Lit("doubled"), ["outputValue"] = Js("getInput('n') * 2") }))).Definition;

    private static VirtualRunResult Run(string json, WorkflowDefinition? child)
    {
        var result = WorkflowHarness.Run(json, new HarnessOptions { ResolveDefinition = id => id == child?.DefinitionId ? child : null });
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        return result;
    }

    // ExecuteWorkflow.cs: the published child runs with Input; the parent goes on with the child's output as Result.
    [Fact]
    public void Execute_workflow_waits_for_the_child_and_takes_its_output()
    {
        var parent = Workflow(
            "parent",
            Sequence(
                "s",
                new JsonObject { ["id"] = "run", ["type"] = "Elsa.ExecuteWorkflow", ["workflowDefinitionId"] = Lit("doubler"), ["input"] = Obj("{\"n\":21}"), ["result"] = Bound("r") },
                Line("p", Js("'parent got ' + getR().doubled", "String"))),
            [Variable("r", "R")]);

        var result = Run(parent, Child());

        Assert.Equal(["child got 21", "parent got 42"], result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Single(result.Dispatched);
    }

    // WaitForCompletion false: the parent goes on at once, without the child's output.
    [Fact]
    public void Execute_workflow_without_waiting_goes_on_at_once()
    {
        var parent = Workflow(
            "parent",
            Sequence(
                "s",
                new JsonObject { ["id"] = "run", ["type"] = "Elsa.ExecuteWorkflow", ["workflowDefinitionId"] = Lit("doubler"), ["input"] = Obj("{\"n\":1}"), ["waitForCompletion"] = Lit(false, "Boolean") },
                Line("p", Lit("parent goes on"))));

        var result = Run(parent, Child());

        Assert.Equal(["parent goes on", "child got 1"], result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
    }

    // WorkflowDefinitionActivity: type = the child's name, workflowDefinitionId names it; inputs in, outputs out.
    [Fact]
    public void A_workflow_used_as_an_activity_passes_its_inputs_and_returns_the_childs_outputs()
    {
        var parent = Workflow(
            "parent",
            Sequence(
                "s",
                new JsonObject
                {
                    ["id"] = "dbl",
                    ["type"] = "Doubler",
                    ["version"] = 1,
                    ["workflowDefinitionId"] = "doubler",
                    ["workflowDefinitionVersionId"] = "doubler-v1",
                    ["latestAvailablePublishedVersion"] = 1,
                    ["n"] = Js("20 + 1"),
                    ["doubled"] = Bound("d"),
                },
                Line("p", Js("'parent got ' + getD()", "String"))),
            [Variable("d", "D")]);

        var result = Run(parent, Child());

        Assert.Equal(["child got 21", "parent got 42"], result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
        var node = result.Definition!.FindActivity("dbl");
        Assert.NotNull(node);
        Assert.Equal("DispatchWorkflow", node.Type);
    }

    // A missing child: the harness only records the dispatch, so the waiting parent stays suspended (the durable
    // engine refuses the burst instead: DurableExecuteWorkflowTests).
    [Fact]
    public void Execute_workflow_of_an_unknown_definition_leaves_the_parent_waiting_in_the_harness()
    {
        var parent = Workflow(
            "parent",
            Sequence("s", new JsonObject { ["id"] = "run", ["type"] = "Elsa.ExecuteWorkflow", ["workflowDefinitionId"] = Lit("nowhere") }, Line("p", Lit("never"))));

        var result = Run(parent, Child());

        Assert.Empty(result.Lines);
        Assert.Equal(WorkflowStatus.Suspended, result.Status);
    }

    // An Elsa.* type is never taken for a workflow used as an activity, even with a workflowDefinitionId.
    [Fact]
    public void An_unknown_elsa_type_with_a_definition_id_stays_unsupported()
    {
        var parent = Workflow("parent", Sequence("s", new JsonObject { ["id"] = "x", ["type"] = "Elsa.Nonexistent", ["workflowDefinitionId"] = "doubler" }));

        var result = WorkflowHarness.Run(parent, new HarnessOptions());

        Assert.False(result.IsValid);
    }
}
