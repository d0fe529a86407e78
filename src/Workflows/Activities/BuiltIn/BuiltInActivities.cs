using System.Text.Json.Nodes;

using Liaison.Workflows.Definitions;
using Liaison.Workflows.Expressions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Time;
using Liaison.Workflows.Validation;

namespace Liaison.Workflows.Activities.BuiltIn;

public static class BuiltInActivities
{
    public const string Unsupported = "Unsupported";

    public static void RegisterAll(ActivityRegistry registry)
    {
        registry
            .Register(new StartActivity())
            .Register(new EndActivity())
            .Register(new FinishActivity())
            .Register(new FaultActivity())
            .Register(new PassActivity())
            .Register(new WriteLineActivity())
            .Register(new SetVariableActivity())
            .Register(new DecisionActivity())
            .Register(new SwitchActivity())
            .Register(new ForkActivity())
            .Register(new JoinActivity())
            .Register(new DelayActivity())
            .Register(new TimerActivity())
            .Register(new WaitForEventActivity())
            .Register(new HumanTaskActivity())
            .Register(new RunWorkflowsActivity())
            .Register(new SendNotificationActivity())
            .Register(new RunScriptActivity())
            .Register(new SetOutputActivity())
            .Register(new SetNameActivity())
            .Register(new CorrelateActivity())
            .Register(new DispatchWorkflowActivity())
            .Register(new PublishEventActivity())
            .Register(new ForEachActivity())
            .Register(new ForActivity())
            .Register(new WhileActivity())
            .Register(new ParallelForEachActivity())
            .Register(new BreakActivity())
            .Register(new UnsupportedActivity());
        Http.HttpActivities.RegisterAll(registry);
    }
}

public sealed class StartActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "Start",
        Category = "Flow",
        DisplayName = "Start",
        Description = "Where the workflow begins.",
    };

    public override ActivityOutcome Execute(ActivityContext context) => ActivityOutcome.Done();
}

/// <summary>Ends this path; the workflow finishes once no path is left.</summary>
public sealed class EndActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "End",
        Category = "Flow",
        DisplayName = "End",
        Description = "Ends this path.",
        Ports = [],
    };

    public override ActivityOutcome Execute(ActivityContext context) => ActivityOutcome.Stop();
}

/// <summary>Finishes the whole workflow at once, cancelling other paths and bookmarks.</summary>
public sealed class FinishActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "Finish",
        Category = "Flow",
        DisplayName = "Finish",
        Description = "Finishes the workflow, cancelling anything still waiting.",
        Inputs = [new InputDescriptor("output", InputTypes.Object, Description: "The workflow's output.")],
        Ports = [],
    };

    public override ActivityOutcome Execute(ActivityContext context) => ActivityOutcome.Finish(context.Evaluate("output"));
}

public sealed class FaultActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "Fault",
        Category = "Flow",
        DisplayName = "Fault",
        Description = "Faults the workflow with a message.",
        Inputs = [new InputDescriptor("message", InputTypes.String, Required: true), new InputDescriptor("code", InputTypes.String)],
        Ports = [],
    };

    public override ActivityOutcome Execute(ActivityContext context) =>
        ActivityOutcome.Fault(context.GetString("message") ?? "fault", context.GetString("code"));
}

/// <summary>Does nothing; a connector node (Elsa's FlowNode).</summary>
public sealed class PassActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "Pass",
        Category = "Flow",
        DisplayName = "Pass-through",
        Description = "Passes the token on.",
    };

    public override ActivityOutcome Execute(ActivityContext context) => ActivityOutcome.Done();
}

public sealed class WriteLineActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "WriteLine",
        Category = "Primitives",
        DisplayName = "Write line",
        Description = "Writes a line to the run's output.",
        Inputs = [new InputDescriptor("text", InputTypes.String, Required: true)],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        context.WriteLine(context.GetString("text") ?? "");
        return ActivityOutcome.Done();
    }
}

