using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>跟踪办理: a category B/C reply stays open; the unit reports progress until the matter is solved.</summary>
public sealed class FollowUpStep : SuggestionTaskStep
{
    private static readonly FormField Note = new("note", FieldType.LongText, new("办理进展", "Progress"), Required: true, MaxLength: 20000);

    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.FollowUp",
        new("跟踪办理", "Follow up"),
        new("B、C 类答复持续跟踪，解决后再次答复。", "Category B/C replies stay open; the unit reports progress until solved."),
        StepTexts.Unit,
        [new("Progress", new("报告进展", "Report progress"), Note), new("Solved", new("已解决", "Solved"), Note)]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Unit, Due: "3m", Reminders: ["5wd"]);

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        var replyId = action.TaskId("replyId");
        var unit = await Domain(action).Replies.AsNoTracking().Where(r => r.Id == replyId).Select(r => r.UnitId).SingleAsync(cancellationToken);
        RequireUnit(action, unit);
        return Result(await Send(action, new RecordFollowUp(replyId, action.Form.RequiredText("note"), action.OutcomeName == "Solved", ActorOf(action)), cancellationToken));
    }
}
