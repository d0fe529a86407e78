using System.Text.Json.Nodes;

using Liaison.Workflows.Activities;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.ElsaImport;
using Liaison.Workflows.Harness;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Validation;

namespace Liaison.Workflows.Tests;

/// <summary>
/// Elsa's loops as Elsa's source runs them (Elsa.Workflows.Core/Activities: ForEach.cs, For.cs, While.cs,
/// ParallelForEachT.cs, Break.cs with Behaviors/BreakBehavior.cs): a body per iteration, CurrentValue set before
/// each, Break ending the nearest ForEach/For/While, and bodies that wait on bookmarks between bursts.
/// </summary>
public sealed class ElsaLoopTests
{
    internal static JsonObject Lit(object? value, string typeName = "String") =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = JsonValue.Create(value) } };

    internal static JsonObject Js(string script, string typeName = "Object") =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = script } };

    internal static JsonObject Obj(string json) =>
        new() { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = json } };

    internal static JsonObject Bound(string variableId) =>
        new() { ["typeName"] = "Object", ["memoryReference"] = new JsonObject { ["id"] = variableId } };

    internal static JsonObject Line(string id, JsonNode text) => new() { ["id"] = id, ["type"] = "Elsa.WriteLine", ["text"] = text };

    internal static JsonObject Connect(string from, string to, string port = "Done") =>
        new() { ["source"] = new JsonObject { ["activity"] = from, ["port"] = port }, ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" } };

    internal static JsonObject Variable(string id, string name, string typeName = "Object", object? value = null) =>
        new() { ["id"] = id, ["name"] = name, ["typeName"] = typeName, ["value"] = JsonValue.Create(value) };

    internal static JsonObject Flow(string id, JsonArray activities, JsonArray connections) =>
        new() { ["id"] = id, ["type"] = "Elsa.Flowchart", ["activities"] = activities, ["connections"] = connections };

    internal static JsonObject Sequence(string id, params JsonObject[] activities) =>
        new() { ["id"] = id, ["type"] = "Elsa.Sequence", ["activities"] = new JsonArray([.. activities]) };

    internal static JsonObject Event(string id, JsonNode name) => new() { ["id"] = id, ["type"] = "Elsa.Event", ["eventName"] = name };

    internal static string Workflow(string definitionId, JsonObject root, JsonArray? variables = null) => new JsonObject
    {
        ["definitionId"] = definitionId,
        ["name"] = definitionId,
        ["toolVersion"] = "3.2.0.0",
        ["variables"] = variables ?? [],
        ["root"] = root,
    }.ToJsonString();

    private static VirtualRunResult Run(string json, HarnessOptions? options = null)
    {
        var result = WorkflowHarness.Run(json, options);
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        return result;
    }

    // ForEach.cs: Items evaluated once; each iteration sets CurrentValue, then schedules Body; Done after the last.
    [Fact]
    public void For_each_runs_its_flowchart_body_once_per_item_with_the_current_value_then_done()
    {
        var json = Workflow(
            "foreach",
            Flow(
                "Flowchart1",
                [
                    new JsonObject
                    {
                        ["id"] = "ForEach1",
                        ["type"] = "Elsa.ForEach",
                        ["items"] = Obj("[\"苹果\",\"梨\",\"桃\"]"),
                        ["currentValue"] = Bound("v-item"),
                        ["body"] = Flow(
                            "Body1",
                            [Line("say", Js("'item ' + getItem()", "String")), Line("count", Js("setSeen(getSeen() + 1); 'seen ' + getSeen()", "String"))],
                            [Connect("say", "count")]),
                    },
                    Line("after", Js("'done after ' + getSeen() + ', last ' + getItem()", "String")),
                ],
                [Connect("ForEach1", "after")]),
            [Variable("v-item", "Item"), Variable("v-seen", "Seen", "Int32", 0)]);

        var result = Run(json);

        Assert.Equal(["item 苹果", "seen 1", "item 梨", "seen 2", "item 桃", "seen 3", "done after 3, last 桃"], result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Null(result.State!.Loops); // nothing of the loop is left in a finished instance
    }

    [Fact]
    public void For_each_over_no_items_goes_straight_to_done_and_a_javascript_list_is_read()
    {
        var empty = Run(Workflow("empty", Sequence("s", new JsonObject { ["id"] = "fe", ["type"] = "Elsa.ForEach", ["items"] = Obj("[]"), ["body"] = Line("never", Lit("never")) }, Line("end", Lit("end")))));
        Assert.Equal(["end"], empty.Lines);

        var scripted = Run(Workflow("js", Sequence("s", new JsonObject { ["id"] = "fe", ["type"] = "Elsa.ForEach", ["items"] = Js("[1, 2].map(x => x * 10)"), ["currentValue"] = Bound("v"), ["body"] = Line("say", Js("String(getX())", "String")) }), [Variable("v", "X")]));
        Assert.Equal(["10", "20"], scripted.Lines);
    }

    // For.cs: increment = end >= start; the bound is inclusive unless OuterBoundInclusive is false; counts down by Step when end < start.
    [Theory]
    [InlineData(1, 10, 3, true, "1,4,7,10")]
    [InlineData(1, 10, 3, false, "1,4,7")]
    [InlineData(0, 3, 1, false, "0,1,2")]
    [InlineData(5, 1, 2, true, "5,3,1")]
    [InlineData(5, 1, 2, false, "5,3")]
    [InlineData(2, 2, 1, false, "")]
    public void For_steps_from_start_to_end_as_elsa_counts(int start, int end, int step, bool inclusive, string expected)
    {
        var loop = new JsonObject
        {
            ["id"] = "For1",
            ["type"] = "Elsa.For",
            ["start"] = Lit(start, "Int32"),
            ["end"] = Lit(end, "Int32"),
            ["step"] = Lit(step, "Int32"),
            ["outerBoundInclusive"] = Lit(inclusive, "Boolean"),
            ["currentValue"] = Bound("v-i"),
            ["body"] = Line("say", Js("String(getI())", "String")),
        };

        var result = Run(Workflow("for", Flow("F", [loop, Line("end", Lit("end"))], [Connect("For1", "end")]), [Variable("v-i", "I", "Int32")]));

        Assert.Equal([.. expected.Split(',', StringSplitOptions.RemoveEmptyEntries), "end"], result.Lines);
    }

    [Fact]
    public void A_start_inside_a_nested_flowchart_body_starts_the_body_not_the_workflow()
    {
        var loop = new JsonObject
        {
            ["id"] = "For1",
            ["type"] = "Elsa.For",
            ["start"] = Lit(1, "Int32"),
            ["end"] = Lit(2, "Int32"),
            ["currentValue"] = Bound("v"),
            ["body"] = Flow("B", [new JsonObject { ["id"] = "bodyStart", ["type"] = "Elsa.Start" }, Line("say", Js("'#' + getI()", "String"))], [Connect("bodyStart", "say")]),
        };
        var json = Workflow("nested-start", Flow("F", [new JsonObject { ["id"] = "Start1", ["type"] = "Elsa.Start" }, Line("first", Lit("first")), loop], [Connect("Start1", "first"), Connect("first", "For1")]), [Variable("v", "I", "Int32")]);

        Assert.Equal(["first", "#1", "#2"], Run(json).Lines);
    }

    [Fact]
    public void For_without_an_outer_bound_input_includes_the_end_as_elsa_defaults()
    {
        var loop = new JsonObject { ["id"] = "For1", ["type"] = "Elsa.For", ["start"] = Lit(1, "Int32"), ["end"] = Lit(3, "Int32"), ["currentValue"] = Bound("v"), ["body"] = Line("say", Js("'#' + getI()", "String")) };
        Assert.Equal(["#1", "#2", "#3"], Run(Workflow("for", Sequence("s", loop), [Variable("v", "I", "Int32")])).Lines);
    }

    // While.cs: the condition is evaluated before every iteration; Elsa users type the script into the Boolean field.
    [Fact]
    public void While_runs_its_body_as_long_as_a_javascript_condition_holds()
    {
        var loop = new JsonObject
        {
            ["id"] = "While1",
            ["type"] = "Elsa.While",
            ["condition"] = Lit("return variables.Count < 3;", "Boolean"),
            ["body"] = Sequence(
                "Body",
                new JsonObject { ["id"] = "inc", ["type"] = "Elsa.SetVariable", ["variable"] = new JsonObject { ["id"] = "v-count", ["name"] = "Count" }, ["value"] = Js("getCount() + 1") },
                Line("say", Js("'count ' + getCount()", "String"))),
        };

        var result = Run(Workflow("while", Flow("F", [loop, Line("end", Js("'ended at ' + getCount()", "String"))], [Connect("While1", "end")]), [Variable("v-count", "Count", "Int32", 0)]));

        Assert.Equal(["count 1", "count 2", "count 3", "ended at 3"], result.Lines);
        Assert.Equal(3, result.State!.Variables["Count"]!.GetValue<int>());
    }

    [Fact]
    public void While_false_never_runs_its_body_and_an_endless_one_is_stopped_by_the_step_limit()
    {
        var never = new JsonObject { ["id"] = "w", ["type"] = "Elsa.While", ["body"] = Line("x", Lit("never")) };
        Assert.Equal(["after"], Run(Workflow("never", Sequence("s", never, Line("a", Lit("after"))))).Lines);

        var endless = new JsonObject { ["id"] = "w", ["type"] = "Elsa.While", ["condition"] = Lit(true, "Boolean"), ["body"] = new JsonObject { ["id"] = "n", ["type"] = "Elsa.FlowNode" } };
        var result = Run(Workflow("endless", Sequence("s", endless)));
        Assert.Equal(WorkflowStatus.Faulted, result.Status);
        Assert.Equal("MaxStepsExceeded", result.State!.Fault!.Code);
    }

    // Break.cs sends a BreakSignal; BreakBehavior on the nearest ForEach/For/While cancels its body and completes it.
    [Fact]
    public void Break_inside_a_nested_flowchart_body_ends_the_nearest_loop_only()
    {
        var inner = new JsonObject
        {
            ["id"] = "ForEach1",
            ["type"] = "Elsa.ForEach",
            ["items"] = Obj("[\"a\",\"b\",\"c\"]"),
            ["currentValue"] = Bound("v-letter"),
            ["body"] = Flow(
                "InnerBody",
                [
                    new JsonObject { ["id"] = "isB", ["type"] = "Elsa.FlowDecision", ["condition"] = Js("getLetter() == 'b'", "Boolean") },
                    new JsonObject { ["id"] = "stop", ["type"] = "Elsa.Break" },
                    Line("say", Js("getI() + getLetter()", "String")),
                ],
                [Connect("isB", "stop", "True"), Connect("isB", "say", "False")]),
        };
        var outer = new JsonObject
        {
            ["id"] = "For1",
            ["type"] = "Elsa.For",
            ["start"] = Lit(1, "Int32"),
            ["end"] = Lit(2, "Int32"),
            ["currentValue"] = Bound("v-i"),
            ["body"] = Flow("OuterBody", [inner, Line("endOuter", Js("'end ' + getI()", "String"))], [Connect("ForEach1", "endOuter")]),
        };

        var result = Run(Workflow("break", Flow("F", [outer, Line("end", Lit("finished"))], [Connect("For1", "end")]), [Variable("v-i", "I", "Int32"), Variable("v-letter", "Letter")]));

        Assert.Equal(["1a", "end 1", "2a", "end 2", "finished"], result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
    }

    [Fact]
    public void Break_cancels_what_else_waits_in_the_body()
    {
        // The body forks: one branch waits for an event, the other breaks; the waiting branch's bookmark goes with the loop.
        var loop = new JsonObject
        {
            ["id"] = "While1",
            ["type"] = "Elsa.While",
            ["condition"] = Lit(true, "Boolean"),
            ["body"] = new JsonObject
            {
                ["id"] = "fork",
                ["type"] = "Elsa.Fork",
                ["branches"] = new JsonArray(Event("wait", Lit("never")), Sequence("b", Line("x", Lit("breaking")), new JsonObject { ["id"] = "stop", ["type"] = "Elsa.Break" })),
            },
        };

        var result = Run(Workflow("break-fork", Sequence("s", loop, Line("a", Lit("after")))));

        Assert.Equal(["breaking", "after"], result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Empty(result.State!.Bookmarks);
    }

    [Fact]
    public void A_merge_inside_a_loop_body_goes_on_while_another_branch_of_the_workflow_waits()
    {
        var loop = new JsonObject
        {
            ["id"] = "ForEach1",
            ["type"] = "Elsa.ForEach",
            ["items"] = Obj("[1, 2, 3]"),
            ["currentValue"] = Bound("v"),
            ["body"] = Flow(
                "B",
                [
                    new JsonObject { ["id"] = "odd", ["type"] = "Elsa.FlowDecision", ["condition"] = Js("getN() % 2 == 1", "Boolean") },
                    Line("o", Js("getN() + ' odd'", "String")),
                    Line("e", Js("getN() + ' even'", "String")),
                    Line("merged", Js("'merged ' + getN()", "String")),
                ],
                [Connect("odd", "o", "True"), Connect("odd", "e", "False"), Connect("o", "merged"), Connect("e", "merged")]),
        };
        var json = Workflow(
            "merge-in-body",
            new JsonObject { ["id"] = "fork", ["type"] = "Elsa.Fork", ["joinMode"] = Lit("WaitAll"), ["branches"] = new JsonArray(Event("wait", Lit("later")), loop) },
            [Variable("v", "N")]);

        var result = Run(json);

        // The decision's untaken branch cannot deliver: the merge goes on each time, though the event branch still waits.
        Assert.Equal(["1 odd", "merged 1", "2 even", "merged 2", "3 odd", "merged 3"], result.Lines);
        Assert.Equal(WorkflowStatus.Suspended, result.Status);
        Assert.Null(result.State!.Loops);
    }

    // The durable engine stores the state as JSON between bursts: each resume starts from the round-tripped state.
    [Fact]
    public void A_for_each_body_that_waits_on_a_bookmark_resumes_to_the_next_item()
    {
        var definition = ElsaImporter.Import(Workflow(
            "wait-each",
            Sequence(
                "s",
                new JsonObject
                {
                    ["id"] = "ForEach1",
                    ["type"] = "Elsa.ForEach",
                    ["items"] = Obj("[\"一\",\"二\",\"三\"]"),
                    ["currentValue"] = Bound("v"),
                    ["body"] = Sequence("body", Line("before", Js("'waiting for ' + getItem()", "String")), Event("wait", Lit("Next")), Line("after", Js("'got ' + getItem() + ' ' + getLastResult()", "String"))),
                },
                Line("end", Lit("all done"))),
            [Variable("v", "Item")]));
        var (runner, _) = Clock.Runner();

        var result = runner.Start(definition, correlationKey: "k");
        var lines = new List<string>(result.Effects.Lines);
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(WorkflowStatus.Suspended, result.Status);
            var state = WorkflowInstanceState.FromJson(result.State.ToJson());
            Assert.Single(state.Bookmarks);
            result = runner.PublishEvent(definition, state, "Next", "k", JsonValue.Create(i));
            lines.AddRange(result.Effects.Lines);
        }

        Assert.Equal(["waiting for 一", "got 一 1", "waiting for 二", "got 二 2", "waiting for 三", "got 三 3", "all done"], lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
    }

    [Fact]
    public void An_instance_inside_a_loop_migrates_only_to_a_version_that_keeps_the_loop()
    {
        static string Version(string loopType) => Workflow(
            "migrate",
            Sequence("s", new JsonObject { ["id"] = "L", ["type"] = loopType, ["items"] = Obj("[1,2]"), ["condition"] = Lit(true, "Boolean"), ["body"] = Event("wait", Lit("Next")) }));
        var source = ElsaImporter.Import(Version("Elsa.ForEach"));
        var (runner, _) = Clock.Runner();
        var waiting = runner.Start(source).State;

        Assert.Null(Liaison.Workflows.Durable.InstanceMigration.WhyNot(waiting, source, ElsaImporter.Import(Version("Elsa.ForEach"))));
        Assert.Contains("inside the loop 'L'", Liaison.Workflows.Durable.InstanceMigration.WhyNot(waiting, source, ElsaImporter.Import(Version("Elsa.While"))), StringComparison.Ordinal);
    }

    // ParallelForEachT.cs: a body per item at once, each with its own CurrentValue and CurrentIndex variables; done when all are.
    [Fact]
    public void Parallel_for_each_starts_a_body_per_item_each_with_its_own_current_value_and_finishes_when_all_have()
    {
        var definition = ElsaImporter.Import(Workflow(
            "parallel",
            Flow(
                "F",
                [
                    new JsonObject
                    {
                        ["id"] = "P",
                        ["type"] = "Elsa.ParallelForEach",
                        ["items"] = Obj("[\"甲\",\"乙\",\"丙\"]"),
                        ["body"] = Sequence(
                            "body",
                            Line("start", Js("'start ' + getCurrentValue() + '#' + getCurrentIndex()", "String")),
                            Event("wait", Js("'approve-' + getCurrentValue()", "String")),
                            Line("end", Js("'approved ' + variables.CurrentValue", "String"))),
                    },
                    Line("all", Lit("all approved")),
                ],
                [Connect("P", "all")])));
        var (runner, _) = Clock.Runner();

        var result = runner.Start(definition, correlationKey: "k");
        Assert.Equal(["start 甲#0", "start 乙#1", "start 丙#2"], result.Effects.Lines);
        Assert.Equal(new[] { "approve-甲", "approve-乙", "approve-丙" }.Order(StringComparer.Ordinal), result.State.Bookmarks.Select(b => b.EventName!).Order(StringComparer.Ordinal));
        var lines = new List<string>();
        foreach (var name in new[] { "approve-丙", "approve-甲", "approve-乙" })
        {
            Assert.Equal(WorkflowStatus.Suspended, result.Status);
            result = runner.PublishEvent(definition, WorkflowInstanceState.FromJson(result.State.ToJson()), name, "k");
            lines.AddRange(result.Effects.Lines);
        }

        Assert.Equal(["approved 丙", "approved 甲", "approved 乙", "all approved"], lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Null(result.State.Frames);
    }

    [Fact]
    public void A_for_each_inside_a_parallel_body_runs_once_per_item_scope()
    {
        var json = Workflow(
            "nested",
            Sequence(
                "s",
                new JsonObject
                {
                    ["id"] = "P",
                    ["type"] = "Elsa.ParallelForEach",
                    ["items"] = Obj("[\"x\",\"y\"]"),
                    ["body"] = new JsonObject { ["id"] = "inner", ["type"] = "Elsa.ForEach", ["items"] = Obj("[1,2]"), ["currentValue"] = Bound("n"), ["body"] = Line("say", Js("getCurrentValue() + getN()", "String")) },
                },
                Line("end", Lit("end"))),
            [Variable("n", "N")]);

        var result = Run(json);

        // Each item's inner loop has its own position; the order interleaves the two bodies step by step.
        Assert.Equal(["x1", "y1", "x2", "y2", "end"], result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
    }

    // DispatchWorkflow.cs: WaitForCompletion bookmarks the parent; the child's completion resumes it with the child's output as Result.
    [Fact]
    public void Dispatch_workflow_waiting_for_completion_goes_on_with_the_childs_output()
    {
        var child = WorkflowHarness.Load(Workflow(
            "child",
            Sequence(
                "s",
                Line("c", Js("'child got ' + getInput('n') + ' from a parent: ' + (getInput('ParentInstanceId') != null)", "String")),
                new JsonObject { ["id"] = "out", ["type"] = "Elsa.SetOutput", ["outputName"] = Lit("doubled"), ["outputValue"] = Js("getInput('n') * 2") }))).Definition;
        var parent = Workflow(
            "parent",
            Sequence(
                "s",
                new JsonObject { ["id"] = "go", ["type"] = "Elsa.DispatchWorkflow", ["workflowDefinitionId"] = Lit("child"), ["input"] = Obj("{\"n\":21}"), ["waitForCompletion"] = Lit(true, "Boolean"), ["result"] = Bound("r") },
                Line("p", Js("'parent got ' + getR().doubled", "String"))),
            [Variable("r", "R")]);

        var result = Run(parent, new HarnessOptions { ResolveDefinition = id => id == "child" ? child : null });

        Assert.Equal(["child got 21 from a parent: true", "parent got 42"], result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
    }

    // The native format expresses the same loops: a Body port leading to the body, Done leading on.
    [Fact]
    public void Native_loops_validate_and_run_with_a_body_port()
    {
        var json = """
        {
          "definitionId": "native-loop",
          "name": "native loop",
          "variables": [{ "name": "Total", "type": "Int32", "default": 0 }],
          "root": {
            "activities": [
              { "id": "each", "type": "ForEach", "inputs": { "items": { "kind": "Object", "value": [2, 3, 4] } }, "outputs": { "CurrentValue": "Item" } },
              { "id": "add", "type": "SetVariable", "inputs": { "variable": { "kind": "Literal", "value": "Total" }, "value": { "kind": "JavaScript", "value": "variables.Total + variables.Item" } } },
              { "id": "stop", "type": "Decision", "inputs": { "condition": { "kind": "JavaScript", "value": "variables.Total >= 5" } } },
              { "id": "brk", "type": "Break" },
              { "id": "say", "type": "WriteLine", "inputs": { "text": { "kind": "JavaScript", "value": "'total ' + variables.Total" } } }
            ],
            "connections": [
              { "source": { "activity": "each", "port": "Body" }, "target": { "activity": "add" } },
              { "source": { "activity": "add" }, "target": { "activity": "stop" } },
              { "source": { "activity": "stop", "port": "True" }, "target": { "activity": "brk" } },
              { "source": { "activity": "each", "port": "Done" }, "target": { "activity": "say" } }
            ]
          }
        }
        """;

        var (format, definition, problems) = WorkflowHarness.Validate(json);
        Assert.Equal(WorkflowFileFormat.Native, format);
        Assert.Empty(problems);
        var result = WorkflowHarness.Run(json);
        Assert.Equal(["total 5"], result.Lines);
        Assert.Equal(["Body", "Done"], ActivityRegistry.CreateDefault().Get("ForEach").Descriptor.Ports);
        _ = definition;
    }

    [Fact]
    public void Loops_imported_from_elsa_keep_a_valid_serialisable_native_model()
    {
        var definition = ElsaImporter.Import(Workflow("ser", Sequence("s", new JsonObject { ["id"] = "w", ["type"] = "Elsa.While", ["body"] = Flow("b", [Line("x", Lit("x")), new JsonObject { ["id"] = "k", ["type"] = "Elsa.Break" }], [Connect("x", "k")]) })));
        var again = WorkflowDefinitionSerializer.Read(WorkflowDefinitionSerializer.Write(definition));

        Assert.Empty(new WorkflowValidator(ActivityRegistry.CreateDefault()).Validate(again));
        Assert.Contains(again.Root.Connections, c => c.Source.Activity == "w" && c.Source.Port == "Body" && c.Target.Activity == "x");
    }
}