public sealed class SetVariableActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "SetVariable",
        Category = "Primitives",
        DisplayName = "Set variable",
        Inputs = [new InputDescriptor("variable", InputTypes.VariableName, Required: true), new InputDescriptor("value", InputTypes.Object)],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        // The variable input names the variable; it is never evaluated as the variable's value.
        var name = context.Node.GetInput("variable")?.Text ?? throw new ExpressionException("no variable named");
        var value = context.Evaluate("value");
        context.SetVariable(name, value);
        return ActivityOutcome.Done(value);
    }

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node) => [];
}

public sealed class DecisionActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "Decision",
        Category = "Flow",
        DisplayName = "Decision",
        Inputs = [new InputDescriptor("condition", InputTypes.Boolean, Required: true)],
        Ports = ["True", "False"],
    };

    public override ActivityOutcome Execute(ActivityContext context) =>
        ActivityOutcome.Complete(context.GetBoolean("condition") ? "True" : "False");
}

/// <summary>Cases are [{name, condition}] with JavaScript conditions; mode MatchFirst (default) or MatchAny.</summary>
public sealed class SwitchActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "Switch",
        Category = "Flow",
        DisplayName = "Switch",
        Description = "Routes to the first (or every) case whose JavaScript condition is true, else Default.",
        Inputs =
        [
            new InputDescriptor("cases", InputTypes.Object, Required: true, Description: "[{\"name\": \"High\", \"condition\": \"getPriority() > 2\"}]"),
            new InputDescriptor("mode", InputTypes.String, Default: JsonValue.Create("MatchFirst"), Options: ["MatchFirst", "MatchAny"]),
        ],
        DynamicPorts = node => [.. Cases(StaticInputs.Value(node, "cases")).Select(c => c.Name), "Default"],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var matchAny = string.Equals(context.GetString("mode"), "MatchAny", StringComparison.OrdinalIgnoreCase);
        var ports = new List<string>();
        foreach (var (name, condition) in Cases(context.Evaluate("cases")))
        {
            if (condition is not null && context.JavaScript.EvaluateBoolean(condition, context))
            {
                ports.Add(name);
                if (!matchAny)
                {
                    break;
                }
            }
        }

        return ActivityOutcome.Complete(ports.Count == 0 ? ["Default"] : ports);
    }

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node)
    {
        foreach (var (name, condition) in Cases(StaticInputs.Value(node, "cases")))
        {
            if (condition is not null && JavaScriptEvaluator.CheckSyntax(condition) is { } error)
            {
                yield return new ValidationProblem(node.Id, "cases", ValidationCodes.JavaScriptSyntax, $"case '{name}': JavaScript does not parse: {error}");
            }
        }
    }

    internal static IEnumerable<(string Name, string? Condition)> Cases(JsonNode? cases)
    {
        if (cases is not JsonArray array)
        {
            yield break;
        }

        foreach (var item in array.OfType<JsonObject>())
        {
            var name = ValueConversion.AsString(item["name"] ?? item["label"]) ?? "";
            var condition = item["condition"] switch
            {
                JsonObject expr => ValueConversion.AsString(expr["value"]),
                var other => ValueConversion.AsString(other),
            };
            yield return (name, condition);
        }
    }
}

public sealed class ForkActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "Fork",
        Category = "Flow",
        DisplayName = "Fork",
        Description = "Starts every named branch.",
        Inputs = [new InputDescriptor("branches", InputTypes.StringList, Required: true)],
        DynamicPorts = node => StaticInputs.StringList(node, "branches"),
    };

    public override ActivityOutcome Execute(ActivityContext context) => ActivityOutcome.Complete(context.GetStringList("branches"));
}

