using Liaison.Workflows.Definitions;
using Liaison.Workflows.ElsaImport;
using Liaison.Workflows.Validation;

using static Liaison.Workflows.Tests.Flow;

namespace Liaison.Workflows.Tests;

public sealed class ValidationTests
{
    private static IReadOnlyList<ValidationProblem> Validate(WorkflowDefinition d) => new WorkflowValidator().Validate(d);

    [Fact]
    public void A_valid_definition_has_no_problems()
    {
        var d = new Flow().Act("s", "Start").Line("a", "hi").Connect("s", "a").Build();

        Assert.Empty(Validate(d));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_activity_input_and_code()
    {
        var d = new Flow()
            .Act("start", "Start")
            .Act("mystery", "NoSuchThing")
            .Act("line", "WriteLine")
            .Act("decide", "Decision", ("condition", L("maybe")))
            .Act("script", "RunScript", ("script", L("return (;")))
            .Act("cron", "Timer", ("cron", L("not a cron")))
            .Act("js", "Decision", ("condition", Js("if (")))
            .Line("island", "never")
            .Connect("start", "mystery")
            .Connect("start", "line")
            .Connect("start", "line")
            .Connect("line", "decide")
            .Connect("decide", "script", "Maybe")
            .Connect("decide", "script", "True")
            .Connect("decide", "cron", "False")
            .Connect("cron", "js")
            .Connect("js", "ghost", "True")
            .Connect("island", "island")
            .Build();

        var problems = Validate(d);

        Assert.Contains(problems, p => p is { Code: ValidationCodes.UnknownActivityType, ActivityId: "mystery" });
        Assert.Contains(problems, p => p is { Code: ValidationCodes.MissingRequiredInput, ActivityId: "line", InputName: "text" });
        Assert.Contains(problems, p => p is { Code: ValidationCodes.DuplicateConnection, ActivityId: "start" });
        Assert.Contains(problems, p => p is { Code: ValidationCodes.UnknownPort, ActivityId: "decide" } && p.Message.Contains("Maybe"));
        Assert.Contains(problems, p => p is { Code: ValidationCodes.LiteralTypeMismatch, ActivityId: "decide", InputName: "condition" });
        Assert.Contains(problems, p => p is { Code: ValidationCodes.JavaScriptSyntax, ActivityId: "script", InputName: "script" });
        Assert.Contains(problems, p => p is { Code: ValidationCodes.JavaScriptSyntax, ActivityId: "js", InputName: "condition" });
        Assert.Contains(problems, p => p is { Code: ValidationCodes.InvalidCron, ActivityId: "cron", InputName: "cron" } && p.Message.Contains("not a cron"));
        Assert.Contains(problems, p => p is { Code: ValidationCodes.DanglingConnection, ActivityId: "js" } && p.Message.Contains("ghost"));
        Assert.Contains(problems, p => p is { Code: ValidationCodes.UnreachableActivity, ActivityId: "island" });
        Assert.True(problems.Count >= 10, string.Join("\n", problems));
    }

    [Fact]
    public void An_empty_definition_is_not_valid()
    {
        var problem = Assert.Single(Validate(new WorkflowDefinition { DefinitionId = "empty" }));

        Assert.Equal(ValidationCodes.NoStart, problem.Code);
    }

    [Fact]
    public void A_flowchart_that_is_only_a_loop_has_no_start()
    {
        var d = new Flow().Line("a", "a").Line("b", "b").Connect("a", "b").Connect("b", "a").Build();

        var problem = Assert.Single(Validate(d), p => p.Code == ValidationCodes.NoStart);
        Assert.Contains("no start", problem.Message);
    }

    [Fact]
    public void Activities_without_inbound_connections_count_as_starts()
    {
        var d = new Flow().Line("a", "a").Line("b", "b").Connect("a", "b").Build();

        Assert.Empty(Validate(d));
    }

    [Fact]
    public void An_imported_unknown_type_is_kept_and_named_in_the_error()
    {
        const string elsa = """
        {"definitionId":"x","name":"x","root":{"type":"Elsa.Flowchart","activities":[
          {"id":"a","type":"Elsa.RunPython","eventName":{"typeName":"String","expression":{"type":"Literal","value":"/hook"}}},
          {"id":"b","type":"Elsa.WriteLine","text":{"typeName":"String","expression":{"type":"Literal","value":"hi"}}}],
         "connections":[{"source":{"activity":"a","port":"Done"},"target":{"activity":"b","port":"In"}}]}}
        """;
        var d = ElsaImporter.Import(elsa);

        var problem = Assert.Single(Validate(d));
        Assert.Equal(ValidationCodes.UnsupportedActivity, problem.Code);
        Assert.StartsWith("activity type Elsa.RunPython is not supported (activity a): ", problem.Message, StringComparison.Ordinal);
        var node = d.FindActivity("a")!;
        Assert.Equal("Unsupported", node.Type);
        Assert.Equal("/hook", node.Inputs["eventName"].Text);
        Assert.Single(d.Root.Connections);
    }

    [Fact]
    public void Variable_defaults_and_variable_references_are_checked()
    {
        var d = new Flow()
            .Var("Count", VariableType.Int32, "many")
            .Act("set", "SetVariable", ("variable", L("Missing")), ("value", L("1")))
            .Build();

        var problems = Validate(d);

        Assert.Contains(problems, p => p is { Code: ValidationCodes.LiteralTypeMismatch, InputName: "Count" });
        Assert.Contains(problems, p => p is { Code: ValidationCodes.UnknownVariable, ActivityId: "set", InputName: "variable" });
    }

    [Fact]
    public void Bad_durations_and_liquid_are_reported()
    {
        var d = new Flow()
            .Act("s", "Start")
            .Act("wait", "Delay", ("duration", L("soon")))
            .Act("mail", "SendNotification", ("message", L("{% if %}")))
            .Connect("s", "wait").Connect("wait", "mail")
            .Build();

        var problems = Validate(d);

        Assert.Contains(problems, p => p is { Code: ValidationCodes.InvalidDuration, ActivityId: "wait" });
        Assert.Contains(problems, p => p is { Code: ValidationCodes.LiquidSyntax, ActivityId: "mail" });
    }
}
