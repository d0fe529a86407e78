using Liaison.Workflows.Activities;
using Liaison.Workflows.Suggestions.Steps;

namespace Liaison.Workflows.Suggestions;

/// <summary>The definition ids of the shipped suggestion workflows.</summary>
public static class SuggestionWorkflows
{
    public const string SuggestionHandling = "suggestion-handling";
    public const string PublicOpinion = "public-opinion";
}

/// <summary>
/// The suggestion loop's steps (receive → analyse → assign → supervise → feedback) and the public-opinion
/// steps, registered with the "Suggestions." and "Opinions." prefixes. Each step is one file in Steps/;
/// defaults follow domain.md, and every deadline, reminder and escalation target is an input a designer can change.
/// </summary>
public static class SuggestionActivities
{
    public static IReadOnlyList<SuggestionTaskStep> Steps { get; } =
    [
        new ReceiveStep(),
        new AnalyseStep(),
        new LeaderReviewStep(),
        new AssignStep(),
        new SuperviseStep(),
        new SignForStep(),
        new CoOpinionStep(),
        new ConsultStep(),
        new ReplyStep(),
        new DecideExtensionStep(),
        new ApproveReplyStep(),
        new RequestEvaluationStep(),
        new RehandleStep(),
        new FollowUpStep(),
        new PublishStep(),
        new OpinionIntakeStep(),
        new OpinionReplyStep(),
        new OpinionCallBackStep(),
    ];

    /// <summary>Registers every step; pass to AddLiaisonWorkflows or use on a registry for validation.</summary>
    public static void RegisterAll(ActivityRegistry registry)
    {
        foreach (var step in Steps)
        {
            registry.Register(new SuggestionTaskActivity(step));
        }
    }

    /// <summary>The built-ins plus the suggestion steps: what validates the shipped workflow files.</summary>
    public static ActivityRegistry CreateRegistry()
    {
        var registry = ActivityRegistry.CreateDefault();
        RegisterAll(registry);
        return registry;
    }
}
