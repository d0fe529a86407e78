using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>签收: the unit accepts the task, or returns it with a reason while the return window is open.</summary>
public sealed class SignForStep : SuggestionTaskStep
{
    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.SignFor",
        new("签收", "Sign for"),
        new("承办单位签收；交办不当的，在退回期限内说明理由退回。", "The unit accepts the task or returns it with a reason within the return window."),
        StepTexts.Unit,
        [
            new("Signed", new("签收", "Sign for")),
            new("Returned", new("退回", "Return"), new FormField("reason", FieldType.LongText, new("退回理由", "Reason"), Required: true, new("说明为何不属于本单位职责，可建议承办单位。", "Why it is not this unit's; suggest the right unit if you can."))),
        ]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Unit, Due: "5wd", Reminders: ["1wd"]);

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        var task = await RequireUnitTaskAsync(action, cancellationToken);
        var done = action.OutcomeName == "Signed"
            ? await Send(action, new SignForTask(task.Id, ActorOf(action)), cancellationToken)
            : await Send(action, new ReturnTask(task.Id, action.Form.RequiredText("reason"), ActorOf(action)), cancellationToken);
        return Result(done);
    }
}
