using System.Text.Json.Nodes;

using Liaison.Workflows.Definitions;
using Liaison.Workflows.Runtime;

namespace Liaison.Benchmarks;

/// <summary>
/// The engine scenarios, in memory and without console output (SetVariable steps only), so what is timed is
/// the runner: graph, tokens, joins, bookmarks and the state copy each call makes.
/// </summary>
public sealed class Scenarios
{
    public Scenarios()
    {
        Runner = new WorkflowRunner(new WorkflowRuntimeServices());
    }

    public WorkflowRunner Runner { get; }

    /// <summary>The event payload every resume carries.</summary>
    public static JsonNode ResumePayload => new JsonObject { ["approved"] = true };

    /// <summary>Start → 8 × SetVariable → End: ten activities in a row.</summary>
    public WorkflowDefinition Sequential10 { get; } = BuildSequential10();

    /// <summary>Start → Fork(4) → 4 × SetVariable → Join(WaitAll) → End.</summary>
    public WorkflowDefinition ForkJoin4 { get; } = BuildForkJoin4();

    /// <summary>Start → SetVariable → WaitForEvent → SetVariable → End.</summary>
    public WorkflowDefinition SuspendResume { get; } = BuildSuspendResume();

    public WorkflowStatus RunSequential10() => Runner.Start(Sequential10).State.Status;

    public WorkflowStatus RunForkJoin4() => Runner.Start(ForkJoin4).State.Status;

    /// <summary>Start until the event bookmark, persist the state as JSON and read it back (what the store does), resume.</summary>
    public WorkflowStatus RunSuspendResume()
    {
        var started = Runner.Start(SuspendResume, correlationKey: "case-1");
        var stored = started.State.ToJson();
        var loaded = WorkflowInstanceState.FromJson(stored);
        return Runner.Resume(SuspendResume, loaded, loaded.Bookmarks[0].Id, ResumePayload).State.Status;
    }

    /// <summary>Fails fast if a scenario does not end as intended, so a benchmark never times a broken flow.</summary>
    public void Check()
    {
        Expect(nameof(RunSequential10), RunSequential10());
        Expect(nameof(RunForkJoin4), RunForkJoin4());
        Expect(nameof(RunSuspendResume), RunSuspendResume());
        var suspended = Runner.Start(SuspendResume).State;
        if (suspended.Status != WorkflowStatus.Suspended || suspended.Bookmarks.Count != 1)
        {
            throw new InvalidOperationException("the suspend/resume scenario did not suspend on one bookmark");
        }

        static void Expect(string name, WorkflowStatus status)
        {
            if (status != WorkflowStatus.Finished)
            {
                throw new InvalidOperationException($"{name} ended {status}, not Finished");
            }
        }
    }

    private static WorkflowDefinition BuildSequential10()
    {
        var d = New("bench-sequential-10");
        Add(d, "start", "Start");
        var previous = "start";
        for (var i = 1; i <= 8; i++)
        {
            var id = $"set{i}";
            Add(d, id, "SetVariable", ("variable", InputValue.Literal("Counter")), ("value", InputValue.Literal(JsonValue.Create(i))));
            d.Root.Connections.Add(new Connection(previous, "Done", id));
            previous = id;
        }

        Add(d, "end", "End");
        d.Root.Connections.Add(new Connection(previous, "Done", "end"));
        return d;
    }

    private static WorkflowDefinition BuildForkJoin4()
    {
        string[] branches = ["a", "b", "c", "d"];
        var d = New("bench-fork-join-4");
        Add(d, "start", "Start");
        Add(d, "fork", "Fork", ("branches", InputValue.Object(new JsonArray([.. branches.Select(b => JsonValue.Create(b))]))));
        Add(d, "join", "Join", ("mode", InputValue.Literal("WaitAll")));
        Add(d, "end", "End");
        d.Root.Connections.Add(new Connection("start", "Done", "fork"));
        for (var i = 0; i < branches.Length; i++)
        {
            var id = $"set-{branches[i]}";
            Add(d, id, "SetVariable", ("variable", InputValue.Literal("Counter")), ("value", InputValue.Literal(JsonValue.Create(i))));
            d.Root.Connections.Add(new Connection("fork", branches[i], id));
            d.Root.Connections.Add(new Connection(id, "Done", "join"));
        }

        d.Root.Connections.Add(new Connection("join", "Done", "end"));
        return d;
    }

    private static WorkflowDefinition BuildSuspendResume()
    {
        var d = New("bench-suspend-resume");
        Add(d, "start", "Start");
        Add(d, "before", "SetVariable", ("variable", InputValue.Literal("Counter")), ("value", InputValue.Literal(JsonValue.Create(1))));
        Add(d, "wait", "WaitForEvent", ("eventName", InputValue.Literal("approved")));
        Add(d, "after", "SetVariable", ("variable", InputValue.Literal("Counter")), ("value", InputValue.Literal(JsonValue.Create(2))));
        Add(d, "end", "End");
        d.Root.Connections.Add(new Connection("start", "Done", "before"));
        d.Root.Connections.Add(new Connection("before", "Done", "wait"));
        d.Root.Connections.Add(new Connection("wait", "Done", "after"));
        d.Root.Connections.Add(new Connection("after", "Done", "end"));
        return d;
    }

    private static WorkflowDefinition New(string id)
    {
        var d = new WorkflowDefinition { DefinitionId = id, Name = id };
        d.Variables.Add(new VariableDefinition { Name = "Counter", Type = VariableType.Int32, Default = 0 });
        return d;
    }

    private static void Add(WorkflowDefinition d, string id, string type, params (string Name, InputValue Value)[] inputs)
    {
        var node = new ActivityNode { Id = id, Type = type };
        foreach (var (name, value) in inputs)
        {
            node.Inputs[name] = value;
        }

        d.Root.Activities.Add(node);
    }
}
