using System.Diagnostics;
using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Workflows.Diagnostics;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Tasks;

/// <summary>What a completion did: the task, the outcome taken, the step's result (what the workflow received) and where the workflow went.</summary>
public sealed record CompletedTask(Guid TaskId, string ActivityType, string Outcome, JsonObject? Result, BurstResult Workflow);

/// <summary>
/// The one way to act on a task. In one unit of work: claim the task exactly once → run its step's handler
/// (the step's command, which checks who may act against the facts) → resume the workflow with the handler's
/// result → commit once. A refusal at any point changes nothing. The caller's fields reach the workflow only
/// as the handler's checked result.
/// </summary>
public sealed class TaskCompletion(
    WorkflowsDbContext db,
    UnitOfWork unit,
    WorkflowEngine engine,
    TaskSteps steps,
    IServiceProvider services,
    TimeProvider clock,
    WorkflowTelemetry telemetry)
{
    public async Task<CompletedTask> CompleteAsync(Guid taskId, string? outcome, JsonObject? fields, ActingUser user, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        using var observation = telemetry.Observe("complete_task");
        observation.Activity?.SetTag("liaison.task.id", taskId);
        try
        {
            var completed = await CompleteCoreAsync(taskId, outcome, fields, user, cancellationToken);
            telemetry.TaskCompletion.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("liaison.activity_type", completed.ActivityType),
                new KeyValuePair<string, object?>("liaison.outcome", completed.Outcome));
            observation.Activity?.SetTag("liaison.activity_type", completed.ActivityType);
            return completed;
        }
        catch (Exception ex)
        {
            observation.Failed(ex);
            throw;
        }
    }

    private async Task<CompletedTask> CompleteCoreAsync(Guid taskId, string? outcome, JsonObject? fields, ActingUser user, CancellationToken cancellationToken)
    {
        var task = await db.HumanTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null || !(user.IsSystem || TaskVisibility.CanSee(user, task)))
        {
            throw new WorkflowEngineException(EngineErrorKind.NotFound, $"task {taskId} does not exist");
        }

        var step = steps.For(task);
        var declaration = step.Describe(task);
        var chosen = declaration.Outcome(outcome)
            ?? throw new ValidationFailedException([new FieldError("outcome", $"must be one of {string.Join(", ", declaration.Outcomes.Where(o => !o.ByDeadlineOnly).Select(o => o.Name))}")]);
        if (chosen.ByDeadlineOnly && !user.IsSystem)
        {
            throw new ValidationFailedException([new FieldError("outcome", $"'{chosen.Name}' is taken by Liaison itself when the task's due time passes")]);
        }

        if (task.Status != HumanTaskStatus.Open)
        {
            throw new WorkflowEngineException(EngineErrorKind.Conflict, $"task {taskId} is already {task.Status.ToString().ToLowerInvariant()}");
        }

        if (!user.IsSystem && !user.IsAssignee(task.AssigneeKind, task.AssigneeId))
        {
            throw new WorkflowEngineException(EngineErrorKind.Forbidden, $"task {taskId} is for {declaration.WhoMayAct.En}; you may follow it but not act on it");
        }

        var form = TaskForm.Read(chosen, fields);
        return await unit.RunAsync(
            async ct =>
            {
                var now = clock.GetUtcNow();
                var claimed = await db.HumanTasks.Where(t => t.Id == taskId && t.Status == HumanTaskStatus.Open)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(t => t.Status, HumanTaskStatus.Completed)
                            .SetProperty(t => t.Outcome, chosen.Name)
                            .SetProperty(t => t.CompletedBy, user.Name)
                            .SetProperty(t => t.CompletedAt, now),
                        ct);
                if (claimed == 0)
                {
                    throw new WorkflowEngineException(EngineErrorKind.Conflict, $"task {taskId} was completed by someone else just now");
                }

                var data = task.Data();
                var result = await step.CompleteAsync(new TaskAction(task, data, chosen, form, user, now, services, fields), ct);

                // The task keeps what it was about and what was decided, for its history.
                data["result"] = result?.DeepClone();
                var dataJson = data.ToJsonString();
                await db.HumanTasks.Where(t => t.Id == taskId).ExecuteUpdateAsync(s => s.SetProperty(t => t.DataJson, dataJson), ct);

                var payload = new JsonObject { ["outcome"] = chosen.Name, ["data"] = result?.DeepClone(), ["completedBy"] = user.Name };
                var burst = await engine.ResumeClaimedTaskAsync(task.BookmarkId, payload, ct);
                return new CompletedTask(task.Id, declaration.ActivityType, chosen.Name, result, burst);
            },
            cancellationToken);
    }
}

/// <summary>Who sees a task: its assignees, and those who oversee every task (the liaison office, leaders, administrators).</summary>
public static class TaskVisibility
{
    public static readonly IReadOnlyList<string> OverseeingRoles = ["LiaisonOffice", "Leader", "Admin"];

    public static bool Oversees(ActingUser user) => OverseeingRoles.Any(user.InRole);

    public static bool CanSee(ActingUser user, HumanTaskRecord task) => Oversees(user) || user.IsAssignee(task.AssigneeKind, task.AssigneeId);

    /// <summary>The assignee ids a user acts for, for listing their tasks in SQL (null: they oversee every task).</summary>
    public static AssigneeScope? ScopeOf(ActingUser user) => Oversees(user) ? null : AssigneeScopeOf(user);

    /// <summary>The assignee ids a user acts for, whether or not they oversee every task.</summary>
    public static AssigneeScope AssigneeScopeOf(ActingUser user) => new(
        user.Units.ToList(),
        user.Roles.ToList(),
        user.PersonIds().ToList(),
        user.Units.SelectMany(u => user.Roles.Select(r => TaskAssignee.UnitRoleId(u, r))).ToList());
}
