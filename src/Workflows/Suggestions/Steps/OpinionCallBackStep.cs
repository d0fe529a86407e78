using System.Text.Json.Nodes;
using Liaison.Domain.Opinions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>回访: the office calls the citizen back the day after closing; dissatisfied reopens the opinion for re-handling.</summary>
public sealed class OpinionCallBackStep : SuggestionTaskStep
{
    public override TaskDeclaration Declaration { get; } = new(
        "Opinions.CallBack",
        new("回访", "Call-back survey"),
        new("办结次日回访群众；因承办单位原因不满意的，重新办理。", "The citizen is asked whether the answer satisfied them."),
        StepTexts.Office,
        [
            new("Satisfied", new("满意", "Satisfied"), StepTexts.Note()),
            new("Dissatisfied", new("不满意", "Dissatisfied"), StepTexts.Note(required: true)),
        ]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Role, SuggestionRoles.LiaisonOffice, Due: "3wd", SubjectInput: "opinionId");

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        RequireOffice(action);
        var note = action.Form.Text("note");
        var done = await Send(action, new RecordOpinionCallBack(action.TaskId("opinionId"), action.OutcomeName == "Satisfied", note, ActorOf(action)), cancellationToken);
        return Result(done, new JsonObject { ["note"] = note });
    }
}
