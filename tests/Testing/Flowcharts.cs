using System.Text.Json.Nodes;

namespace Liaison.Testing;

/// <summary>Small native definitions built in code for engine tests.</summary>
public static class Flowcharts
{
    public static string Build(string definitionId, IEnumerable<JsonObject> activities, IEnumerable<(string From, string Port, string To)> connections, JsonArray? variables = null)
    {
        var root = new JsonObject
        {
            ["definitionId"] = definitionId,
            ["name"] = definitionId,
            ["variables"] = variables ?? [],
            ["root"] = new JsonObject
            {
                ["activities"] = new JsonArray(activities.Select(a => (JsonNode)a).ToArray()),
                ["connections"] = new JsonArray(connections.Select(c => (JsonNode)new JsonObject
                {
                    ["source"] = new JsonObject { ["activity"] = c.From, ["port"] = c.Port },
                    ["target"] = new JsonObject { ["activity"] = c.To },
                }).ToArray()),
            },
        };
        return root.ToJsonString();
    }

    public static JsonObject Activity(string id, string type, JsonObject? inputs = null) => new()
    {
        ["id"] = id,
        ["type"] = type,
        ["inputs"] = inputs ?? [],
    };

    public static JsonObject Literal(JsonNode? value) => new() { ["kind"] = "literal", ["value"] = value };

    public static JsonObject Script(string source) => new() { ["kind"] = "javaScript", ["value"] = source };

    /// <summary>Start → WriteLine(before) → WaitForEvent(eventName) → WriteLine(after) → End.</summary>
    public static string WaitForEvent(string definitionId, string eventName, string before = "before", string after = "after") => Build(
        definitionId,
        [
            Activity("start", "Start"),
            Activity("before", "WriteLine", new JsonObject { ["text"] = Literal(before) }),
            Activity("wait", "WaitForEvent", new JsonObject { ["eventName"] = Literal(eventName) }),
            Activity("after", "WriteLine", new JsonObject { ["text"] = Literal(after) }),
            Activity("end", "End"),
        ],
        [("start", "Done", "before"), ("before", "Done", "wait"), ("wait", "Done", "after"), ("after", "Done", "end")]);

    /// <summary>Start → N SetVariable steps → End: the benchmark and throughput shape.</summary>
    public static string Sequential(string definitionId, int steps)
    {
        var activities = new List<JsonObject> { Activity("start", "Start") };
        var connections = new List<(string, string, string)>();
        var previous = "start";
        for (var i = 1; i <= steps; i++)
        {
            var id = $"step{i}";
            activities.Add(Activity(id, "SetVariable", new JsonObject { ["variable"] = Literal("Counter"), ["value"] = Literal(i) }));
            connections.Add((previous, "Done", id));
            previous = id;
        }

        activities.Add(Activity("end", "End"));
        connections.Add((previous, "Done", "end"));
        return Build(definitionId, activities, connections, [new JsonObject { ["name"] = "Counter", ["type"] = "int32", ["default"] = 0 }]);
    }

    /// <summary>Start → HumanTask(kind, assignee, outcomes Sign/Return) → WriteLine on Sign.</summary>
    public static string HumanTask(string definitionId, string assigneeKind, string assigneeId, string title = "签收") => Build(
        definitionId,
        [
            Activity("start", "Start"),
            Activity("task", "HumanTask", new JsonObject
            {
                ["title"] = Literal(title),
                ["assigneeKind"] = Literal(assigneeKind),
                ["assigneeId"] = Literal(assigneeId),
                ["outcomes"] = Literal(new JsonArray("Sign", "Return")),
            }),
            Activity("signed", "WriteLine", new JsonObject { ["text"] = Literal("signed") }),
        ],
        [("start", "Done", "task"), ("task", "Sign", "signed")]);
}
