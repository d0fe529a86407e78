using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Domain.Suggestions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>
/// 交办: the office chooses the mode and the units; the same step reassigns a returned unit task (the workflow
/// puts the returned task's id in the task data, and then only the new unit is asked for).
/// </summary>
public sealed class AssignStep : SuggestionTaskStep
{
    private static readonly FormField Mode = new(
        "mode",
        FieldType.Choice,
        new("交办方式", "Mode"),
        Choices:
        [
            new(nameof(AssignmentMode.Single), new("单独办理", "one unit")),
            new(nameof(AssignmentMode.LeadWithCoHandling), new("主办、协办", "lead and co-handling units")),
            new(nameof(AssignmentMode.Separate), new("分别办理", "separate handling")),
        ]);

    public override TaskDeclaration Declaration { get; } = new(
        "Suggestions.Assign",
        new("交办", "Assign"),
        new("确定交办方式和承办单位；也用于退回后的重新交办。", "Choose the mode and the units; also reassigns a returned task."),
        StepTexts.Office,
        [
            new(
                "Assigned",
                new("交办", "Assign"),
                Mode,
                new FormField("unitIds", FieldType.Units, new("承办单位", "Units"), Help: new("主办单位在前。", "The lead unit first.")),
                new FormField("unitId", FieldType.Unit, new("重新交办的单位", "New unit (reassignment)"))),
        ]);

    public override StepDefaults Defaults { get; } = new(AssigneeKind.Role, SuggestionRoles.LiaisonOffice, Due: "5wd");

    public override async ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken)
    {
        RequireOffice(action);
        if (action.OptionalTaskId("returnedTaskId") is { } returned)
        {
            var unit = action.Form.Id("unitId") ?? action.Form.Ids("unitIds").FirstOrDefault();
            if (unit == Guid.Empty)
            {
                throw new Domain.Common.ValidationFailedException([new("unitId", "is required (the unit that takes the returned task)")]);
            }

            var newTask = await Send(action, new ReassignTask(returned, unit, ActorOf(action)), cancellationToken);
            return Result(newTask, new JsonObject { ["unitId"] = unit.ToString() });
        }

        var units = action.Form.Ids("unitIds");
        if (units.Count == 0)
        {
            throw new Domain.Common.ValidationFailedException([new("unitIds", "is required (the units, the lead first)")]);
        }

        var mode = action.Form.Choice<AssignmentMode>("mode") ?? (units.Count > 1 ? AssignmentMode.LeadWithCoHandling : AssignmentMode.Single);
        if (mode == AssignmentMode.Separate || units.Count > 2)
        {
            // The published loop carries one lead and at most one co-handling unit; more would leave units without their steps.
            throw new Domain.Common.ValidationFailedException([new("unitIds", "this workflow carries one unit, or a lead and one co-handling unit")]);
        }

        var taskIds = await Send(action, new AssignSuggestion(action.TaskId("suggestionId"), mode, units, ActorOf(action)), cancellationToken);
        var result = new JsonObject { ["mode"] = mode.ToString(), ["lead"] = new JsonObject { ["unitId"] = units[0].ToString(), ["taskId"] = taskIds[0].ToString() } };
        if (units.Count > 1)
        {
            result["co"] = new JsonObject { ["unitId"] = units[1].ToString(), ["taskId"] = taskIds[1].ToString() };
        }

        return Result(taskIds, result);
    }
}
