using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Liaison.Workflows.Definitions;

/// <summary>One version of a workflow definition in Liaison's native format.</summary>
public sealed class WorkflowDefinition
{
    public string DefinitionId { get; set; } = "";
    public int Version { get; set; } = 1;
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public List<VariableDefinition> Variables { get; set; } = [];
    public List<InputDefinition> Inputs { get; set; } = [];
    public WorkflowOptions Options { get; set; } = new();
    public Flowchart Root { get; set; } = new();

    /// <summary>Free data kept with the definition (e.g. where it was imported from).</summary>
    public Dictionary<string, JsonNode?> Metadata { get; set; } = [];

    public ActivityNode? FindActivity(string id) => Root.Activities.FirstOrDefault(a => a.Id == id);
}

public enum VariableType
{
    String,
    Int32,
    Int64,
    Double,
    Boolean,
    DateTime,
    TimeSpan,
    Object,
    Array,
}

public sealed class VariableDefinition
{
    public string Name { get; set; } = "";
    public VariableType Type { get; set; } = VariableType.Object;
    public JsonNode? Default { get; set; }
}

/// <summary>A named input the workflow accepts when it starts.</summary>
public sealed class InputDefinition
{
    public string Name { get; set; } = "";
    public VariableType Type { get; set; } = VariableType.Object;
    public bool Required { get; set; }
    public string? Description { get; set; }
}

public enum IncidentStrategy
{
    /// <summary>An activity that throws faults the whole instance (can be retried).</summary>
    Fault,

    /// <summary>The failing branch stops, an incident is recorded, other branches go on.</summary>
    Continue,
}

public sealed class WorkflowOptions
{
    public IncidentStrategy IncidentStrategy { get; set; } = IncidentStrategy.Fault;

    /// <summary>Maximum activity executions in one burst before the instance is faulted (runaway loop guard).</summary>
    public int? MaxStepsPerBurst { get; set; }
}

public sealed class Flowchart
{
    /// <summary>Optional explicit entry; otherwise Start activities, otherwise activities without inbound connections.</summary>
    public string? StartActivityId { get; set; }

    public List<ActivityNode> Activities { get; set; } = [];
    public List<Connection> Connections { get; set; } = [];
}

/// <summary>How an activity with several inbound connections treats arriving tokens.</summary>
public enum MergeMode
{
    /// <summary>Run once per arriving token.</summary>
    Stream,

    /// <summary>Wait for tokens from every inbound connection that can still deliver one.</summary>
    Merge,

    /// <summary>Wait for tokens from every (forward) inbound connection, taken or not.</summary>
    Converge,

    /// <summary>Run on the first token; later tokens of the same wave are dropped and other waiting branches cancelled.</summary>
    Race,
}

public sealed class ActivityNode
{
    public string Id { get; set; } = "";
    public string Type { get; set; } = "";
    public string? DisplayName { get; set; }
    public Dictionary<string, InputValue> Inputs { get; set; } = [];
    public MergeMode? MergeMode { get; set; }

    /// <summary>Output name → variable that receives the output when the activity completes (Elsa's output capture).</summary>
    /// <remarks>Null when nothing is captured, so definitions without captures serialise (and hash) as before.</remarks>
    public Dictionary<string, string>? Outputs { get; set; }

    public Position? Position { get; set; }
    public Dictionary<string, JsonNode?> Metadata { get; set; } = [];

    public InputValue? GetInput(string name) =>
        Inputs.TryGetValue(name, out var v) ? v : Inputs.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>Where an activity sits on the canvas. Layout only: a coordinate that is not a finite number (a file's
/// <c>1e999</c> or <c>"NaN"</c>) is placed at 0, since JSON cannot write it back.</summary>
public sealed record Position(double X, double Y)
{
    public double X { get; init; } = double.IsFinite(X) ? X : 0;

    public double Y { get; init; } = double.IsFinite(Y) ? Y : 0;
}

public enum InputKind
{
    Literal,
    Variable,
    JavaScript,
    Liquid,
    Object,

    /// <summary>An Elsa C# expression: kept so it stays visible; Liaison does not run C#.</summary>
    CSharp,

    /// <summary>An Elsa Python expression: kept so it stays visible; Liaison does not run Python.</summary>
    Python,

    /// <summary>An expression in a language Liaison does not know; Value holds {language, value}.</summary>
    Unknown,
}

/// <summary>
/// An input's expression. Literal/Object hold JSON; Variable holds the variable name;
/// JavaScript/Liquid hold the source text as a JSON string.
/// </summary>
public sealed class InputValue
{
    public InputKind Kind { get; set; }
    public JsonNode? Value { get; set; }

    public static InputValue Literal(JsonNode? value) => new() { Kind = InputKind.Literal, Value = value };
    public static InputValue Literal(string value) => new() { Kind = InputKind.Literal, Value = JsonValue.Create(value) };
    public static InputValue Object(JsonNode? value) => new() { Kind = InputKind.Object, Value = value };
    public static InputValue Variable(string name) => new() { Kind = InputKind.Variable, Value = JsonValue.Create(name) };
    public static InputValue JavaScript(string script) => new() { Kind = InputKind.JavaScript, Value = JsonValue.Create(script) };
    public static InputValue Liquid(string template) => new() { Kind = InputKind.Liquid, Value = JsonValue.Create(template) };

    /// <summary>The value as text (script source, variable name, literal string).</summary>
    [JsonIgnore]
    public string? Text => Value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => Value.ToJsonString(),
    };
}

public sealed class Connection
{
    public Endpoint Source { get; set; } = new();
    public Endpoint Target { get; set; } = new();

    public Connection()
    {
    }

    public Connection(string sourceActivity, string sourcePort, string targetActivity, string? targetPort = null)
    {
        Source = new Endpoint { Activity = sourceActivity, Port = sourcePort };
        Target = new Endpoint { Activity = targetActivity, Port = targetPort };
    }

    public override string ToString() => $"{Source.Activity}:{Source.Port} -> {Target.Activity}";
}

public sealed class Endpoint
{
    public string Activity { get; set; } = "";
    public string? Port { get; set; }
}
