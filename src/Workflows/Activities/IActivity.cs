using System.Text.Json.Nodes;

using Liaison.Workflows.Definitions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Validation;

namespace Liaison.Workflows.Activities;

/// <summary>An activity type's behaviour. Implementations are stateless; per-instance data lives in the context.</summary>
public interface IActivity
{
    ActivityDescriptor Descriptor { get; }

    ActivityOutcome Execute(ActivityContext context);

    /// <summary>Called when one of this activity's bookmarks is resumed.</summary>
    ActivityOutcome Resume(ActivityContext context, Bookmark bookmark, JsonNode? payload);

    /// <summary>Type-specific checks beyond the generic ones (e.g. cron syntax).</summary>
    IEnumerable<ValidationProblem> Validate(ActivityNode node);
}

/// <summary>Convenience base: resume completes on "Done", no extra validation.</summary>
public abstract class Activity : IActivity
{
    public abstract ActivityDescriptor Descriptor { get; }

    public abstract ActivityOutcome Execute(ActivityContext context);

    public virtual ActivityOutcome Resume(ActivityContext context, Bookmark bookmark, JsonNode? payload) =>
        ActivityOutcome.Done(payload);

    public virtual IEnumerable<ValidationProblem> Validate(ActivityNode node) => [];
}

public enum OutcomeKind
{
    Completed,
    Suspended,
    FinishWorkflow,
    FaultWorkflow,

    /// <summary>Ends the nearest enclosing loop that handles Break (Elsa's BreakSignal): its body is cancelled and the loop completes.</summary>
    Break,
}

/// <summary>What an activity execution led to.</summary>
public sealed record ActivityOutcome(OutcomeKind Kind, IReadOnlyList<string> Ports, JsonNode? Result = null, string? Message = null, string? Code = null)
{

    public static ActivityOutcome Done(JsonNode? result = null) => new(OutcomeKind.Completed, ["Done"], result);
    public static ActivityOutcome Complete(string port, JsonNode? result = null) => new(OutcomeKind.Completed, [port], result);
    public static ActivityOutcome Complete(IReadOnlyList<string> ports, JsonNode? result = null) => new(OutcomeKind.Completed, ports, result);

    /// <summary>The path ends here without emitting tokens.</summary>
    public static ActivityOutcome Stop() => new(OutcomeKind.Completed, []);

    /// <summary>Wait for a bookmark created through the context.</summary>
    public static ActivityOutcome Suspend() => new(OutcomeKind.Suspended, []);

    public static ActivityOutcome Finish(JsonNode? output = null) => new(OutcomeKind.FinishWorkflow, [], output);
    public static ActivityOutcome Fault(string message, string? code = null) => new(OutcomeKind.FaultWorkflow, [], null, message, code);
}
