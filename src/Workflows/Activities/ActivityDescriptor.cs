using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

using Liaison.Workflows.Definitions;

namespace Liaison.Workflows.Activities;

/// <summary>Input value types the validator and designer understand.</summary>
public static class InputTypes
{
    public const string String = "String";
    public const string Int32 = "Int32";
    public const string Double = "Double";
    public const string Boolean = "Boolean";
    public const string DateTime = "DateTime";
    public const string Duration = "Duration";
    public const string Cron = "Cron";
    public const string Script = "Script";
    public const string Template = "Template";
    public const string StringList = "StringList";
    public const string Object = "Object";
    public const string VariableName = "VariableName";
}

public sealed record InputDescriptor(
    string Name,
    string Type,
    bool Required = false,
    JsonNode? Default = null,
    string? Description = null,
    IReadOnlyList<string>? Options = null);

public sealed record OutputDescriptor(string Name, string Type, string? Description = null);

/// <summary>Everything the designer, validator and runtime need to know about an activity type.</summary>
public sealed class ActivityDescriptor
{
    public required string TypeName { get; init; }
    public string Category { get; init; } = "General";
    public string? DisplayName { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<InputDescriptor> Inputs { get; init; } = [];
    public IReadOnlyList<OutputDescriptor> Outputs { get; init; } = [];

    /// <summary>For a task step: its declaration (who may act, outcomes and their form fields), as forms and the Studio show it.</summary>
    public Tasks.TaskDeclaration? Task { get; init; }

    /// <summary>Fixed outbound ports; ignored when <see cref="DynamicPorts"/> is set.</summary>
    public IReadOnlyList<string> Ports { get; init; } = ["Done"];

    /// <summary>Ports computed from the node's (literal) inputs, e.g. Fork branches or Switch cases.</summary>
    [JsonIgnore]
    public Func<ActivityNode, IReadOnlyList<string>>? DynamicPorts { get; init; }

    /// <summary>Tells a designer that the ports follow the node's inputs (Fork branches, Switch cases, task outcomes).</summary>
    public bool HasDynamicPorts => DynamicPorts is not null;

    /// <summary>Waits for something from outside (timer, event, person) and so may begin a workflow.</summary>
    public bool IsTrigger { get; init; }

    public IReadOnlyList<string> GetPorts(ActivityNode node) => DynamicPorts?.Invoke(node) ?? Ports;

    public InputDescriptor? FindInput(string name) =>
        Inputs.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase));
}
