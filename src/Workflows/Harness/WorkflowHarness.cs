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

    public IWorkingCalendar? Calendar { get; init; }
    public ActivityRegistry? Registry { get; init; }

    /// <summary>Answers non-timer bookmarks (events, human tasks); return null to leave the instance waiting.</summary>
    public Func<Bookmark, JsonNode?>? AnswerBookmark { get; init; }
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
}

/// <summary>
/// Imports (native or Elsa, detected automatically), validates and runs a workflow to its end on a
/// virtual clock, firing timers as they fall due. Used by tests and the Host's `workflow run/validate` CLI.
/// </summary>
public static class WorkflowHarness
{
    public static WorkflowFileFormat DetectFormat(string json) =>
        ElsaImporter.LooksLikeElsa(JsonNode.Parse(WorkflowJson.StripBom(json), documentOptions: new() { AllowTrailingCommas = true, CommentHandling = System.Text.Json.JsonCommentHandling.Skip }))
            ? WorkflowFileFormat.Elsa
            : WorkflowFileFormat.Native;

    public static (WorkflowFileFormat Format, WorkflowDefinition Definition) Load(string json)
    {
        var format = DetectFormat(json);
        return (format, format == WorkflowFileFormat.Elsa ? ElsaImporter.Import(json) : WorkflowDefinitionSerializer.Read(json));
    }

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
        var journal = new List<JournalEntry>();
        var incidents = new List<Incident>();

        void Collect(RunResult r)
        {
            lines.AddRange(r.Effects.Lines);
            journal.AddRange(r.Effects.Journal);
            incidents.AddRange(r.Effects.Incidents);
        }

        var result = runner.Start(definition, options.Input, options.CorrelationKey);
        Collect(result);
        var state = result.State;
        var deadline = options.StartTime + options.MaxVirtualTime;
        while (state.Status == WorkflowStatus.Suspended)
        {
            var answered = false;
            if (options.AnswerBookmark is { } answer)
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
            if (next == default || next > deadline)
            {
                break; // waiting for the outside world, or beyond the horizon
            }

            clock.AdvanceTo(next);
            result = runner.ResumeDueTimers(definition, state);
            Collect(result);
            state = result.State;
        }

        return new VirtualRunResult(format, definition, [], lines, state.Status, state, journal, incidents, clock.GetUtcNow());
    }
}

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
