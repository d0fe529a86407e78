using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>公开: a reply that touches the public interest is published without personal data.</summary>
public sealed class PublishStep : SuggestionTaskStep
{
    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.Publish",
        new("公开答复", "Publish"),
        new("涉及公共利益的答复，在代表收到后二十个工作日内去除个人信息后公开。", "A public-interest reply is published without personal data."),
        StepTexts.Office,
        [new("Published", new("已公开", "Published"))]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Role, SuggestionRoles.LiaisonOffice, Due: "20wd", Reminders: ["3wd"]);

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        RequireOffice(action);
        return Result(await Send(action, new PublishReply(action.TaskId("replyId"), ActorOf(action)), cancellationToken));
    }
}
