using System.Text.Json.Nodes;

using Liaison.Workflows.Definitions;

namespace Liaison.Workflows.Activities.BuiltIn;

/// <summary>Reads inputs that are known without running anything (Literal/Object), for ports and validation.</summary>
public static class StaticInputs
{
    public static JsonNode? Value(ActivityNode node, string name)
    {
        var input = node.GetInput(name);
        return input?.Kind switch
        {
            InputKind.Literal => input.Value,
            InputKind.Object => input.Value is JsonValue v && v.TryGetValue<string>(out var s) ? ValueConversion.TryParseJson(s) : input.Value,
            _ => null,
        };
    }

    public static IReadOnlyList<string> StringList(ActivityNode node, string name) => ValueConversion.AsStringList(Value(node, name));
}
