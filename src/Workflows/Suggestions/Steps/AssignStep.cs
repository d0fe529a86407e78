using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Analysis;
using Liaison.Domain.Handling;
using Liaison.Domain.Suggestions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;

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

            // The office's choice changed: the analysis' record of it follows, so its accuracy counts the final units.
            var db = Domain(action);
            var gone = await db.UnitTasks.AsNoTracking().Where(t => t.Id == returned).Select(t => new { t.SuggestionId, t.UnitId }).SingleAsync(cancellationToken);
            var chosen = await db.AnalysisDecisions.AsNoTracking().Where(d => d.SuggestionId == gone.SuggestionId).Select(d => d.ChosenUnitIds).FirstOrDefaultAsync(cancellationToken) ?? [gone.UnitId];
            var final = chosen.Select(u => u == gone.UnitId ? unit : u).Append(unit).Distinct().ToList();
            await Send(action, new RecordAnalysisDecision(gone.SuggestionId, final, null, ActorOf(action)), cancellationToken);
            return Result(newTask, new JsonObject { ["unitId"] = unit.ToString() });
        }

        // 并案: an item the office linked to a primary after its own analysis is handled with the primary, with no units of its own.
        if (await Send(action, new HandleWithPrimary(action.TaskId("suggestionId"), ActorOf(action)), cancellationToken) is { } withPrimary)
        {
            return Result(withPrimary, new JsonObject { ["withPrimary"] = JsonSerializer.SerializeToNode(withPrimary, JsonSerializerOptions.Web) });
        }

        var units = action.Form.Ids("unitIds");
        if (units.Count == 0)
        {
            throw new Domain.Common.ValidationFailedException([new("unitIds", "is required (the units, the lead first)")]);
        }

        var mode = action.Form.Choice<AssignmentMode>("mode") ?? (units.Count > 1 ? AssignmentMode.LeadWithCoHandling : AssignmentMode.Single);
        var suggestion = action.TaskId("suggestionId");
        var taskIds = await Send(action, new AssignSuggestion(suggestion, mode, units, ActorOf(action)), cancellationToken);

        // What the analysis proposed and what the office chose, kept for the accuracy the dashboard reports.
        await Send(action, new RecordAnalysisDecision(suggestion, units, null, ActorOf(action)), cancellationToken);

        // One entry per unit, with its role, for the workflow to fan out.
        var role = (int i) => mode switch
        {
            AssignmentMode.Separate => nameof(TaskRole.Separate),
            _ when i == 0 => nameof(TaskRole.Lead),
            _ => nameof(TaskRole.CoHandling),
        };
        var entries = new JsonArray([.. units.Select((unit, i) => (JsonNode)new JsonObject { ["unitId"] = unit.ToString(), ["taskId"] = taskIds[i].ToString(), ["role"] = role(i) })]);
        return Result(taskIds, new JsonObject { ["mode"] = mode.ToString(), ["units"] = entries });
    }
}
