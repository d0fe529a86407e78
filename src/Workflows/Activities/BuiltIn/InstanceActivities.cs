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
/// Publishes an event (Elsa's PublishEvent): once the burst is saved, every open event bookmark of that name is
/// resumed with the payload — this instance's only when isLocal, those of the correlation key only when one is given
/// (Elsa's event publisher filters the same way). The durable engine delivers in the same unit of work.
/// </summary>
public sealed class PublishEventActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "PublishEvent",
        Category = "Events",
        DisplayName = "Publish event",
        Description = "Resumes the workflows waiting for this event (WaitForEvent); goes on at once.",
        Inputs =
        [
            new InputDescriptor("eventName", InputTypes.String, Required: true),
            new InputDescriptor("correlationKey", InputTypes.String, Description: "Only workflows waiting with this correlation key; empty: every one."),
            new InputDescriptor("isLocal", InputTypes.Boolean, Default: JsonValue.Create(false), Description: "Only this workflow instance."),
            new InputDescriptor("payload", InputTypes.Object, Description: "Becomes the waiting activity's result."),
        ],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var name = context.GetString("eventName");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ExpressionException("input 'eventName' is empty");
        }

        var key = context.GetString("correlationKey");
        var isLocal = context.HasInput("isLocal") && context.GetBoolean("isLocal");
        context.Effects.Events.Add(new EventPublication(context.Node.Id, name, string.IsNullOrEmpty(key) ? null : key, isLocal, context.Evaluate("payload")?.DeepClone()));
        return ActivityOutcome.Done();
    }
}

/// <summary>
/// Starts another workflow (Elsa's DispatchWorkflow): the published version of the named definition, with the
/// input (plus ParentInstanceId, as Elsa adds) and correlation key. The durable engine starts it in the same
/// unit of work as the burst that dispatched it (so exactly once); the harness runs it at once. With
/// waitForCompletion the activity waits until the child finishes, and its result is the child's output.
/// </summary>
public sealed class DispatchWorkflowActivity : Activity
{
    /// <summary>Inputs named "input.X" become entry X of the child's input (how Elsa workflows used as activities pass theirs).</summary>
    public const string ChildInputPrefix = "input.";

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "DispatchWorkflow",
        Category = "Flow",
        DisplayName = "Dispatch workflow",
        Description = "Starts an instance of another workflow; goes on at once, or when it has finished with waitForCompletion.",
        Inputs =
        [
            new InputDescriptor("workflowDefinitionId", InputTypes.String, Required: true),
            new InputDescriptor("input", InputTypes.Object),
            new InputDescriptor("correlationKey", InputTypes.String),
            new InputDescriptor("waitForCompletion", InputTypes.Boolean, Default: JsonValue.Create(false), Description: "Wait until the child workflow has finished; its output becomes this activity's result."),
        ],
        Outputs = [new OutputDescriptor("Result", InputTypes.Object, "The child's output (with waitForCompletion).")],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var definitionId = context.GetString("workflowDefinitionId");
        if (string.IsNullOrWhiteSpace(definitionId))
        {
            throw new ExpressionException("input 'workflowDefinitionId' is empty");
        }

        var input = context.Evaluate("input") switch
        {
            JsonObject o => o.ToDictionary(p => p.Key, p => p.Value?.DeepClone()),
            _ => new Dictionary<string, JsonNode?>(),
        };
        foreach (var name in context.Node.Inputs.Keys.Where(k => k.StartsWith(ChildInputPrefix, StringComparison.Ordinal) && k.Length > ChildInputPrefix.Length).ToList())
        {
            input[name[ChildInputPrefix.Length..]] = context.Evaluate(name);
        }

        input["ParentInstanceId"] = JsonValue.Create(context.State.Id);
        var correlationKey = context.GetString("correlationKey");
        if (!context.HasInput("waitForCompletion") || !context.GetBoolean("waitForCompletion"))
        {
            context.Effects.Dispatches.Add(new DispatchRequest(context.Node.Id, definitionId, input, correlationKey));
            return ActivityOutcome.Done();
        }

        var bookmark = context.CreateBookmark(BookmarkKind.Children, eventName: definitionId, correlationKey: context.State.CorrelationKey, payload: new JsonObject { ["count"] = 1 });
        context.Effects.Dispatches.Add(new DispatchRequest(context.Node.Id, definitionId, input, correlationKey, bookmark.Id));
        return ActivityOutcome.Suspend();
    }

    /// <summary>Resumed with the finished children (instance id, input, output): the result is the child's output.</summary>
    public override ActivityOutcome Resume(ActivityContext context, Bookmark bookmark, JsonNode? payload)
    {
        var output = payload is JsonArray { Count: > 0 } children ? children[0]?["output"]?.DeepClone() : null;

        // Each entry of the child's output is also an output of this activity (Elsa's workflow-as-activity outputs).
        foreach (var (name, value) in output as JsonObject ?? [])
        {
            if (name != "Result")
            {
                context.SetOutput(name, value);
            }
        }

        return ActivityOutcome.Done(output);
    }
}
