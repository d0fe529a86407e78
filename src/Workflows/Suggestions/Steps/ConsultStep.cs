using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>面商: the lead unit meets the deputy (visit, phone, meeting, online) and records when, how and with whom.</summary>
public sealed class ConsultStep : SuggestionTaskStep
{
    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.Consult",
        new("面商", "Consult the deputy"),
        new("主办单位与代表沟通见面并记录。", "The lead unit meets the deputy and records it."),
        StepTexts.Unit,
        [
            new(
                "Consulted",
                new("已面商", "Consulted"),
                new FormField("at", FieldType.DateTime, new("面商时间", "When"), Required: true),
                new FormField("method", FieldType.Choice, new("方式", "How"), Required: true, Choices: FormField.ChoicesOf<ConsultationMethod>(m => m switch
                {
                    ConsultationMethod.Visit => new("走访", "visit"),
                    ConsultationMethod.Phone => new("电话", "phone"),
                    ConsultationMethod.Meeting => new("座谈", "meeting"),
                    _ => new("网络", "online"),
                })),
                new FormField("stage", FieldType.Choice, new("阶段", "Stage"), Required: true, Choices: FormField.ChoicesOf<ConsultationStage>(s => s switch
                {
                    ConsultationStage.Before => new("办理前", "before"),
                    ConsultationStage.During => new("办理中", "during"),
                    _ => new("答复后", "after"),
                })),
                new FormField("participants", FieldType.Text, new("参加人员", "Participants"), Required: true, MaxLength: 1000),
                new FormField("notes", FieldType.LongText, new("面商情况", "Notes"), MaxLength: 20000)),
        ]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Unit, Due: "2m");

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        var task = await RequireUnitTaskAsync(action, cancellationToken);
        var form = action.Form;
        var id = await Send(
            action,
            new RecordConsultation(task.Id, form.Instant("at")!.Value, form.Choice<ConsultationMethod>("method")!.Value, form.Choice<ConsultationStage>("stage")!.Value, form.RequiredText("participants"), form.Text("notes"), ActorOf(action)),
            cancellationToken);
        return Result(id);
    }
}
