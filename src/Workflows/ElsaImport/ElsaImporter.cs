using System.Text.Json;
using System.Text.Json.Nodes;

using Liaison.Workflows.Activities;
using Liaison.Workflows.Activities.BuiltIn;
using Liaison.Workflows.Definitions;

namespace Liaison.Workflows.ElsaImport;

/// <summary>
/// Reads Elsa 3 workflow-definition JSON into the native model. Unknown activity types are kept as
/// "Unsupported" nodes (with their inputs and connections) so validation can name them.
/// </summary>
public static class ElsaImporter
{
    private sealed record TypeMap(string NativeType, Dictionary<string, string> Inputs);

    private static readonly Dictionary<string, TypeMap> Map = new(StringComparer.Ordinal)
    {
        ["Elsa.Start"] = new("Start", []),
        ["Elsa.End"] = new("End", []),
        ["Elsa.Complete"] = new("Finish", new() { ["outcomes"] = "output" }),
        ["Elsa.Fault"] = new("Fault", new() { ["message"] = "message", ["code"] = "code" }),
        ["Elsa.WriteLine"] = new("WriteLine", new() { ["text"] = "text" }),
        ["Elsa.SetVariable"] = new("SetVariable", new() { ["variable"] = "variable", ["value"] = "value" }),
        ["Elsa.FlowDecision"] = new("Decision", new() { ["condition"] = "condition" }),
        ["Elsa.FlowSwitch"] = new("Switch", new() { ["cases"] = "cases", ["mode"] = "mode" }),
        ["Elsa.FlowFork"] = new("Fork", new() { ["branches"] = "branches" }),
        ["Elsa.FlowJoin"] = new("Join", new() { ["mode"] = "mode" }),
        ["Elsa.FlowNode"] = new("Pass", []),
        ["Elsa.Delay"] = new("Delay", new() { ["timeSpan"] = "duration" }),
        ["Elsa.Timer"] = new("Timer", new() { ["interval"] = "after" }),
        ["Elsa.Cron"] = new("Timer", new() { ["cronExpression"] = "cron" }),
        ["Elsa.StartAt"] = new("Timer", new() { ["dateTime"] = "at" }),
        ["Elsa.Event"] = new("WaitForEvent", new() { ["eventName"] = "eventName" }),
        ["Elsa.RunTask"] = new("HumanTask", new() { ["taskName"] = "title", ["payload"] = "data" }),
        ["Elsa.RunJavaScript"] = new("RunScript", new() { ["script"] = "script" }),
    };

