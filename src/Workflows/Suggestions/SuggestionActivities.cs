using Liaison.Workflows.Activities;
using Liaison.Workflows.Runtime;

namespace Liaison.Workflows.Suggestions;

/// <summary>
/// The suggestion loop's steps (receive → analyse → assign → supervise → feedback) and the public-opinion
/// steps, registered with the "Suggestions." and "Opinions." prefixes. Defaults follow domain.md; every
/// deadline, reminder and escalation target is an input a designer can change per workflow.
/// </summary>
public static class SuggestionActivities
{
    private const string Office = SuggestionRoles.LiaisonOffice;

    public static IReadOnlyList<SuggestionStep> Steps { get; } =
    [
        new("Suggestions.Receive", "Receive (受理)", "The liaison office admits the item or turns it away with a reason.", AssigneeKind.Role, Office, ["Admitted", "TurnedAway"], Due: "5wd"),
        new("Suggestions.Analyse", "Analyse (分析)", "Field, similar items, proposed units; decides whether it is a key suggestion.", AssigneeKind.Role, Office, ["Key", "Ordinary"], Due: "5wd"),
        new("Suggestions.LeaderReview", "Leader review (领导督办)", "The supervising leader of a key suggestion takes it on before assignment.", AssigneeKind.Role, SuggestionRoles.Leader, ["Endorsed"], Due: "5wd"),
        new("Suggestions.Assign", "Assign (交办)", "The liaison office chooses the units and the mode; also used to reassign a returned task.", AssigneeKind.Role, Office, ["Assigned"], Due: "5wd"),
        new("Suggestions.SignFor", "Sign for (签收)", "The unit accepts the task or returns it with a reason within the return window.", AssigneeKind.Unit, null, ["Signed", "Returned"], Due: "5wd", Reminders: ["1wd"]),
        new("Suggestions.CoOpinion", "Co-handling opinion (协办意见)", "A co-handling unit sends its written opinion to the lead unit.", AssigneeKind.Unit, null, ["Sent"], Due: "1m", Reminders: ["5wd", "1wd"]),
        new("Suggestions.Consult", "Consult the deputy (面商)", "The lead unit meets the deputy (visit, phone or meeting) and records it.", AssigneeKind.Unit, null, ["Consulted"], Due: "2m"),
        new("Suggestions.Reply", "Reply (答复)", "The lead unit drafts its written reply, or asks for an extension before the deadline.", AssigneeKind.Unit, null, ["Replied", "ExtensionRequested"], Due: "3m", Reminders: ["15wd", "7wd", "1wd"]),
        new("Suggestions.DecideExtension", "Decide extension (延期审批)", "The liaison office approves or rejects the unit's extension request.", AssigneeKind.Role, Office, ["Approved", "Rejected"], Due: "3wd"),
        new("Suggestions.ApproveReply", "Approve reply (一把手审签)", "The head of the unit approves the reply (it is then sent) or sends it back.", AssigneeKind.Role, SuggestionRoles.UnitHead, ["Approved", "Returned"], Due: "3wd"),
        new("Suggestions.RequestEvaluation", "Evaluate reply (代表评价)", "The deputy evaluates the reply; dissatisfaction leads to re-handling.", AssigneeKind.Person, null, ["Satisfied", "BasicallySatisfied", "Dissatisfied", "NotEvaluated"], Due: "30d", RemindAfter: ["7d", "14d"], OnDue: "NotEvaluated"),
        new("Suggestions.Rehandle", "Re-handle (重新办理)", "After a dissatisfied evaluation the unit replies again.", AssigneeKind.Unit, null, ["Replied"], Due: "1m", Reminders: ["5wd", "1wd"]),
        new("Suggestions.FollowUp", "Follow up (跟踪办理)", "Category B/C replies stay open; the unit reports progress until solved.", AssigneeKind.Unit, null, ["Solved", "Progress"], Due: "3m", Reminders: ["5wd"]),
        new("Suggestions.Publish", "Publish (公开)", "A public-interest reply is published without personal data.", AssigneeKind.Role, Office, ["Published"], Due: "20wd", Reminders: ["3wd"]),
        new("Opinions.Intake", "Take the opinion (受理群众意见)", "The deputy answers the citizen, forwards the opinion to a unit, or turns it into a suggestion.", AssigneeKind.Person, null, ["Forwarded", "Answered", "Converted"], Due: "2wd", SubjectInput: "opinionId"),
        new("Opinions.Reply", "Answer the opinion (办理群众意见)", "The unit answers the forwarded opinion within the short deadline.", AssigneeKind.Unit, null, ["Replied"], Due: "10wd", Reminders: ["2wd"], SubjectInput: "opinionId"),
        new("Opinions.CallBack", "Call-back survey (回访)", "The citizen is asked whether the answer satisfied them.", AssigneeKind.Role, Office, ["Satisfied", "Dissatisfied"], Due: "3wd", SubjectInput: "opinionId"),
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