/// <summary>The waiting itself is done by the runner (WaitAll = Merge, WaitAny = Race).</summary>
public sealed class JoinActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "Join",
        Category = "Flow",
        DisplayName = "Join",
        Description = "WaitAll: continues when every inbound branch that can still arrive has arrived. WaitAny: continues on the first, cancelling the others. WaitAllInbound: waits for every inbound connection, taken or not.",
        Inputs = [new InputDescriptor("mode", InputTypes.String, Default: JsonValue.Create("WaitAll"), Options: ["WaitAll", "WaitAny", "WaitAllInbound"])],
    };

    public override ActivityOutcome Execute(ActivityContext context) => ActivityOutcome.Done();

    // WaitAllInbound (Elsa 3.5+) waits for every inbound connection, taken or not: the Converge merge mode.
    internal static MergeMode ModeOf(ActivityNode node) => ValueConversion.AsString(StaticInputs.Value(node, "mode"))?.ToUpperInvariant() switch
    {
        "WAITANY" => MergeMode.Race,
        "WAITALLINBOUND" => MergeMode.Converge,
        _ => MergeMode.Merge,
    };
}

public sealed class DelayActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "Delay",
        Category = "Time",
        DisplayName = "Delay",
        Inputs = [new InputDescriptor("duration", InputTypes.Duration, Required: true, Description: "\"P3D\", \"01:00:00\" or {amount, unit}")],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var duration = context.GetDuration("duration") ?? throw new ExpressionException("input 'duration' is empty");
        context.CreateBookmark(BookmarkKind.Timer, dueAt: duration.AddTo(context.Now, context.Calendar));
        return ActivityOutcome.Suspend();
    }
}

/// <summary>Fires once: at a time, after a duration, or at the next cron occurrence.</summary>
public sealed class TimerActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "Timer",
        Category = "Time",
        DisplayName = "Timer",
        IsTrigger = true,
        Description = "Waits until a time ('at'), for a duration ('after') or for the next cron occurrence ('cron'); set exactly one.",
        Inputs =
        [
            new InputDescriptor("at", InputTypes.DateTime),
            new InputDescriptor("after", InputTypes.Duration),
            new InputDescriptor("cron", InputTypes.Cron),
        ],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var now = context.Now;
        DateTimeOffset due;
        if (context.HasInput("at"))
        {
            due = context.GetDateTime("at") ?? throw new ExpressionException("input 'at' is not a date and time");
        }
        else if (context.HasInput("after"))
        {
            due = (context.GetDuration("after") ?? throw new ExpressionException("input 'after' is empty")).AddTo(now, context.Calendar);
        }
        else
        {
            var cron = context.GetString("cron") ?? throw new ExpressionException("a Timer needs 'at', 'after' or 'cron'");
            due = CronSchedule.Next(cron, now) ?? throw new ExpressionException($"cron expression '{cron}' has no next occurrence");
        }

        context.CreateBookmark(BookmarkKind.Timer, dueAt: due < now ? now : due);
        return ActivityOutcome.Suspend();
    }

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node)
    {
        var set = new[] { "at", "after", "cron" }.Where(n => node.GetInput(n) is not null).ToList();
        if (set.Count == 0)
        {
            yield return new ValidationProblem(node.Id, "after", ValidationCodes.MissingRequiredInput, "a Timer needs one of 'at', 'after' or 'cron'");
        }
        else if (set.Count > 1)
        {
            yield return new ValidationProblem(node.Id, set[1], ValidationCodes.InvalidInput, $"a Timer takes only one of 'at', 'after' or 'cron' (found {string.Join(", ", set)})");
        }
    }
}

public sealed class WaitForEventActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "WaitForEvent",
        Category = "Events",
        DisplayName = "Wait for event",
        IsTrigger = true,
        Description = "Waits until an event with this name (and correlation key) is published; its payload becomes the result.",
        Inputs =
        [
            new InputDescriptor("eventName", InputTypes.String, Required: true),
            new InputDescriptor("correlationKey", InputTypes.String, Description: "Defaults to the instance's correlation key."),
        ],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var name = context.GetString("eventName") ?? throw new ExpressionException("input 'eventName' is empty");
        var key = context.HasInput("correlationKey") ? context.GetString("correlationKey") : context.State.CorrelationKey;
        context.CreateBookmark(BookmarkKind.Event, name, key);
        return ActivityOutcome.Suspend();
    }
}

