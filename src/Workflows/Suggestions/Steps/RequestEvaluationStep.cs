using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>
/// 代表评价: one signer of the suggestion (the lead or a co-signer: each has a task of their own) evaluates the reply; when
/// the window closes, Liaison itself records the rest as not evaluated. The answer that completes the round starts
/// re-handling in the same transaction when any signer was dissatisfied (<see cref="CompleteEvaluationRound"/>).
/// </summary>
public sealed class RequestEvaluationStep : SuggestionTaskStep
{
    private static readonly FormField Comment = new("comment", FieldType.LongText, new("意见", "Comment"), MaxLength: 4000);

    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.RequestEvaluation",
        new("代表评价", "Evaluate reply"),
        new("代表对答复作出评价；不满意的，承办单位重新办理。", "The deputy evaluates the reply; dissatisfaction leads to re-handling."),
        new("联名的每位代表本人（领衔代表或附议代表）", "each signer of the suggestion, themselves"),
        [
            new("Satisfied", new("满意", "Satisfied"), Comment),
            new("BasicallySatisfied", new("基本满意", "Basically satisfied"), Comment),
            new("Dissatisfied", new("不满意", "Dissatisfied"), Comment with { Required = true, Help = new("请说明不满意的原因，承办单位将据此重新办理。", "Say why; the unit re-handles it on that basis.") }),
            new("NotEvaluated", new("未评价", "Not evaluated"), [], ByDeadlineOnly: true),
        ]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Person, Due: "30d", RemindAfter: ["7d", "14d"], OnDue: "NotEvaluated");

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        var replyId = action.TaskId("replyId");
        object? recorded;
        if (action.OutcomeName == "NotEvaluated")
        {
            // Every signer's task falls due together: the first closes the window for all who have not answered.
            var closed = await Domain(action).Replies.AsNoTracking().Where(r => r.Id == replyId).Select(r => r.EvaluationClosedAt).SingleAsync(cancellationToken);
            recorded = closed is null ? await Send(action, new CloseEvaluationWindow(replyId, ActorOf(action)), cancellationToken) : 0;
        }
        else
        {
            // The deputy is the one the task is for: the caller must be that deputy (the domain then checks they signed it).
            if (!action.User.IsDeputy(action.Task.AssigneeId))
            {
                throw TaskAction.Forbidden("only the deputy the reply is for evaluates it");
            }

            var deputy = Guid.Parse(action.Task.AssigneeId);
            var result = Enum.Parse<EvaluationResult>(action.OutcomeName);
            recorded = await Send(action, new EvaluateReply(replyId, deputy, result, action.Form.Text("comment"), ActorOf(action)), cancellationToken);
        }

        // 重新办理 by round: once every signer has answered, one dissatisfied signer re-handles the reply, in the same transaction.
        var round = await Send(action, new CompleteEvaluationRound(replyId, ActorOf(action)), cancellationToken);
        var more = new JsonObject { ["result"] = action.OutcomeName, ["roundComplete"] = round.Complete, ["rehandling"] = round.Rehandling };
        if (round.Rehandling)
        {
            more["unitTaskId"] = round.UnitTaskId?.ToString();
            more["unitId"] = round.UnitId?.ToString();
        }

        return Result(recorded, more);
    }
}
