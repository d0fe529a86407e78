using System.Text.Json.Nodes;

namespace Liaison.Workflows.Expressions;

/// <summary>What expressions can see and change: workflow variables, workflow input, the last activity result.</summary>
public interface IExpressionScope
{
    IReadOnlyCollection<string> VariableNames { get; }
    JsonNode? GetVariable(string name);
    void SetVariable(string name, JsonNode? value);
    JsonNode? GetInput(string name);
    IReadOnlyDictionary<string, JsonNode?> Input { get; }
    JsonNode? LastResult { get; }
}

/// <summary>What a running workflow adds for scripts: its identity and the outputs of its activities (Elsa's helpers).</summary>
public interface IWorkflowExpressionScope : IExpressionScope
{
    string InstanceId { get; }
    string DefinitionId { get; }
    int DefinitionVersion { get; }
    string? CorrelationKey { get; set; }
    IEnumerable<string> WorkflowInputNames { get; }

    /// <summary>(activity id, activity name, output name) for every output scripts may read by a generated getter.</summary>
    IEnumerable<(string ActivityId, string ActivityName, string OutputName)> ActivityOutputNames { get; }

    JsonNode? GetOutputFrom(string activityIdOrName, string? outputName);
}

/// <summary>A simple dictionary-backed scope, handy for tests and validation.</summary>
public sealed class DictionaryExpressionScope : IExpressionScope
{
    public Dictionary<string, JsonNode?> Variables { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, JsonNode?> InputValues { get; } = new(StringComparer.OrdinalIgnoreCase);
    public JsonNode? LastResult { get; set; }

    public IReadOnlyCollection<string> VariableNames => Variables.Keys;
    public IReadOnlyDictionary<string, JsonNode?> Input => InputValues;
    public JsonNode? GetVariable(string name) => Variables.TryGetValue(name, out var v) ? v?.DeepClone() : null;
    public void SetVariable(string name, JsonNode? value) => Variables[name] = value;
    public JsonNode? GetInput(string name) => InputValues.TryGetValue(name, out var v) ? v?.DeepClone() : null;
}
