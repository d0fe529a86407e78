using System.Security.Claims;
using Liaison.Host.Identity;
using Liaison.Workflows.Durable;

namespace Liaison.Host.Workflows;

/// <summary>
/// Which human tasks a user sees: those for their unit (Unit + unit claim), a role they hold (Role) or
/// themselves (Person + user id or user name). LiaisonOffice, Leader and Admin see every task. A task
/// the user may not see does not exist for them (404), so ids leak nothing.
/// </summary>
public sealed class TaskAccess(WorkflowQueries queries)
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

    public Task<Page<TaskView>> ListAsync(ClaimsPrincipal user, TaskFilter filter, CancellationToken cancellationToken) =>
        queries.ListTasksAsync(
            filter,
            SeesAll(user) ? null : new AssigneeScope(user.Units().ToList(), user.RoleNames().ToList(), PersonIds(user)),
            cancellationToken);
}
