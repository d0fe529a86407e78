using System.Text.Json;
using System.Text.Json.Nodes;

using Liaison.Workflows.Activities;
using Liaison.Workflows.Activities.BuiltIn;
using Liaison.Workflows.Activities.Http;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Expressions;

namespace Liaison.Workflows.ElsaImport;

/// <summary>
/// Reads Elsa 3 workflow-definition JSON into the native model. Elsa's composite activities (Sequence, Fork,
/// Parallel, If, Switch) are flattened into the native flowchart so that their children run the way Elsa runs
/// them; unknown activity types are kept as "Unsupported" nodes (with their inputs and connections) so
/// validation can name them.
/// </summary>
public static class ElsaImporter
{
    /// <summary>How an Elsa type becomes a native one: input renames and the values Elsa uses when an input is missing.</summary>
    /// <summary>Metadata key of the Elsa definitionId, by which other Elsa workflows refer to this one.</summary>
    public const string ElsaDefinitionIdKey = "elsaDefinitionId";

    private sealed record TypeMap(string NativeType, Dictionary<string, string> Inputs, Dictionary<string, JsonNode?>? Defaults = null, Dictionary<string, JsonNode?>? Fixed = null);

    /// <summary>Port that matches whatever the source activity emits (a Sequence moves on after any outcome).</summary>
    public const string AnyPort = "*";

    private static Dictionary<string, string> SendHttpInputs => new()
    {
        ["url"] = "url",
        ["method"] = "method",
        ["content"] = "content",
        ["contentType"] = "contentType",
        ["authorization"] = "authorization",
        ["requestHeaders"] = "requestHeaders",
        ["expectedStatusCodes"] = "expectedStatusCodes",
    };

    private static readonly Dictionary<string, TypeMap> Map = new(StringComparer.Ordinal)
    {
        ["Elsa.Start"] = new("Start", []),
        ["Elsa.End"] = new("End", []),
        ["Elsa.Complete"] = new("Finish", new() { ["outcomes"] = "output" }),
        ["Elsa.Finish"] = new("Finish", []),
        ["Elsa.Fault"] = new("Fault", new() { ["message"] = "message", ["code"] = "code" }, new() { ["message"] = "" }),
        ["Elsa.WriteLine"] = new("WriteLine", new() { ["text"] = "text" }, new() { ["text"] = "" }),
        ["Elsa.SetVariable"] = new("SetVariable", new() { ["variable"] = "variable", ["value"] = "value" }),
        ["Elsa.SetOutput"] = new("SetOutput", new() { ["outputName"] = "name", ["outputValue"] = "value" }),
        ["Elsa.SetName"] = new("SetName", new() { ["value"] = "name" }),
        ["Elsa.Correlate"] = new("Correlate", new() { ["correlationId"] = "correlationKey" }),
        ["Elsa.FlowDecision"] = new("Decision", new() { ["condition"] = "condition" }, new() { ["condition"] = false }),
        ["Elsa.FlowSwitch"] = new("Switch", new() { ["cases"] = "cases", ["mode"] = "mode" }, new() { ["cases"] = new JsonArray() }),
        ["Elsa.FlowFork"] = new("Fork", new() { ["branches"] = "branches" }, new() { ["branches"] = new JsonArray() }),
        ["Elsa.FlowJoin"] = new("Join", new() { ["mode"] = "mode" }),
        ["Elsa.FlowNode"] = new("Pass", []),
        ["Elsa.Delay"] = new("Delay", new() { ["timeSpan"] = "duration" }, new() { ["timeSpan"] = "00:00:00" }),
        ["Elsa.Timer"] = new("Timer", new() { ["interval"] = "after" }),
        ["Elsa.Cron"] = new("Timer", new() { ["cronExpression"] = "cron" }),
        ["Elsa.StartAt"] = new("Timer", new() { ["dateTime"] = "at" }),
        ["Elsa.Event"] = new("WaitForEvent", new() { ["eventName"] = "eventName" }),
        ["Elsa.PublishEvent"] = new("PublishEvent", new() { ["eventName"] = "eventName", ["correlationId"] = "correlationKey", ["isLocal"] = "isLocal", ["payload"] = "payload" }),
        ["Elsa.RunTask"] = new("HumanTask", new() { ["taskName"] = "title", ["payload"] = "data" }),
        ["Elsa.RunJavaScript"] = new("RunScript", new() { ["script"] = "script" }, new() { ["script"] = "" }),
        ["Elsa.SendEmail"] = new("SendNotification", new() { ["to"] = "recipient", ["subject"] = "subject", ["body"] = "message", ["from"] = "sender" }, new() { ["body"] = "" }, new() { ["channel"] = "email" }),
        ["Elsa.HttpEndpoint"] = new("HttpEndpoint", new() { ["path"] = "path", ["supportedMethods"] = "supportedMethods", ["authorize"] = "authorize", ["policy"] = "policy" }),
        ["Elsa.WriteHttpResponse"] = new("WriteHttpResponse", new() { ["statusCode"] = "statusCode", ["content"] = "content", ["contentType"] = "contentType", ["responseHeaders"] = "responseHeaders" }),
        ["Elsa.FlowSendHttpRequest"] = new("SendHttpRequest", SendHttpInputs),
        ["Elsa.SendHttpRequest"] = new("SendHttpRequest", SendHttpInputs),
        ["Elsa.ForEach"] = new("ForEach", new() { ["items"] = "items" }),
        ["Elsa.For"] = new("For", new() { ["start"] = "start", ["end"] = "end", ["step"] = "step", ["outerBoundInclusive"] = "outerBoundInclusive" }),
        ["Elsa.While"] = new("While", new() { ["condition"] = "condition" }, new() { ["condition"] = false }),
        ["Elsa.ParallelForEach"] = new("ParallelForEach", new() { ["items"] = "items" }),
        ["Elsa.Break"] = new("Break", []),
        ["Elsa.DispatchWorkflow"] = new("DispatchWorkflow", new() { ["workflowDefinitionId"] = "workflowDefinitionId", ["input"] = "input", ["correlationId"] = "correlationKey", ["waitForCompletion"] = "waitForCompletion" }),

        // ExecuteWorkflow.cs: runs the published child and (as imported here) waits for it; its Result is the child's output.
        ["Elsa.ExecuteWorkflow"] = new("DispatchWorkflow", new() { ["workflowDefinitionId"] = "workflowDefinitionId", ["input"] = "input", ["correlationId"] = "correlationKey", ["waitForCompletion"] = "waitForCompletion" }, new() { ["waitForCompletion"] = true }),
    };

