using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Workflows.Suggestions.Steps;

/// <summary>What the step's activity does by default; every value is an input a designer can change per workflow.</summary>
public sealed record StepDefaults(
    AssigneeKind AssigneeKind,
    string? AssigneeId = null,
    string? Due = null,
    IReadOnlyList<string>? Reminders = null,
    string EscalateTo = SuggestionRoles.LiaisonOffice,
    string SubjectInput = "suggestionId",
    IReadOnlyList<string>? RemindAfter = null,
    string? OnDue = null,
    string? AssigneeRole = null);

/// <summary>
/// A step of the suggestion loop, declared once: its outcomes and forms (<see cref="Declaration"/>), its activity's
/// defaults, and its handler, which checks who may act against the domain's facts and runs the step's command
/// inside the completion's unit of work. One file per step derives from this.
/// </summary>
public abstract class SuggestionTaskStep : IDeclaredTaskStep
{
    public abstract TaskDeclaration Declaration { get; }

    public abstract StepDefaults Defaults { get; }

    public string ActivityType => Declaration.ActivityType;

    public TaskDeclaration Describe(HumanTaskRecord task) => Declaration;

    public abstract ValueTask<JsonObject?> CompleteAsync(TaskAction action, CancellationToken cancellationToken);

    protected static LiaisonDbContext Domain(TaskAction action) => action.Services.GetRequiredService<LiaisonDbContext>();

    protected static ISender Sender(TaskAction action) =>
        DirectSender.For(action.Services, Domain(action), action.Services.GetRequiredService<TimeProvider>());

    protected static ValueTask<T> Send<T>(TaskAction action, ICommand<T> command, CancellationToken cancellationToken) =>
        Sender(action).Send(command, cancellationToken);

    /// <summary>The domain's actor: who acted and from where, for the audit trail.</summary>
    protected static Actor ActorOf(TaskAction action) => new(action.User.UserId, action.User.Name, action.User.IpAddress, action.User.UserAgent);

    /// <summary>The step's result for the workflow: what the command returned ("domainResult") and what the step adds.</summary>
    protected static JsonObject Result(object? domainResult, JsonObject? more = null)
    {
        var result = more ?? [];
        result["domainResult"] = JsonSerializer.SerializeToNode(domainResult);
        return result;
    }

    /// <summary>The liaison office's steps: 受理, 分析, 交办, decisions on extensions, publication, call-backs.</summary>
    protected static void RequireOffice(TaskAction action)
    {
        if (!action.User.IsSystem && !action.User.InRole(SuggestionRoles.LiaisonOffice))
        {
            throw TaskAction.Forbidden("only the liaison office (代表工委) acts on this step");
        }
    }

    /// <summary>
    /// The unit task this step works on, when the caller works for its unit (as a handler or its head).
    /// The unit comes from the domain, not from the task's assignment or the caller.
    /// </summary>
    protected static async Task<UnitTask> RequireUnitTaskAsync(TaskAction action, CancellationToken cancellationToken)
    {
        var id = action.TaskId("unitTaskId");
        var unitTask = await Domain(action).UnitTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw new InvalidOperationException($"task {action.Task.Id} names unit task {id}, which does not exist");
        RequireUnit(action, unitTask.UnitId);
        if (action.OptionalTaskId("suggestionId") is { } suggestion && suggestion != unitTask.SuggestionId)
        {
            throw new InvalidOperationException($"task {action.Task.Id} names unit task {id} of another suggestion");
        }

        return unitTask;
    }

    /// <summary>A unit's own staff (handlers and its head) act for it; nobody else does, the office included.</summary>
    protected static void RequireUnit(TaskAction action, Guid unitId, string? role = null)
    {
        if (action.User.IsSystem)
        {
            return;
        }

        var ofUnit = action.User.ActsForUnit(unitId.ToString())
            && (role is null ? action.User.InRole(SuggestionRoles.UnitHandler) || action.User.InRole(SuggestionRoles.UnitHead) : action.User.InRole(role));
        if (!ofUnit)
        {
            throw TaskAction.Forbidden(role == SuggestionRoles.UnitHead
                ? "only the head of the unit that replies approves its reply"
                : "only the staff of the unit the task was assigned to act on it");
        }
    }
}

/// <summary>Labels shared by several steps.</summary>
internal static class StepTexts
{
    public static readonly LocalText Office = new("代表工委", "the liaison office");
    public static readonly LocalText Unit = new("承办单位的经办人或负责人", "the assigned unit's handlers or head");
    public static readonly LocalText UnitHead = new("承办单位主要负责人", "the head of the replying unit");

    public static FormField Note(bool required = false) =>
        new("note", FieldType.LongText, new("备注", "Note"), required, MaxLength: 2000);
}
