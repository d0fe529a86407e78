using Liaison.Workflows.Harness;
using Liaison.Workflows.Runtime;

namespace Liaison.Workflows.Tests;

/// <summary>
/// Elsa 3 files collected from public repositories (ElsaCorpus/SOURCES.md says where each comes from): each
/// validates and runs to what Elsa reaches (Elsa's own test asserts it where there is one), or is refused
/// with the reason docs/elsa-compatibility.md gives.
/// </summary>
public sealed class ElsaCorpusTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "ElsaCorpus");

    /// <summary>File → lines Elsa writes (null: not asserted) and the status it ends in; or the code Liaison refuses it with.</summary>
    private static readonly Dictionary<string, (string[]? Lines, WorkflowStatus? Status, string? RefusedWith)> Expected = new(StringComparer.Ordinal)
    {
        // ExplicitJoinWaitAnyTests: "Start; End", Finished.
        ["join-any-1.json"] = (["Start", "End"], WorkflowStatus.Finished, null),

        // ExplicitJoinWaitAllTests expects "Branch 1", "Branch 2", "End". Documented difference (docs/elsa-compatibility.md,
        // "fault beside a join"): Liaison runs the Fault on the decision's False branch before the join it releases, so
        // the instance faults and "End" is not written.
        ["join-active-branches-only.json"] = (["Branch 1", "Branch 2"], WorkflowStatus.Faulted, null),

        // ExplicitJoinWaitAllInboundTests: the join blocks, the instance stays suspended.
        ["join-wait-all-inbound.json"] = ([], WorkflowStatus.Suspended, null),

        // ForkDecisionJoinTests.ImplicitJoinConvergeShouldNotExecute: only "A".
        ["fork-decision-join-converge.json"] = (["A"], null, null),

        // Elsa starts at FlowJoin1 ("start"), which leads nowhere, and finishes. Liaison refuses the file: FlowSwitch1
        // has a connection from a "Done" port FlowSwitch does not have (an early 3.0 designer wrote it).
        ["angular-dashboard-export-3.0.json"] = (null, null, Validation.ValidationCodes.UnknownPort),

        // HTTP samples: run without a request they wait at their HttpEndpoint, as Elsa's instance waits for its trigger.
        // HttpWorkflowTests sends them requests and checks the responses.
        ["http-hello-world.json"] = ([], WorkflowStatus.Suspended, null),
        ["http-post-users-api.json"] = ([], WorkflowStatus.Suspended, null),
        ["http-weatherforecast.json"] = ([], WorkflowStatus.Suspended, null),

        // Loops, written for this corpus in the shape of Elsa Studio 3.2–3.5 exports (SOURCES.md). ForEach.cs: one body
        // run per item with CurrentValue captured into Order; the nested flowchart's decision per order.
        ["loop-foreach-orders.json"] = (["Order A-100 approved automatically", "Order A-101 needs a manager's approval", "Order A-102 approved automatically", "Total: 2195"], WorkflowStatus.Finished, null),

        // For.cs with step 3 and an inclusive bound: 1, 4, 7, 10; at 10 the body's Break (BreakBehavior) ends the For;
        // While.cs evaluates its JavaScript condition (typed into the Boolean field) before each of the three attempts.
        ["loop-for-while-break.json"] = (["Reading page 1", "Reading page 4", "Reading page 7", "Attempt 1", "Attempt 2", "Attempt 3", "Stopped at page 10 after 3 attempts"], WorkflowStatus.Finished, null),

        // ParallelForEachT.cs: a body per unit with its own CurrentValue; the dispatches are recorded (no resolver here),
        // the summary runs once every body has ended.
        ["loop-parallel-dispatch.json"] = (["Dispatched to 交通局", "Dispatched to 住建局", "Dispatched to 教育局", "All units notified"], WorkflowStatus.Finished, null),

        // Composition (SOURCES.md): run alone, the child rates a missing title; the parent waits at ExecuteWorkflow
        // for a child no resolver finds. Composed_files_run_the_child_through_both_elsa_forms runs them together.
        ["compose-check-urgency.json"] = (["Checked (no title)"], WorkflowStatus.Finished, null),
        ["compose-handle-suggestion.json"] = ([], WorkflowStatus.Suspended, null),

        // The documented minimal template writes its one line.
        ["plugin-minimal-template.json"] = (["<your message>"], WorkflowStatus.Finished, null),
    };

    public static TheoryData<string> Files() => [.. Directory.EnumerateFiles(Folder, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_file_runs_to_what_elsa_reaches_or_is_refused_with_the_documented_reason(string file)
    {
        Assert.True(Expected.TryGetValue(file, out var expected), $"{file} has no expected outcome in {nameof(ElsaCorpusTests)}");
        var result = WorkflowHarness.RunFile(Path.Combine(Folder, file));

        Assert.Equal(WorkflowFileFormat.Elsa, result.Format);
        if (expected.RefusedWith is { } code)
        {
            Assert.Contains(result.Problems, p => p.Code == code);
            return;
        }

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        if (expected.Lines is { } lines)
        {
            Assert.Equal(lines, result.Lines);
        }

        if (expected.Status is { } status)
        {
            Assert.Equal(status, result.Status);
        }
    }

    // ExecuteWorkflow.cs and WorkflowDefinitionActivity: the parent runs the published child twice, taking its output.
    [Fact]
    public void Composed_files_run_the_child_through_both_elsa_forms()
    {
        var child = WorkflowHarness.Load(File.ReadAllText(Path.Combine(Folder, "compose-check-urgency.json"))).Definition;
        var result = WorkflowHarness.Run(
            File.ReadAllText(Path.Combine(Folder, "compose-handle-suggestion.json")),
            new HarnessOptions { ResolveDefinition = id => id == child.DefinitionId ? child : null });

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(["Checked 紧急：道路积水", "First: high", "Checked 路灯维修", "Second: normal"], result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
    }
}
