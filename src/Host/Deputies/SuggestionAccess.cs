using System.Security.Claims;
using Liaison.Domain.Suggestions;
using Liaison.Host.Identity;

namespace Liaison.Host.Deputies;

/// <summary>
/// Who may open one suggestion's page: its deputies (lead and co-signers), the liaison office, leaders and
/// administrators, and the units it was assigned to. For everyone else it does not exist.
/// </summary>
public static class SuggestionAccess
{
    public static bool MayOpen(ClaimsPrincipal user, SuggestionFile file)
    {
        if (Policies.SeeAllTasks.Any(user.IsInRole))
        {
            return true;
        }

        var deputies = user.Deputies();
        if (file.Deputies.Any(d => deputies.Contains(d.Id.ToString())))
        {
            return true;
        }

        var units = user.Units();
        return file.Units.Any(u => units.Contains(u.UnitId.ToString()));
    }

    /// <summary>The deputy ids the user acts for, parsed.</summary>
    public static List<Guid> DeputyIds(ClaimsPrincipal user) =>
        user.Deputies().Select(d => Guid.TryParse(d, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();
}
