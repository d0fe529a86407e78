using System.Text.Json.Nodes;

using Liaison.Workflows.Runtime;

namespace Liaison.Workflows.Activities.BuiltIn;

/// <summary>
/// A loop with a body: the activities its "Body" port leads to. The runner gives the loop its
/// <see cref="ActivityContext.Loop"/> state, runs the body, and executes the loop again (with
/// <see cref="LoopState.Continue"/> set) once nothing in the body can still run — the way Elsa's loops get their
/// body's completion callback. Completing with "Body" runs the body once more; "Done" ends the loop.
/// </summary>
public interface ILoopActivity : IActivity
{
    /// <summary>Whether a Break inside the body ends this loop (Elsa's BreakBehavior: ForEach, For, While; not ParallelForEach).</summary>
    bool HandlesBreak { get; }
}

public static class LoopPorts
{
    public const string Body = "Body";
    public const string Done = "Done";

    public static IReadOnlyList<string> All { get; } = [Body, Done];
}

/// <summary>Elsa's ForEach: the items are evaluated once; each iteration sets CurrentValue (and CurrentIndex) and runs the body.</summary>
public sealed class ForEachActivity : Activity, ILoopActivity
{
    public bool HandlesBreak => true;

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "ForEach",
        Category = "Flow",
        DisplayName = "For each",
        Description = "Runs the Body once per item, one after another; then Done.",
        Inputs = [new InputDescriptor("items", InputTypes.Object, Description: "The items (a list, or a JavaScript expression giving one).")],
        Outputs =
        [
            new OutputDescriptor("CurrentValue", InputTypes.Object, "The item of the current iteration."),
            new OutputDescriptor("CurrentIndex", InputTypes.Int32, "Its index, from 0."),
        ],
        Ports = LoopPorts.All,
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var loop = context.Loop!;
        if (loop.Broken)
        {
            return ActivityOutcome.Done();
        }

        if (!loop.Continue)
        {
            loop.Items = LoopItems.Read(context.Evaluate("items"));
            loop.Index = 0;
        }

        if (loop.Index >= loop.Items!.Count)
        {
            return ActivityOutcome.Done();
        }

        context.SetOutput("CurrentValue", loop.Items[loop.Index]);
        context.SetOutput("CurrentIndex", JsonValue.Create(loop.Index));
        loop.Index++;
        return ActivityOutcome.Complete(LoopPorts.Body);
    }
}

/// <summary>
/// Elsa's For: from start towards end by step (counting down when end &lt; start), end included unless
/// outerBoundInclusive is false; start, end, step and the bound are read once, when the loop starts.
/// </summary>
public sealed class ForActivity : Activity, ILoopActivity
{
    public bool HandlesBreak => true;

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "For",
        Category = "Flow",
        DisplayName = "For",
        Description = "Runs the Body for each step from start to end; then Done.",
        Inputs =
        [
            new InputDescriptor("start", InputTypes.Int32, Default: JsonValue.Create(0)),
            new InputDescriptor("end", InputTypes.Int32, Default: JsonValue.Create(0)),
            new InputDescriptor("step", InputTypes.Int32, Default: JsonValue.Create(1)),
            new InputDescriptor("outerBoundInclusive", InputTypes.Boolean, Default: JsonValue.Create(true), Description: "Whether the end value itself is iterated."),
        ],
        Outputs = [new OutputDescriptor("CurrentValue", InputTypes.Int32, "The current step.")],
        Ports = LoopPorts.All,
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var loop = context.Loop!;
        if (loop.Broken)
        {
            return ActivityOutcome.Done();
        }

        if (!loop.Continue)
        {
            loop.Items =
            [
                context.GetInt32("start") ?? 0,
                context.GetInt32("end") ?? 0,
                context.GetInt32("step") ?? 1,
                !context.HasInput("outerBoundInclusive") || context.GetBoolean("outerBoundInclusive"),
            ];
            loop.Current = null;
        }

