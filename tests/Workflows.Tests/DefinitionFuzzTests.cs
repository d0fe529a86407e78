using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

using CsCheck;

using Liaison.Workflows.Activities;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Harness;
using Liaison.Workflows.Validation;

namespace Liaison.Workflows.Tests;

/// <summary>
/// Every input — native or Elsa, well-formed or hostile — is either read (and then validated, and run when
/// valid) or refused with a <see cref="WorkflowFileException"/>; nothing else escapes and nothing hangs.
/// The same entry points serve the API, the CLI and the DefinitionStore.
/// </summary>
public sealed class DefinitionFuzzTests
{
    private static readonly ActivityRegistry Registry = ActivityRegistry.CreateDefault();

    // A bound that catches a hang or a runaway, not a speed target (speed is bench/'s): a shared 2-core machine took
    // 5.4 s of wall time for one generated definition that takes milliseconds alone.
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(30);

    private static readonly string[] Seeds = LoadSeeds();

    private static string[] LoadSeeds()
    {
        var folders = new[] { "ElsaSamples", "ElsaCorpus", "workflows-json" }.Select(f => Path.Combine(AppContext.BaseDirectory, f)).Where(Directory.Exists);
        return [.. folders.SelectMany(f => Directory.EnumerateFiles(f, "*.json")).Order(StringComparer.Ordinal).Select(File.ReadAllText)];
    }

    /// <summary>The one contract: read-or-refuse, then validate and (when valid) run, each without throwing or hanging.</summary>
    private static void ReadValidateRun(byte[] bytes)
    {
        var watch = Stopwatch.StartNew();
        WorkflowDefinition definition;
        try
        {
            (_, definition) = WorkflowHarness.Load(bytes);
        }
        catch (WorkflowFileException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            return;
        }

        var loaded = watch.Elapsed;
        var problems = new WorkflowValidator(Registry).Validate(definition);
        var validated = watch.Elapsed;

        Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
        _ = DefinitionStore.Hash(definition);
        if (problems.Count == 0)
        {
            definition.Options.MaxStepsPerBurst = 200; // a mutated loop may run away; the guard is what is tested
            var run = WorkflowHarness.Run(definition, WorkflowFileFormat.Native, new HarnessOptions { MaxVirtualTime = TimeSpan.FromDays(3), MaxTimerFirings = 50 }, Registry);
            Assert.NotNull(run.Status);
        }

        Assert.True(watch.Elapsed < HangBound, $"took {watch.Elapsed} (read {loaded}, validated {validated}, {problems.Count} problems, {definition.Root.Activities.Count} activities: {string.Join(",", definition.Root.Activities.Select(a => a.Type))})");
    }

    private enum Mutation
    {
        Null,
        Number,
        Text,
        Bool,
        EmptyObject,
        EmptyArray,
        DeepArrays,
        DeepObjects,
        HugeText,
        Remove,
        Duplicate,
        ScriptText,
    }

    private static readonly Gen<(int Seed, (int Target, Mutation Kind)[] Mutations, int ByteEdit, int BytePosition, byte Byte)> Mutated =
        Gen.Select(
            Gen.Int[0, 10_000],
            Gen.Select(Gen.Int[0, 100_000], Gen.Enum<Mutation>()).Array[1, 4],
            Gen.Int[0, 9],
            Gen.Int[0, 1_000_000],
            Gen.Byte);

    [Fact]
    public void Mutated_definitions_are_read_or_refused_and_valid_ones_run()
    {
        Assert.NotEmpty(Seeds);
        Mutated.Sample(
            sample =>
            {
                var json = Seeds[sample.Seed % Seeds.Length];
                var document = JsonNode.Parse(json.TrimStart('\uFEFF'), documentOptions: WorkflowJson.DocumentOptions)!;
                foreach (var (target, kind) in sample.Mutations)
                {
                    document = Mutate(document, target, kind);
                }

                var bytes = Encoding.UTF8.GetBytes(document?.ToJsonString() ?? "null");
                ReadValidateRun(EditBytes(bytes, sample.ByteEdit, sample.BytePosition, sample.Byte));
            },
            iter: 3000,
            threads: 1);
    }

