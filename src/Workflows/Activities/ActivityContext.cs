using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

using Liaison.Workflows.Definitions;
using Liaison.Workflows.Expressions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Time;

namespace Liaison.Workflows.Activities;

/// <summary>What an executing activity can see and do. Created by the runner for each execution.</summary>
public sealed class ActivityContext : IWorkflowExpressionScope
{
    private readonly WorkflowRuntimeServices _services;
    private readonly Dictionary<string, VariableDefinition> _variableDefinitions;

    internal ActivityContext(WorkflowRuntimeServices services, WorkflowDefinition definition, WorkflowInstanceState state, ActivityNode node, ActivityDescriptor descriptor, RunEffects effects, string? frame = null)
    {
        Frame = frame;
        _services = services;
        Definition = definition;
        State = state;
        Node = node;
        Descriptor = descriptor;
        Effects = effects;
        _variableDefinitions = definition.Variables.ToDictionary(v => v.Name, StringComparer.Ordinal);
    }

    public WorkflowDefinition Definition { get; }
    public WorkflowInstanceState State { get; }
    public ActivityNode Node { get; }
    public ActivityDescriptor Descriptor { get; }
    public RunEffects Effects { get; }

    /// <summary>The ParallelForEach item scope this execution runs in (its CurrentValue and CurrentIndex are variables here); null outside one.</summary>
    public string? Frame { get; }

    /// <summary>For loop activities (ForEach, For, While, ParallelForEach): this loop's state, new when it starts (the runner creates it).</summary>
    public LoopState? Loop => State.Loops?.GetValueOrDefault(LoopState.KeyOf(Node.Id, Frame));

    public DateTimeOffset Now => _services.TimeProvider.GetUtcNow();
    public IWorkingCalendar Calendar => _services.Calendar;
    public JavaScriptEvaluator JavaScript => _services.JavaScript;
    public LiquidRenderer Liquid => _services.Liquid;

    // IExpressionScope
    public IReadOnlyCollection<string> VariableNames => Frame is null
        ? State.Variables.Keys.Union(_variableDefinitions.Keys).ToList()
        : FrameChain().SelectMany(f => f.Variables.Select(p => p.Key)).Union(State.Variables.Keys).Union(_variableDefinitions.Keys).ToList();
    public IReadOnlyDictionary<string, JsonNode?> Input => State.Input;
    public JsonNode? LastResult => State.LastResult?.DeepClone();

    public JsonNode? GetVariable(string name)
    {
        if (Frame is not null && FrameHolding(name) is { } frame)
        {
            return frame.Variables[name]?.DeepClone();
        }

        return State.Variables.TryGetValue(name, out var v) ? v?.DeepClone() : null;
    }

    public void SetVariable(string name, JsonNode? value)
    {
        // A body's local (CurrentValue of its item) shadows a workflow variable of that name, as Elsa's scoped memory does.
        if (Frame is not null && FrameHolding(name) is { } frame)
        {
            frame.Variables[name] = value?.DeepClone();
            return;
        }

        State.Variables[name] = _variableDefinitions.TryGetValue(name, out var def) ? ValueConversion.Coerce(value, def.Type) : value;
    }

    private FrameState? FrameHolding(string name) => FrameChain().FirstOrDefault(f => f.Variables.ContainsKey(name));

    private IEnumerable<FrameState> FrameChain()
    {
        for (var id = Frame; id is not null && State.Frames?.GetValueOrDefault(id) is { } frame; id = frame.Parent)
        {
            yield return frame;
        }
    }

    public JsonNode? GetInput(string name) => State.Input.TryGetValue(name, out var v) ? v?.DeepClone() : null;

    /// <summary>Evaluates an input of this activity; falls back to the descriptor default.</summary>
    public JsonNode? Evaluate(string inputName)
    {
        var input = Node.GetInput(inputName);
        if (input is null)
        {
            return Descriptor.FindInput(inputName)?.Default?.DeepClone();
        }

        return input.Kind switch
        {
            InputKind.Literal => input.Value?.DeepClone(),
            InputKind.Object => input.Value is JsonValue v && v.TryGetValue<string>(out var s) ? ValueConversion.TryParseJson(s) : input.Value?.DeepClone(),
            InputKind.Variable => GetVariable(input.Text ?? ""),
            InputKind.JavaScript => JavaScript.Evaluate(input.Text ?? "", this),
            InputKind.Liquid => JsonValue.Create(Liquid.Render(input.Text ?? "", this)),
            InputKind.CSharp or InputKind.Python or InputKind.Unknown => throw new ExpressionException(UnsupportedExpressionMessage(inputName, input)),
            _ => input.Value?.DeepClone(),
        };
    }

