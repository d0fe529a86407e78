using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Workflows.Persistence;

namespace Liaison.Workflows.Tasks;

/// <summary>One completion as a step's handler sees it: the claimed task, the chosen outcome, the checked form, who acts.</summary>
public sealed record TaskAction(
    HumanTaskRecord Task,
    JsonObject Data,
    TaskOutcome Outcome,
    FormValues Form,
    ActingUser User,
    DateTimeOffset Now,
    IServiceProvider Services,
    JsonObject? Submitted = null)
{
    public string OutcomeName => Outcome.Name;

    /// <summary>A value the workflow put in the task's data (the item to act on); a task without it is broken, not the caller's fault.</summary>
    public Guid TaskId(string name) =>
        Data[name] is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out var id)
            ? id
            : throw new InvalidOperationException($"task {Task.Id} ({Task.ActivityId}) has no '{name}' in its data");

    public Guid? OptionalTaskId(string name) =>
        Data[name] is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out var id) ? id : null;

    /// <summary>Refuses the caller: they may see the task but the step's rule says it is not theirs to do.</summary>
    public static Exception Forbidden(string why) => new Durable.WorkflowEngineException(Durable.EngineErrorKind.Forbidden, why);
}

/// <summary>
/// A task step: its declaration and its handler. The handler runs inside the completion's unit of work, after
/// the task is claimed and before the workflow resumes; it checks who may act against the facts (which unit,
/// which head, which deputy), runs the step's command, and returns the only data the workflow receives.
/// </summary>
public interface ITaskStep
{
    string ActivityType { get; }

    /// <summary>The declaration that governs this task (a generic task carries its own form in its data).</summary>
    TaskDeclaration Describe(HumanTaskRecord task);

    ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken);
}

/// <summary>Every task step by activity type; a task whose activity has no step of its own is a generic human task.</summary>
public sealed class TaskSteps(IEnumerable<ITaskStep> steps)
{
    private readonly Dictionary<string, ITaskStep> _byType = steps.ToDictionary(s => s.ActivityType, StringComparer.Ordinal);

    public IReadOnlyCollection<ITaskStep> All => _byType.Values;

    public ITaskStep For(HumanTaskRecord task) =>
        task.Data()["step"] is JsonValue v && v.TryGetValue<string>(out var type) && _byType.TryGetValue(type, out var step) ? step
        : GenericHumanTaskStep.Instance;
}

/// <summary>A step whose declaration does not depend on the task (every suggestion step).</summary>
public interface IDeclaredTaskStep : ITaskStep
{
    TaskDeclaration Declaration { get; }
}

/// <summary>
/// A designer's HumanTask: its outcomes are the activity's, its fields the activity's "form" (kept in the task data
/// as "form"). Without a form, the caller's data passes as plain data, checked for size and control characters.
/// </summary>
public sealed class GenericHumanTaskStep : ITaskStep
{
    public const int MaxDataBytes = 64 * 1024;

    public static GenericHumanTaskStep Instance { get; } = new();

    public string ActivityType => "HumanTask";

    public TaskDeclaration Describe(HumanTaskRecord task)
    {
        var fields = task.Data()["form"] is JsonArray form ? ReadForm(form) : [];
        var outcomes = JsonSerializer.Deserialize<List<string>>(task.OutcomesJson) ?? [];
        var name = new LocalText(task.Title, task.Title);
        return new TaskDeclaration(
            ActivityType,
            name,
            new LocalText(task.Description ?? string.Empty, task.Description ?? string.Empty),
            new LocalText("任务的办理人", "the task's assignee"),
            outcomes.Select(o => new TaskOutcome(o, new LocalText(o, o), fields)).ToList());
    }

    public ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken) =>
        ValueTask.FromResult<JsonObject?>(action.Outcome.Fields.Count > 0 ? action.Form.Json : FreeData(action.Submitted));

    /// <summary>The caller's data for a task without a form: any JSON object of modest size with clean strings.</summary>
    public static JsonObject FreeData(JsonObject? data)
    {
        if (data is null)
        {
            return [];
        }

        var errors = new List<FieldError>();
        if (System.Text.Encoding.UTF8.GetByteCount(data.ToJsonString()) > MaxDataBytes)
        {
            errors.Add(new FieldError("data", $"is larger than {MaxDataBytes / 1024} KB"));
        }

        foreach (var (path, text) in Strings(data, "data"))
        {
            if (TaskForm.HasControlCharacters(text, allowLineBreaks: true))
            {
                errors.Add(new FieldError(path, "contains control characters"));
            }
        }

        return errors.Count > 0 ? throw new ValidationFailedException(errors) : (JsonObject)data.DeepClone();
    }

    private static IEnumerable<(string Path, string Text)> Strings(JsonNode? node, string path) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value, $"{path}.{p.Key}")),
        JsonArray a => a.SelectMany((n, i) => Strings(n, $"{path}[{i}]")),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [(path, v.GetValue<string>())],
        _ => [],
    };

    private static List<FormField> ReadForm(JsonArray form) =>
        form.OfType<JsonObject>()
            .Select(f => new FormField(
                f["name"]?.GetValue<string>() ?? "field",
                // Attachments belong to the reply steps that link them; a designer's form has nothing that would.
                Enum.TryParse<FieldType>(f["type"]?.GetValue<string>(), true, out var type) && type != FieldType.Attachments ? type : FieldType.Text,
                new LocalText(f["label"]?.GetValue<string>() ?? f["name"]?.GetValue<string>() ?? "field", f["labelEn"]?.GetValue<string>() ?? f["label"]?.GetValue<string>() ?? f["name"]?.GetValue<string>() ?? "field"),
                f["required"] is JsonValue r && r.GetValueKind() == JsonValueKind.True,
                Choices: f["choices"] is JsonArray choices ? choices.Select(c => c?.GetValue<string>()).OfType<string>().Select(c => new FieldChoice(c, new LocalText(c, c))).ToList() : null))
            .ToList();
}
