using System.Security.Claims;
using Liaison.Host.Identity;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Tasks;

namespace Liaison.Host.Workflows;

/// <summary>
/// The signed-in user as the engine sees them (<see cref="ActingUser"/>), and the tasks they may see: those they
/// may act on (their unit's, their unit-and-role's, their roles', their own) and, for the liaison office, leaders
/// and administrators, every task they oversee. A task the user may not see does not exist for them (404).
/// </summary>
public sealed class TaskAccess(WorkflowQueries queries)
{
    public static ActingUser ActingUserOf(ClaimsPrincipal user, HttpContext? http = null) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity?.Name ?? "unknown",
        user.Identity?.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown",
        user.RoleNames().ToList(),
        user.Units().ToList(),
        user.Deputies().ToList(),
        user.FindAll(LiaisonClaims.Leader).Select(c => c.Value).ToList(),
        http?.Connection.RemoteIpAddress?.ToString(),
        http?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);

    public Task<Page<TaskView>> ListAsync(ClaimsPrincipal user, TaskFilter filter, CancellationToken cancellationToken) =>
        queries.ListTasksAsync(filter, TaskVisibility.ScopeOf(ActingUserOf(user)), cancellationToken);

    public Task<int> CountAsync(ClaimsPrincipal user, TaskFilter filter, CancellationToken cancellationToken) =>
        queries.CountTasksAsync(filter, TaskVisibility.ScopeOf(ActingUserOf(user)), cancellationToken);
}
