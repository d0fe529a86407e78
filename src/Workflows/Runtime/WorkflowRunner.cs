using System.Text.Json.Nodes;

using Liaison.Workflows.Activities;
using Liaison.Workflows.Activities.BuiltIn;
using Liaison.Workflows.Definitions;

namespace Liaison.Workflows.Runtime;

/// <summary>
/// Token-based flowchart execution, pure and in memory. Every call works on a copy of the given state
/// and returns the new state plus the effects to persist; a refused call leaves the caller's state untouched.
/// </summary>
public sealed class WorkflowRunner(WorkflowRuntimeServices services)
{
    public WorkflowRunner()
        : this(new WorkflowRuntimeServices())
    {
    }

    public WorkflowRuntimeServices Services { get; } = services;

    /// <param name="startActivityId">Start at this activity alone (the trigger that started the workflow, as Elsa's TriggerActivityId) instead of the flowchart's starts.</param>
    public RunResult Start(WorkflowDefinition definition, IReadOnlyDictionary<string, JsonNode?>? input = null, string? correlationKey = null, string? instanceId = null, string? startActivityId = null)
    {
        var now = Services.TimeProvider.GetUtcNow();
        var state = new WorkflowInstanceState
        {
            Id = instanceId ?? Services.NewId(),
            DefinitionId = definition.DefinitionId,
            Version = definition.Version,
            Status = WorkflowStatus.Running,
            CorrelationKey = correlationKey,
            CreatedAt = now,
            UpdatedAt = now,
        };
        foreach (var v in definition.Variables)
        {
            state.Variables[v.Name] = ValueConversion.Coerce(v.Default, v.Type);
        }

        foreach (var (name, value) in input ?? new Dictionary<string, JsonNode?>())
        {
            var declared = definition.Inputs.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase));
            state.Input[name] = declared is null ? value?.DeepClone() : ValueConversion.Coerce(value, declared.Type);
        }

        var burst = new Burst(this, definition, state);
        foreach (var start in startActivityId is not null && burst.Graph.Nodes.ContainsKey(startActivityId) ? [startActivityId] : burst.Graph.Starts)
        {
            state.Queue.Add(new WorkItem(start));
        }

        return burst.Run();
    }

    /// <summary>Resumes one bookmark with an optional payload (event data, task completion with "outcome").</summary>
    public RunResult Resume(WorkflowDefinition definition, WorkflowInstanceState instanceState, string bookmarkId, JsonNode? payload = null)
    {
        var burst = new Burst(this, definition, Prepare(definition, instanceState));
        var bookmark = burst.State.Bookmarks.FirstOrDefault(b => b.Id == bookmarkId)
            ?? throw new WorkflowResumeException($"bookmark {bookmarkId} does not exist on instance {instanceState.Id} (already resumed or cancelled)");
        burst.ResumeBookmark(bookmark, payload);
        return burst.Run();
    }

    /// <summary>Resumes every timer bookmark due at the injected clock's now, earliest first.</summary>
    public RunResult ResumeDueTimers(WorkflowDefinition definition, WorkflowInstanceState instanceState)
    {
        var burst = new Burst(this, definition, Prepare(definition, instanceState));
        var now = Services.TimeProvider.GetUtcNow();
        var due = burst.State.Bookmarks.Where(b => b.Kind == BookmarkKind.Timer && b.DueAt <= now).OrderBy(b => b.DueAt).Select(b => b.Id).ToList();
        foreach (var id in due)
        {
            // An earlier resume may have finished the instance or cancelled this bookmark (race).
            if (burst.State.Status is WorkflowStatus.Running or WorkflowStatus.Suspended && burst.State.Bookmarks.FirstOrDefault(b => b.Id == id) is { } bookmark)
            {
                burst.ResumeBookmark(bookmark, null);
                burst.RunLoop();
            }
        }

        return burst.Run();
    }

    /// <summary>Resumes every event bookmark waiting for this event name and correlation key.</summary>
    public RunResult PublishEvent(WorkflowDefinition definition, WorkflowInstanceState instanceState, string eventName, string? correlationKey, JsonNode? payload = null)
    {
        var burst = new Burst(this, definition, Prepare(definition, instanceState));
        var matching = burst.State.Bookmarks
            .Where(b => b.Kind == BookmarkKind.Event && string.Equals(b.EventName, eventName, StringComparison.OrdinalIgnoreCase)
                && (b.CorrelationKey is null || b.CorrelationKey == correlationKey))
            .Select(b => b.Id).ToList();
        if (matching.Count == 0)
        {
            throw new WorkflowResumeException($"instance {instanceState.Id} is not waiting for event '{eventName}' with correlation key '{correlationKey}'");
        }

        foreach (var id in matching)
        {
            if (burst.State.Bookmarks.FirstOrDefault(b => b.Id == id) is { } bookmark && burst.State.Status is WorkflowStatus.Running or WorkflowStatus.Suspended)
            {
                burst.ResumeBookmark(bookmark, payload?.DeepClone());
                burst.RunLoop();
            }
        }

        return burst.Run();
    }

    /// <summary>Re-runs the activity that faulted, then continues the instance.</summary>
    public RunResult RetryFaulted(WorkflowDefinition definition, WorkflowInstanceState instanceState)
    {
        if (instanceState.Status != WorkflowStatus.Faulted || instanceState.Fault?.RetryItem is null)
        {
            throw new WorkflowResumeException($"instance {instanceState.Id} has no faulted activity to retry (status {instanceState.Status})");
        }

        var state = instanceState.Clone();
        state.Queue.Insert(0, state.Fault!.RetryItem!);
        state.Fault = null;
        state.Status = WorkflowStatus.Running;
        return new Burst(this, definition, state).Run();
    }

    public RunResult Cancel(WorkflowDefinition definition, WorkflowInstanceState instanceState)
    {
        var burst = new Burst(this, definition, instanceState.Clone());
        burst.CancelEverything();
        burst.State.Status = WorkflowStatus.Cancelled;
        return burst.Run();
    }

    private static WorkflowInstanceState Prepare(WorkflowDefinition definition, WorkflowInstanceState instanceState)
    {
        if (instanceState.DefinitionId != definition.DefinitionId || instanceState.Version != definition.Version)
        {
            throw new WorkflowResumeException($"instance {instanceState.Id} runs {instanceState.DefinitionId} v{instanceState.Version}, not {definition.DefinitionId} v{definition.Version}");
        }

        if (instanceState.Status is not (WorkflowStatus.Suspended or WorkflowStatus.Running))
        {
            throw new WorkflowResumeException($"instance {instanceState.Id} is {instanceState.Status} and cannot be resumed");
        }

        var state = instanceState.Clone();
        state.Status = WorkflowStatus.Running;
        return state;
    }

    /// <summary>One start/resume: executes tokens until nothing can run, then settles the status.</summary>
    private sealed class Burst(WorkflowRunner runner, WorkflowDefinition definition, WorkflowInstanceState state)
    {
        private readonly WorkflowRuntimeServices _services = runner.Services;
        private int _steps;

        // The ParallelForEach item scope of the token (or bookmark) being run; tokens it emits inherit it.
        private string? _frame;

        // ParallelForEach: the item scopes whose body tokens the loop's completion sends out.
        private List<string>? _emitFrames;

        public FlowGraph Graph { get; } = new(definition);
        public WorkflowInstanceState State { get; } = state;
        public RunEffects Effects { get; } = new();
        private int MaxSteps => definition.Options.MaxStepsPerBurst ?? _services.MaxStepsPerBurst;
        private DateTimeOffset Now => _services.TimeProvider.GetUtcNow();

        public RunResult Run()
        {
            RunLoop();
            if (State.Status == WorkflowStatus.Running)
            {
                // A Converge join still missing a branch keeps the instance waiting, as Elsa's flowchart does.
                State.Status = State.Bookmarks.Count > 0 || State.Joins.Any(j => j.Value.Received.Count > 0) ? WorkflowStatus.Suspended : WorkflowStatus.Finished;
                if (State.Status == WorkflowStatus.Finished)
                {
                    State.Joins.Clear();
                    State.Loops = null;
                    State.Frames = null;
                }
            }

            State.UpdatedAt = Now;
            return new RunResult(State, Effects);
        }

        public void RunLoop()
        {
            while (State.Status == WorkflowStatus.Running && (State.Queue.Count > 0 || ContinueIdleLoop() || ReleaseWaitingJoin()))
            {
                var item = State.Queue[0];
                State.Queue.RemoveAt(0);
                if (++_steps > MaxSteps)
                {
                    State.Queue.Insert(0, item);
                    FaultInstance(item.ActivityId, $"the workflow ran more than {MaxSteps} activities in one burst and was stopped; check for an endless loop", "MaxStepsExceeded", item);
                    return;
                }

                Execute(item);
            }
        }

        public void ResumeBookmark(Bookmark bookmark, JsonNode? payload)
        {
            State.Bookmarks.Remove(bookmark);
            Effects.BookmarksConsumed.Add(bookmark);
            State.Status = WorkflowStatus.Running;
            _frame = bookmark.Frame;
            if (!Graph.Nodes.TryGetValue(bookmark.ActivityId, out var node) || !_services.Registry.TryGet(node.Type, out var activity))
            {
                FaultInstance(bookmark.ActivityId, $"bookmark {bookmark.Id} points at activity {bookmark.ActivityId}, which is missing or of an unknown type", "UnknownActivity", null);
                return;
            }

            var context = CreateContext(node, activity);
            Journal(node, JournalKind.Resumed);
            ActivityOutcome outcome;
            try
            {
                outcome = activity.Resume(context, bookmark, payload);
            }
            catch (WorkflowResumeException)
            {
                throw; // refused resume: the caller's state is untouched
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Re-running the activity on retry recreates the bookmark; good enough for waits.
                HandleIncident(node, new WorkItem(node.Id), ex);
                return;
            }

            Apply(node, outcome);
        }

        public void CancelEverything()
        {
            Effects.BookmarksConsumed.AddRange(State.Bookmarks);
            State.Bookmarks.Clear();
            State.Queue.Clear();
            State.Joins.Clear();
            State.Loops = null;
            State.Frames = null;
        }

        private void Execute(WorkItem item)
        {
            if (!Graph.Nodes.TryGetValue(item.ActivityId, out var node))
            {
                FaultInstance(item.ActivityId, $"activity {item.ActivityId} does not exist in the definition", "UnknownActivity", null);
                return;
            }

            if (!_services.Registry.TryGet(node.Type, out var activity))
            {
                FaultInstance(node.Id, $"activity type {node.Type} is not registered", "UnknownActivityType", item);
                return;
            }

            _frame = item.Frame;
            Journal(node, JournalKind.Started);
            var loop = activity is ILoopActivity ? LoopOf(node.Id) : null;
            ActivityOutcome outcome;
            try
            {
                outcome = activity.Execute(CreateContext(node, activity));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                HandleIncident(node, item, ex);
                return;
            }

            if (loop is not null)
            {
                if (outcome.Kind == OutcomeKind.Completed && outcome.Ports.Contains(LoopPorts.Body))
                {
                    loop.Continue = false; // the body runs; the loop waits until nothing in it can run
                    _emitFrames = loop.StartedFrames;
                    loop.StartedFrames = null;
                }
                else
                {
                    RemoveLoop(loop);
                }
            }

            Apply(node, outcome);
            _emitFrames = null;
        }

        private ActivityContext CreateContext(ActivityNode node, IActivity activity) =>
            new(_services, definition, State, node, activity.Descriptor, Effects, _frame);

        private void Apply(ActivityNode node, ActivityOutcome outcome)
        {
            switch (outcome.Kind)
            {
                case OutcomeKind.Completed:
                    State.LastResult = outcome.Result?.DeepClone();
                    CaptureOutputs(node, outcome.Result);

                    // Elsa's WaitAny join cancels what is still running on its inbound branches when it runs (FlowJoin.ClearBookmarksAsync).
                    if (ModeOf(node) == MergeMode.Race && Graph.ForwardIncoming(node.Id).Count > 1)
                    {
                        CancelRacingBranches(node.Id);
                    }

                    Journal(node, JournalKind.Completed, outcome.Ports.Count == 0 ? null : string.Join(",", outcome.Ports));
                    Emit(node, outcome.Ports, _emitFrames);
                    break;
                case OutcomeKind.Break:
                    Journal(node, JournalKind.Completed, "Break");
                    if (EnclosingLoop(node.Id) is { } broken)
                    {
                        // Elsa's BreakBehavior: cancel everything in the body, then the loop completes.
                        CancelBody(broken);
                        broken.Broken = true;
                        broken.Continue = true;
                        State.Queue.Insert(0, new WorkItem(broken.ActivityId, null, broken.Frame));
                    }
                    else
                    {
                        Emit(node, ["Done"]);
                    }

                    break;
                case OutcomeKind.Suspended:
                    Journal(node, JournalKind.Suspended);
                    break;
                case OutcomeKind.FinishWorkflow:
                    Journal(node, JournalKind.Completed);
                    State.Output = outcome.Result?.DeepClone() ?? State.Output; // keeps what SetOutput wrote
                    CancelEverything();
                    State.Status = WorkflowStatus.Finished;
                    break;
                case OutcomeKind.FaultWorkflow:
                    Journal(node, JournalKind.Faulted, message: outcome.Message);
                    FaultInstance(node.Id, outcome.Message ?? "fault", outcome.Code, null);
                    break;
            }
        }

        /// <summary>
        /// Keeps the activity's result as its output (for getOutputFrom and per-activity getters) and copies
        /// outputs bound to variables into them, as Elsa's output capture does.
        /// </summary>
        private void CaptureOutputs(ActivityNode node, JsonNode? result)
        {
            var outputs = State.ActivityOutputs.TryGetValue(node.Id, out var known) ? known : State.ActivityOutputs[node.Id] = new JsonObject();
            if (result is not null || !outputs.ContainsKey("Result"))
            {
                outputs["Result"] = result?.DeepClone();
            }

            foreach (var (output, variable) in node.Outputs ?? [])
            {
                var value = outputs.FirstOrDefault(p => string.Equals(p.Key, output, StringComparison.OrdinalIgnoreCase)).Value
                    ?? (output.Equals("output", StringComparison.OrdinalIgnoreCase) ? outputs["Result"] : null);
                CreateContext(node, _services.Registry.TryGet(node.Type, out var a) ? a : _services.Registry.Get("Pass")).SetVariable(variable, value?.DeepClone());
            }
        }

        private void HandleIncident(ActivityNode node, WorkItem item, Exception ex)
        {
            var strategy = definition.Options.IncidentStrategy;
            var message = $"activity {node.Id} ({node.Type}) failed: {ex.Message}";
            Effects.Incidents.Add(new Incident(Now, node.Id, node.Type, message, ex.GetType().FullName, strategy));
            Journal(node, JournalKind.Faulted, message: message);
            if (strategy == IncidentStrategy.Fault)
            {
                FaultInstance(node.Id, message, "ActivityFailed", item);
            }

            // Continue: this path ends here, other tokens keep running.
        }

        private void FaultInstance(string? activityId, string message, string? code, WorkItem? retryItem)
        {
            State.Status = WorkflowStatus.Faulted;
            State.Fault = new FaultInfo { ActivityId = activityId, Message = message, Code = code, At = Now, RetryItem = retryItem };
        }

        private void Journal(ActivityNode node, JournalKind kind, string? port = null, string? message = null) =>
            Effects.Journal.Add(new JournalEntry(Now, node.Id, node.Type, kind, port, message));

        private void Emit(ActivityNode node, IReadOnlyList<string> ports, IReadOnlyList<string>? frames = null)
        {
            var outgoing = Graph.Outgoing(node.Id)
                .Where(c => Graph.Connections[c].Source.Port == ElsaImport.ElsaImporter.AnyPort
                    ? ports.Count > 0
                    : ports.Any(p => string.Equals(p, Graph.Connections[c].Source.Port ?? "Done", StringComparison.OrdinalIgnoreCase)))
                .ToList();

            // Plain targets first, so joins see every token of this completion as still able to arrive.
            var joins = new List<int>();
            foreach (var c in outgoing)
            {
                if (IsPlainDelivery(c))
                {
                    if (frames is null)
                    {
                        State.Queue.Add(new WorkItem(Graph.Connections[c].Target.Activity, c, _frame));
                    }
                    else
                    {
                        // A plain loop, not a lambda: a closure over c would be allocated on every emit of the hot path.
                        foreach (var f in frames)
                        {
                            State.Queue.Add(new WorkItem(Graph.Connections[c].Target.Activity, c, f));
                        }
                    }
                }
                else
                {
                    joins.Add(c);
                }
            }

            foreach (var c in joins)
            {
                DeliverToJoin(c);
            }
        }

        private MergeMode ModeOf(ActivityNode node) =>
            node.Type == "Join" ? JoinActivity.ModeOf(node) : node.MergeMode ?? MergeMode.Merge;

        private bool IsPlainDelivery(int c)
        {
            var target = Graph.Nodes[Graph.Connections[c].Target.Activity];
            return Graph.IsBackEdge(c) || ModeOf(target) == MergeMode.Stream || Graph.ForwardIncoming(target.Id).Count <= 1;
        }

        private void DeliverToJoin(int c)
        {
            var target = Graph.Connections[c].Target.Activity;
            var mode = ModeOf(Graph.Nodes[target]);
            if (!State.Joins.TryGetValue(target, out var join))
            {
                join = State.Joins[target] = new JoinState();
            }

            if (mode == MergeMode.Race)
            {
                if (join.Swallow.Remove(c))
                {
                    if (join.Swallow.Count == 0)
                    {
                        State.Joins.Remove(target);
                    }

                    return;
                }

                CancelRacingBranches(target);
                join.Swallow = [.. Graph.ForwardIncoming(target).Where(x => x != c && CanDeliver(x, target))];
                join.Received.Clear();
                if (join.Swallow.Count == 0)
                {
                    State.Joins.Remove(target);
                }

                State.Queue.Add(new WorkItem(target, c, _frame));
                return;
            }

            if (!join.Received.Contains(c))
            {
                join.Received.Add(c);
            }

            if (IsJoinReady(target, mode, join))
            {
                State.Joins.Remove(target);
                State.Queue.Add(new WorkItem(target, c, _frame));
            }
        }

        private bool IsJoinReady(string target, MergeMode mode, JoinState join)
        {
            var missing = Graph.ForwardIncoming(target).Where(x => !join.Received.Contains(x));
            return mode == MergeMode.Converge ? !missing.Any() : missing.All(x => !CanDeliver(x, target));
        }

        /// <summary>Could a token still come through connection <paramref name="c"/> into <paramref name="target"/>?</summary>
        private bool CanDeliver(int c, string target)
        {
            var source = Graph.Connections[c].Source.Activity;
            return ActiveActivities(target).Any(a => Graph.Reaches(a, source, avoid: target));
        }

        /// <summary>Activities that may still emit tokens: queued, waiting on a bookmark, or a join holding tokens.</summary>
        private IEnumerable<string> ActiveActivities(string except) =>
            State.Queue.Select(w => w.ActivityId)
                .Concat(State.Bookmarks.Select(b => b.ActivityId))
                .Concat(State.Joins.Where(j => j.Value.Received.Count > 0).Select(j => j.Key))
                .Concat(State.Loops?.Values.Where(l => !Graph.Body(l.ActivityId).Contains(except)).Select(l => l.ActivityId) ?? []) // a running loop delivers after its body, not into it
                .Where(a => a != except)
                .Distinct();

        /// <summary>A race was won: bookmarks on branches leading into the join are cancelled.</summary>
        private void CancelRacingBranches(string target)
        {
            var losers = State.Bookmarks.Where(b => b.ActivityId != target && Graph.Reaches(b.ActivityId, target, avoid: target)).ToList();
            foreach (var b in losers)
            {
                State.Bookmarks.Remove(b);
                Effects.BookmarksConsumed.Add(b);
            }

            foreach (var loop in State.Loops?.Values.Where(l => l.ActivityId != target && Graph.Reaches(l.ActivityId, target, avoid: target)).ToList() ?? [])
            {
                CancelBody(loop);
                RemoveLoop(loop);
            }
        }

        /// <summary>This loop's state in the current scope: the one waiting to continue, else a new one (the loop starts).</summary>
        private LoopState LoopOf(string activityId)
        {
            var key = LoopState.KeyOf(activityId, _frame);
            if (State.Loops?.GetValueOrDefault(key) is { } running)
            {
                if (running.Continue)
                {
                    return running;
                }

                // Entered afresh while its body still ran: the old run is dropped, as a re-executed Elsa activity's children are.
                CancelBody(running);
                RemoveLoop(running);
            }

            State.Loops ??= new(StringComparer.Ordinal);
            return State.Loops[key] = new LoopState { ActivityId = activityId, Frame = _frame };
        }

        private void RemoveLoop(LoopState loop)
        {
            if (State.Loops is { } loops && loops.Remove(loop.Key) && loops.Count == 0)
            {
                State.Loops = null;
            }

            if (State.Frames is { } frames)
            {
                foreach (var id in frames.Where(f => f.Value.LoopActivityId == loop.ActivityId && f.Value.Parent == loop.Frame).Select(f => f.Key).ToList())
                {
                    frames.Remove(id);
                }

                if (frames.Count == 0)
                {
                    State.Frames = null;
                }
            }
        }

        /// <summary>Whether a token, bookmark or loop in <paramref name="frame"/> belongs to a loop running in <paramref name="scope"/>.</summary>
        private bool InScope(string? frame, string? scope)
        {
            if (scope is null)
            {
                return true;
            }

            for (var f = frame; f is not null; f = State.Frames?.GetValueOrDefault(f)?.Parent)
            {
                if (f == scope)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Something in the loop's body can still run: a token, a bookmark, a join holding tokens, a loop waiting for its own body.</summary>
        private bool BodyActive(LoopState loop)
        {
            var body = Graph.Body(loop.ActivityId);
            return State.Queue.Any(w => body.Contains(w.ActivityId) && InScope(w.Frame, loop.Frame))
                || State.Bookmarks.Any(b => body.Contains(b.ActivityId) && InScope(b.Frame, loop.Frame))
                || State.Joins.Any(j => j.Value.Received.Count > 0 && body.Contains(j.Key))
                || State.Loops!.Values.Any(l => l != loop && body.Contains(l.ActivityId) && InScope(l.Frame, loop.Frame));
        }

        /// <summary>A loop whose body has nothing left to run goes on (its next iteration, or Done), innermost first.</summary>
        private bool ContinueIdleLoop()
        {
            if (State.Loops is not { Count: > 0 } loops)
            {
                return false;
            }

            foreach (var loop in loops.Values.Where(l => !l.Continue).OrderBy(l => Graph.Body(l.ActivityId).Count))
            {
                if (!BodyActive(loop))
                {
                    loop.Continue = true;
                    State.Queue.Insert(0, new WorkItem(loop.ActivityId, null, loop.Frame));
                    return true;
                }
            }

            return false;
        }

        /// <summary>The innermost running loop around this activity (in the current scope) that a Break ends.</summary>
        private LoopState? EnclosingLoop(string activityId) =>
            State.Loops?.Values
                .Where(l => !l.Continue && Graph.Body(l.ActivityId).Contains(activityId) && InScope(_frame, l.Frame)
                    && Graph.Nodes.TryGetValue(l.ActivityId, out var n) && _services.Registry.TryGet(n.Type, out var a) && a is ILoopActivity { HandlesBreak: true })
                .OrderBy(l => Graph.Body(l.ActivityId).Count)
                .FirstOrDefault();

        /// <summary>Cancels what still runs in a loop's body: its tokens, bookmarks, joins, inner loops and their item scopes.</summary>
        private void CancelBody(LoopState loop)
        {
            var body = Graph.Body(loop.ActivityId);
            State.Queue.RemoveAll(w => body.Contains(w.ActivityId) && InScope(w.Frame, loop.Frame));
            foreach (var b in State.Bookmarks.Where(b => body.Contains(b.ActivityId) && InScope(b.Frame, loop.Frame)).ToList())
            {
                State.Bookmarks.Remove(b);
                Effects.BookmarksConsumed.Add(b);
            }

            foreach (var j in State.Joins.Keys.Where(body.Contains).ToList())
            {
                State.Joins.Remove(j);
            }

            foreach (var inner in State.Loops?.Values.Where(l => l != loop && body.Contains(l.ActivityId) && InScope(l.Frame, loop.Frame)).ToList() ?? [])
            {
                RemoveLoop(inner);
            }
        }

        /// <summary>When nothing is queued, a waiting merge whose missing branches can no longer arrive goes on.</summary>
        private bool ReleaseWaitingJoin()
        {
            foreach (var (target, join) in State.Joins.ToList())
            {
                var mode = ModeOf(Graph.Nodes[target]);
                if (mode != MergeMode.Race && join.Received.Count > 0 && IsJoinReady(target, mode, join))
                {
                    State.Joins.Remove(target);
                    State.Queue.Add(new WorkItem(target, join.Received[^1]));
                    return true;
                }
            }

            // Merges waiting on each other with nothing else alive: release the first so the flow can finish.
            if (State.Bookmarks.Count == 0)
            {
                foreach (var (target, join) in State.Joins.ToList())
                {
                    if (ModeOf(Graph.Nodes[target]) == MergeMode.Merge && join.Received.Count > 0)
                    {
                        State.Joins.Remove(target);
                        State.Queue.Add(new WorkItem(target, join.Received[^1]));
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
