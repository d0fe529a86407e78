using System.Text.Json.Nodes;
using Liaison.Domain.Suggestions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>领导督办: the supervising leader of a key suggestion takes it on before it is assigned; recorded in the audit trail.</summary>
public sealed class LeaderReviewStep : SuggestionTaskStep
{
    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.LeaderReview",
        new("领导督办", "Leader review"),
        new("重点建议的督办领导阅示后交办。", "The supervising leader of a key suggestion takes it on before assignment."),
        new("该建议的督办领导", "the suggestion's supervising leader"),
        [new("Endorsed", new("同意交办", "Endorse"), new FormField("instruction", FieldType.LongText, new("批示", "Instruction"), MaxLength: 4000))]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Person, Due: "5wd");

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        var suggestionId = action.TaskId("suggestionId");
        var leader = await Domain(action).Suggestions.AsNoTracking().Where(s => s.Id == suggestionId).Select(s => s.SupervisingLeaderId).SingleAsync(cancellationToken);
        if (!action.User.IsSystem && !action.User.IsLeader(leader?.ToString()))
        {
            throw TaskAction.Forbidden("only the suggestion's supervising leader reviews it");
        }

        await Send(action, new ReviewKeySuggestion(suggestionId, action.Form.Text("instruction"), ActorOf(action)), cancellationToken);
        return Result(true);
    }
}
