using System.Text.Json.Nodes;

using Liaison.Workflows.Expressions;
using Liaison.Workflows.Runtime;

namespace Liaison.Workflows.Activities.BuiltIn;

/// <summary>Sets one named entry of the workflow's output (Elsa's SetOutput).</summary>
public sealed class SetOutputActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "SetOutput",
        Category = "Primitives",
        DisplayName = "Set output",
        Description = "Sets an entry of the workflow's output object.",
        Inputs = [new InputDescriptor("name", InputTypes.String, Required: true), new InputDescriptor("value", InputTypes.Object)],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var name = context.GetString("name") ?? throw new ExpressionException("input 'name' is empty");
        var value = context.Evaluate("value");
        var output = context.State.Output as JsonObject ?? new JsonObject();
        output[name] = value?.DeepClone();
        context.State.Output = output;
        return ActivityOutcome.Done(value);
    }
}

/// <summary>Gives the instance a display name (Elsa's SetName).</summary>
public sealed class SetNameActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "SetName",
        Category = "Primitives",
        DisplayName = "Set instance name",
        Inputs = [new InputDescriptor("name", InputTypes.String, Default: JsonValue.Create(""))],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        context.State.Name = context.GetString("name");
        return ActivityOutcome.Done(JsonValue.Create(context.State.Name));
    }
}

/// <summary>Sets the instance's correlation key (Elsa's Correlate).</summary>
public sealed class CorrelateActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "Correlate",
        Category = "Primitives",
        DisplayName = "Correlate",
        Inputs = [new InputDescriptor("correlationKey", InputTypes.String, Required: true)],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        context.State.CorrelationKey = context.GetString("correlationKey");
        return ActivityOutcome.Done(JsonValue.Create(context.State.CorrelationKey));
    }
}

/// <summary>
/// Starts another workflow (Elsa's DispatchWorkflow) without waiting for it: the host starts the published
/// version after this burst. The in-memory harness runs it at once; see docs/elsa-compatibility.md.
/// </summary>
public sealed class DispatchWorkflowActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "DispatchWorkflow",
        Category = "Flow",
        DisplayName = "Dispatch workflow",
        Description = "Starts an instance of another workflow and goes on without waiting for it.",
        Inputs =
        [
            new InputDescriptor("workflowDefinitionId", InputTypes.String, Required: true),
            new InputDescriptor("input", InputTypes.Object),
            new InputDescriptor("correlationKey", InputTypes.String),
        ],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var definitionId = context.GetString("workflowDefinitionId") ?? throw new ExpressionException("input 'workflowDefinitionId' is empty");
        var input = context.Evaluate("input") switch
        {
            JsonObject o => o.ToDictionary(p => p.Key, p => p.Value?.DeepClone()),
            _ => new Dictionary<string, JsonNode?>(),
        };
        context.Effects.Dispatches.Add(new DispatchRequest(context.Node.Id, definitionId, input, context.GetString("correlationKey")));
        return ActivityOutcome.Done();
    }
}