    [Fact]
    public void Generated_flowcharts_of_every_built_in_type_validate_and_run_without_escaping_errors()
    {
        var types = Registry.Descriptors.Select(d => d.TypeName).ToArray();
        var values = new JsonNode?[] { null, "", "x", 0, -1, 3.5, true, false, "P1D", "00:00:01", "0 0 * * *", "return 1;", "[\"A\",\"B\"]", new JsonArray("A", "B"), new JsonObject() };
        var activity = Gen.Select(Gen.Int[0, types.Length - 1], Gen.Select(Gen.Int[0, 20], Gen.Int[0, values.Length - 1], Gen.Int[0, 4]).Array[0, 4]);
        var flow = Gen.Select(activity.Array[1, 8], Gen.Select(Gen.Int[0, 7], Gen.Int[0, 7], Gen.Int[0, 3]).Array[0, 12]);
        flow.Sample(
            sample =>
            {
                var (nodes, links) = sample;
                var activities = new JsonArray();
                for (var i = 0; i < nodes.Length; i++)
                {
                    var (typeIndex, inputs) = nodes[i];
                    var descriptor = Registry.Get(types[typeIndex]).Descriptor;
                    var inputObject = new JsonObject();
                    foreach (var (nameIndex, valueIndex, kind) in inputs)
                    {
                        var name = descriptor.Inputs.Count == 0 ? "x" : descriptor.Inputs[nameIndex % descriptor.Inputs.Count].Name;
                        var kindName = new[] { "literal", "object", "javaScript", "liquid", "variable" }[kind];
                        inputObject[name] = new JsonObject { ["kind"] = kindName, ["value"] = values[valueIndex]?.DeepClone() };
                    }

                    activities.Add(new JsonObject { ["id"] = $"a{i}", ["type"] = types[typeIndex], ["inputs"] = inputObject });
                }

                var ports = new[] { "Done", "True", "False", "A" };
                var connections = new JsonArray();
                foreach (var (from, to, port) in links)
                {
                    connections.Add(new JsonObject
                    {
                        ["source"] = new JsonObject { ["activity"] = $"a{from % nodes.Length}", ["port"] = ports[port] },
                        ["target"] = new JsonObject { ["activity"] = $"a{to % nodes.Length}" },
                    });
                }

                var definition = new JsonObject
                {
                    ["definitionId"] = "fuzz",
                    ["name"] = "fuzz",
                    ["variables"] = new JsonArray(new JsonObject { ["name"] = "x", ["type"] = "object" }),
                    ["root"] = new JsonObject { ["activities"] = activities, ["connections"] = connections },
                };
                ReadValidateRun(Encoding.UTF8.GetBytes(definition.ToJsonString()));
            },
            iter: 2000,
            threads: 1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("{\"root\":null}")]
    [InlineData("{\"root\":{\"activities\":[null]}}")]
    [InlineData("{\"definitionId\":null,\"root\":{\"activities\":[{\"id\":null,\"type\":null}]}}")]
    [InlineData("{\"root\":{\"type\":\"Elsa.Flowchart\",\"activities\":null}}")]
    [InlineData("{\"root\":{\"type\":\"Elsa.Flowchart\",\"activities\":[{\"id\":null,\"type\":\"Elsa.WriteLine\",\"text\":null}],\"connections\":[{\"source\":null}]}}")]
    [InlineData("{\"root\":{\"activities\":\"nope\"}}")]
    [InlineData("{\"root\":{\"activities\":[{\"id\":\"a\",\"type\":\"WriteLine\",\"inputs\":{\"text\":null}}],\"connections\":[{\"source\":{\"activity\":null},\"target\":null}]}}")]
    [InlineData("{\"a\":1,\"a\":2}")]
    public void Odd_documents_are_read_or_refused(string json) => ReadValidateRun(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Invalid_utf8_is_refused_naming_the_offset()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"definitionId\":\"x\",\"name\":\"ab\"}");
        bytes[25] = 0xFF;

        var ex = Assert.Throws<WorkflowFileException>(() => WorkflowHarness.Load(bytes));

        Assert.Contains("not valid UTF-8", ex.Message, StringComparison.Ordinal);
        Assert.Contains("offset 25", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200, false)]
    [InlineData(100_000, false)]
    [InlineData(200, true)]
    public void Deep_nesting_is_refused_quickly(int depth, bool insideRoot)
    {
        var nested = new string('[', depth) + new string(']', depth);
        var json = insideRoot ? $"{{\"root\":{{\"activities\":{nested}}}}}" : nested;
        var watch = Stopwatch.StartNew();

        var ex = Assert.Throws<WorkflowFileException>(() => WorkflowHarness.Load(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("depth", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(watch.Elapsed < HangBound, $"took {watch.Elapsed}");
    }

    // Found by the mutation property: a canvas position of 1e999 read as infinity, which the definition's hash
    // (its JSON) could not write back, so the API would have answered 500.
    [Theory]
    [InlineData("1e999", "-1e999")]
    [InlineData("\"NaN\"", "\"Infinity\"")]
    public void A_position_that_is_no_finite_number_is_placed_at_zero(string x, string y)
    {
        var json = """{"definitionId":"pos","toolVersion":"3.2.0.0","root":{"id":"Flowchart1","type":"Elsa.Flowchart","activities":[{"id":"w","type":"Elsa.WriteLine","text":{"typeName":"String","expression":{"type":"Literal","value":"hi"}},"metadata":{"designer":{"position":{"x":"""
            + x + ""","y":""" + y + "}}}}],\"connections\":[]}}";

        ReadValidateRun(Encoding.UTF8.GetBytes(json));
        var (_, definition) = WorkflowHarness.Load(Encoding.UTF8.GetBytes(json));
        Assert.Equal(new Position(0, 0), Assert.Single(definition.Root.Activities).Position);
    }

    [Fact]
    public void Deeply_nested_elsa_sequences_are_refused_not_overflowed()
    {
        JsonNode activity = new JsonObject { ["id"] = "leaf", ["type"] = "Elsa.WriteLine" };
        for (var i = 0; i < 60; i++)
        {
            activity = new JsonObject { ["id"] = $"s{i}", ["type"] = "Elsa.Sequence", ["activities"] = new JsonArray(activity) };
        }

        ReadValidateRun(Encoding.UTF8.GetBytes(new JsonObject { ["root"] = activity }.ToJsonString()));
    }

    [Fact]
    public void A_large_definition_is_read_and_validated_in_time()
    {
        var activities = new JsonArray();
        var connections = new JsonArray();
        for (var i = 0; i < 5000; i++)
        {
            activities.Add(new JsonObject { ["id"] = $"a{i}", ["type"] = "WriteLine", ["inputs"] = new JsonObject { ["text"] = new JsonObject { ["kind"] = "literal", ["value"] = $"line {i}" } } });
            if (i > 0)
            {
                connections.Add(new JsonObject { ["source"] = new JsonObject { ["activity"] = $"a{i - 1}", ["port"] = "Done" }, ["target"] = new JsonObject { ["activity"] = $"a{i}" } });
            }
        }

        var watch = Stopwatch.StartNew();
        ReadValidateRun(Encoding.UTF8.GetBytes(new JsonObject { ["definitionId"] = "big", ["root"] = new JsonObject { ["activities"] = activities, ["connections"] = connections } }.ToJsonString()));
        Assert.True(watch.Elapsed < HangBound, $"took {watch.Elapsed}");
    }

    private static byte[] EditBytes(byte[] bytes, int edit, int position, byte value)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var at = position % bytes.Length;
        return edit switch
        {
            0 => [.. bytes[..at], 0xC3, .. bytes[at..]], // a lone lead byte: invalid UTF-8
            1 => [.. bytes[..at], 0xED, 0xA0, 0x80, .. bytes[at..]], // an encoded surrogate: invalid UTF-8
            2 => bytes[..at], // truncated
            3 => [.. bytes[..at], value, .. bytes[(at + 1)..]], // one byte replaced
            4 => [0xEF, 0xBB, 0xBF, .. bytes], // byte-order mark
            _ => bytes,
        };
    }

    private static JsonNode? Mutate(JsonNode? document, int target, Mutation kind)
    {
        if (document is null)
        {
            return null;
        }

        var nodes = new List<JsonNode>();
        var stack = new Stack<JsonNode>([document]);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            nodes.Add(node);
            IEnumerable<JsonNode?> children = node switch
            {
                JsonObject o => o.Select(p => p.Value),
                JsonArray a => a,
                _ => [],
            };
            foreach (var child in children.OfType<JsonNode>())
            {
                stack.Push(child);
            }
        }

        var chosen = nodes[target % nodes.Count];
        var replacement = kind switch
        {
            Mutation.Null => null,
            Mutation.Number => JsonValue.Create(target % 7 == 0 ? double.MaxValue : -target),
            Mutation.Text => JsonValue.Create(target % 2 == 0 ? "" : "Elsa.Sequence"),
            Mutation.Bool => JsonValue.Create(target % 2 == 0),
            Mutation.EmptyObject => new JsonObject(),
            Mutation.EmptyArray => new JsonArray(),
            Mutation.DeepArrays => JsonNode.Parse(new string('[', 40 + (target % 120)) + new string(']', 40 + (target % 120)), documentOptions: new() { MaxDepth = 1000 }),
            Mutation.DeepObjects => Deep(30 + (target % 80)),
            Mutation.HugeText => JsonValue.Create(new string('字', 2_000)),
            Mutation.ScriptText => JsonValue.Create(target % 2 == 0 ? "1 +" : "return variables.x.y.z;"),
            Mutation.Duplicate => chosen.DeepClone(),
            _ => chosen.DeepClone(),
        };

        if (chosen.Parent is null)
        {
            return kind == Mutation.Remove ? new JsonObject() : replacement;
        }

        switch (chosen.Parent)
        {
            case JsonObject parent:
                var key = parent.First(p => ReferenceEquals(p.Value, chosen)).Key;
                if (kind == Mutation.Remove)
                {
                    parent.Remove(key);
                }
                else if (kind == Mutation.Duplicate)
                {
                    parent[key + "_copy"] = replacement;
                }
                else
                {
                    parent[key] = replacement;
                }

                break;
            case JsonArray array:
                var index = array.IndexOf(chosen);
                if (kind == Mutation.Remove)
                {
                    array.RemoveAt(index);
                }
                else if (kind == Mutation.Duplicate)
                {
                    array.Insert(index, replacement);
                }
                else
                {
                    array[index] = replacement;
                }

                break;
        }

        return document;
    }

    private static JsonNode Deep(int depth)
    {
        JsonNode node = new JsonObject { ["type"] = "Elsa.Sequence", ["activities"] = new JsonArray() };
        for (var i = 0; i < depth; i++)
        {
            node = new JsonObject { ["id"] = $"d{i}", ["type"] = "Elsa.Sequence", ["activities"] = new JsonArray(node) };
        }

        return node;
    }
}
