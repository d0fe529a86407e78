using System.Text.Json.Nodes;
using Liaison.Domain.Opinions;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>受理群众意见: the deputy who took the opinion answers the citizen, forwards it to a unit, or turns it into a suggestion.</summary>
public sealed class OpinionIntakeStep : SuggestionTaskStep
{
    public override TaskDeclaration Declaration { get; } = new(
        "Opinions.Intake",
        new("处理群众意见", "Take the opinion"),
        new("代表直接答复群众、转交承办单位办理，或转为代表建议。", "The deputy answers the citizen, forwards the opinion to a unit, or turns it into a suggestion."),
        new("收集该意见的代表", "the deputy who took the opinion"),
        [
            new("Forwarded", new("转交办理", "Forward to a unit"), new FormField("unitId", FieldType.Unit, new("承办单位", "Unit"), Required: true)),
            new("Answered", new("直接答复", "Answer"), new FormField("answer", FieldType.LongText, new("答复内容", "Answer"), Required: true, MaxLength: 20000)),
            new(
                "Converted",
                new("转为建议", "Turn into a suggestion"),
                new FormField("title", FieldType.Text, new("建议标题", "Title"), Required: true, MaxLength: 200),
                new FormField("term", FieldType.Number, new("届次", "Term"), Required: true),
                new FormField("year", FieldType.Number, new("年度", "Year"), Required: true)),
        ]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Person, Due: "2wd", SubjectInput: "opinionId");

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        var opinionId = action.TaskId("opinionId");
        var deputy = await Domain(action).PublicOpinions.AsNoTracking().Where(o => o.Id == opinionId).Select(o => o.DeputyId).SingleAsync(cancellationToken);
        if (!action.User.IsSystem && !action.User.IsDeputy(deputy.ToString()))
        {
            throw TaskAction.Forbidden("only the deputy who took the opinion decides what becomes of it");
        }

        var form = action.Form;
        switch (action.OutcomeName)
        {
            case "Forwarded":
                var unit = form.RequiredId("unitId");
                var due = await Send(action, new ForwardPublicOpinion(opinionId, unit, ActorOf(action)), cancellationToken);
                return Result(due, new JsonObject { ["unitId"] = unit.ToString() });
            case "Answered":
                return Result(await Send(action, new AnswerPublicOpinion(opinionId, form.RequiredText("answer"), ActorOf(action)), cancellationToken));
            default:
                var suggestion = await Send(action, new ConvertOpinionToSuggestion(opinionId, form.Number("term")!.Value, form.Number("year")!.Value, form.RequiredText("title"), ActorOf(action)), cancellationToken);

                // The new suggestion goes round the loop like any other, started in this same unit of work.
                await action.Services.GetRequiredService<WorkflowEngine>().StartAsync(
                    SuggestionWorkflows.SuggestionHandling,
                    new Dictionary<string, JsonNode?> { ["suggestionId"] = suggestion.ToString(), ["leadDeputyId"] = deputy.ToString() },
                    suggestion.ToString(),
                    cancellationToken);
                return Result(suggestion, new JsonObject { ["suggestionId"] = suggestion.ToString(), ["leadDeputyId"] = deputy.ToString() });
        }
    }
}
