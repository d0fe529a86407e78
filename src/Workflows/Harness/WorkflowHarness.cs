using System.Text.Json.Nodes;

using Liaison.Workflows.Activities;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.ElsaImport;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Time;
using Liaison.Workflows.Validation;

namespace Liaison.Workflows.Harness;

public enum WorkflowFileFormat
{
    Native,
    Elsa,
}

public sealed record HarnessOptions
{
    public IReadOnlyDictionary<string, JsonNode?>? Input { get; init; }
    public string? CorrelationKey { get; init; }

    /// <summary>Virtual start time; defaults to a Monday morning so working-day tests are readable.</summary>
    public DateTimeOffset StartTime { get; init; } = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Stop firing timers after this much virtual time.</summary>
    public TimeSpan MaxVirtualTime { get; init; } = TimeSpan.FromDays(366);

    /// <summary>Stop after this many timer firings, so a timer inside a loop cannot keep a run going for hours.</summary>
    public int MaxTimerFirings { get; init; } = 10_000;

    public IWorkingCalendar? Calendar { get; init; }
    public ActivityRegistry? Registry { get; init; }

    /// <summary>Answers non-timer bookmarks (events, human tasks); return null to leave the instance waiting.</summary>
    public Func<Bookmark, JsonNode?>? AnswerBookmark { get; init; }

    /// <summary>Finds the workflows that DispatchWorkflow starts; their lines join this run's. Null: dispatches are only recorded.</summary>
    public Func<string, WorkflowDefinition?>? ResolveDefinition { get; init; }

    /// <summary>Sends the requests of SendHttpRequest activities; null leaves them waiting (AnswerBookmark may answer them instead).</summary>
    public HttpClient? HttpClient { get; init; }

    internal int DispatchDepth { get; init; }
}

/// <summary>Outcome of a virtual run. <see cref="Status"/> is null when the definition did not validate.</summary>
public sealed record VirtualRunResult(
    WorkflowFileFormat Format,
    WorkflowDefinition? Definition,
    IReadOnlyList<ValidationProblem> Problems,
    IReadOnlyList<string> Lines,
    WorkflowStatus? Status,
    WorkflowInstanceState? State,
    IReadOnlyList<JournalEntry> Journal,
    IReadOnlyList<Incident> Incidents,
    DateTimeOffset EndTime)
{
    public bool IsValid => Problems.Count == 0;

    /// <summary>Runs of the workflows this one dispatched (when <see cref="HarnessOptions.ResolveDefinition"/> found them).</summary>
    public IReadOnlyList<VirtualRunResult> Dispatched { get; init; } = [];

    /// <summary>Responses WriteHttpResponse wrote, in order.</summary>
    public IReadOnlyList<HttpResponseRequest> HttpResponses { get; init; } = [];
}

/// <summary>
/// Imports (native or Elsa, detected automatically), validates and runs a workflow to its end on a
/// virtual clock, firing timers as they fall due. Used by tests and the Host's `workflow run/validate` CLI.
/// </summary>
public static class WorkflowHarness
{
    public static WorkflowFileFormat DetectFormat(string json) => DetectFormat(Parse(json));

    private static WorkflowFileFormat DetectFormat(JsonNode document)
    {
        if (ElsaImporter.LooksLikeElsa2(document))
        {
            throw new WorkflowFileException(
                "this is an Elsa 2 workflow file (top-level 'activities' and 'connections' with 'activityId'/'sourceActivityId'); "
                + "Liaison reads Elsa 3 definitions: open the workflow in Elsa 3 Studio (or re-create it there) and export it again");
        }

        return ElsaImporter.LooksLikeElsa(document) ? WorkflowFileFormat.Elsa : WorkflowFileFormat.Native;
    }