    /// <summary>Elsa types Liaison knows it cannot run, with the reason shown to the user.</summary>
    private static readonly Dictionary<string, string> KnownUnsupported = new(StringComparer.Ordinal)
    {
        ["Elsa.RunCSharp"] = "C# scripts do not run in Liaison (no C# sandbox); rewrite the script as Elsa.RunJavaScript",
        ["Elsa.RunPython"] = "Python scripts do not run in Liaison; rewrite the script as Elsa.RunJavaScript",
        ["Elsa.BulkDispatchWorkflows"] = "dispatching a workflow per item is not available; use Elsa.DispatchWorkflow",
    };

    // Properties of an Elsa activity that are never inputs.
    private static readonly HashSet<string> NonInputs = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "nodeId", "name", "type", "version", "customProperties", "metadata", "canStartWorkflow",
        "runAsynchronously", "source", "line", "applicationProperties", "workflowDefinitionId", "workflowDefinitionVersionId",
        "latestAvailablePublishedVersion", "latestAvailablePublishedVersionId", "description", "displayName", "$id", "$type",
        "activities", "connections", "variables", "start",
    };

    /// <summary>An Elsa 3 file: an Elsa root activity type, an Elsa schema, a toolVersion, or Elsa activity types inside the root.</summary>
    public static bool LooksLikeElsa(JsonNode? document)
    {
        if (document is not JsonObject o || o["root"] is not JsonObject root)
        {
            return false;
        }

        return Str(root["type"])?.StartsWith("Elsa.", StringComparison.Ordinal) == true
            || Str(o["$schema"])?.Contains("elsa", StringComparison.OrdinalIgnoreCase) == true
            || Str(o["toolVersion"]) is not null
            || Values(root["activities"]).OfType<JsonObject>().Any(a => Str(a["type"])?.StartsWith("Elsa.", StringComparison.Ordinal) == true);
    }

    /// <summary>An Elsa 2 export: activities and connections at the top level, with activityId / sourceActivityId.</summary>
    public static bool LooksLikeElsa2(JsonNode? document) =>
        document is JsonObject o && o["root"] is null
        && (Values(o["activities"]).OfType<JsonObject>().Any(a => a["activityId"] is not null)
            || Values(o["connections"]).OfType<JsonObject>().Any(c => c["sourceActivityId"] is not null)
            || (o["activities"] is JsonArray && (o["persistenceBehavior"] is not null || o["isSingleton"] is not null || o["contextOptions"] is not null)));

    public static WorkflowDefinition Import(Stream stream) => Import(WorkflowJson.ReadAll(stream));

    public static WorkflowDefinition Import(string json) =>
        Import(JsonNode.Parse(WorkflowJson.StripBom(json), documentOptions: WorkflowJson.DocumentOptions));

    public static WorkflowDefinition Import(JsonNode? document)
    {
        var doc = document as JsonObject ?? throw new JsonException("An Elsa workflow file must be a JSON object.");
        var root = doc["root"] as JsonObject ?? throw new JsonException("The Elsa workflow has no 'root' activity (it is missing or not an object).");

        var definition = new WorkflowDefinition
        {
            DefinitionId = NonEmpty(Str(doc["definitionId"])) ?? NonEmpty(Str(doc["id"])) ?? Guid.NewGuid().ToString("N"),
            Version = doc["version"] is JsonValue v && v.TryGetValue<int>(out var version) ? version : 1,
            Name = Str(doc["name"]) ?? "Imported workflow",
            Description = Str(doc["description"]),
        };
        definition.Metadata["importedFrom"] = "Elsa";
        if (NonEmpty(Str(doc["definitionId"])) is { } elsaDefinitionId)
        {
            definition.Metadata[ElsaDefinitionIdKey] = elsaDefinitionId;
        }

        if (Str(doc["id"]) is { } elsaId)
        {
            definition.Metadata["elsaId"] = elsaId;
        }

        var reader = new Reader(definition);
        foreach (var variable in Values(doc["variables"]).Concat(Values(root["variables"])).OfType<JsonObject>())
        {
            reader.AddVariable(variable);
        }

        foreach (var input in Values(doc["inputs"]).OfType<JsonObject>())
        {
            if (NonEmpty(Str(input["name"])) is { } name && !definition.Inputs.Any(i => i.Name == name))
            {
                definition.Inputs.Add(new InputDescriptorLike(name, VariableTypeOf(Str(input["type"]) ?? Str(input["typeName"]), false), Str(input["description"])).ToDefinition());
            }
        }

        reader.ReadRoot(root);
        return definition;
    }

    private sealed record InputDescriptorLike(string Name, VariableType Type, string? Description)
    {
        public InputDefinition ToDefinition() => new() { Name = Name, Type = Type, Description = Description };
    }

    /// <summary>Where a flattened piece starts and the (activity, port) pairs that lead out of it.</summary>
    private sealed record Fragment(string Entry, List<(string Activity, string Port)> Exits);

    private sealed class Reader(WorkflowDefinition definition)
    {
        private readonly Dictionary<string, string> _variableNamesById = new(StringComparer.Ordinal);
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        private int _depth;

        private Flowchart Flow => definition.Root;

        public void AddVariable(JsonObject variable)
        {
            var name = NonEmpty(Str(variable["name"]));
            if (name is null || definition.Variables.Any(x => x.Name == name))
            {
                return;
            }

            if (Str(variable["id"]) is { } id)
            {
                _variableNamesById[id] = name;
            }

            var type = VariableTypeOf(Str(variable["typeName"]), variable["isArray"]?.GetValueKind() == JsonValueKind.True);
            definition.Variables.Add(new VariableDefinition { Name = name, Type = type, Default = ValueConversion.Coerce(variable["value"]?.DeepClone(), type) });
        }

        public void ReadRoot(JsonObject root)
        {
            var type = Str(root["type"]);
            if (type == "Elsa.Flowchart" || (type is null && root["activities"] is not null))
            {
                ReadFlowchart(root, nested: false);
                return;
            }

            // Any other root (a Sequence, a single activity): its flattened pieces form the flowchart.
            var fragment = ReadActivity(root, []);
            Flow.StartActivityId = fragment.Entry;
        }

        /// <summary>
        /// Reads a flowchart's activities and connections into the native one. Nested (a loop's body, a Sequence's
        /// child), it starts at its start activity (several: all at once) and is left from its last activities.
        /// </summary>
        private Fragment ReadFlowchart(JsonObject flowchart, bool nested)
        {
            foreach (var variable in Values(flowchart["variables"]).OfType<JsonObject>())
            {
                AddVariable(variable);
            }

            var connections = Values(flowchart["connections"]).OfType<JsonObject>().Select(ReadConnection).Where(c => c is not null).Select(c => c!).ToList();
            var fragments = new Dictionary<string, Fragment>(StringComparer.Ordinal);
            foreach (var activity in Values(flowchart["activities"]).OfType<JsonObject>())
            {
                var id = Str(activity["id"]) ?? "";
                var fragment = ReadActivity(activity, connections.Where(c => c.Source.Activity == id).Select(c => c.Source.Port ?? "Done").Distinct().ToList());
                fragments.TryAdd(id, fragment);
            }

            // A connection into a composite enters its first piece; one out of it leaves from each of its exits.
            foreach (var c in connections)
            {
                var target = fragments.TryGetValue(c.Target.Activity, out var t) ? t.Entry : c.Target.Activity;
                if (fragments.TryGetValue(c.Source.Activity, out var s) && (s.Exits.Count != 1 || s.Exits[0].Activity != c.Source.Activity))
                {
                    foreach (var (activity, port) in s.Exits)
                    {
                        Flow.Connections.Add(new Connection(activity, port == AnyPort ? AnyPort : port, target, c.Target.Port));
                    }

                    continue;
                }

                Flow.Connections.Add(new Connection(c.Source.Activity, c.Source.Port ?? "Done", target, c.Target.Port));
            }

            if (!nested)
            {
                if (Str(flowchart["start"]) is { } start)
                {
                    Flow.StartActivityId = fragments.TryGetValue(start, out var f) ? f.Entry : start;
                }

                return new Fragment(Flow.StartActivityId ?? "", []);
            }

            // A Start inside a nested flowchart marks where it begins, not where the workflow does.
            foreach (var node in Flow.Activities.Where(n => n.Type == "Start" && fragments.Values.Any(f => f.Entry == n.Id)))
            {
                node.Type = "Pass";
            }

            var ids = fragments.Keys.ToList();
            var starts = Str(flowchart["start"]) is { } s0 && fragments.ContainsKey(s0) ? [s0]
                : Values(flowchart["activities"]).OfType<JsonObject>().Where(x => Str(x["type"]) == "Elsa.Start").Select(x => Str(x["id"]) ?? "").Where(fragments.ContainsKey).ToList() is { Count: > 0 } explicitStarts ? explicitStarts
                : ids.Where(id => !connections.Any(c => c.Target.Activity == id && fragments.ContainsKey(c.Source.Activity))).ToList();
            string entry;
            if (starts.Count == 1)
            {
                entry = fragments[starts[0]].Entry;
            }
            else
            {
                var pass = AddSynthetic(flowchart, "Pass", ":start");
                entry = pass.Id;
                foreach (var id in starts)
                {
                    Flow.Connections.Add(new Connection(pass.Id, AnyPort, fragments[id].Entry));
                }
            }

            // Its last activities (no connection out) lead on; several are merged first, as the flowchart completes once.
            var exits = ids.Where(id => !connections.Any(c => c.Source.Activity == id)).SelectMany(id => fragments[id].Exits).ToList();
            if (exits.Count <= 1)
            {
                return new Fragment(entry, exits);
            }

            var join = AddSynthetic(flowchart, "Join", ":end");
            join.Inputs["mode"] = InputValue.Literal("WaitAll");
            join.MergeMode = MergeMode.Merge;
            foreach (var (activity, port) in exits)
            {
                Flow.Connections.Add(new Connection(activity, port, join.Id));
            }

            return new Fragment(entry, [(join.Id, AnyPort)]);
        }

        /// <summary>
        /// Elsa's loops hold their body (an activity, often a Flowchart or Sequence): the body hangs off the loop's
        /// "Body" port and its last activities lead nowhere; the runner continues the loop when nothing in it can run.
        /// </summary>
        private Fragment ReadLoop(JsonObject a, List<string> usedPorts)
        {
            var copy = a.DeepClone().AsObject();
            copy.Remove("body");
            var loop = ReadSimple(copy, usedPorts).Entry;
            if (a["body"] is JsonObject body && body["type"] is not null)
            {
                var fragment = ReadActivity(body, []);
                Flow.Connections.Add(new Connection(loop, LoopPorts.Body, fragment.Entry));
            }

            return new Fragment(loop, [(loop, LoopPorts.Done)]);
        }

        /// <summary>Adds the activity (flattened when composite) and says where it starts and how it is left.</summary>
        private Fragment ReadActivity(JsonObject a, List<string> usedPorts)
        {
            if (++_depth > 64)
            {
                throw new JsonException("Elsa activities are nested more than 64 levels deep");
            }

            try
            {
                var type = Str(a["type"]) ?? "";
                return type switch
                {
                    "Elsa.Sequence" => ReadSequence(a),
                    "Elsa.Flowchart" => ReadFlowchart(a, nested: true),
                    "Elsa.ForEach" or "Elsa.For" or "Elsa.While" or "Elsa.ParallelForEach" => ReadLoop(a, usedPorts),
                    "Elsa.Fork" or "Elsa.Parallel" => ReadFork(a, type),
                    "Elsa.If" => ReadIf(a),
                    "Elsa.Switch" => ReadSwitch(a),
                    "Elsa.SendHttpRequest" => ReadSendHttpRequest(a, usedPorts),
                    _ => ReadSimple(a, usedPorts),
                };
            }
            finally
            {
                _depth--;
            }
        }

        private Fragment ReadSimple(JsonObject a, List<string> usedPorts)
        {
            var node = NewNode(a);
            var elsaType = Str(a["type"]) ?? "";
            Map.TryGetValue(elsaType, out var map);
            node.Type = map?.NativeType ?? BuiltInActivities.Unsupported;
            ReadInputsAndOutputs(a, node, map);
            if (map is null && IsWorkflowActivity(elsaType, a, out var childId))
            {
                // A published workflow used as an activity: dispatched and awaited; its inputs become the child's input.
                var inputs = node.Inputs.ToList();
                node.Inputs.Clear();
                foreach (var (name, value) in inputs)
                {
                    node.Inputs[DispatchWorkflowActivity.ChildInputPrefix + name] = value;
                }

                node.Type = "DispatchWorkflow";
                node.Inputs["workflowDefinitionId"] = InputValue.Literal(JsonValue.Create(childId));
                node.Inputs["waitForCompletion"] = InputValue.Literal(JsonValue.Create(true));
                node.Metadata[UnsupportedActivity.OriginalTypeKey] = elsaType;
            }

            // Elsa runs these children under the parent's correlation id (ExecuteWorkflow.cs ignores its own input).
            if (node.Type == "DispatchWorkflow" && elsaType != "Elsa.DispatchWorkflow" && node.GetInput("correlationKey") is null or { Kind: InputKind.Literal, Value: null })
            {
                node.Inputs["correlationKey"] = InputValue.JavaScript("getCorrelationId()");
            }

            else if (map is null)
            {
                node.Metadata[UnsupportedActivity.OriginalTypeKey] = elsaType;
                node.Metadata[UnsupportedActivity.ReasonKey] = UnsupportedReason(elsaType, a);
                node.Metadata["ports"] = new JsonArray([.. usedPorts.DefaultIfEmpty("Done").Select(p => (JsonNode?)JsonValue.Create(p))]);
                if (Str(a["workflowDefinitionId"]) is { } child)
                {
                    node.Metadata["workflowDefinitionId"] = child;
                }
            }

            Flow.Activities.Add(node);
            return new Fragment(node.Id, [(node.Id, AnyPort)]);
        }

        /// <summary>Elsa's Sequence schedules each child when the previous one completes, whatever its outcome.</summary>
        private Fragment ReadSequence(JsonObject a)
        {
            foreach (var variable in Values(a["variables"]).OfType<JsonObject>())
            {
                AddVariable(variable);
            }

            var children = Values(a["activities"]).OfType<JsonObject>().Select(child => ReadActivity(child, [])).ToList();
            if (children.Count == 0)
            {
                var pass = AddSynthetic(a, "Pass", "");
                return new Fragment(pass.Id, [(pass.Id, AnyPort)]);
            }

            for (var i = 1; i < children.Count; i++)
            {
                Chain(children[i - 1], children[i].Entry);
            }

            return new Fragment(children[0].Entry, children[^1].Exits);
        }

        /// <summary>Elsa's Fork/Parallel: every branch starts; Fork's joinMode says whether all or the first must finish.</summary>
        private Fragment ReadFork(JsonObject a, string type)
        {
            var branches = Values(a["branches"] ?? a["activities"]).OfType<JsonObject>().Select(child => ReadActivity(child, [])).ToList();
            var fork = AddSynthetic(a, "Fork", ":fork");
            fork.Inputs["branches"] = InputValue.Literal(new JsonArray([.. branches.Select((_, i) => (JsonNode?)JsonValue.Create($"Branch{i + 1}"))]));
            var waitAny = type == "Elsa.Fork" && string.Equals(Str(Unwrap(a["joinMode"])), "WaitAny", StringComparison.OrdinalIgnoreCase);
            var join = AddSynthetic(a, "Join", ":join");
            join.Inputs["mode"] = InputValue.Literal(waitAny ? "WaitAny" : "WaitAll");
            join.MergeMode = waitAny ? MergeMode.Race : MergeMode.Merge;
            for (var i = 0; i < branches.Count; i++)
            {
                Flow.Connections.Add(new Connection(fork.Id, $"Branch{i + 1}", branches[i].Entry));
                Chain(branches[i], join.Id);
            }

            if (branches.Count == 0)
            {
                Flow.Connections.Add(new Connection(fork.Id, AnyPort, join.Id));
            }

            return new Fragment(fork.Id, [(join.Id, AnyPort)]);
        }

        private Fragment ReadIf(JsonObject a)
        {
            var decision = AddSynthetic(a, "Decision", "");
            decision.Inputs["condition"] = ReadInput("condition", a["condition"] ?? JsonValue.Create(false), "Boolean") ?? InputValue.Literal(JsonValue.Create(false));
            var exits = new List<(string, string)>();
            foreach (var (property, port) in new[] { ("then", "True"), ("else", "False") })
            {
                if (a[property] is JsonObject branch)
                {
                    var fragment = ReadActivity(branch, []);
                    Flow.Connections.Add(new Connection(decision.Id, port, fragment.Entry));
                    exits.AddRange(fragment.Exits);
                }
                else
                {
                    exits.Add((decision.Id, port));
                }
            }

            return new Fragment(decision.Id, exits);
        }

        private Fragment ReadSwitch(JsonObject a)
        {
            var node = AddSynthetic(a, "Switch", "");
            var cases = new JsonArray();
            var exits = new List<(string, string)>();
            var index = 0;
            foreach (var item in Values(a["cases"]).OfType<JsonObject>())
            {
                var name = NonEmpty(Str(item["label"])) ?? $"Case{++index}";
                var condition = ReadInput("condition", item["condition"] ?? JsonValue.Create(false), "Boolean");
                cases.Add(new JsonObject { ["name"] = name, ["condition"] = condition?.Kind == InputKind.JavaScript ? condition.Text : ValueConversion.AsBoolean(condition?.Value) ? "true" : "false" });
                if (item["activity"] is JsonObject body)
                {
                    var fragment = ReadActivity(body, []);
                    Flow.Connections.Add(new Connection(node.Id, name, fragment.Entry));
                    exits.AddRange(fragment.Exits);
                }
                else
                {
                    exits.Add((node.Id, name));
                }
            }

            node.Inputs["cases"] = InputValue.Object(cases);
            node.Inputs["mode"] = InputValue.Literal(string.Equals(Str(Unwrap(a["mode"])), "MatchAny", StringComparison.OrdinalIgnoreCase) ? "MatchAny" : "MatchFirst");
            if (a["default"] is JsonObject fallback)
            {
                var fragment = ReadActivity(fallback, []);
                Flow.Connections.Add(new Connection(node.Id, "Default", fragment.Entry));
                exits.AddRange(fragment.Exits);
            }
            else
            {
                exits.Add((node.Id, "Default"));
            }

            return new Fragment(node.Id, exits);
        }

        /// <summary>
        /// Elsa's SendHttpRequest holds an activity per expected status code (and for an unmatched code, a failed
        /// connection, a timeout): each becomes the target of that port, as a Switch's cases do.
        /// </summary>
        private Fragment ReadSendHttpRequest(JsonObject a, List<string> usedPorts)
        {
            var cases = Values(a["expectedStatusCodes"]).OfType<JsonObject>().ToList();
            if (cases.Count == 0 && new[] { "unmatchedStatusCode", "failedToConnect", "timeout" }.All(p => a[p] is not JsonObject { } o || o["type"] is null))
            {
                return ReadSimple(a, usedPorts); // the flow form: ports and connections as FlowSendHttpRequest
            }

            var bodies = new List<(string Port, JsonObject? Activity)>();
            foreach (var item in cases)
            {
                if (Str(Unwrap(item["statusCode"])) is { } code)
                {
                    bodies.Add((code, item["activity"] as JsonObject));
                }
            }

            var copy = a.DeepClone().AsObject();
            foreach (var port in new[] { "expectedStatusCodes", "unmatchedStatusCode", "failedToConnect", "timeout" })
            {
                copy.Remove(port);
            }

            var node = ReadSimple(copy, usedPorts);
            var request = Flow.Activities.First(x => x.Id == node.Entry);
            if (bodies.Count > 0)
            {
                request.Inputs["expectedStatusCodes"] = InputValue.Object(new JsonArray([.. bodies.Select(b => (JsonNode?)JsonValue.Create(b.Port))]));
            }

            var exits = new List<(string, string)>();
            bodies.Add((HttpActivities.UnmatchedStatusCode, a["unmatchedStatusCode"] as JsonObject));
            bodies.Add((HttpActivities.FailedToConnect, a["failedToConnect"] as JsonObject));
            bodies.Add((HttpActivities.Timeout, a["timeout"] as JsonObject));
            foreach (var (port, body) in bodies)
            {
                if (body is not null)
                {
                    var fragment = ReadActivity(body, []);
                    Flow.Connections.Add(new Connection(request.Id, port, fragment.Entry));
                    exits.AddRange(fragment.Exits);
                }
                else
                {
                    exits.Add((request.Id, port));
                }
            }

            if (cases.Count == 0)
            {
                exits.Add((request.Id, "Done"));
            }

            return new Fragment(request.Id, exits);
        }

        private void Chain(Fragment from, string to)
        {
            foreach (var (activity, port) in from.Exits)
            {
                Flow.Connections.Add(new Connection(activity, port, to));
            }
        }

        private ActivityNode AddSynthetic(JsonObject a, string nativeType, string suffix)
        {
            var node = NewNode(a, suffix);
            node.Type = nativeType;
            Flow.Activities.Add(node);
            return node;
        }

        private ActivityNode NewNode(JsonObject a, string suffix = "")
        {
            var baseId = NonEmpty(Str(a["id"])) ?? Guid.NewGuid().ToString("N");
            var id = baseId + suffix;
            for (var n = 2; !_ids.Add(id); n++)
            {
                id = $"{baseId}{suffix}#{n}";
            }

            var metadata = a["metadata"] as JsonObject;
            var node = new ActivityNode { Id = id, DisplayName = Str(metadata?["displayText"]) ?? Str(a["name"]) };
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
                    // By name only: Enum.TryParse would also take "7", an undefined value that cannot be written back.
                    _ => Enum.GetValues<MergeMode>().Select(m => (MergeMode?)m).FirstOrDefault(m => string.Equals(m.ToString(), mergeText, StringComparison.OrdinalIgnoreCase)),
                };
            }

            var canStart = a["canStartWorkflow"] ?? custom?["canStartWorkflow"];
            if (canStart?.GetValueKind() == JsonValueKind.True)
            {
                node.Metadata["canStartWorkflow"] = true;
            }

            if (Str(a["name"]) is { } name)
            {
                node.Metadata["elsaName"] = name;
            }

            return node;
        }

        private void ReadInputsAndOutputs(JsonObject a, ActivityNode node, TypeMap? map)
        {
            foreach (var (property, value) in a)
            {
                if ((NonInputs.Contains(property) && map?.Inputs.ContainsKey(property) != true) || value is null)
                {
                    continue;
                }

                // An output bound to a variable: {"typeName": ..., "memoryReference": {"id": "<variable id>"}} without an expression.
                if (value is JsonObject bound && bound["expression"] is null && bound["memoryReference"] is JsonObject reference && property != "variable")
                {
                    if (Str(reference["id"]) is { } variableId && _variableNamesById.TryGetValue(variableId, out var variableName))
                    {
                        (node.Outputs ??= new(StringComparer.OrdinalIgnoreCase))[property] = variableName;
                    }

                    continue;
                }

                var input = ReadInput(property, value, value is JsonObject o ? Str(o["typeName"]) : null);
                if (input is null)
                {
                    continue;
                }

                var name = map is null ? property : map.Inputs.TryGetValue(property, out var mapped) ? mapped : property;
                node.Inputs[name] = input;
            }

            foreach (var (elsaName, value) in map?.Defaults ?? [])
            {
                var name = map!.Inputs.TryGetValue(elsaName, out var mapped) ? mapped : elsaName;
                if (node.GetInput(name) is null or { Kind: InputKind.Literal, Value: null })
                {
                    node.Inputs[name] = InputValue.Literal(value?.DeepClone());
                }
            }

            foreach (var (name, value) in map?.Fixed ?? [])
            {
                node.Inputs[name] = InputValue.Literal(value?.DeepClone());
            }

            // Elsa's RunTask runs without a name; the task then carries the activity's own name.
            if (map?.NativeType == "HumanTask" && node.GetInput("title") is null or { Kind: InputKind.Literal, Value: null })
            {
                node.Inputs["title"] = InputValue.Literal(node.DisplayName ?? node.Id);
            }
        }

        private InputValue? ReadInput(string property, JsonNode value, string? typeName)
        {
            // SetVariable's target: {id, name, typeName, value}.
            if (property == "variable" && value is JsonObject variable && variable["expression"] is null)
            {
                return NonEmpty(Str(variable["name"])) is { } n ? InputValue.Literal(n)
                    : Str(variable["id"]) is { } vid && _variableNamesById.TryGetValue(vid, out var byId) ? InputValue.Literal(byId) : null;
            }

            if (value is JsonObject wrapped && wrapped["expression"] is JsonObject expression)
            {
                var type = Str(expression["type"]) ?? "Literal";
                var raw = expression["value"];
                var text = raw is null ? null : ValueConversion.AsString(raw);
                return type.ToUpperInvariant() switch
                {
                    "LITERAL" when IsBoolean(typeName) && text is not null && !bool.TryParse(text.Trim(), out _) && LooksLikeScript(text) => InputValue.JavaScript(text),
                    "LITERAL" => InputValue.Literal(raw?.DeepClone()),
                    "OBJECT" or "JSON" => InputValue.Object(text is null ? null : ValueConversion.TryParseJson(text)),
                    "VARIABLE" => InputValue.Variable(VariableName(raw) ?? text ?? ""),
                    "JAVASCRIPT" => InputValue.JavaScript(text ?? ""),
                    "LIQUID" => InputValue.Liquid(text ?? ""),
                    "INPUT" => InputValue.JavaScript($"getInput({JsonSerializer.Serialize(InputName(raw) ?? text ?? "")})"),
                    "CSHARP" or "C#" => new InputValue { Kind = InputKind.CSharp, Value = JsonValue.Create(text ?? "") },
                    "PYTHON" => new InputValue { Kind = InputKind.Python, Value = JsonValue.Create(text ?? "") },
                    _ => new InputValue { Kind = InputKind.Unknown, Value = new JsonObject { ["language"] = type, ["value"] = raw?.DeepClone() } },
                };
            }

            // A plain value written without Elsa's {typeName, expression} wrapper is taken literally, as Elsa does.
            return value switch
            {
                JsonArray or JsonObject => InputValue.Object(value.DeepClone()),
                JsonValue => InputValue.Literal(value.DeepClone()),
                _ => null,
            };
        }

        private string? VariableName(JsonNode? raw)
        {
            var node = raw is JsonValue v && v.TryGetValue<string>(out var s) ? ValueConversion.TryParseJson(s) : raw;
            return node switch
            {
                JsonObject o => NonEmpty(Str(o["name"])) ?? (Str(o["id"]) is { } id && _variableNamesById.TryGetValue(id, out var n) ? n : null),
                JsonValue value when Str(value) is { } name && _variableNamesById.TryGetValue(name, out var byId) => byId,
                _ => null,
            };
        }
    }

    private static string? InputName(JsonNode? raw)
    {
        var node = raw is JsonValue v && v.TryGetValue<string>(out var s) ? ValueConversion.TryParseJson(s) : raw;
        return node is JsonObject o ? Str(o["name"]) : null;
    }

    private static bool IsBoolean(string? typeName) => typeName?.Split(',')[0].Trim() is "Boolean" or "System.Boolean" or "bool";

    /// <summary>Elsa users often type a JavaScript condition into a Boolean literal field; Elsa Studio then runs it as script.</summary>
    private static bool LooksLikeScript(string text) =>
        text.Trim().Length > 0 && JavaScriptEvaluator.CheckSyntax(text) is null;

    /// <summary>Elsa's WorkflowDefinitionActivity: a type that is the child workflow's name, carrying its definition id.</summary>
    private static bool IsWorkflowActivity(string elsaType, JsonObject a, out string childId)
    {
        childId = NonEmpty(Str(a["workflowDefinitionId"])) ?? "";
        return childId.Length > 0 && !KnownUnsupported.ContainsKey(elsaType) && !elsaType.StartsWith("Elsa.", StringComparison.Ordinal);
    }

    private static string UnsupportedReason(string elsaType, JsonObject a)
    {
        if (KnownUnsupported.TryGetValue(elsaType, out var reason))
        {
            return reason;
        }

        if (elsaType.Contains(".Agents.", StringComparison.Ordinal) || elsaType.Contains("Agent", StringComparison.Ordinal) || elsaType.Contains("AI", StringComparison.Ordinal))
        {
            return "an Elsa AI agent activity; Liaison has no AI agents: replace it in Elsa Studio with the steps it stands for, or register an activity of that name in Liaison";
        }

        if (a["workflowDefinitionId"] is not null)
        {
            return "another workflow used as an activity; Liaison does not run workflows as activities: use Elsa.DispatchWorkflow or copy its steps in";
        }

        return elsaType.StartsWith("Elsa.", StringComparison.Ordinal)
            ? "an Elsa activity Liaison does not offer; replace it in Elsa Studio (see docs/elsa-compatibility.md for what is supported)"
            : "an activity from the author's own code; replace it in Elsa Studio, or register an activity of that name in Liaison's ActivityRegistry";
    }

    private static JsonNode? Unwrap(JsonNode? node) => node is JsonObject o && o["expression"] is JsonObject e ? e["value"] : node;

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

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

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
