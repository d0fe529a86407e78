using System.Text.Json.Nodes;

using Liaison.Workflows.Activities;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Runtime;

using Microsoft.Extensions.Time.Testing;

namespace Liaison.Workflows.Tests;

/// <summary>Builds native definitions in a few lines.</summary>
internal sealed class Flow
{
    private readonly WorkflowDefinition _definition = new() { DefinitionId = "test", Name = "test" };

    public static InputValue L(string text) => InputValue.Literal(text);
    public static InputValue Js(string script) => InputValue.JavaScript(script);

    public Flow Var(string name, VariableType type, JsonNode? value = null)
    {
        _definition.Variables.Add(new VariableDefinition { Name = name, Type = type, Default = value });
        return this;
    }

    public Flow Act(string id, string type, params (string Name, InputValue Value)[] inputs)
    {
        var node = new ActivityNode { Id = id, Type = type };
        foreach (var (name, value) in inputs)
        {
            node.Inputs[name] = value;
        }

        _definition.Root.Activities.Add(node);
        return this;
    }

    public Flow Line(string id, string text) => Act(id, "WriteLine", ("text", L(text)));

    public Flow Mode(string id, MergeMode mode)
    {
        _definition.Root.Activities.Single(a => a.Id == id).MergeMode = mode;
        return this;
    }

    public Flow Options(Action<WorkflowOptions> change)
    {
        change(_definition.Options);
        return this;
    }

    public Flow Connect(string source, string target, string port = "Done")
    {
        _definition.Root.Connections.Add(new Connection(source, port, target));
        return this;
    }

    public WorkflowDefinition Build() => _definition;
}

internal static class Clock
{
    /// <summary>Monday 6 January 2025, 09:00 UTC.</summary>
    public static readonly DateTimeOffset Monday = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    public static (WorkflowRunner Runner, FakeTimeProvider Time) Runner(DateTimeOffset? start = null, ActivityRegistry? registry = null, int maxSteps = 10_000)
    {
        var time = new FakeTimeProvider(start ?? Monday);
        var runner = new WorkflowRunner(new WorkflowRuntimeServices(registry, time) { MaxStepsPerBurst = maxSteps });
        return (runner, time);
    }
}
