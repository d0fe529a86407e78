using System.Text.Json.Nodes;
using Liaison.Workflows.Expressions;
using Liaison.Workflows.Runtime;

namespace Liaison.Workflows.Activities.BuiltIn;

/// <summary>
/// Starts one child workflow per item, in the same transaction, and (by default) waits until every child has
/// finished; the result lists each child's input and output (in the order they finished). Each item is an object whose
/// properties are that child's inputs ("correlationKey", if present, is the child's key; else the parent's).
/// This is how one suggestion fans out to any number of units, each unit's handling a workflow of its own.
/// </summary>
public sealed class RunWorkflowsActivity : Activity
{
    public const string TypeName = "RunWorkflows";

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = TypeName,
        Category = "Flow",
        DisplayName = "Run child workflows",
        Description = "One child instance of a published workflow per item; waits for all of them unless 'wait' is false.",
        Inputs =
        [
            new InputDescriptor("definitionId", InputTypes.String, Required: true, Description: "The published workflow each child runs."),
            new InputDescriptor("items", InputTypes.Object, Required: true, Description: "A list of objects: each one's properties are a child's inputs."),
            new InputDescriptor("wait", InputTypes.Boolean, Default: JsonValue.Create(true), Description: "Wait until every child has finished (their outputs are the result)."),
            new InputDescriptor("resultVariable", InputTypes.VariableName, Description: "Variable that receives each child's input and output."),
        ],
        Outputs = [new OutputDescriptor("results", InputTypes.Object, "Each child's instance id, input and output.")],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var definitionId = context.GetString("definitionId");
        if (string.IsNullOrWhiteSpace(definitionId))
        {
            throw new ExpressionException($"{TypeName} '{context.Node.Id}': input 'definitionId' is empty");
        }

        var items = context.Evaluate("items") switch
        {
            JsonArray array => array.ToList(),
            JsonObject single => [single],
            null => [],
            _ => throw new ExpressionException($"{TypeName} '{context.Node.Id}': input 'items' must be a list of objects"),
        };
        var children = items.Select((item, i) => item is JsonObject o
                ? new ChildStart(
                    o.Where(p => p.Key != "correlationKey").ToDictionary(p => p.Key, p => p.Value?.DeepClone()),
                    ValueConversion.AsString(o["correlationKey"]) ?? context.State.CorrelationKey)
                : throw new ExpressionException($"{TypeName} '{context.Node.Id}': item {i} is not an object"))
            .ToList();
        if (children.Count == 0)
        {
            return Finish(context, new JsonArray());
        }

        var wait = !context.HasInput("wait") || context.GetBoolean("wait");
        if (!wait)
        {
            context.RequestChildWorkflows(new ChildWorkflowRequest(null, context.Node.Id, definitionId, children));
            return Finish(context, new JsonArray());
        }

        var bookmark = context.CreateBookmark(BookmarkKind.Children, eventName: definitionId, correlationKey: context.State.CorrelationKey, payload: new JsonObject { ["count"] = children.Count });
        context.RequestChildWorkflows(new ChildWorkflowRequest(bookmark.Id, context.Node.Id, definitionId, children));
        return ActivityOutcome.Suspend();
    }

    public override ActivityOutcome Resume(ActivityContext context, Bookmark bookmark, JsonNode? payload) =>
        Finish(context, payload as JsonArray ?? []);

    private static ActivityOutcome Finish(ActivityContext context, JsonArray results)
    {
        if (context.Node.GetInput("resultVariable")?.Text is { Length: > 0 } variable)
        {
            context.SetVariable(variable, results.DeepClone());
        }

        return ActivityOutcome.Done(results);
    }
}
