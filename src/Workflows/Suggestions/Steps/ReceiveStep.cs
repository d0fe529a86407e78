using System.Text.Json.Nodes;
using Liaison.Domain.Rules;
using Liaison.Domain.Suggestions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>受理: the liaison office admits the item as a suggestion (it gets its number) or turns it away with a reason.</summary>
public sealed class ReceiveStep : SuggestionTaskStep
{
    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.Receive",
        new("受理", "Receive"),
        new("代表工委审查是否作为建议受理；不予受理的须说明理由。", "The liaison office admits the item or turns it away with a reason."),
        StepTexts.Office,
        [
            new("Admitted", new("受理", "Admit"), StepTexts.Note()),
            new(
                "TurnedAway",
                new("不予受理", "Turn away"),
                new FormField("reason", FieldType.Choice, new("不予受理的理由", "Reason"), Required: true, Choices: FormField.ChoicesOf<AdmissibilityReason>(Label)),
                StepTexts.Note()),
        ]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Role, SuggestionRoles.LiaisonOffice, Due: "5wd");

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        RequireOffice(action);
        var admit = action.OutcomeName == "Admitted";
        var number = await Send(
            action,
            new ReceiveSuggestion(action.TaskId("suggestionId"), admit, admit ? null : action.Form.Choice<AdmissibilityReason>("reason"), action.Form.Text("note"), ActorOf(action)),
            cancellationToken);
        return Result(number);
    }

    private static LocalText Label(AdmissibilityReason reason) => reason switch
    {
        AdmissibilityReason.PersonalOrRelativesMatter => new("个人或亲属的私事", "personal or relatives' matter"),
        AdmissibilityReason.LitigationOrArbitration => new("属于诉讼、仲裁事项", "in litigation or arbitration"),
        AdmissibilityReason.PetitionOrAccusation => new("属于申诉、控告、检举", "petition or accusation"),
        AdmissibilityReason.Advertising => new("宣传推广、广告", "advertising"),
        AdmissibilityReason.EmptyContent => new("内容空泛，无具体意见", "no concrete content"),
        _ => new("不属于本级职权范围", "outside the jurisdiction"),
    };
}
