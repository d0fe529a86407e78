using System.Text.Json.Nodes;
using Liaison.Workflows.Activities;
using Liaison.Workflows.Activities.BuiltIn;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Expressions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Suggestions.Steps;
using Liaison.Workflows.Validation;

namespace Liaison.Workflows.Suggestions;

/// <summary>The role names the suggestion steps assign to by default.</summary>
public static class SuggestionRoles
{
    public const string LiaisonOffice = "LiaisonOffice";
    public const string UnitHead = "UnitHead";
    public const string UnitHandler = "UnitHandler";
    public const string Leader = "Leader";
    public const string Deputy = "Deputy";
}

/// <summary>
/// A human decision in the suggestion loop: a task with fixed outcomes (the ports), an assignee, a deadline
/// and reminders the designer can edit, and task data that names the suggestion (or opinion) to act on.
/// The domain command that goes with the decision runs in the same transaction as the completion
/// (<see cref="SuggestionWorkflowService"/>), so the workflow never runs ahead of the domain.
/// </summary>
public class SuggestionTaskActivity : Activity
{
    public SuggestionTaskActivity(SuggestionTaskStep taskStep)
    {
        TaskStep = taskStep;
        var step = taskStep.Defaults;
        var declaration = taskStep.Declaration;
        Step = step;
        Outcomes = declaration.OutcomeNames;
        Descriptor = new ActivityDescriptor
        {
            TypeName = declaration.ActivityType,
            Category = "Suggestions",
            DisplayName = declaration.Name.Zh,
            Description = declaration.Description.Zh,
            Task = declaration,
            Inputs =
            [
                new InputDescriptor("title", InputTypes.String, Default: JsonValue.Create(declaration.Name.Zh), Description: "What the task list shows."),
                new InputDescriptor("description", InputTypes.String),
                new InputDescriptor(step.SubjectInput, InputTypes.String, Description: "The item to act on; defaults to the instance's correlation key, then the workflow input of this name."),
                new InputDescriptor("assigneeKind", InputTypes.String, Default: JsonValue.Create(step.AssigneeKind.ToString()), Options: ["Unit", "UnitRole", "Role", "Person"]),
                new InputDescriptor("assigneeId", InputTypes.String, Default: step.AssigneeId is null ? null : JsonValue.Create(step.AssigneeId), Description: "Role name, unit id or person id; usually an expression for units and deputies."),
                new InputDescriptor("assigneeRole", InputTypes.String, Default: step.AssigneeRole is null ? null : JsonValue.Create(step.AssigneeRole), Description: "With UnitRole: the role within the unit that acts (e.g. UnitHead)."),
                new InputDescriptor("unitTaskId", InputTypes.String, Description: "The domain's unit task, for steps a unit works."),
                new InputDescriptor("due", InputTypes.String, Default: step.Due is null ? null : JsonValue.Create(step.Due), Description: "\"5wd\" working days, \"15d\" days, \"3m\" months, or a duration like \"P1D\"."),
                new InputDescriptor("reminders", InputTypes.StringList, Default: step.Reminders is null ? null : new JsonArray([.. step.Reminders.Select(r => (JsonNode)JsonValue.Create(r)!)]), Description: "Periods before the due time, e.g. [\"15wd\", \"7wd\", \"1wd\"]."),
                new InputDescriptor("remindAfter", InputTypes.StringList, Default: step.RemindAfter is null ? null : new JsonArray([.. step.RemindAfter.Select(r => (JsonNode)JsonValue.Create(r)!)]), Description: "Periods after the task starts, e.g. [\"7d\", \"14d\"] (survey reminders)."),
                new InputDescriptor("escalateTo", InputTypes.String, Default: JsonValue.Create(step.EscalateTo), Description: "Who hears about it when it is overdue (role or person)."),
                new InputDescriptor("onDue", InputTypes.String, Default: step.OnDue is null ? null : JsonValue.Create(step.OnDue), Options: [.. declaration.OutcomeNames], Description: "The outcome the task takes by itself when its due time passes (e.g. NotEvaluated); empty: it escalates instead."),
                new InputDescriptor("data", InputTypes.Object, Description: "Extra task data for the UI (e.g. the reply to approve)."),
                new InputDescriptor("resultVariable", InputTypes.VariableName, Description: "Variable that receives the completion data."),
            ],
            Outputs = [new OutputDescriptor("result", InputTypes.Object, "The completion payload: outcome, data, completedBy.")],
            Ports = declaration.OutcomeNames,
        };
    }

    public SuggestionTaskStep TaskStep { get; }

    public StepDefaults Step { get; }

    public IReadOnlyList<string> Outcomes { get; }

    public override ActivityDescriptor Descriptor { get; }

    private string TypeName => TaskStep.ActivityType;

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var now = context.Now;
        var due = Period(context.Evaluate("due"), "due")?.DueFrom(now, context.Calendar);
        var before = context.GetStringList("reminders").ToList();
        var after = context.GetStringList("remindAfter").ToList();
        var reminders = ReminderInstants(before, after, due, now, context.Calendar);

        var kind = Enum.TryParse<AssigneeKind>(context.GetString("assigneeKind"), true, out var k) ? k : Step.AssigneeKind;
        var assigneeId = context.GetString("assigneeId");
        if (string.IsNullOrWhiteSpace(assigneeId))
        {
            throw new ExpressionException($"{TypeName} '{context.Node.Id}': input 'assigneeId' is empty");
        }

