using System.Text.Json.Nodes;
using Liaison.Workflows.Activities;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Time;

namespace Liaison.Workflows.Harness;

/// <summary>
/// A test run driven step by step, as the Studio's test-run panel does: start a draft on a virtual
/// clock, complete its human tasks or send its events by hand, skip ahead to the next timer, and read
/// the path, lines, output and incidents at any point. Nothing is stored; the domain is not touched.
/// </summary>
public sealed class HarnessSession
{
    private readonly WorkflowDefinition _definition;
    private readonly WorkflowRunner _runner;
    private readonly Dictionary<string, HumanTaskRequest> _tasks = new(StringComparer.Ordinal);

    public HarnessSession(WorkflowDefinition definition, ActivityRegistry registry, IReadOnlyDictionary<string, JsonNode?>? input, DateTimeOffset start, IWorkingCalendar? calendar = null)
    {
        _definition = definition;
        Clock = new VirtualClock(start);
        _runner = new WorkflowRunner(new WorkflowRuntimeServices(registry, Clock, calendar));
        State = Collect(_runner.Start(definition, input));
    }

    public VirtualClock Clock { get; }

    public WorkflowInstanceState State { get; private set; }

    public List<string> Lines { get; } = [];

    public List<JournalEntry> Journal { get; } = [];

    public List<Incident> Incidents { get; } = [];

    public List<NotificationRequest> Notifications { get; } = [];

    /// <summary>The human task a bookmark stands for (its title and outcomes), when it is one.</summary>
    public HumanTaskRequest? TaskOf(Bookmark bookmark) => _tasks.GetValueOrDefault(bookmark.Id);

    /// <summary>Activities that ran, in order, without repeats: the path taken so far.</summary>
    public IReadOnlyList<string> Path => Journal.Where(j => j.Kind == JournalKind.Completed || j.Kind == JournalKind.Faulted).Select(j => j.ActivityId).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Resumes one bookmark: a human task with its outcome ({"outcome": "Approved"}), or an event with its payload.</summary>
    public void Resume(string bookmarkId, JsonNode? payload)
    {
        if (State.Bookmarks.All(b => b.Id != bookmarkId))
        {
            throw new WorkflowResumeException($"bookmark {bookmarkId} is not waiting");
        }

        State = Collect(_runner.Resume(_definition, State, bookmarkId, payload));
    }

    /// <summary>Moves the virtual clock to the next timer and fires it; false when no timer waits.</summary>
    public bool SkipToNextTimer()
    {
        var next = State.Bookmarks.Where(b => b.Kind == BookmarkKind.Timer && b.DueAt is not null).Select(b => b.DueAt!.Value).DefaultIfEmpty().Min();
        if (next == default)
        {
            return false;
        }

        Clock.AdvanceTo(next);
        State = Collect(_runner.ResumeDueTimers(_definition, State));
        return true;
    }

    /// <summary>Moves the virtual clock by some time (past a deadline) and fires whatever fell due.</summary>
    public void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        State = Collect(_runner.ResumeDueTimers(_definition, State));
    }

    private WorkflowInstanceState Collect(RunResult result)
    {
        Lines.AddRange(result.Effects.Lines);
        Journal.AddRange(result.Effects.Journal);
        Incidents.AddRange(result.Effects.Incidents);
        Notifications.AddRange(result.Effects.Notifications);
        foreach (var task in result.Effects.HumanTasks)
        {
            _tasks[task.BookmarkId] = task;
        }

        return result.State;
    }
}
