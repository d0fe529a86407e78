using System.Text.Json.Nodes;
using Liaison.Domain.Attachments;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>答复: the lead unit drafts its written reply (category A–D), or asks for an extension before the deadline.</summary>
public sealed class ReplyStep : SuggestionTaskStep
{
    internal static readonly FormField[] ReplyFields =
    [
        new("category", FieldType.Choice, new("答复类别", "Category"), Required: true, Choices: FormField.ChoicesOf<ReplyCategory>(c => c switch
        {
            ReplyCategory.A => new("A 类：已解决或基本解决", "A: solved or basically solved"),
            ReplyCategory.B => new("B 类：正在解决或列入计划逐步解决", "B: being solved or planned"),
            ReplyCategory.C => new("C 类：因条件限制需以后解决", "C: later, because of present conditions"),
            _ => new("D 类：留作参考", "D: kept for reference"),
        })),
        new("text", FieldType.RichText, new("答复内容", "Reply"), Required: true, new("可设置段落、加粗和列表；脚本、链接和图片会被移除。", "Paragraphs, bold and lists are kept; scripts, links and images are removed."), MaxLength: 50000),
        new("publicInterest", FieldType.Boolean, new("涉及公共利益（答复将公开）", "Touches the public interest (published)")),
        new("attachments", FieldType.Attachments, new("附件", "Attachments"), Help: new("PDF、Word、Excel、WPS、OFD、图片或文本文件。", "PDF, Word, Excel, WPS, OFD, images or text files.")),
    ];

    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.Reply",
        new("答复", "Reply"),
        new("主办单位起草书面答复，或在期限届满前申请延期。", "The lead unit drafts its written reply, or asks for an extension before the deadline."),
        StepTexts.Unit,
        [
            new("Replied", new("提交答复", "Submit reply"), ReplyFields),
            new(
                "ExtensionRequested",
                new("申请延期", "Ask for an extension"),
                new FormField("newLastDay", FieldType.Date, new("延期至", "New last day"), Required: true),
                new FormField("reason", FieldType.LongText, new("延期理由", "Reason"), Required: true),
                new FormField("explanationToDeputy", FieldType.LongText, new("向代表的说明", "Explanation to the deputy"), Required: true)),
        ]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Unit, Due: "3m", Reminders: ["15wd", "7wd", "1wd"]);

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        var task = await RequireUnitTaskAsync(action, cancellationToken);
        if (action.OutcomeName == "ExtensionRequested")
        {
            var request = await Send(
                action,
                new RequestExtension(task.Id, action.Form.Date("newLastDay")!.Value, action.Form.RequiredText("reason"), action.Form.RequiredText("explanationToDeputy"), ActorOf(action)),
                cancellationToken);
            return Result(request);
        }

        return await SubmitAsync(action, task, cancellationToken);
    }

    /// <summary>A reply (first or after re-handling): the draft's id, category and whether it is published go to the workflow.</summary>
    internal static async Task<JsonObject> SubmitAsync(TaskAction action, UnitTask task, CancellationToken cancellationToken)
    {
        var category = action.Form.Choice<ReplyCategory>("category")!.Value;
        var publicInterest = action.Form.Flag("publicInterest");
        var attachments = action.Form.Ids("attachments");
        var limit = action.Services.GetService<AttachmentOptions>()?.MaxFilesPerReply ?? AttachmentOptions.DefaultMaxFilesPerReply;
        if (attachments.Count > limit)
        {
            throw new ValidationFailedException([new FieldError("attachments", $"too many files: at most {limit} per reply")]);
        }

        var reply = await Send(action, new SubmitReply(task.Id, category, action.Form.RequiredText("text"), publicInterest, ActorOf(action), attachments), cancellationToken);
        return Result(reply, new JsonObject { ["category"] = category.ToString(), ["publicInterest"] = publicInterest });
    }
}