    /// <summary>Why an input in a language Liaison does not run is refused, naming the expression.</summary>
    public static string UnsupportedExpressionMessage(string inputName, InputValue input)
    {
        var (language, text) = input.Kind switch
        {
            InputKind.CSharp => ("C#", input.Text),
            InputKind.Python => ("Python", input.Text),
            _ => (ValueConversion.AsString(input.Value?["language"]) ?? "unknown", ValueConversion.AsString(input.Value?["value"])),
        };
        var shown = text is null ? "" : text.Length > 120 ? text[..120] + "…" : text;
        return $"input {inputName} is a {language} expression ('{shown}'); Liaison runs only JavaScript and Liquid expressions "
            + "(there is no setting that enables C# or Python: they would run unsandboxed .NET code): rewrite it as JavaScript, e.g. variables.X or getVariable('X')";
    }

    public bool HasInput(string name) => Node.GetInput(name) is not null;

    public string? GetString(string name) => ValueConversion.AsString(Evaluate(name));

    public bool GetBoolean(string name) => ValueConversion.AsBoolean(Evaluate(name));

    public int? GetInt32(string name) => ValueConversion.AsDouble(Evaluate(name)) is { } d ? (int)d : null;

    public IReadOnlyList<string> GetStringList(string name) => ValueConversion.AsStringList(Evaluate(name));

    public DateTimeOffset? GetDateTime(string name) => ValueConversion.AsDateTime(Evaluate(name));

    public Duration? GetDuration(string name)
    {
        var node = Evaluate(name);
        if (node is null)
        {
            return null;
        }

        return Duration.TryParse(node, out var d, out var error) ? d : throw new ExpressionException($"input '{name}': {error}");
    }

    public void WriteLine(string text) => Effects.Lines.Add(text);

    /// <summary>Sets a named output of this activity (readable with getOutputFrom and capturable into a variable).</summary>
    public void SetOutput(string name, JsonNode? value)
    {
        if (!State.ActivityOutputs.TryGetValue(Node.Id, out var outputs))
        {
            outputs = State.ActivityOutputs[Node.Id] = new JsonObject();
        }

        outputs[name] = value?.DeepClone();
    }

    /// <summary>An output of a completed activity, found by id or Elsa name; without a name, its result.</summary>
    public JsonNode? GetOutputFrom(string activityIdOrName, string? outputName)
    {
        var id = Definition.Root.Activities.FirstOrDefault(a => a.Id == activityIdOrName)?.Id
            ?? Definition.Root.Activities.FirstOrDefault(a => ValueConversion.AsString(a.Metadata.GetValueOrDefault("elsaName")) == activityIdOrName || a.DisplayName == activityIdOrName)?.Id;
        if (id is null || !State.ActivityOutputs.TryGetValue(id, out var outputs))
        {
            return null;
        }

        var name = outputName ?? "Result";
        return outputs.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.DeepClone();
    }

    public string InstanceId => State.Id;
    public string DefinitionId => Definition.DefinitionId;
    public int DefinitionVersion => Definition.Version;
    public IEnumerable<string> WorkflowInputNames => Definition.Inputs.Select(i => i.Name);

    public IEnumerable<(string ActivityId, string ActivityName, string OutputName)> ActivityOutputNames =>
        from node in Definition.Root.Activities
        let name = ValueConversion.AsString(node.Metadata.GetValueOrDefault("elsaName")) ?? node.Id
        from output in State.ActivityOutputs.TryGetValue(node.Id, out var outputs) ? outputs.Select(p => p.Key) : ["Result"]
        select (node.Id, name, output);
    public string? CorrelationKey { get => State.CorrelationKey; set => State.CorrelationKey = value; }

    public void Notify(NotificationRequest request) => Effects.Notifications.Add(request);

    public void RequestHumanTask(HumanTaskRequest request) => Effects.HumanTasks.Add(request);

    public void RequestChildWorkflows(ChildWorkflowRequest request) => Effects.ChildWorkflows.Add(request);

