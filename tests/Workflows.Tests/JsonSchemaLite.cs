using System.Text.Json;
using System.Text.Json.Nodes;

namespace Liaison.Workflows.Tests;

/// <summary>
/// The JSON Schema subset our schema uses (type, required, properties, additionalProperties, items,
/// enum, $ref to $defs, minLength, minimum); enough to check shipped files without another package.
/// </summary>
internal sealed class JsonSchemaLite(JsonObject root)
{
    public List<string> Validate(JsonNode? instance)
    {
        var errors = new List<string>();
        Check(root, instance, "$", errors);
        return errors;
    }

    private void Check(JsonNode? schemaNode, JsonNode? value, string path, List<string> errors)
    {
        if (schemaNode is not JsonObject schema)
        {
            return;
        }

        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            var target = reference.TrimStart('#', '/').Split('/').Aggregate<string, JsonNode?>(root, (node, part) => node?[part]);
            Check(target, value, path, errors);
            return;
        }

        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
        {
            errors.Add($"{path}: {value?.ToJsonString() ?? "null"} is not one of {options.ToJsonString()}");
        }

        if (schema["type"] is { } typeNode)
        {
            var types = typeNode is JsonArray a ? a.Select(t => t!.GetValue<string>()).ToList() : [typeNode.GetValue<string>()];
            if (!types.Any(t => IsType(value, t)))
            {
                errors.Add($"{path}: expected {string.Join("|", types)}");
                return;
            }
        }

        if (value is JsonValue v)
        {
            if (schema["minLength"] is { } minLength && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length < minLength.GetValue<int>())
            {
                errors.Add($"{path}: shorter than {minLength}");
            }

            if (schema["minimum"] is { } minimum && v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() < minimum.GetValue<double>())
            {
                errors.Add($"{path}: below {minimum}");
            }
        }

        if (value is JsonObject obj)
        {
            foreach (var required in schema["required"] as JsonArray ?? [])
            {
                if (!obj.ContainsKey(required!.GetValue<string>()))
                {
                    errors.Add($"{path}: missing required property {required}");
                }
            }

            var properties = schema["properties"] as JsonObject;
            foreach (var (name, child) in obj)
            {
                if (properties?[name] is { } propertySchema)
                {
                    Check(propertySchema, child, $"{path}.{name}", errors);
                }
                else if (schema["additionalProperties"] is JsonValue additional && additional.GetValueKind() == JsonValueKind.False)
                {
                    errors.Add($"{path}: unexpected property {name}");
                }
                else if (schema["additionalProperties"] is JsonObject additionalSchema)
                {
                    Check(additionalSchema, child, $"{path}.{name}", errors);
                }
            }
        }

        if (value is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(items, array[i], $"{path}[{i}]", errors);
            }
        }
    }

    private static bool IsType(JsonNode? value, string type) => type switch
    {
        "null" => value is null,
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue s && s.GetValueKind() == JsonValueKind.String,
        "boolean" => value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => value is JsonValue n && n.GetValueKind() == JsonValueKind.Number,
        "integer" => value is JsonValue i && i.GetValueKind() == JsonValueKind.Number && i.GetValue<double>() % 1 == 0,
        _ => false,
    };
}
