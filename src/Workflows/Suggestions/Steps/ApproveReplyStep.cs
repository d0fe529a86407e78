using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>一把手审签: the head of the replying unit approves the reply (it is then sent) or sends it back with a reason.</summary>
public sealed class ApproveReplyStep : SuggestionTaskStep
{
    /// <summary>What a linked item's workflow waits for (keyed by that item's id): the primary's reply reached it.</summary>
    public const string AnsweredWithPrimaryEvent = "suggestion.answered-with-primary";

    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.ApproveReply",
        new("一把手审签", "Approve reply"),
        new("承办单位主要负责人审签答复，同意后答复即送达代表；不同意的退回重拟。", "The head of the unit approves the reply (it is then sent) or sends it back."),
        StepTexts.UnitHead,
        [
            new("Approved", new("同意并发出", "Approve and send")),
            new("Returned", new("退回重拟", "Send back"), new FormField("reason", FieldType.LongText, new("退回意见", "What to change"), Required: true, MaxLength: 4000)),
        ]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.UnitRole, Due: "3wd", AssigneeRole: SuggestionRoles.UnitHead);

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        var replyId = action.TaskId("replyId");
        var unit = await Domain(action).Replies.AsNoTracking().Where(r => r.Id == replyId).Select(r => r.UnitId).SingleAsync(cancellationToken);
        RequireUnit(action, unit, SuggestionRoles.UnitHead);
        if (action.OutcomeName == "Returned")
        {
            return Result(await Send(action, new ReturnReplyDraft(replyId, action.Form.RequiredText("reason"), ActorOf(action)), cancellationToken));
        }

        // Sending goes with the head's approval, in the same transaction.
        await Send(action, new ApproveReply(replyId, ActorOf(action)), cancellationToken);
        var sent = await Send(action, new SendReply(replyId, ActorOf(action)), cancellationToken);

        // Who evaluates it: every signer (the lead and the co-signers who did not refuse), each on a task of their own.
        var db = Domain(action);
        var suggestionId = await db.Replies.AsNoTracking().Where(r => r.Id == replyId).Select(r => r.SuggestionId).SingleAsync(cancellationToken);
        var suggestion = await db.Suggestions.AsNoTracking().Include(s => s.CoSigners).SingleAsync(s => s.Id == suggestionId, cancellationToken);
        var signers = new JsonArray([.. suggestion.Deputies.Select(d => (JsonNode)d.ToString())]);

        // 并案: the same reply answers every linked item waiting for it; each item's workflow goes on to its own evaluation.
        var answers = await Send(action, new AnswerLinkedSuggestions(replyId, ActorOf(action)), cancellationToken);
        var engine = action.Services.GetRequiredService<WorkflowEngine>();
        foreach (var answer in answers)
        {
            var payload = new JsonObject
            {
                ["replyId"] = answer.ReplyId.ToString(),
                ["primarySuggestionId"] = suggestionId.ToString(),
                ["signers"] = new JsonArray([.. answer.Signers.Select(d => (JsonNode)d.ToString())]),
            };
            await engine.PublishEventAsync(AnsweredWithPrimaryEvent, answer.SuggestionId.ToString(), payload, cancellationToken);
        }

        return Result(sent, new JsonObject { ["signers"] = signers, ["linkedAnswered"] = answers.Count });
    }
}