    /// <summary>Creates a bookmark on this activity; timer bookmarks also produce a timer request.</summary>
    public Bookmark CreateBookmark(BookmarkKind kind, string? eventName = null, string? correlationKey = null, DateTimeOffset? dueAt = null, JsonNode? payload = null)
    {
        var bookmark = new Bookmark
        {
            Id = _services.NewId(),
            ActivityId = Node.Id,
            Kind = kind,
            EventName = eventName,
            CorrelationKey = correlationKey,
            DueAt = dueAt,
            Payload = payload,
            CreatedAt = Now,
            Frame = Frame,
        };
        State.Bookmarks.Add(bookmark);
        Effects.BookmarksCreated.Add(bookmark);
        if (kind == BookmarkKind.Timer && dueAt is { } due)
        {
            Effects.Timers.Add(new TimerRequest(bookmark.Id, Node.Id, due, $"wf-timer:{State.Id}:{bookmark.Id}"));
        }

        return bookmark;
    }
}

/// <summary>Loose conversions between JSON values and the types inputs declare.</summary>
public static class ValueConversion
{
    /// <summary>Reads a JSON number whatever CLR type backs the node (int, long, decimal, JsonElement).</summary>
    public static double Number(JsonValue value) =>
        value.TryGetValue<double>(out var d) ? d
        : value.TryGetValue<int>(out var i) ? i
        : value.TryGetValue<long>(out var l) ? l
        : value.TryGetValue<decimal>(out var m) ? (double)m
        : value.TryGetValue<float>(out var f) ? f
        : double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);

    public static JsonNode? TryParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    public static string? AsString(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => ValueConversion.Number(v).ToString(CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };

    public static bool AsBoolean(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s)
        ? bool.TryParse(s.Trim(), out var b) ? b : JavaScriptEvaluator.IsTruthy(node)
        : JavaScriptEvaluator.IsTruthy(node);

    public static double? AsDouble(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => ValueConversion.Number(v),
        JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => 1,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => 0,
        _ => null,
    };

    public static DateTimeOffset? AsDateTime(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<DateTimeOffset>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) => d,
        _ => null,
    };

    public static IReadOnlyList<string> AsStringList(JsonNode? node) => node switch
    {
        null => [],
        JsonArray a => a.Select(x => AsString(x) ?? "").ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s.TrimStart().StartsWith('[') && TryParseJson(s) is JsonArray parsed
            ? AsStringList(parsed)
            : s.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        _ => [AsString(node) ?? ""],
    };

    /// <summary>Converts a value to a declared variable type; leaves it as is when it cannot.</summary>
    public static JsonNode? Coerce(JsonNode? value, VariableType type)
    {
        if (value is null)
        {
            return null;
        }

        switch (type)
        {
            case VariableType.String:
                return JsonValue.Create(AsString(value));
            case VariableType.Int32 when AsDouble(value) is { } d && d >= int.MinValue && d <= int.MaxValue:
                return JsonValue.Create((int)Math.Round(d));
            case VariableType.Int64 when AsDouble(value) is { } d:
                return JsonValue.Create((long)Math.Round(d));
            case VariableType.Double when AsDouble(value) is { } d:
                return JsonValue.Create(d);
            case VariableType.Boolean:
                return JsonValue.Create(AsBoolean(value));
            case VariableType.Object or VariableType.Array when value is JsonValue v && v.TryGetValue<string>(out var s):
                var parsed = TryParseJson(s);
                return parsed is JsonObject or JsonArray ? parsed : value.DeepClone();
            default:
                return value.DeepClone();
        }
    }

    /// <summary>Whether a literal can be read as the given input type; returns the reason when not.</summary>
    public static string? CheckLiteral(JsonNode? value, string inputType)
    {
        if (value is null)
        {
            return null;
        }

        return inputType switch
        {
            InputTypes.Int32 or InputTypes.Double when AsDouble(value) is null => $"'{AsString(value)}' is not a number",
            InputTypes.Boolean when !(value is JsonValue b && (b.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                || (b.TryGetValue<string>(out var s) && bool.TryParse(s.Trim(), out _)))) => $"'{AsString(value)}' is not true or false",
            InputTypes.DateTime when AsDateTime(value) is null => $"'{AsString(value)}' is not a date and time",
            InputTypes.Duration when !Time.Duration.TryParse(value, out _, out _) => $"'{AsString(value)}' is not a duration (use \"P3D\", \"01:00:00\" or {{amount, unit}})",
            _ => null,
        };
    }
}
