using System.Security.Claims;
using Liaison.Host.Identity;

namespace Liaison.Host.Components.Layout;

/// <summary>The work areas of the navigation: who sees each, and where each user lands from the home page.</summary>
public static class WorkAreas
{
    public sealed record Area(string Href, string TextKey, string Icon, string TestId, string[] Roles);

    /// <summary>In landing order: a user holding several roles lands on the first area one of them opens.</summary>
    public static readonly IReadOnlyList<Area> All =
    [
        new("/office", "NavOffice", MudBlazor.Icons.Material.Filled.Dashboard, "nav-office", [Roles.LiaisonOffice, Roles.Admin]),
        new("/tasks", "InboxTitle", MudBlazor.Icons.Material.Filled.Inbox, "nav-tasks", [Roles.UnitHandler, Roles.UnitHead, Roles.LiaisonOffice, Roles.Leader, Roles.Admin]),
        new("/deputy", "NavDeputy", MudBlazor.Icons.Material.Filled.HowToVote, "nav-deputy", [Roles.Deputy]),
        new("/dashboard", "NavDashboard", MudBlazor.Icons.Material.Filled.Insights, "nav-dashboard", Policies.AreaRoles[Policies.Dashboard]),
        new("/studio", "NavStudio", MudBlazor.Icons.Material.Filled.AccountTree, "nav-studio", Policies.AreaRoles[Policies.ReadDefinitions]),
    ];

    public static IEnumerable<Area> For(ClaimsPrincipal user) => All.Where(a => a.Roles.Any(user.IsInRole));

    /// <summary>Where the home page sends a signed-in user: their own work (a leader's is the dashboard, a designer's the Studio).</summary>
    public static string? LandingOf(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        string[] order = [Roles.LiaisonOffice, Roles.UnitHandler, Roles.UnitHead, Roles.Deputy, Roles.Leader, Roles.Designer];
        foreach (var role in order.Where(user.IsInRole))
        {
            return role switch
            {
                Roles.LiaisonOffice => "/office",
                Roles.UnitHandler or Roles.UnitHead => "/tasks",
                Roles.Deputy => "/deputy",
                Roles.Leader => "/dashboard",
                _ => "/studio",
            };
        }

        return null;
    }
}
