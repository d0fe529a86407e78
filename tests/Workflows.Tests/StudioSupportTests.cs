using System.Text.Json.Nodes;
using Liaison.Workflows.Activities;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Harness;
using Liaison.Workflows.Runtime;
using static Liaison.Testing.Flowcharts;

namespace Liaison.Workflows.Tests;

/// <summary>The engine pieces behind the Studio: version compare, the step-by-step test run, and which instances may move.</summary>
public sealed class StudioSupportTests
{
    private static WorkflowDefinition Review(string due, string after = "signed") => WorkflowDefinitionSerializer.Read(Build(
        "review",
        [
            Activity("start", "Start"),
            Activity("review", "HumanTask", new JsonObject
            {
                ["title"] = Literal("签收"),
                ["due"] = Literal(due),
                ["outcomes"] = Literal(new JsonArray("Sign", "Return")),
            }),
            Activity(after, "WriteLine", new JsonObject { ["text"] = Literal("signed") }),
        ],
        [("start", "Done", "review"), ("review", "Sign", after)]));

    [Fact]
    public void Compare_lists_changed_settings_and_added_and_removed_activities_and_connections()
    {
        var changes = DefinitionDiff.Compare(Review("P5D"), Review("P3D", after: "done"));

        Assert.Contains(changes, c => c is { Kind: ChangeKind.Changed, ActivityId: "review", Setting: "due", Before: "\"P5D\"", After: "\"P3D\"" });
        Assert.Contains(changes, c => c is { Kind: ChangeKind.Added, Subject: DefinitionDiff.Activity, ActivityId: "done" });
        Assert.Contains(changes, c => c is { Kind: ChangeKind.Removed, Subject: DefinitionDiff.Activity, ActivityId: "signed" });
        Assert.Contains(changes, c => c is { Kind: ChangeKind.Added, Subject: DefinitionDiff.ConnectionSubject, After: "review:Sign → done" });
        Assert.Empty(DefinitionDiff.Compare(Review("P5D"), Review("P5D")));
    }

    [Fact]
    public void A_test_run_waits_for_its_human_task_and_follows_the_chosen_outcome()
    {
        var run = new HarnessSession(Review("P5D"), ActivityRegistry.CreateDefault(), null, new DateTimeOffset(2025, 1, 6, 9, 0, 0, TimeSpan.Zero));
        var waiting = Assert.Single(run.State.Bookmarks);
        var task = run.TaskOf(waiting)!;
        Assert.Equal(["Sign", "Return"], task.Outcomes);
        Assert.Equal(new DateTimeOffset(2025, 1, 11, 9, 0, 0, TimeSpan.Zero), task.DueAt);

        run.Resume(waiting.Id, new JsonObject { ["outcome"] = "Sign" });
        Assert.Equal(WorkflowStatus.Finished, run.State.Status);
        Assert.Equal(["signed"], run.Lines);
        Assert.Equal(["start", "review", "signed"], run.Path);
        Assert.Throws<WorkflowResumeException>(() => run.Resume(waiting.Id, null));
    }

    [Fact]
    public void An_instance_moves_only_when_the_new_version_has_the_activity_it_waits_at()
    {
        var run = new HarnessSession(Review("P5D"), ActivityRegistry.CreateDefault(), null, DateTimeOffset.UnixEpoch);
        Assert.Null(InstanceMigration.WhyNot(run.State, Review("P5D"), Review("P3D")));

        var without = Review("P5D");
        without.Root.Activities.Single(a => a.Id == "review").Id = "approve";
        Assert.Contains("does not have", InstanceMigration.WhyNot(run.State, Review("P5D"), without), StringComparison.Ordinal);

        var retyped = Review("P5D");
        retyped.Root.Activities.Single(a => a.Id == "review").Type = "WaitForEvent";
        Assert.Contains("WaitForEvent", InstanceMigration.WhyNot(run.State, Review("P5D"), retyped), StringComparison.Ordinal);
    }
}