/// <summary>
/// Asks a person to act: emits a task request and waits; the resume payload's "outcome" picks the port.
/// </summary>
public sealed class HumanTaskActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "HumanTask",
        Category = "People",
        DisplayName = "Human task",
        Inputs =
        [
            new InputDescriptor("title", InputTypes.String, Required: true),
            new InputDescriptor("description", InputTypes.String),
            new InputDescriptor("assigneeKind", InputTypes.String, Options: ["Unit", "Role", "Person"]),
            new InputDescriptor("assigneeId", InputTypes.String),
            new InputDescriptor("due", InputTypes.Duration, Description: "e.g. {\"amount\": 5, \"unit\": \"WorkingDays\"}"),
            new InputDescriptor("reminders", InputTypes.Object, Description: "Durations before the due time, e.g. [\"P1D\"]."),
            new InputDescriptor("outcomes", InputTypes.StringList, Default: new JsonArray("Done"), Description: "Allowed outcomes; each is a port."),
            new InputDescriptor("data", InputTypes.Object),
        ],
        Outputs = [new OutputDescriptor("result", InputTypes.Object, "The completion payload.")],
        DynamicPorts = node => Outcomes(StaticInputs.Value(node, "outcomes")),
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var now = context.Now;
        var due = context.GetDuration("due")?.AddTo(now, context.Calendar);
        var reminders = new List<DateTimeOffset>();
        foreach (var offsetNode in context.Evaluate("reminders") as JsonArray ?? [])
        {
            if (Duration.TryParse(offsetNode, out var offset, out var error))
            {
                reminders.Add(due is { } d ? offset.SubtractFrom(d, context.Calendar) : offset.AddTo(now, context.Calendar));
            }
            else
            {
                throw new ExpressionException($"input 'reminders': {error}");
            }
        }

        var kindText = context.GetString("assigneeKind");
        AssigneeKind? kind = Enum.TryParse<AssigneeKind>(kindText, true, out var k) && Enum.IsDefined(k) && !int.TryParse(kindText, out _) ? k : null;
        var outcomes = Outcomes(context.Evaluate("outcomes"));
        var bookmark = context.CreateBookmark(BookmarkKind.HumanTask, eventName: context.GetString("title"), correlationKey: context.State.CorrelationKey, dueAt: null);
        context.RequestHumanTask(new HumanTaskRequest(
            bookmark.Id, context.Node.Id, context.GetString("title") ?? context.Node.DisplayName ?? context.Node.Id,
            context.GetString("description"), kind, context.GetString("assigneeId"), due, reminders, outcomes, context.Evaluate("data")));
        return ActivityOutcome.Suspend();
    }

    public override ActivityOutcome Resume(ActivityContext context, Bookmark bookmark, JsonNode? payload)
    {
        var outcomes = Outcomes(context.Evaluate("outcomes"));
        var chosen = payload switch
        {
            JsonObject o => ValueConversion.AsString(o["outcome"]),
            JsonValue v => ValueConversion.AsString(v),
            _ => null,
        } ?? (outcomes.Count == 1 ? outcomes[0] : null);
        var port = outcomes.FirstOrDefault(o => string.Equals(o, chosen, StringComparison.OrdinalIgnoreCase))
            ?? throw new WorkflowResumeException($"outcome '{chosen}' is not allowed here (allowed: {string.Join(", ", outcomes)})");
        return ActivityOutcome.Complete(port, payload);
    }

    internal static IReadOnlyList<string> Outcomes(JsonNode? value)
    {
        var list = ValueConversion.AsStringList(value);
        return list.Count == 0 ? ["Done"] : list;
    }
}

