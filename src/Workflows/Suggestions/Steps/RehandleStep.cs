using System.Text.Json.Nodes;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>重新办理: after a dissatisfied evaluation the unit replies again within the re-handling period.</summary>
public sealed class RehandleStep : SuggestionTaskStep
{
    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.Rehandle",
        new("重新办理", "Re-handle"),
        new("代表不满意的，承办单位重新办理并再次答复。", "After a dissatisfied evaluation the unit replies again."),
        StepTexts.Unit,
        [new("Replied", new("提交答复", "Submit reply"), ReplyStep.ReplyFields)]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Unit, Due: "1m", Reminders: ["5wd", "1wd"]);

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken) =>
        await ReplyStep.SubmitAsync(action, await RequireUnitTaskAsync(action, cancellationToken), cancellationToken);
}