    // Properties of an Elsa activity that are never inputs.
    private static readonly HashSet<string> NonInputs = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "nodeId", "name", "type", "version", "customProperties", "metadata", "canStartWorkflow",
        "runAsynchronously", "source", "line", "applicationProperties", "result", "output", "workflowDefinitionId",
    };

    public static bool LooksLikeElsa(JsonNode? document) =>
        document is JsonObject o && o["root"] is JsonObject root
        && (ValueConversion.AsString(root["type"]) == "Elsa.Flowchart" || ValueConversion.AsString(o["$schema"])?.Contains("elsa", StringComparison.OrdinalIgnoreCase) == true
            || ValueConversion.AsString(o["toolVersion"]) is not null);

    public static WorkflowDefinition Import(Stream stream) => Import(WorkflowJson.ReadAll(stream));

    public static WorkflowDefinition Import(string json)
    {
        var doc = JsonNode.Parse(WorkflowJson.StripBom(json), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }) as JsonObject
            ?? throw new JsonException("An Elsa workflow file must be a JSON object.");
        var root = doc["root"] as JsonObject ?? throw new JsonException("The Elsa workflow has no 'root' flowchart.");

        var definition = new WorkflowDefinition
        {
            DefinitionId = Str(doc["definitionId"]) ?? Str(doc["id"]) ?? Guid.NewGuid().ToString("N"),
            Version = doc["version"] is JsonValue v && v.TryGetValue<int>(out var version) ? version : 1,
            Name = Str(doc["name"]) ?? "Imported workflow",
            Description = Str(doc["description"]),
        };
        definition.Metadata["importedFrom"] = "Elsa";
        if (Str(doc["id"]) is { } elsaId)
        {
            definition.Metadata["elsaId"] = elsaId;
        }

        var variableNamesById = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in Values(doc["variables"]).Concat(Values(root["variables"])).OfType<JsonObject>())
        {
            var name = Str(variable["name"]);
            if (name is null || definition.Variables.Any(x => x.Name == name))
            {
                continue;
            }

            if (Str(variable["id"]) is { } id)
            {
                variableNamesById[id] = name;
            }

            var type = VariableTypeOf(Str(variable["typeName"]), variable["isArray"]?.GetValueKind() == JsonValueKind.True);
            definition.Variables.Add(new VariableDefinition { Name = name, Type = type, Default = ValueConversion.Coerce(variable["value"]?.DeepClone(), type) });
        }

        foreach (var input in Values(doc["inputs"]).OfType<JsonObject>())
        {
            if (Str(input["name"]) is { } name)
            {
                definition.Inputs.Add(new InputDefinition { Name = name, Type = VariableTypeOf(Str(input["type"]) ?? Str(input["typeName"]), false), Description = Str(input["description"]) });
            }
        }

        var connections = Values(root["connections"]).OfType<JsonObject>().Select(ReadConnection).Where(c => c is not null).Select(c => c!).ToList();
        foreach (var activity in Values(root["activities"]).OfType<JsonObject>())
        {
            definition.Root.Activities.Add(ReadActivity(activity, variableNamesById, connections));
        }

        definition.Root.Connections = connections;
        if (Str(root["start"]) is { } start)
        {
            definition.Root.StartActivityId = start;
        }

        return definition;
    }

    private static ActivityNode ReadActivity(JsonObject a, Dictionary<string, string> variableNamesById, List<Connection> connections)
    {
        var elsaType = Str(a["type"]) ?? "";
        var id = Str(a["id"]) ?? Guid.NewGuid().ToString("N");
        var metadata = a["metadata"] as JsonObject;
        var node = new ActivityNode
        {
            Id = id,
            Type = Map.TryGetValue(elsaType, out var map) ? map.NativeType : BuiltInActivities.Unsupported,
            DisplayName = Str(metadata?["displayText"]) ?? Str(a["name"]),
        };

        if (metadata?["designer"]?["position"] is JsonObject position)
        {
            node.Position = new Position(ValueConversion.AsDouble(position["x"]) ?? 0, ValueConversion.AsDouble(position["y"]) ?? 0);
        }

        var custom = a["customProperties"] as JsonObject;
        if (Str(custom?["mergeMode"]) is { } mergeText)
        {
            node.MergeMode = mergeText switch
            {
                "None" or "Stream" or "Cascade" => MergeMode.Stream,
                _ => Enum.TryParse<MergeMode>(mergeText, true, out var m) ? m : null,
            };
        }

        var canStart = a["canStartWorkflow"] ?? custom?["canStartWorkflow"];
        if (canStart?.GetValueKind() == JsonValueKind.True)
        {
            node.Metadata["canStartWorkflow"] = true;
        }

        foreach (var (property, value) in a)
        {
            if (NonInputs.Contains(property) || value is null)
            {
                continue;
            }

            var input = ReadInput(property, value, variableNamesById);
            if (input is null)
            {
                continue;
            }

            var name = map is null ? property : map.Inputs.TryGetValue(property, out var mapped) ? mapped : property;
            node.Inputs[name] = input;
        }

        if (map is null)
        {
            node.Metadata[UnsupportedActivity.OriginalTypeKey] = elsaType;
            node.Metadata["ports"] = new JsonArray([.. connections.Where(c => c.Source.Activity == id).Select(c => JsonValue.Create(c.Source.Port ?? "Done")).DistinctBy(p => p!.GetValue<string>())]);
            if (Str(a["workflowDefinitionId"]) is { } child)
            {
                node.Metadata["workflowDefinitionId"] = child;
            }
        }

        return node;
    }

    private static InputValue? ReadInput(string property, JsonNode value, Dictionary<string, string> variableNamesById)
    {
        // SetVariable's target: {id, name, typeName, value}.
        if (property == "variable" && value is JsonObject variable && variable["expression"] is null)
        {
            return Str(variable["name"]) is { } n ? InputValue.Literal(n) : Str(variable["id"]) is { } vid && variableNamesById.TryGetValue(vid, out var byId) ? InputValue.Literal(byId) : null;
        }

        if (value is JsonObject wrapped && wrapped["expression"] is JsonObject expression)
        {
            var type = Str(expression["type"]) ?? "Literal";
            var raw = expression["value"];
            var text = raw is null ? null : ValueConversion.AsString(raw);
            return type switch
            {
                "Literal" => InputValue.Literal(raw?.DeepClone()),
                "Object" or "Json" => InputValue.Object(text is null ? null : ValueConversion.TryParseJson(text)),
                "Variable" => InputValue.Variable(VariableName(raw, variableNamesById) ?? text ?? ""),
                "JavaScript" => InputValue.JavaScript(text ?? ""),
                "Liquid" => InputValue.Liquid(text ?? ""),

                // Other languages (C#, Python) cannot run here; keep the text so it stays visible.
                _ => InputValue.Literal(raw?.DeepClone()),
            };
        }

        // FlowSwitch cases and other plain JSON properties.
        return value is JsonArray or JsonObject ? InputValue.Object(value.DeepClone()) : null;
    }

    private static string? VariableName(JsonNode? raw, Dictionary<string, string> variableNamesById)
    {
        var node = raw is JsonValue v && v.TryGetValue<string>(out var s) ? ValueConversion.TryParseJson(s) : raw;
        if (node is JsonObject o)
        {
            return Str(o["name"]) ?? (Str(o["id"]) is { } id && variableNamesById.TryGetValue(id, out var n) ? n : null);
        }

        return null;
    }

    private static Connection? ReadConnection(JsonObject c)
    {
        if (c["source"] is JsonObject source && c["target"] is JsonObject target)
        {
            return new Connection(Str(source["activity"]) ?? "", Str(source["port"]) ?? "Done", Str(target["activity"]) ?? "", NormalizeTargetPort(Str(target["port"])));
        }

        if (Str(c["source"]) is { } flatSource && Str(c["target"]) is { } flatTarget)
        {
            return new Connection(flatSource, Str(c["sourcePort"]) ?? "Done", flatTarget, NormalizeTargetPort(Str(c["targetPort"])));
        }

        return null;
    }

    private static string? NormalizeTargetPort(string? port) => port is null or "In" ? null : port;

    private static IEnumerable<JsonNode?> Values(JsonNode? node) => node switch
    {
        JsonArray a => a,
        JsonObject o when o["$values"] is JsonArray values => values,
        _ => [],
    };

    private static string? Str(JsonNode? node) => node is JsonValue ? ValueConversion.AsString(node) : null;

    private static VariableType VariableTypeOf(string? typeName, bool isArray)
    {
        if (isArray || typeName?.EndsWith("[]", StringComparison.Ordinal) == true)
        {
            return VariableType.Array;
        }

        var shortName = typeName?.Split(',')[0].Split('.')[^1];
        return shortName switch
        {
            "String" or "string" => VariableType.String,
            "Int32" or "int" => VariableType.Int32,
            "Int64" or "long" => VariableType.Int64,
            "Double" or "Single" or "Decimal" or "double" or "float" or "decimal" => VariableType.Double,
            "Boolean" or "bool" => VariableType.Boolean,
            "DateTime" or "DateTimeOffset" => VariableType.DateTime,
            "TimeSpan" => VariableType.TimeSpan,
            _ => VariableType.Object,
        };
    }
}
