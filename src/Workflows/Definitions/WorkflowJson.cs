using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Liaison.Workflows.Definitions;

/// <summary>Shared System.Text.Json settings for definitions and instance state (camelCase, enums as strings).</summary>
public static class WorkflowJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,

            // Above the reading limit (MaxDepth): whatever was read can always be written back.
            MaxDepth = 2 * MaxDepth,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary>Strips a UTF-8 byte-order mark that File.ReadAllText may leave as U+FEFF.</summary>
    internal static string StripBom(string json) => json.Length > 0 && json[0] == '\uFEFF' ? json[1..] : json;

    internal static string ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return DecodeUtf8(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Nesting deeper than this is refused: real definitions stay far below it, hostile ones do not.</summary>
    public const int MaxDepth = 128;

    public static JsonDocumentOptions DocumentOptions { get; } = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = MaxDepth,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes UTF-8 strictly (a byte-order mark is dropped); invalid bytes are a <see cref="FormatException"/> naming the offset.</summary>
    public static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new FormatException($"the content is not valid UTF-8 (invalid byte at offset {ex.Index})", ex);
        }
    }
}

/// <summary>Reads and writes the native workflow definition JSON.</summary>
public static class WorkflowDefinitionSerializer
{
    public static WorkflowDefinition Read(string json) =>
        Normalize(JsonSerializer.Deserialize<WorkflowDefinition>(WorkflowJson.StripBom(json), WorkflowJson.Options)
        ?? throw new JsonException("The workflow definition JSON is empty (null)."));

    public static WorkflowDefinition Read(Stream stream) => Read(WorkflowJson.ReadAll(stream));

    /// <summary>
    /// Turns JSON nulls into empty values so that everything downstream sees a complete model; a null where an
    /// element of a list was expected is refused, since nothing sensible can stand in for it.
    /// </summary>
    public static WorkflowDefinition Normalize(WorkflowDefinition definition)
    {
        definition.DefinitionId ??= "";
        definition.Name ??= "";
        definition.Variables = NoNulls(definition.Variables, "variables");
        definition.Inputs = NoNulls(definition.Inputs, "inputs");
        definition.Options ??= new();
        definition.Metadata ??= [];
        definition.Root ??= new();
        definition.Root.Activities = NoNulls(definition.Root.Activities, "root.activities");
        definition.Root.Connections = NoNulls(definition.Root.Connections, "root.connections");
        foreach (var variable in definition.Variables)
        {
            variable.Name ??= "";
        }

        foreach (var input in definition.Inputs)
        {
            input.Name ??= "";
        }

        foreach (var node in definition.Root.Activities)
        {
            node.Id ??= "";
            node.Type ??= "";
            node.Metadata ??= [];
            node.Inputs ??= [];
            var outputs = node.Outputs?.Where(p => !string.IsNullOrEmpty(p.Value)).ToList() ?? [];
            node.Outputs = outputs.Count == 0 ? null : new Dictionary<string, string>(outputs, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in node.Inputs.Where(p => p.Value is null).ToList())
            {
                node.Inputs.Remove(name);
            }
        }

        foreach (var connection in definition.Root.Connections)
        {
            connection.Source ??= new();
            connection.Target ??= new();
            connection.Source.Activity ??= "";
            connection.Target.Activity ??= "";
        }

        return definition;
    }

    private static List<T> NoNulls<T>(List<T>? list, string path)
        where T : class
    {
        list ??= [];
        var index = list.FindIndex(x => x is null);
        return index < 0 ? list : throw new JsonException($"{path}[{index}] is null; remove it or give it a value");
    }

    public static string Write(WorkflowDefinition definition) => JsonSerializer.Serialize(definition, WorkflowJson.Options);

    public static void Write(WorkflowDefinition definition, Stream stream) =>
        JsonSerializer.Serialize(stream, definition, WorkflowJson.Options);
}
