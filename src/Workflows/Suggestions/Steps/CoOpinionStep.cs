using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>协办意见: a co-handling unit sends its written opinion to the lead unit.</summary>
public sealed class CoOpinionStep : SuggestionTaskStep
{
    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.CoOpinion",
        new("协办意见", "Co-handling opinion"),
        new("协办单位向主办单位提出书面协办意见。", "A co-handling unit sends its written opinion to the lead unit."),
        StepTexts.Unit,
        [new("Sent", new("发送协办意见", "Send"), new FormField("opinion", FieldType.LongText, new("协办意见", "Opinion"), Required: true, MaxLength: 20000))]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Unit, Due: "1m", Reminders: ["5wd", "1wd"]);

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        var task = await RequireUnitTaskAsync(action, cancellationToken);
        return Result(await Send(action, new SendCoOpinion(task.Id, action.Form.RequiredText("opinion"), ActorOf(action)), cancellationToken));
    }
}
