using System.Text.Json.Nodes;

using Liaison.Workflows.Definitions;
using Liaison.Workflows.Runtime;

using static Liaison.Workflows.Tests.Flow;

namespace Liaison.Workflows.Tests;

/// <summary>Token flow, merge modes, joins and loops.</summary>
public sealed class RuntimeTests
{
    private static Flow Diamond(MergeMode? mode) => new Flow()
        .Act("fork", "Fork", ("branches", InputValue.Object(new JsonArray("a", "b"))))
        .Line("A", "A").Line("B", "B").Line("C", "C")
        .Connect("fork", "A", "a").Connect("fork", "B", "b")
        .Connect("A", "C").Connect("B", "C")
        .Also(f => { if (mode is { } m) { f.Mode("C", m); } });

    [Fact]
    public void Default_merge_runs_the_join_target_once_after_both_branches()
    {
        var (runner, _) = Clock.Runner();
        var result = runner.Start(Diamond(null).Build());

        Assert.Equal(["A", "B", "C"], result.Effects.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
    }

    [Fact]
    public void Stream_runs_the_target_once_per_token()
    {
        var (runner, _) = Clock.Runner();
        var result = runner.Start(Diamond(MergeMode.Stream).Build());

        Assert.Equal(["A", "B", "C", "C"], result.Effects.Lines);
    }

    private static WorkflowDefinition DecisionIntoJoin(MergeMode mode) => new Flow()
        .Act("start", "Start")
        .Act("decide", "Decision", ("condition", Js("return false;")))
        .Line("A", "A").Line("B", "B").Line("C", "C")
        .Connect("start", "A").Connect("start", "decide")
        .Connect("decide", "B", "True")
        .Connect("A", "C").Connect("B", "C")
        .Mode("C", mode)
        .Build();

    [Fact]
    public void Merge_does_not_wait_for_a_branch_that_can_no_longer_deliver()
    {
        var (runner, _) = Clock.Runner();
        var result = runner.Start(DecisionIntoJoin(MergeMode.Merge));

        Assert.Equal(["A", "C"], result.Effects.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
    }

    [Fact]
    public void Converge_waits_for_every_inbound_connection_even_untaken_ones()
    {
        var (runner, _) = Clock.Runner();
        var result = runner.Start(DecisionIntoJoin(MergeMode.Converge));

        Assert.Equal(["A"], result.Effects.Lines);
    }

    [Fact]
    public void Join_wait_all_waits_for_a_branch_behind_a_timer()
    {
        var (runner, time) = Clock.Runner();
        var d = new Flow()
            .Act("fork", "Fork", ("branches", InputValue.Object(new JsonArray("fast", "slow"))))
            .Line("fast", "fast")
            .Act("wait", "Delay", ("duration", L("01:00:00")))
            .Act("join", "Join", ("mode", L("WaitAll")))
            .Line("after", "joined")
            .Connect("fork", "fast", "fast").Connect("fork", "wait", "slow")
            .Connect("fast", "join").Connect("wait", "join").Connect("join", "after")
            .Build();

        var first = runner.Start(d);
        Assert.Equal(["fast"], first.Effects.Lines);
        Assert.Equal(WorkflowStatus.Suspended, first.Status);

        time.Advance(TimeSpan.FromHours(1));
        var second = runner.ResumeDueTimers(d, first.State);
        Assert.Equal(["joined"], second.Effects.Lines);
        Assert.Equal(WorkflowStatus.Finished, second.Status);
    }

    [Fact]
    public void Join_wait_any_continues_on_the_first_branch_and_cancels_the_other_wait()
    {
        var (runner, time) = Clock.Runner();
        var d = new Flow()
            .Act("fork", "Fork", ("branches", InputValue.Object(new JsonArray("task", "deadline"))))
            .Act("task", "HumanTask", ("title", L("Reply")))
            .Act("deadline", "Delay", ("duration", L("P1D")))
            .Act("join", "Join", ("mode", L("WaitAny")))
            .Line("after", "moving on")
            .Connect("fork", "task", "task").Connect("fork", "deadline", "deadline")
            .Connect("task", "join").Connect("deadline", "join").Connect("join", "after")
            .Build();

        var started = runner.Start(d);
        Assert.Equal(2, started.State.Bookmarks.Count);

        time.Advance(TimeSpan.FromDays(1));
        var fired = runner.ResumeDueTimers(d, started.State);

        Assert.Equal(["moving on"], fired.Effects.Lines);
        Assert.Equal(WorkflowStatus.Finished, fired.Status);
        Assert.Empty(fired.State.Bookmarks);
        Assert.Contains(fired.Effects.BookmarksConsumed, b => b.Kind == BookmarkKind.HumanTask);
    }

    [Fact]
    public void Loops_back_to_earlier_activities()
    {
        var (runner, _) = Clock.Runner();
        var d = new Flow()
            .Var("i", VariableType.Int32, 0)
            .Act("start", "Start")
            .Act("inc", "SetVariable", ("variable", L("i")), ("value", Js("getI() + 1")))
            .Act("line", "WriteLine", ("text", InputValue.Liquid("round {{ i }}")))
            .Act("more", "Decision", ("condition", Js("getVariable('i') < 3")))
            .Line("done", "done")
            .Connect("start", "inc").Connect("inc", "line").Connect("line", "more")
            .Connect("more", "inc", "True").Connect("more", "done", "False")
            .Build();

        var result = runner.Start(d);

        Assert.Equal(["round 1", "round 2", "round 3", "done"], result.Effects.Lines);
        Assert.Equal(3, result.State.Variables["i"]!.GetValue<int>());
    }

    [Fact]
    public void A_runaway_loop_faults_with_a_clear_message()
    {
        var (runner, _) = Clock.Runner(maxSteps: 100);
        var d = new Flow().Act("start", "Start").Line("a", "a").Line("b", "b")
            .Connect("start", "a").Connect("a", "b").Connect("b", "a").Build();

        var result = runner.Start(d);

        Assert.Equal(WorkflowStatus.Faulted, result.Status);
        Assert.Contains("more than 100 activities", result.State.Fault!.Message);
        Assert.Contains("endless loop", result.State.Fault.Message);
    }

    [Fact]
    public void Switch_routes_to_the_matching_case_or_default()
    {
        var (runner, _) = Clock.Runner();
        var cases = JsonNode.Parse("""[{"name":"High","condition":"getInput('priority') > 2"},{"name":"Low","condition":"getInput('priority') != null && getInput('priority') <= 2"}]""");
        var d = new Flow()
            .Act("switch", "Switch", ("cases", InputValue.Object(cases)))
            .Line("high", "high").Line("low", "low").Line("other", "other")
            .Connect("switch", "high", "High").Connect("switch", "low", "Low").Connect("switch", "other", "Default")
            .Build();

        Assert.Equal(["high"], runner.Start(d, new Dictionary<string, JsonNode?> { ["priority"] = 5 }).Effects.Lines);
        Assert.Equal(["low"], runner.Start(d, new Dictionary<string, JsonNode?> { ["priority"] = 1 }).Effects.Lines);
        Assert.Equal(["other"], runner.Start(d).Effects.Lines);
    }

    [Fact]
    public void Finish_sets_output_and_stops_other_paths()
    {
        var (runner, _) = Clock.Runner();
        var d = new Flow()
            .Act("fork", "Fork", ("branches", InputValue.Object(new JsonArray("a", "b"))))
            .Act("finish", "Finish", ("output", InputValue.Object(JsonNode.Parse("""{"ok":true}"""))))
            .Act("wait", "WaitForEvent", ("eventName", L("never")))
            .Connect("fork", "wait", "a").Connect("fork", "finish", "b")
            .Build();

        var result = runner.Start(d);

        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Empty(result.State.Bookmarks);
        Assert.True(result.State.Output!["ok"]!.GetValue<bool>());
    }

    [Fact]
    public void Journal_records_start_and_completion_with_port()
    {
        var (runner, _) = Clock.Runner();
        var d = new Flow().Act("d", "Decision", ("condition", L("true"))).Line("t", "t").Connect("d", "t", "True").Build();

        var journal = runner.Start(d).Effects.Journal;

        Assert.Contains(journal, j => j is { ActivityId: "d", Kind: JournalKind.Completed, Port: "True" });
        Assert.Contains(journal, j => j is { ActivityId: "t", Kind: JournalKind.Started });
        Assert.All(journal, j => Assert.Equal(Clock.Monday, j.At));
    }
}

internal static class FlowExtensions
{
    public static Flow Also(this Flow flow, Action<Flow> action)
    {
        action(flow);
        return flow;
    }
}
