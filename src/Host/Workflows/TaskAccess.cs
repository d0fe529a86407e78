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

    /// <param name="ownOnly">Only the tasks the user acts on, even for those who oversee all (an inbox is one's own work).</param>
    public Task<Page<TaskView>> ListAsync(ClaimsPrincipal user, TaskFilter filter, CancellationToken cancellationToken, bool ownOnly = false) =>
        queries.ListTasksAsync(filter, ScopeOf(user, ownOnly), cancellationToken);

    public Task<int> CountAsync(ClaimsPrincipal user, TaskFilter filter, CancellationToken cancellationToken, bool ownOnly = false) =>
        queries.CountTasksAsync(filter, ScopeOf(user, ownOnly), cancellationToken);

    private static AssigneeScope? ScopeOf(ClaimsPrincipal user, bool ownOnly) =>
        ownOnly ? TaskVisibility.AssigneeScopeOf(ActingUserOf(user)) : TaskVisibility.ScopeOf(ActingUserOf(user));
}
