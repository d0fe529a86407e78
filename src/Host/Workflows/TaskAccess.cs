using System.Security.Claims;
using System.Text.Json;
using Liaison.Host.Identity;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Workflows;

/// <summary>
/// Which human tasks a user sees: those for their unit (Unit + unit claim), a role they hold (Role) or
/// themselves (Person + user id or user name). LiaisonOffice, Leader and Admin see every task. A task
/// the user may not see does not exist for them (404), so ids leak nothing.
/// </summary>
public sealed class TaskAccess(WorkflowsDbContext db)
{
    public static bool SeesAll(ClaimsPrincipal user) => Policies.SeeAllTasks.Any(user.IsInRole);

    public static bool CanSee(ClaimsPrincipal user, string assigneeKind, string assigneeId) =>
        SeesAll(user) || IsAssignee(user, assigneeKind, assigneeId);

    /// <summary>Leaders see every task but complete only their own; the office and admins may act on anyone's behalf.</summary>
    public static bool CanComplete(ClaimsPrincipal user, string assigneeKind, string assigneeId) =>
        Policies.CompleteAnyTask.Any(user.IsInRole) || IsAssignee(user, assigneeKind, assigneeId);

    private static bool IsAssignee(ClaimsPrincipal user, string assigneeKind, string assigneeId) => assigneeKind switch
    {
        "Unit" => user.Units().Contains(assigneeId),
        "Role" => user.IsInRole(assigneeId),
        "Person" => PersonIds(user).Contains(assigneeId),
        _ => false,
    };

    /// <summary>A person is their user id or name, and the deputy they are: workflows assign evaluations and opinions to deputy ids.</summary>
    private static List<string> PersonIds(ClaimsPrincipal user) =>
        new[] { user.FindFirstValue(ClaimTypes.NameIdentifier), user.Identity?.Name }.OfType<string>().Concat(user.Deputies()).ToList();

    public async Task<Page<TaskView>> ListAsync(ClaimsPrincipal user, TaskFilter filter, CancellationToken cancellationToken)
    {
        var query = db.HumanTasks.AsNoTracking();
        if (!SeesAll(user))
        {
            var units = user.Units().ToList();
            var roles = user.RoleNames().ToList();
            var persons = PersonIds(user);
            query = query.Where(t =>
                (t.AssigneeKind == "Unit" && units.Contains(t.AssigneeId))
                || (t.AssigneeKind == "Role" && roles.Contains(t.AssigneeId))
                || (t.AssigneeKind == "Person" && persons.Contains(t.AssigneeId)));
        }

        if (!string.IsNullOrEmpty(filter.AssigneeKind))
        {
            query = query.Where(t => t.AssigneeKind == filter.AssigneeKind);
        }

        if (!string.IsNullOrEmpty(filter.AssigneeId))
        {
            query = query.Where(t => t.AssigneeId == filter.AssigneeId);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(t => t.Status == status);
        }

        if (filter.InstanceId is { } instanceId)
        {
            query = query.Where(t => t.InstanceId == instanceId);
        }

        var take = Math.Clamp(filter.Take, 1, WorkflowQueries.MaxPageSize);
        var skip = Math.Max(0, filter.Skip);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(t => t.DueAt == null).ThenBy(t => t.DueAt).ThenBy(t => t.CreatedAt).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new Page<TaskView>(rows.Select(ToView).ToList(), total, skip, take);
    }

    private static TaskView ToView(HumanTaskRecord t) => new(
        t.Id,
        t.InstanceId,
        t.ActivityId,
        t.Title,
        t.Description,
        t.AssigneeKind,
        t.AssigneeId,
        JsonSerializer.Deserialize<List<string>>(t.OutcomesJson) ?? [],
        t.CreatedAt,
        t.DueAt,
        t.Status,
        t.Outcome,
        t.CompletedBy,
        t.CompletedAt);
}
