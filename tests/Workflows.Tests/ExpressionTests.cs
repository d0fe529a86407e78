using System.Diagnostics;
using System.Text.Json.Nodes;

using Liaison.Workflows.Definitions;
using Liaison.Workflows.Expressions;
using Liaison.Workflows.Runtime;

using static Liaison.Workflows.Tests.Flow;

namespace Liaison.Workflows.Tests;

public sealed class ExpressionTests
{
    private static readonly JavaScriptEvaluator Js = new();

    private static ExpressionException Fails(string script) =>
        Assert.Throws<ExpressionException>(() => Js.Evaluate(script, new DictionaryExpressionScope()));

    [Fact]
    public void Endless_loop_in_a_decision_faults_the_instance_within_two_seconds()
    {
        var (runner, _) = Clock.Runner();
        var d = new Flow().Act("d", "Decision", ("condition", Flow.Js("while(true){}"))).Build();

        var watch = Stopwatch.StartNew();
        var result = runner.Start(d);
        watch.Stop();

        Assert.Equal(WorkflowStatus.Faulted, result.Status);
        Assert.Contains("script exceeded the 1 s time limit", result.State.Fault!.Message);
        Assert.Equal("d", result.State.Fault.ActivityId);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Recursion_bomb_is_stopped()
    {
        var ex = Fails("function f(n) { return f(n + 1) + 1; } return f(0);");

        Assert.Contains("recursion limit", ex.Message);
    }

    [Fact]
    public void Memory_bomb_is_stopped()
    {
        var ex = Fails("var a = []; while (true) { a.push('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' + a.length); }");

        Assert.Matches("memory limit|time limit|statements", ex.Message);
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText('/etc/passwd')")]
    [InlineData("importNamespace('System.IO')")]
    [InlineData("var t = getVariable.GetType(); return t.Assembly.FullName;")]
    public void Clr_access_is_refused(string script)
    {
        var ex = Fails(script);

        Assert.StartsWith("script error", ex.Message);
    }

    [Fact]
    public void Globals_read_and_write_variables_input_and_last_result()
    {
        var scope = new DictionaryExpressionScope { LastResult = 7 };
        scope.Variables["Counter"] = 2;
        scope.InputValues["name"] = "Ann";

        var result = Js.Evaluate("setVariable('Counter', getCounter() + getLastResult()); setVariable('Greeting', 'hi ' + getInput('name')); return getVariable('Counter');", scope);

        Assert.Equal(9, result!.GetValue<double>());
        Assert.Equal(9, scope.Variables["Counter"]!.GetValue<double>());
        Assert.Equal("hi Ann", scope.Variables["Greeting"]!.GetValue<string>());
    }

    [Fact]
    public void Per_variable_setters_exist_for_declared_variables_only()
    {
        var scope = new DictionaryExpressionScope();
        scope.Variables["myNumber"] = 1;

        Js.Evaluate("setMyNumber(getmyNumber() * 10)", scope);

        Assert.Equal(10, scope.Variables["myNumber"]!.GetValue<double>());
        Assert.Contains("script error", Fails("setUndeclared(1)").Message);
    }

    [Theory]
    [InlineData("return false;", false)]
    [InlineData("1 + 1 == 2", true)]
    [InlineData("if (true) { return 'yes'; } return '';", true)]
    public void Expressions_and_function_bodies_both_work(string script, bool expected)
    {
        Assert.Equal(expected, Js.EvaluateBoolean(script, new DictionaryExpressionScope()));
    }

    [Fact]
    public void Objects_cross_the_boundary_as_json()
    {
        var scope = new DictionaryExpressionScope();
        scope.Variables["doc"] = JsonNode.Parse("""{"tags":["a","b"]}""");

        var result = Js.Evaluate("var d = getVariable('doc'); return { count: d.tags.length, first: d.tags[0] };", scope);

        Assert.Equal(2, result!["count"]!.GetValue<double>());
        Assert.Equal("a", result["first"]!.GetValue<string>());
    }

    [Fact]
    public void Syntax_check_parses_without_running()
    {
        Assert.Null(JavaScriptEvaluator.CheckSyntax("while(true){}"));
        Assert.Null(JavaScriptEvaluator.CheckSyntax("return 1;"));
        Assert.NotNull(JavaScriptEvaluator.CheckSyntax("function ("));
    }

    [Fact]
    public void Liquid_sees_variables_and_input()
    {
        var scope = new DictionaryExpressionScope();
        scope.Variables["Name"] = "Ann";
        scope.InputValues["unit"] = "Roads";

        var text = new LiquidRenderer().Render("Dear {{ Name }} ({{ Variables.Name | upcase }}), {{ Input.unit }} will reply.", scope);

        Assert.Equal("Dear Ann (ANN), Roads will reply.", text);
    }

    [Fact]
    public void Send_notification_renders_its_message_with_liquid()
    {
        var (runner, _) = Clock.Runner();
        var d = new Flow()
            .Var("Citizen", VariableType.String, "Ann")
            .Act("n", "SendNotification", ("message", L("Hello {{ Citizen }}")), ("recipient", L("ann@example.org")), ("subject", L("About {{ Input.topic }}")))
            .Build();

        var result = runner.Start(d, new Dictionary<string, JsonNode?> { ["topic"] = "roads" });

        var n = Assert.Single(result.Effects.Notifications);
        Assert.Equal("Hello Ann", n.Message);
        Assert.Equal("About roads", n.Subject);
        Assert.Equal("ann@example.org", n.Recipient);
    }
}
