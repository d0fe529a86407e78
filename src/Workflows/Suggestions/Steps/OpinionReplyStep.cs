using System.Text.Json.Nodes;
using Liaison.Domain.Opinions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>办理群众意见: the unit the opinion was forwarded to answers it within the short deadline.</summary>
public sealed class OpinionReplyStep : SuggestionTaskStep
{
    public override TaskDeclaration Declaration { get; } = new(
        "Opinions.Reply",
        new("办理群众意见", "Answer the opinion"),
        new("承办单位在规定期限内答复转交的群众意见。", "The unit answers the forwarded opinion within the short deadline."),
        StepTexts.Unit,
        [new("Replied", new("答复", "Answer"), new FormField("answer", FieldType.LongText, new("答复内容", "Answer"), Required: true, MaxLength: 20000))]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Unit, Due: "10wd", Reminders: ["2wd"], SubjectInput: "opinionId");

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        var opinionId = action.TaskId("opinionId");
        var unit = await Domain(action).PublicOpinions.AsNoTracking().Where(o => o.Id == opinionId).Select(o => o.ForwardedToUnitId).SingleAsync(cancellationToken);
        if (unit is null)
        {
            throw new InvalidOperationException($"opinion {opinionId} was not forwarded to a unit");
        }

        RequireUnit(action, unit.Value);
        return Result(await Send(action, new AnswerForwardedOpinion(opinionId, action.Form.RequiredText("answer"), ActorOf(action)), cancellationToken));
    }
}