    /// <summary>
    /// Reads a native or Elsa 3 file. Anything that is not a definition is a <see cref="WorkflowFileException"/>
    /// with the reason; no other exception escapes, whatever the content.
    /// </summary>
    public static (WorkflowFileFormat Format, WorkflowDefinition Definition) Load(string json)
    {
        try
        {
            var document = Parse(json);
            var format = DetectFormat(document);
            return (format, format == WorkflowFileFormat.Elsa ? ElsaImporter.Import(document) : WorkflowDefinitionSerializer.Read(json));
        }
        catch (WorkflowFileException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Every reader error (JSON syntax, wrong types, duplicate keys, depth) becomes one clear refusal.
            throw new WorkflowFileException(OneLine(ex.Message), ex);
        }
    }

    /// <summary>Reads bytes that must be UTF-8 (a byte-order mark is allowed).</summary>
    public static (WorkflowFileFormat Format, WorkflowDefinition Definition) Load(ReadOnlySpan<byte> utf8)
    {
        string json;
        try
        {
            json = WorkflowJson.DecodeUtf8(utf8);
        }
        catch (FormatException ex)
        {
            throw new WorkflowFileException(ex.Message, ex);
        }

        return Load(json);
    }

    private static JsonNode Parse(string json)
    {
        try
        {
            return JsonNode.Parse(WorkflowJson.StripBom(json), documentOptions: WorkflowJson.DocumentOptions)
                ?? throw new WorkflowFileException("the content is JSON null, not a workflow definition");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new WorkflowFileException("not valid JSON: " + OneLine(ex.Message), ex);
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    public static (WorkflowFileFormat Format, WorkflowDefinition Definition, IReadOnlyList<ValidationProblem> Problems) Validate(string json, ActivityRegistry? registry = null)
    {
        var (format, definition) = Load(json);
        return (format, definition, new WorkflowValidator(registry ?? ActivityRegistry.CreateDefault()).Validate(definition));
    }

    public static VirtualRunResult RunFile(string path, HarnessOptions? options = null) => Run(File.ReadAllText(path), options);

    public static VirtualRunResult Run(string json, HarnessOptions? options = null)
    {
        options ??= new HarnessOptions();
        var registry = options.Registry ?? ActivityRegistry.CreateDefault();
        var (format, definition, problems) = Validate(json, registry);
        if (problems.Count > 0)
        {
            return new VirtualRunResult(format, definition, problems, [], null, null, [], [], options.StartTime);
        }

        return Run(definition, format, options, registry);
    }

    public static VirtualRunResult Run(WorkflowDefinition definition, WorkflowFileFormat format, HarnessOptions options, ActivityRegistry registry)
    {
        var clock = new VirtualClock(options.StartTime);
        var runner = new WorkflowRunner(new WorkflowRuntimeServices(registry, clock, options.Calendar));
        var lines = new List<string>();
        var dispatched = new List<VirtualRunResult>();
        var journal = new List<JournalEntry>();
        var incidents = new List<Incident>();
        var responses = new List<HttpResponseRequest>();
        var childrenDone = new List<(string BookmarkId, JsonNode Payload)>();
        var events = new List<EventPublication>();

        void Collect(RunResult r)
        {
            responses.AddRange(r.Effects.HttpResponses);
            lines.AddRange(r.Effects.Lines);
            journal.AddRange(r.Effects.Journal);
            incidents.AddRange(r.Effects.Incidents);
            events.AddRange(r.Effects.Events);
            foreach (var dispatch in r.Effects.Dispatches)
            {
                // Elsa dispatches without waiting; here the child runs to its end on the same virtual clock.
                if (options.ResolveDefinition?.Invoke(dispatch.DefinitionId) is { } child && options.DispatchDepth < 8)
                {
                    var childRun = Run(child, format, options with { Input = dispatch.Input, CorrelationKey = dispatch.CorrelationKey, StartTime = clock.GetUtcNow(), DispatchDepth = options.DispatchDepth + 1 }, registry);
                    lines.AddRange(childRun.Lines);
                    dispatched.Add(childRun);
                    if (dispatch.BookmarkId is { } waiting && childRun.Status == WorkflowStatus.Finished && childRun.State is { } childState)
                    {
                        // waitForCompletion: the parent goes on with the child's output, as the durable engine resumes it.
                        childrenDone.Add((waiting, new JsonArray(new JsonObject
                        {
                            ["instanceId"] = childState.Id,
                            ["correlationKey"] = childState.CorrelationKey,
                            ["input"] = new JsonObject(childState.Input.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
                            ["output"] = childState.Output?.DeepClone(),
                        })));
                    }
                }
            }
        }

        var result = runner.Start(definition, options.Input, options.CorrelationKey);
        Collect(result);
        var state = result.State;
        var deadline = options.StartTime + options.MaxVirtualTime;
        var firings = 0;
        while (state.Status == WorkflowStatus.Suspended)
        {
            var answered = false;
            foreach (var (bookmarkId, payload) in childrenDone.ToList())
            {
                childrenDone.RemoveAll(x => x.BookmarkId == bookmarkId);
                if (state.Status == WorkflowStatus.Suspended && state.Bookmarks.Any(b => b.Id == bookmarkId))
                {
                    result = runner.Resume(definition, state, bookmarkId, payload);
                    Collect(result);
                    state = result.State;
                    answered = true;
                }
            }

            // PublishEvent: the harness runs one instance, so events reach that instance's own waits (the durable engine's reach every instance).
            foreach (var published in events.ToList())
            {
                events.Remove(published);
                foreach (var bookmark in state.Bookmarks.Where(b => b.Kind == BookmarkKind.Event && b.EventName == published.EventName && (published.CorrelationKey is null || b.CorrelationKey == published.CorrelationKey)).ToList())
                {
                    if (state.Status == WorkflowStatus.Suspended && state.Bookmarks.Any(b => b.Id == bookmark.Id))
                    {
                        result = runner.Resume(definition, state, bookmark.Id, published.Payload?.DeepClone());
                        Collect(result);
                        state = result.State;
                        answered = true;
                    }
                }
            }

            if (options.HttpClient is { } client)
            {
                foreach (var bookmark in state.Bookmarks.Where(b => b.Kind == BookmarkKind.HttpSend).ToList())
                {
                    if (state.Status == WorkflowStatus.Suspended && state.Bookmarks.Any(b => b.Id == bookmark.Id) && bookmark.Payload is JsonObject request)
                    {
                        // The harness is synchronous (the CLI and tests); the Host sends these asynchronously after each burst.
                        var response = Activities.Http.HttpSender.SendAsync(client, request).GetAwaiter().GetResult();
                        result = runner.Resume(definition, state, bookmark.Id, response);
                        Collect(result);
                        state = result.State;
                        answered = true;
                    }
                }
            }

            if (!answered && options.AnswerBookmark is { } answer)
            {
                foreach (var bookmark in state.Bookmarks.Where(b => b.Kind != BookmarkKind.Timer).ToList())
                {
                    if (answer(bookmark) is { } payload && state.Status == WorkflowStatus.Suspended && state.Bookmarks.Any(b => b.Id == bookmark.Id))
                    {
                        result = runner.Resume(definition, state, bookmark.Id, payload);
                        Collect(result);
                        state = result.State;
                        answered = true;
                    }
                }
            }

            if (answered)
            {
                continue;
            }

            var next = state.Bookmarks.Where(b => b.Kind == BookmarkKind.Timer && b.DueAt is not null).Select(b => b.DueAt!.Value).DefaultIfEmpty().Min();
            if (next == default || next > deadline || ++firings > options.MaxTimerFirings)
            {
                break; // waiting for the outside world, or beyond the horizon
            }

            clock.AdvanceTo(next);
            result = runner.ResumeDueTimers(definition, state);
            Collect(result);
            state = result.State;
        }

        return new VirtualRunResult(format, definition, [], lines, state.Status, state, journal, incidents, clock.GetUtcNow()) { Dispatched = dispatched, HttpResponses = responses };
    }
}

/// <summary>The content is not a workflow definition Liaison can read; the message says why.</summary>
public sealed class WorkflowFileException(string message, Exception? inner = null) : FormatException(message, inner);

/// <summary>A clock that only moves when told to.</summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void AdvanceTo(DateTimeOffset instant)
    {
        if (instant > _now)
        {
            _now = instant;
        }
    }

    public void Advance(TimeSpan by) => _now += by;
}
