using System.Text;
using System.Text.Json.Nodes;

using Liaison.Workflows.Activities;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.ElsaImport;
using Liaison.Workflows.Harness;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Validation;

namespace Liaison.Workflows.Tests;

/// <summary>
/// Elsa 3 files as their users write them: each test states the behaviour Elsa's source shows (the file and
/// method named in the test) and checks Liaison gives the same.
/// </summary>
public sealed class ElsaCompatibilityTests
{
    private static JsonObject Lit(object? value, string typeName = "String") =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = JsonValue.Create(value) } };

    private static JsonObject Js(string script, string typeName = "Object") =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = script } };

    private static JsonObject Line(string id, JsonNode text) => new() { ["id"] = id, ["type"] = "Elsa.WriteLine", ["text"] = text };

    private static JsonObject Line(string id, string text) => Line(id, Lit(text));

    private static JsonObject Connect(string from, string to, string port = "Done") =>
        new() { ["source"] = new JsonObject { ["activity"] = from, ["port"] = port }, ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" } };

    private static string Flowchart(JsonArray activities, JsonArray connections, JsonArray? variables = null) => new JsonObject
    {
        ["definitionId"] = "elsa-test",
        ["name"] = "Elsa test",
        ["toolVersion"] = "3.2.0.0",
        ["variables"] = variables ?? [],
        ["root"] = new JsonObject { ["id"] = "Flowchart1", ["type"] = "Elsa.Flowchart", ["activities"] = activities, ["connections"] = connections },
    }.ToJsonString();

    private static JsonObject Variable(string id, string name, string typeName, object? value = null) =>
        new() { ["id"] = id, ["name"] = name, ["typeName"] = typeName, ["value"] = JsonValue.Create(value) };

    private static VirtualRunResult Run(string json, HarnessOptions? options = null)
    {
        var result = WorkflowHarness.Run(json, options);
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        return result;
    }

    // Elsa.Workflows.Core/Activities/Sequence.cs: each child is scheduled when the previous one completes.
    [Fact]
    public void A_sequence_root_without_tool_version_is_elsa_and_runs_its_children_one_after_another()
    {
        var json = new JsonObject
        {
            ["id"] = "seq",
            ["root"] = new JsonObject
            {
                ["id"] = "Sequence1",
                ["type"] = "Elsa.Sequence",
                ["activities"] = new JsonArray(
                    Line("a", "one"),
                    new JsonObject
                    {
                        ["id"] = "if",
                        ["type"] = "Elsa.If",
                        ["condition"] = Js("1 > 2", "Boolean"),
                        ["then"] = Line("t", "then"),
                        ["else"] = new JsonObject { ["id"] = "inner", ["type"] = "Elsa.Sequence", ["activities"] = new JsonArray(Line("e1", "else 1"), Line("e2", "else 2")) },
                    },
                    Line("c", "three")),
            },
        }.ToJsonString();

        Assert.Equal(WorkflowFileFormat.Elsa, WorkflowHarness.DetectFormat(json));
        var result = Run(json);

        Assert.Equal(["one", "else 1", "else 2", "three"], result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
    }

    // Elsa.Workflows.Core/Activities/Fork.cs: every branch starts; JoinMode WaitAll waits for all, WaitAny for the first.
    [Theory]
    [InlineData("WaitAll", new[] { "a", "b1", "b2", "after" })]
    [InlineData("WaitAny", new[] { "a", "after" })]
    public void An_elsa_fork_joins_its_branches_by_its_join_mode(string joinMode, string[] expected)
    {
        var json = new JsonObject
        {
            ["root"] = new JsonObject
            {
                ["type"] = "Elsa.Sequence",
                ["activities"] = new JsonArray(
                    new JsonObject
                    {
                        ["id"] = "fork",
                        ["type"] = "Elsa.Fork",
                        ["joinMode"] = Lit(joinMode),
                        ["branches"] = new JsonArray(
                            Line("a", "a"),
                            new JsonObject
                            {
                                ["id"] = "slow",
                                ["type"] = "Elsa.Sequence",
                                ["activities"] = new JsonArray(new JsonObject { ["id"] = "wait", ["type"] = "Elsa.Delay", ["timeSpan"] = Lit("00:01:00", "TimeSpan") }, Line("b1", "b1"), Line("b2", "b2")),
                            }),
                    },
                    Line("after", "after")),
            },
        }.ToJsonString();

        var result = Run(json);

        Assert.Equal(expected, result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
    }

    // Elsa.Workflows.Core/Activities/Switch.cs: the first matching case runs, else Default.
    [Fact]
    public void An_elsa_switch_runs_the_first_matching_case()
    {
        var json = new JsonObject
        {
            ["variables"] = new JsonArray(Variable("v1", "Age", "Int32", 20)),
            ["root"] = new JsonObject
            {
                ["type"] = "Elsa.Switch",
                ["id"] = "sw",
                ["cases"] = new JsonArray(
                    new JsonObject { ["label"] = "Child", ["condition"] = Js("getAge() < 18", "Boolean"), ["activity"] = Line("c", "child") },
                    new JsonObject { ["label"] = "Adult", ["condition"] = Js("getAge() >= 18", "Boolean"), ["activity"] = Line("a", "adult") }),
                ["default"] = Line("d", "unknown"),
            },
        }.ToJsonString();

        Assert.Equal(["adult"], Run(json).Lines);
    }

    [Fact]
    public void An_elsa_2_file_is_named_as_such()
    {
        const string elsa2 = """
        {"$id":"1","definitionId":"d","version":1,"isSingleton":false,"persistenceBehavior":"WorkflowBurst",
         "activities":[{"activityId":"a1","type":"WriteLine","properties":[{"name":"Text","expressions":{"Literal":"hi"}}]}],
         "connections":[{"sourceActivityId":"a1","targetActivityId":"a2","outcome":"Done"}]}
        """;

        var ex = Assert.Throws<WorkflowFileException>(() => WorkflowHarness.Load(elsa2));

        Assert.Contains("Elsa 2 workflow file", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Elsa 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_types_are_listed_once_each_with_what_to_do()
    {
        var json = Flowchart(
            [
                new JsonObject { ["id"] = "s", ["type"] = "Elsa.Start" },
                new JsonObject { ["id"] = "x1", ["type"] = "Acme.ScoreApplicant" },
                new JsonObject { ["id"] = "x2", ["type"] = "Acme.ScoreApplicant" },
                new JsonObject { ["id"] = "ai", ["type"] = "Elsa.Agents.CopywriterAgent" },
            ],
            [Connect("s", "x1"), Connect("x1", "x2"), Connect("x2", "ai")]);

        var (_, _, problems) = WorkflowHarness.Validate(json);

        var acme = Assert.Single(problems, p => p.Message.Contains("Acme.ScoreApplicant", StringComparison.Ordinal));
        Assert.Equal(ValidationCodes.UnsupportedActivity, acme.Code);
        Assert.Contains("2 activities (x1, x2)", acme.Message, StringComparison.Ordinal);
        Assert.Contains("register an activity of that name", acme.Message, StringComparison.Ordinal);
        var agent = Assert.Single(problems, p => p.Message.Contains("Elsa.Agents.CopywriterAgent", StringComparison.Ordinal));
        Assert.Contains("AI agent", agent.Message, StringComparison.Ordinal);
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void An_unknown_port_is_reported_once_however_many_connections_use_it()
    {
        var json = Flowchart(
            [
                new JsonObject { ["id"] = "d", ["type"] = "Elsa.FlowDecision", ["condition"] = Lit(true, "Boolean") },
                Line("a", "a"),
                Line("b", "b"),
            ],
            [Connect("d", "a", "Maybe"), Connect("d", "b", "Maybe")]);

        var (_, _, problems) = WorkflowHarness.Validate(json);

        Assert.Single(problems, p => p.Code == ValidationCodes.UnknownPort);
    }

    // Elsa.JavaScript/Handlers/ConfigureEngineWithCommonFunctions.cs and ConfigureEngineWithVariablesAndInputOutputAccessors.cs.
    [Fact]
    public void Elsa_javascript_helpers_read_and_write_what_elsa_scripts_expect()
    {
        var json = Flowchart(
            [
                new JsonObject { ["id"] = "Start1", ["type"] = "Elsa.Start" },
                new JsonObject { ["id"] = "Script1", ["name"] = "Compute", ["type"] = "Elsa.RunJavaScript", ["script"] = Lit("setOrderTotal(getOrderTotal() + 5); variables.Note = 'set via variables'; return 42;") },
                Line("w1", Js("'total ' + getVariable('order_total')", "String")),
                Line("w2", Js("getOutputFrom('Script1') + ' ' + getResultFromCompute() + ' ' + getOutputFrom('Compute', 'Result')", "String")),
                Line("w3", Js("variables.Note + ' / ' + (getWorkflowInstanceId().length > 0) + ' / ' + getWorkflowDefinitionId()", "String")),
                Line("w4", Js("isNullOrWhiteSpace('  ') && !isNullOrEmpty('x') ? 'helpers ok' : 'helpers broken'", "String")),
            ],
            [Connect("Start1", "Script1"), Connect("Script1", "w1"), Connect("w1", "w2"), Connect("w2", "w3"), Connect("w3", "w4")],
            [Variable("v1", "order_total", "Int32", 10), Variable("v2", "Note", "String")]);

        var result = Run(json);

        Assert.Null(result.State!.Fault?.Message);
        Assert.Equal(["total 15", "42 42 42", "set via variables / true / elsa-test", "helpers ok"], result.Lines);
    }

    [Fact]
    public void A_javascript_condition_typed_into_a_boolean_literal_runs_as_javascript()
    {
        var json = Flowchart(
            [
                new JsonObject { ["id"] = "d", ["type"] = "Elsa.FlowDecision", ["condition"] = Lit("return variables.Age >= 18;", "Boolean") },
                Line("yes", "adult"),
                Line("no", "minor"),
            ],
            [Connect("d", "yes", "True"), Connect("d", "no", "False")],
            [Variable("v", "Age", "Int32", 30)]);

        Assert.Equal(["adult"], Run(json).Lines);
    }

    [Fact]
    public void A_csharp_expression_is_refused_naming_the_expression()
    {
        var json = Flowchart(
            [Line("w", new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "CSharp", ["value"] = "$\"Hello {Variables.Name}\"" } })],
            []);

        var (_, _, problems) = WorkflowHarness.Validate(json);

        var problem = Assert.Single(problems);
        Assert.Equal(ValidationCodes.UnsupportedExpression, problem.Code);
        Assert.Contains("C# expression ('$\"Hello {Variables.Name}\"')", problem.Message, StringComparison.Ordinal);
        Assert.Contains("no setting", problem.Message, StringComparison.Ordinal);
    }

    // Elsa.Workflows.Core/Activities/Finish.cs is a terminal node: the workflow ends even with other branches waiting.
    [Fact]
    public void Finish_and_set_output_and_set_name_end_the_workflow_with_its_output()
    {
        var json = Flowchart(
            [
                new JsonObject { ["id"] = "s", ["type"] = "Elsa.Start" },
                new JsonObject { ["id"] = "fork", ["type"] = "Elsa.FlowFork", ["branches"] = new JsonObject { ["typeName"] = "String[]", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "[\"A\",\"B\"]" } } },
                new JsonObject { ["id"] = "wait", ["type"] = "Elsa.Event", ["eventName"] = Lit("never") },
                new JsonObject { ["id"] = "name", ["type"] = "Elsa.SetName", ["value"] = Lit("Order 7") },
                new JsonObject { ["id"] = "out", ["type"] = "Elsa.SetOutput", ["outputName"] = Lit("Total"), ["outputValue"] = Js("3 * 4") },
                new JsonObject { ["id"] = "end", ["type"] = "Elsa.Finish" },
                Line("never", "never written"),
            ],
            [Connect("s", "fork"), Connect("fork", "wait", "A"), Connect("wait", "never"), Connect("fork", "name", "B"), Connect("name", "out"), Connect("out", "end")]);

        var result = Run(json);

        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Empty(result.State!.Bookmarks);
        Assert.Equal("Order 7", result.State.Name);
        Assert.Equal(12, result.State.Output!["Total"]!.GetValue<int>());
        Assert.Empty(result.Lines);
    }

    // Output capture: an output bound to a variable ({"memoryReference": {"id": <variable id>}}) is copied into it.
    [Fact]
    public void A_run_task_without_a_name_runs_and_its_result_is_captured_into_a_variable()
    {
        var json = Flowchart(
            [
                new JsonObject { ["id"] = "task", ["type"] = "Elsa.RunTask", ["result"] = new JsonObject { ["typeName"] = "Object", ["memoryReference"] = new JsonObject { ["id"] = "v-approved" } } },
                new JsonObject { ["id"] = "d", ["type"] = "Elsa.FlowDecision", ["condition"] = Js("getApproved().ok === true", "Boolean") },
                Line("yes", "approved"),
                Line("no", "rejected"),
            ],
            [Connect("task", "d"), Connect("d", "yes", "True"), Connect("d", "no", "False")],
            [Variable("v-approved", "Approved", "Object")]);

        var result = Run(json, new HarnessOptions { AnswerBookmark = _ => new JsonObject { ["ok"] = true } });

        Assert.Equal(["approved"], result.Lines);
        Assert.True(result.State!.Variables["Approved"]!["ok"]!.GetValue<bool>());
    }

    [Fact]
    public void Plain_input_values_and_missing_inputs_run_as_elsa_runs_them()
    {
        var json = Flowchart(
            [
                Line("plain", JsonValue.Create("written without a wrapper")!),
                new JsonObject { ["id"] = "empty", ["type"] = "Elsa.WriteLine" },
                new JsonObject { ["id"] = "d", ["type"] = "Elsa.FlowDecision" },
                Line("t", "true"),
                Line("f", "false"),
            ],
            [Connect("plain", "empty"), Connect("empty", "d"), Connect("d", "t", "True"), Connect("d", "f", "False")]);

        Assert.Equal(["written without a wrapper", "", "false"], Run(json).Lines);
    }

    [Fact]
    public void Send_email_goes_to_the_notification_outbox_on_the_email_channel()
    {
        var json = Flowchart(
            [new JsonObject { ["id"] = "mail", ["type"] = "Elsa.SendEmail", ["to"] = new JsonObject { ["typeName"] = "String[]", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "[\"a@example.org\",\"b@example.org\"]" } }, ["subject"] = Lit("Hi"), ["body"] = Lit("Body") }],
            []);
        var (_, definition, problems) = WorkflowHarness.Validate(json);
        Assert.Empty(problems);

        var run = new WorkflowRunner().Start(definition);

        var notification = Assert.Single(run.Effects.Notifications);
        Assert.Equal(("a@example.org, b@example.org", "email", "Hi", "Body"), (notification.Recipient, notification.Channel, notification.Subject, notification.Message));
    }

    [Fact]
    public void Dispatch_workflow_starts_the_other_workflow_in_the_harness()
    {
        var child = WorkflowHarness.Load(Flowchart([Line("c", Js("'child got ' + getInput('n')", "String"))], [])).Definition;
        var parent = Flowchart(
            [
                new JsonObject { ["id"] = "go", ["type"] = "Elsa.DispatchWorkflow", ["workflowDefinitionId"] = Lit("child"), ["input"] = new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Object", ["value"] = "{\"n\":5}" } } },
                Line("p", "parent goes on"),
            ],
            [Connect("go", "p")]);

        var result = Run(parent, new HarnessOptions { ResolveDefinition = id => id == "child" ? child : null });

        // Elsa queues the dispatched workflow and goes on; the harness runs it after the parent's burst.
        Assert.Equal(["parent goes on", "child got 5"], result.Lines);
        Assert.Equal(WorkflowStatus.Finished, Assert.Single(result.Dispatched).Status);
    }

    [Fact]
    public void A_file_with_invalid_utf8_is_refused_by_the_loader()
    {
        var bytes = Encoding.UTF8.GetBytes(Flowchart([Line("a", "é")], []).Replace("\\u00E9", "é", StringComparison.Ordinal));
        var at = Array.IndexOf(bytes, (byte)0xC3);
        bytes[at] = 0xFF;

        var ex = Assert.Throws<WorkflowFileException>(() => WorkflowHarness.Load(bytes));
        Assert.Contains($"offset {at}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flattening_keeps_the_native_model_serialisable_and_valid()
    {
        var definition = ElsaImporter.Import("""{"root":{"type":"Elsa.Sequence","activities":[{"id":"a","type":"Elsa.WriteLine","text":"x"},{"id":"b","type":"Elsa.WriteLine","text":"y"}]}}""");
        var again = WorkflowDefinitionSerializer.Read(WorkflowDefinitionSerializer.Write(definition));

        Assert.Empty(new WorkflowValidator(ActivityRegistry.CreateDefault()).Validate(again));
        Assert.Equal("a", again.Root.StartActivityId);
    }
}
