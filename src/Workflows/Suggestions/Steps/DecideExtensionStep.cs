using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>延期审批: the liaison office approves or rejects a unit's extension request.</summary>
public sealed class DecideExtensionStep : SuggestionTaskStep
{
    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.DecideExtension",
        new("延期审批", "Decide extension"),
        new("代表工委审批承办单位的延期申请。", "The liaison office approves or rejects the unit's extension request."),
        StepTexts.Office,
        [
            new("Approved", new("同意延期", "Approve"), StepTexts.Note()),
            new("Rejected", new("不同意延期", "Reject"), StepTexts.Note(required: true)),
        ]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Role, SuggestionRoles.LiaisonOffice, Due: "3wd");

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        RequireOffice(action);
        return Result(await Send(action, new DecideExtension(action.TaskId("requestId"), action.OutcomeName == "Approved", action.Form.Text("note"), ActorOf(action)), cancellationToken));
    }
}
