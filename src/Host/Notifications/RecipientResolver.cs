using System.Security.Claims;
using Liaison.Host.Identity;
using Microsoft.AspNetCore.Identity;

namespace Liaison.Host.Notifications;

/// <summary>
/// Turns an outbox recipient into users: "role:X", "unit:ID", "unitrole:ID/Role", "deputy:ID", "leader:ID" (the Leader role when no
/// account is linked to that leader), a user id or a user name
/// (or a bare deputy id, as the shipped workflows pass); several may be separated by commas. Disabled users get nothing.
/// </summary>
public sealed class RecipientResolver(UserManager<LiaisonUser> users)
{
    /// <summary>User id given to a bare e-mail address; such recipients have no in-app inbox.</summary>
    public const string AddressOnlyPrefix = "email:";

    public async Task<IReadOnlyList<NotificationRecipient>> ResolveAsync(string? recipient, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, LiaisonUser>();
        var addresses = new Dictionary<string, NotificationRecipient>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in (recipient ?? string.Empty).Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var matches = (await FindAsync(part)).ToList();
            foreach (var user in matches)
            {
                found.TryAdd(user.Id, user);
            }

            // An e-mail address that is no user's (Elsa's SendEmail writes to anyone) is reached by e-mail only.
            if (matches.Count == 0 && part.Contains('@', StringComparison.Ordinal) && System.Net.Mail.MailAddress.TryCreate(part, out var address))
            {
                addresses.TryAdd(address.Address, new NotificationRecipient(AddressOnlyPrefix + address.Address, address.Address, address.DisplayName.Length > 0 ? address.DisplayName : address.Address, address.Address, null));
            }
        }

        return found.Values
            .Where(u => !u.IsDisabled)
            .OrderBy(u => u.Id, StringComparer.Ordinal)
            .Select(u => new NotificationRecipient(u.Id, u.UserName ?? u.Id, string.IsNullOrEmpty(u.DisplayName) ? u.UserName ?? u.Id : u.DisplayName, u.Email, u.PhoneNumber))
            .Concat(addresses.Values)
            .ToList();
    }

    private async Task<IEnumerable<LiaisonUser>> FindAsync(string part)
    {
        var colon = part.IndexOf(':', StringComparison.Ordinal);
        var (kind, value) = colon > 0 ? (part[..colon].ToLowerInvariant(), part[(colon + 1)..]) : (string.Empty, part);
        switch (kind)
        {
            case "role":
                return await users.GetUsersInRoleAsync(value);
            case "unit":
                return await users.GetUsersForClaimAsync(new Claim(LiaisonClaims.Unit, value));
            case "unitrole":
                // "unitId/Role": the holders of that role in that unit (e.g. its head).
                var slash = value.LastIndexOf('/');
                if (slash <= 0)
                {
                    return [];
                }

                var inUnit = await users.GetUsersForClaimAsync(new Claim(LiaisonClaims.Unit, value[..slash]));
                var inRole = (await users.GetUsersInRoleAsync(value[(slash + 1)..])).Select(u => u.Id).ToHashSet();
                return inUnit.Where(u => inRole.Contains(u.Id));
            case "deputy":
                return await users.GetUsersForClaimAsync(new Claim(LiaisonClaims.Deputy, value));
            case "leader":
                // A leader with no linked account must not go unheard: the leadership role hears instead.
                var linked = await users.GetUsersForClaimAsync(new Claim(LiaisonClaims.Leader, value));
                return linked.Count > 0 ? linked : await users.GetUsersInRoleAsync(Roles.Leader);
            case "user":
                return await FindUserAsync(value) is { } named ? [named] : [];
            default:
                if (await FindUserAsync(part) is { } user)
                {
                    return [user];
                }

                return await users.GetUsersForClaimAsync(new Claim(LiaisonClaims.Deputy, part));
        }
    }

    private async Task<LiaisonUser?> FindUserAsync(string idOrName) =>
        await users.FindByIdAsync(idOrName) ?? await users.FindByNameAsync(idOrName);
}