/// <summary>Renders a Liquid message and emits a notification request for the host to deliver.</summary>
public sealed class SendNotificationActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "SendNotification",
        Category = "People",
        DisplayName = "Send notification",
        Inputs =
        [
            new InputDescriptor("message", InputTypes.Template, Required: true, Description: "A Liquid template, e.g. \"Hello {{ Variables.Name }}\"."),
            new InputDescriptor("subject", InputTypes.Template),
            new InputDescriptor("recipient", InputTypes.String),
            new InputDescriptor("channel", InputTypes.String),
        ],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var message = RenderTemplate(context, "message") ?? "";
        // Elsa's SendEmail gives its recipients as a list; the outbox takes them comma-separated.
        var recipient = context.Evaluate("recipient") is JsonArray list ? string.Join(", ", ValueConversion.AsStringList(list)) : context.GetString("recipient");
        context.Notify(new NotificationRequest(context.Node.Id, recipient, RenderTemplate(context, "subject"), message, context.GetString("channel")));
        return ActivityOutcome.Done(JsonValue.Create(message));
    }

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node)
    {
        foreach (var name in new[] { "message", "subject" })
        {
            if (node.GetInput(name) is { Kind: InputKind.Literal } input && input.Text is { } text && LiquidRenderer.CheckSyntax(text) is { } error)
            {
                yield return new ValidationProblem(node.Id, name, ValidationCodes.LiquidSyntax, $"Liquid template does not parse: {error}");
            }
        }
    }

    // A literal template is still a template: render it with Liquid.
    private static string? RenderTemplate(ActivityContext context, string name) =>
        context.Node.GetInput(name) is { Kind: InputKind.Literal } literal && literal.Text is { } text
            ? context.Liquid.Render(text, context)
            : context.GetString(name);
}

public sealed class RunScriptActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = "RunScript",
        Category = "Scripting",
        DisplayName = "Run JavaScript",
        Description = "Runs JavaScript in the sandbox; the value it returns becomes the last result.",
        Inputs = [new InputDescriptor("script", InputTypes.Script, Required: true)],
        Outputs = [new OutputDescriptor("result", InputTypes.Object)],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var input = context.Node.GetInput("script");
        var result = input is { Kind: InputKind.Literal } ? context.JavaScript.Evaluate(input.Text ?? "", context) : context.Evaluate("script");
        return ActivityOutcome.Done(result);
    }

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node)
    {
        if (node.GetInput("script") is { Kind: InputKind.Literal } input && JavaScriptEvaluator.CheckSyntax(input.Text ?? "") is { } error)
        {
            yield return new ValidationProblem(node.Id, "script", ValidationCodes.JavaScriptSyntax, $"JavaScript does not parse: {error}");
        }
    }
}

/// <summary>Placeholder for an imported type Liaison does not know; keeps it visible, never runs.</summary>
public sealed class UnsupportedActivity : Activity
{
    public const string OriginalTypeKey = "originalType";
    public const string ReasonKey = "unsupportedReason";

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = BuiltInActivities.Unsupported,
        Category = "Imported",
        DisplayName = "Unsupported activity",
        Description = "An imported activity type Liaison cannot run; the definition cannot be published until it is replaced.",
        DynamicPorts = node => node.Metadata.TryGetValue("ports", out var ports) ? ValueConversion.AsStringList(ports) : ["Done"],
    };

    public override ActivityOutcome Execute(ActivityContext context) =>
        throw new InvalidOperationException($"activity type {OriginalType(context.Node)} is not supported");

    // The validator reports unsupported types once per type (see WorkflowValidator).
    public override IEnumerable<ValidationProblem> Validate(ActivityNode node) => [];

    public static string Reason(ActivityNode node) =>
        node.Metadata.TryGetValue(ReasonKey, out var r) && ValueConversion.AsString(r) is { } reason
            ? reason
            : "replace it, or register an activity of that name in Liaison";

    public static string OriginalType(ActivityNode node) =>
        node.Metadata.TryGetValue(OriginalTypeKey, out var t) ? ValueConversion.AsString(t) ?? node.Type : node.Type;
}
