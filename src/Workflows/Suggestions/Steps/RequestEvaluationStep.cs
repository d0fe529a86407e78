using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>
/// 代表评价: the deputy the task is for evaluates the reply. Dissatisfied (with the reason) reopens the unit's task for
/// re-handling in the same transaction; when the window closes, Liaison itself records the rest as not evaluated.
/// </summary>
public sealed class RequestEvaluationStep : SuggestionTaskStep
{
    private static readonly FormField Comment = new("comment", FieldType.LongText, new("意见", "Comment"), MaxLength: 4000);

    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.RequestEvaluation",
        new("代表评价", "Evaluate reply"),
        new("代表对答复作出评价；不满意的，承办单位重新办理。", "The deputy evaluates the reply; dissatisfaction leads to re-handling."),
        new("领衔代表本人", "the lead deputy"),
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
        if (action.OutcomeName == "NotEvaluated")
        {
            return Result(await Send(action, new CloseEvaluationWindow(replyId, ActorOf(action)), cancellationToken));
        }

        // The deputy is the one the task is for: the caller must be that deputy (the domain then checks they signed it).
        if (!action.User.IsDeputy(action.Task.AssigneeId))
        {
            throw TaskAction.Forbidden("only the deputy the reply is for evaluates it");
        }

        var deputy = Guid.Parse(action.Task.AssigneeId);
        var result = Enum.Parse<EvaluationResult>(action.OutcomeName);
        var comment = action.Form.Text("comment");
        var evaluation = await Send(action, new EvaluateReply(replyId, deputy, result, comment, ActorOf(action)), cancellationToken);
        if (result == EvaluationResult.Dissatisfied)
        {
            // 重新办理: the unit's task reopens in the same transaction, as the Rehandle step expects.
            var unitTask = await Domain(action).Replies.AsNoTracking().Where(r => r.Id == replyId).Select(r => r.TaskId).SingleAsync(cancellationToken);
            await Send(action, new RehandleTask(unitTask, comment!, ActorOf(action)), cancellationToken);
        }

        return Result(evaluation);
    }
}