        var start = loop.Items![0]!.GetValue<int>();
        var end = loop.Items[1]!.GetValue<int>();
        var step = loop.Items[2]!.GetValue<int>();
        var inclusive = loop.Items[3]!.GetValue<bool>();
        var increment = end >= start;
        var current = loop.Current is null ? start : increment ? loop.Current.Value + step : loop.Current.Value - step;
        var again = increment ? (inclusive ? current <= end : current < end) : (inclusive ? current >= end : current > end);
        if (!again)
        {
            return ActivityOutcome.Done();
        }

        loop.Current = current;
        context.SetOutput("CurrentValue", JsonValue.Create(current));
        return ActivityOutcome.Complete(LoopPorts.Body);
    }
}

/// <summary>Elsa's While: the condition is evaluated before every iteration (default false).</summary>
public sealed class WhileActivity : Activity, ILoopActivity
{
    public bool HandlesBreak => true;

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "While",
        Category = "Flow",
        DisplayName = "While",
        Description = "Runs the Body as long as the condition holds; then Done.",
        Inputs = [new InputDescriptor("condition", InputTypes.Boolean, Default: JsonValue.Create(false), Description: "Evaluated before each iteration (JavaScript for a changing condition).")],
        Ports = LoopPorts.All,
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var loop = context.Loop!;
        if (loop.Broken)
        {
            return ActivityOutcome.Done();
        }

        loop.Index++;
        return context.GetBoolean("condition") ? ActivityOutcome.Complete(LoopPorts.Body) : ActivityOutcome.Done();
    }
}

/// <summary>
/// Elsa's ParallelForEach: the body starts once per item at once, each run in its own scope whose local
/// variables CurrentValue and CurrentIndex hold the item; Done when every run has ended. Break does not end it
/// (as in Elsa, which gives it no break behaviour): a Break inside ends the nearest ForEach, For or While around it.
/// </summary>
public sealed class ParallelForEachActivity : Activity, ILoopActivity
{
    public bool HandlesBreak => false;

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "ParallelForEach",
        Category = "Flow",
        DisplayName = "Parallel for each",
        Description = "Runs the Body for every item at once (each with its own CurrentValue and CurrentIndex); Done when all have ended.",
        Inputs = [new InputDescriptor("items", InputTypes.Object, Description: "The items (a list, or a JavaScript expression giving one).")],
        Ports = LoopPorts.All,
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var loop = context.Loop!;
        if (loop.Broken || loop.Continue)
        {
            return ActivityOutcome.Done(); // every item's body has ended
        }

        var items = LoopItems.Read(context.Evaluate("items"));
        if (items.Count == 0)
        {
            return ActivityOutcome.Done();
        }

        var frames = new List<string>(items.Count);
        context.State.Frames ??= new(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var id = $"{loop.Key}:{i}";
            context.State.Frames[id] = new FrameState
            {
                LoopActivityId = context.Node.Id,
                Parent = context.Frame,
                Variables = new JsonObject { ["CurrentValue"] = items[i]?.DeepClone(), ["CurrentIndex"] = i },
            };
            frames.Add(id);
        }

        loop.Index = items.Count;
        loop.StartedFrames = frames;
        return ActivityOutcome.Complete(LoopPorts.Body);
    }
}

/// <summary>Elsa's Break: ends the nearest enclosing ForEach, For or While (its body is cancelled, the loop goes on through Done).</summary>
public sealed class BreakActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "Break",
        Category = "Flow",
        DisplayName = "Break",
        Description = "Leaves the nearest enclosing loop; outside a loop it does nothing and goes on through Done.",
    };

    public override ActivityOutcome Execute(ActivityContext context) => new(OutcomeKind.Break, []);
}

internal static class LoopItems
{
    /// <summary>The items to iterate: a list as is, a JSON list written as text parsed, nothing as none, anything else as one item.</summary>
    public static JsonArray Read(JsonNode? value) => value switch
    {
        null => [],
        JsonArray array => (JsonArray)array.DeepClone(),
        JsonValue v when v.TryGetValue<string>(out var s) && s.TrimStart().StartsWith('[') && ValueConversion.TryParseJson(s) is JsonArray parsed => parsed,
        JsonValue v when v.TryGetValue<string>(out var s) && string.IsNullOrWhiteSpace(s) => [],
        _ => [value.DeepClone()],
    };
}
