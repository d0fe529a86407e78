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
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary>Strips a UTF-8 byte-order mark that File.ReadAllText may leave as U+FEFF.</summary>
    internal static string StripBom(string json) => json.Length > 0 && json[0] == '\uFEFF' ? json[1..] : json;

    internal static string ReadAll(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return reader.ReadToEnd();
    }
}

/// <summary>Reads and writes the native workflow definition JSON.</summary>
public static class WorkflowDefinitionSerializer
{
    public static WorkflowDefinition Read(string json) =>
        JsonSerializer.Deserialize<WorkflowDefinition>(WorkflowJson.StripBom(json), WorkflowJson.Options)
        ?? throw new JsonException("The workflow definition JSON is empty (null).");

    public static WorkflowDefinition Read(Stream stream) => Read(WorkflowJson.ReadAll(stream));

    public static string Write(WorkflowDefinition definition) => JsonSerializer.Serialize(definition, WorkflowJson.Options);

    public static void Write(WorkflowDefinition definition, Stream stream) =>
        JsonSerializer.Serialize(stream, definition, WorkflowJson.Options);
}
