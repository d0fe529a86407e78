using Liaison.Workflows.Activities;
using Liaison.Workflows.Expressions;
using Liaison.Workflows.Time;

namespace Liaison.Workflows.Runtime;

/// <summary>The runner's collaborators; all injected so tests control time, calendar and ids.</summary>
public sealed class WorkflowRuntimeServices
{
    public WorkflowRuntimeServices(ActivityRegistry? registry = null, TimeProvider? timeProvider = null, IWorkingCalendar? calendar = null, ScriptLimits? scriptLimits = null)
    {
        Registry = registry ?? ActivityRegistry.CreateDefault();
        TimeProvider = timeProvider ?? TimeProvider.System;
        Calendar = calendar ?? WeekendOnlyCalendar.Instance;
        JavaScript = new JavaScriptEvaluator(scriptLimits);
    }

    public ActivityRegistry Registry { get; }
    public TimeProvider TimeProvider { get; }
    public IWorkingCalendar Calendar { get; }
    public JavaScriptEvaluator JavaScript { get; }
    public LiquidRenderer Liquid { get; } = new();

    /// <summary>Default limit of activity executions per burst (start/resume) before the instance faults.</summary>
    public int MaxStepsPerBurst { get; init; } = 10_000;

    /// <summary>Id factory for instances and bookmarks; replace for deterministic ids.</summary>
    public Func<string> NewId { get; init; } = () => Guid.NewGuid().ToString("N");
}
