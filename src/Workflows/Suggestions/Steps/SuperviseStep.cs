using System.Text.Json.Nodes;
using Liaison.Domain.Suggestions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>
/// 领办督办: while the units handle a key suggestion, its leading (or supervising) leader follows it, is reminded, and may
/// give instructions, each recorded in the audit trail. The task closes by itself when the handling ends.
/// </summary>
public sealed class SuperviseStep : SuggestionTaskStep
{
    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.Supervise",
        new("领办督办", "Supervise"),
        new("重点建议的领办领导跟踪办理进展，可作出批示；办理结束后自动关闭。", "The leader of a key suggestion follows its handling and may give instructions; it closes when the handling ends."),
        new("该重点建议的领办或督办领导", "the key suggestion's leading or supervising leader"),
        [new("Instructed", new("作出批示", "Give an instruction"), new FormField("instruction", FieldType.LongText, new("批示", "Instruction"), Required: true, MaxLength: 4000))]);

    // No deadline of its own (the units have theirs): the leader is reminded a month and two months in.
    public override StepDefaults Defaults { get; } = new(AssigneeKind.Person, RemindAfter: ["1m", "2m"]);

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        var suggestionId = action.TaskId("suggestionId");
        var leaders = await Domain(action).Suggestions.AsNoTracking().Where(s => s.Id == suggestionId)
            .Select(s => new { s.LeadingLeaderId, s.SupervisingLeaderId }).SingleAsync(cancellationToken);
        if (!action.User.IsSystem && !action.User.IsLeader(leaders.LeadingLeaderId?.ToString()) && !action.User.IsLeader(leaders.SupervisingLeaderId?.ToString()))
        {
            throw TaskAction.Forbidden("only the key suggestion's leading or supervising leader gives instructions on it");
        }

        return Result(await Send(action, new ReviewKeySuggestion(suggestionId, action.Form.RequiredText("instruction"), ActorOf(action), WhileHandled: true), cancellationToken));
    }
}
