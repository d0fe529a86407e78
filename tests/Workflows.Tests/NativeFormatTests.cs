using System.Text.Json.Nodes;

using Liaison.Workflows.Activities;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Harness;
using Liaison.Workflows.Runtime;

using static Liaison.Workflows.Tests.Flow;

namespace Liaison.Workflows.Tests;

public sealed class NativeFormatTests
{
    private static readonly string WorkflowsDir = Path.Combine(AppContext.BaseDirectory, "workflows-json");

    private static JsonSchemaLite Schema() =>
        new((JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(WorkflowsDir, "schema", "workflow-definition.schema.json")))!);

    private static WorkflowDefinition Sample() => new Flow()
        .Var("Count", VariableType.Int32, 3)
        .Act("start", "Start")
        .Act("d", "Decision", ("condition", Js("getCount() > 2")))
        .Act("n", "SendNotification", ("message", InputValue.Liquid("{{ Count }}")))
        .Act("f", "Fork", ("branches", InputValue.Object(new JsonArray("x", "y"))))
        .Act("v", "WriteLine", ("text", InputValue.Variable("Count")))
        .Connect("start", "d").Connect("d", "n", "True").Connect("d", "f", "False").Connect("f", "v", "x")
        .Mode("v", MergeMode.Race)
        .Build();

    [Fact]
    public void Native_json_round_trips()
    {
        var original = Sample();
        original.Root.Activities[0].Position = new Position(10, 20.5);
        original.Root.Activities[0].Metadata["color"] = "red";

        var json = WorkflowDefinitionSerializer.Write(original);
        var read = WorkflowDefinitionSerializer.Read(json);

        Assert.Equal(json, WorkflowDefinitionSerializer.Write(read));
        Assert.Contains("\"kind\": \"javaScript\"", json);
        Assert.Contains("\"mergeMode\": \"race\"", json);
        Assert.Equal(InputKind.Variable, read.FindActivity("v")!.Inputs["text"].Kind);
        Assert.Equal(new Position(10, 20.5), read.Root.Activities[0].Position);
    }

    [Fact]
    public void Serialized_definitions_conform_to_the_schema()
    {
        var errors = Schema().Validate(JsonNode.Parse(WorkflowDefinitionSerializer.Write(Sample())));

        Assert.Empty(errors);
    }

    [Fact]
    public void The_schema_rejects_a_malformed_definition()
    {
        var bad = JsonNode.Parse("""{"definitionId":"x","name":"x","root":{"activities":[{"id":"a","inputs":{"t":{"value":1}}}],"connections":[{"source":{}}]}}""");

        var errors = Schema().Validate(bad);

        Assert.Contains(errors, e => e.Contains("missing required property type"));
        Assert.Contains(errors, e => e.Contains("missing required property kind"));
        Assert.Contains(errors, e => e.Contains("missing required property target"));
    }

    [Fact]
    public void Every_shipped_workflow_conforms_to_the_schema_and_validates()
    {
        var files = Directory.GetFiles(WorkflowsDir, "*.json");
        Assert.NotEmpty(files); // hello-liaison.json at least
        foreach (var file in files)
        {
            var json = File.ReadAllText(file);
            Assert.Empty(Schema().Validate(JsonNode.Parse(json)).Select(e => $"{Path.GetFileName(file)}: {e}"));
            var (format, _, problems) = WorkflowHarness.Validate(json, Liaison.Workflows.Suggestions.SuggestionActivities.CreateRegistry());
            Assert.Equal(WorkflowFileFormat.Native, format);
            Assert.Empty(problems);
        }
    }

    [Fact]
    public void Hello_liaison_greets_waits_a_working_day_and_finishes()
    {
        var friday = new DateTimeOffset(2025, 1, 10, 16, 0, 0, TimeSpan.Zero);

        var result = WorkflowHarness.RunFile(Path.Combine(WorkflowsDir, "hello-liaison.json"), new HarnessOptions { StartTime = friday });

        Assert.Equal(["Hello from Liaison!", "One working day later."], result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Equal(new DateTimeOffset(2025, 1, 13, 16, 0, 0, TimeSpan.Zero), result.EndTime);
    }

    [Fact]
    public void Harness_answers_human_tasks_through_a_callback()
    {
        var d = new Flow().Act("t", "HumanTask", ("title", L("Check")), ("outcomes", InputValue.Object(new JsonArray("Ok", "No")))).Line("ok", "ok").Line("no", "no")
            .Connect("t", "ok", "Ok").Connect("t", "no", "No").Build();
        var json = WorkflowDefinitionSerializer.Write(d);

        var waiting = WorkflowHarness.Run(json);
        var answered = WorkflowHarness.Run(json, new HarnessOptions { AnswerBookmark = _ => JsonValue.Create("No") });

        Assert.Equal(WorkflowStatus.Suspended, waiting.Status);
        Assert.Equal(["no"], answered.Lines);
    }

    [Fact]
    public void A_new_activity_type_can_be_registered_and_run()
    {
        var registry = ActivityRegistry.CreateDefault().Register(new ShoutActivity());
        var d = new Flow().Act("s", "Test.Shout", ("text", L("hello"))).Build();

        Assert.Empty(new Validation.WorkflowValidator(registry).Validate(d));
        var (runner, _) = Clock.Runner(registry: registry);
        Assert.Equal(["HELLO"], runner.Start(d).Effects.Lines);
        Assert.Throws<InvalidOperationException>(() => registry.Register(new ShoutActivity()));
    }

    private sealed class ShoutActivity : Activity
    {
        public override ActivityDescriptor Descriptor { get; } = new()
        {
            TypeName = "Test.Shout",
            Category = "Test",
            Inputs = [new InputDescriptor("text", InputTypes.String, Required: true)],
        };

        public override ActivityOutcome Execute(ActivityContext context)
        {
            context.WriteLine(context.GetString("text")!.ToUpperInvariant());
            return ActivityOutcome.Done();
        }
    }
}