        if (kind == AssigneeKind.UnitRole)
        {
            var role = context.GetString("assigneeRole") is { Length: > 0 } r ? r : Step.AssigneeRole
                ?? throw new ExpressionException($"{TypeName} '{context.Node.Id}': input 'assigneeRole' is empty (UnitRole needs the role within the unit)");
            assigneeId = Tasks.TaskAssignee.UnitRoleId(assigneeId, role);
        }

        var subject = SubjectId(context);
        var data = context.Evaluate("data") as JsonObject ?? [];
        data[Step.SubjectInput] = subject;
        data["step"] = TypeName;
        data["escalateTo"] = context.GetString("escalateTo");

        // Kept with the task so a deadline set by the domain later (see SuggestionDeadlinePolicy) gets the same reminders.
        data["reminders"] = new JsonArray([.. before.Select(r => (JsonNode)JsonValue.Create(r)!)]);
        data["remindAfter"] = new JsonArray([.. after.Select(r => (JsonNode)JsonValue.Create(r)!)]);
        if (context.GetString("onDue") is { Length: > 0 } onDue)
        {
            data["onDue"] = Outcomes.FirstOrDefault(o => string.Equals(o, onDue, StringComparison.OrdinalIgnoreCase))
                ?? throw new ExpressionException($"{TypeName} '{context.Node.Id}': input 'onDue' is '{onDue}', not one of {string.Join(", ", Outcomes)}");
        }
        if (context.GetString("unitTaskId") is { Length: > 0 } unitTask)
        {
            data["unitTaskId"] = unitTask;
        }

        var title = context.GetString("title") ?? TaskStep.Declaration.Name.Zh;
        var bookmark = context.CreateBookmark(BookmarkKind.HumanTask, eventName: title, correlationKey: context.State.CorrelationKey);
        context.RequestHumanTask(new HumanTaskRequest(
            bookmark.Id, context.Node.Id, title, context.GetString("description"), kind, assigneeId, due, reminders, Outcomes, data));
        return ActivityOutcome.Suspend();
    }

    public override ActivityOutcome Resume(ActivityContext context, Bookmark bookmark, JsonNode? payload)
    {
        var chosen = payload switch
        {
            JsonObject o => ValueConversion.AsString(o["outcome"]),
            JsonValue v => ValueConversion.AsString(v),
            _ => null,
        } ?? (Outcomes.Count == 1 ? Outcomes[0] : null);
        var port = Outcomes.FirstOrDefault(o => string.Equals(o, chosen, StringComparison.OrdinalIgnoreCase))
            ?? throw new WorkflowResumeException($"outcome '{chosen}' is not allowed here (allowed: {string.Join(", ", Outcomes)})");
        if (context.Node.GetInput("resultVariable")?.Text is { Length: > 0 } variable)
        {
            context.SetVariable(variable, (payload as JsonObject)?["data"]?.DeepClone());
        }

        return ActivityOutcome.Complete(port, payload);
    }

    /// <summary>
    /// Reminder instants: each "before" period before <paramref name="due"/> and each "after" period after
    /// <paramref name="start"/>, in the future and before the due time, in order.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> ReminderInstants(
        IEnumerable<string> before, IEnumerable<string> after, DateTimeOffset? due, DateTimeOffset start, Time.IWorkingCalendar calendar)
    {
        var instants = new List<DateTimeOffset>();
        if (due is { } d)
        {
            instants.AddRange(before.Select(text => Period(JsonValue.Create(text), "reminders")!.Value.Before(d, calendar)));
        }

        instants.AddRange(after.Select(text => Period(JsonValue.Create(text), "remindAfter")!.Value.After(start, calendar)));
        return instants.Where(at => at > start && (due is null || at < due)).Distinct().Order().ToList();
    }

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node)
    {
        if (StaticInputs.Value(node, "due") is { } due && !SuggestionPeriod.TryParse(due, out _, out var error))
        {
            yield return new ValidationProblem(node.Id, "due", ValidationCodes.InvalidDuration, $"input due: {error}");
        }

        foreach (var input in new[] { "reminders", "remindAfter" })
        {
            foreach (var reminder in StaticInputs.StringList(node, input))
            {
                if (!SuggestionPeriod.TryParse(JsonValue.Create(reminder), out _, out var reminderError))
                {
                    yield return new ValidationProblem(node.Id, input, ValidationCodes.InvalidDuration, $"input {input}: {reminderError}");
                }
            }
        }

        if (StaticInputs.Value(node, "onDue") is JsonValue onDue && onDue.TryGetValue<string>(out var outcome) && outcome.Length > 0
            && !Outcomes.Contains(outcome, StringComparer.OrdinalIgnoreCase))
        {
            yield return new ValidationProblem(node.Id, "onDue", ValidationCodes.InvalidInput, $"input onDue: '{outcome}' is not an outcome of {TypeName} ({string.Join(", ", Outcomes)})");
        }
    }

    private string? SubjectId(ActivityContext context) =>
        context.GetString(Step.SubjectInput) is { Length: > 0 } explicitId ? explicitId
        : context.State.CorrelationKey is { Length: > 0 } key ? key
        : ValueConversion.AsString(context.GetInput(Step.SubjectInput));

    private static SuggestionPeriod? Period(JsonNode? node, string input)
    {
        if (node is null || (node is JsonValue v && v.TryGetValue<string>(out var s) && string.IsNullOrWhiteSpace(s)))
        {
            return null;
        }

        return SuggestionPeriod.TryParse(node, out var period, out var error) ? period : throw new ExpressionException($"input '{input}': {error}");
    }
}
