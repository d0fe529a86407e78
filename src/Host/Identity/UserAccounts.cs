using System.Security.Claims;
using Liaison.Domain.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Identity;

public sealed record UserView(
    string Id,
    string UserName,
    string DisplayName,
    IReadOnlyList<string> Roles,
    string? UnitId,
    string? DeputyId,
    bool Disabled,
    DateTimeOffset CreatedAt,
    string? LeaderId = null);

public sealed record CreateUserRequest(
    string? UserName,
    string? DisplayName,
    string? Password,
    IReadOnlyList<string>? Roles,
    string? UnitId = null,
    string? DeputyId = null,
    string? LeaderId = null);

public sealed record SetRolesRequest(IReadOnlyList<string>? Roles, string? UnitId = null, string? DeputyId = null, string? LeaderId = null);

/// <summary>What went wrong with a user request: field errors (400), a duplicate (409) or an unknown user (404).</summary>
public sealed class UserAccountException(int status, string detail, IDictionary<string, string[]>? errors = null) : Exception(detail)
{
    public int Status { get; } = status;

    public IDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();
}

/// <summary>Creates and changes users with their roles and unit/deputy claims; used by the admin API, the demo seeder and tests.</summary>
public sealed class UserAccounts(UserManager<LiaisonUser> users, LiaisonIdentityDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var claims = await db.UserClaims.AsNoTracking()
            .Where(c => c.ClaimType == LiaisonClaims.Unit || c.ClaimType == LiaisonClaims.Deputy || c.ClaimType == LiaisonClaims.Leader)
            .ToListAsync(cancellationToken);
        return all.Select(u => new UserView(
            u.Id,
            u.UserName ?? string.Empty,
            u.DisplayName,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).OrderBy(n => n, StringComparer.Ordinal).ToList(),
            claims.FirstOrDefault(c => c.UserId == u.Id && c.ClaimType == LiaisonClaims.Unit)?.ClaimValue,
            claims.FirstOrDefault(c => c.UserId == u.Id && c.ClaimType == LiaisonClaims.Deputy)?.ClaimValue,
            u.IsDisabled,
            u.CreatedAt,
            claims.FirstOrDefault(c => c.UserId == u.Id && c.ClaimType == LiaisonClaims.Leader)?.ClaimValue)).ToList();
    }

    public async Task<UserView> GetAsync(string id, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(u => u.Id == id)
        ?? throw new UserAccountException(StatusCodes.Status404NotFound, $"user {id} does not exist");

    public async Task<UserView> CreateAsync(CreateUserRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            errors["userName"] = ["userName is required."];
        }

        if (string.IsNullOrWhiteSpace(request.DisplayName))
        {
            errors["displayName"] = ["displayName is required (the name shown to others)."];
        }
        else if (request.DisplayName.Length > 200)
        {
            errors["displayName"] = ["displayName is longer than 200 characters."];
        }

        // Control characters cannot be typed, and PostgreSQL's text cannot store NUL.
        foreach (var (field, value) in new[] { ("userName", request.UserName), ("displayName", request.DisplayName) })
        {
            if (new Validator().CleanText(field, value).Errors.Count > 0)
            {
                errors[field] = [$"{field} contains control characters."];
            }
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["password is required."];
        }

        var roles = CheckRoles(request.Roles, request.UnitId, request.DeputyId, errors);
        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        var user = new LiaisonUser
        {
            UserName = request.UserName!.Trim(),
            DisplayName = request.DisplayName!.Trim(),
            CreatedAt = clock.GetUtcNow(),
            LockoutEnabled = true,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Check(await users.CreateAsync(user, request.Password!));
        Check(await users.AddToRolesAsync(user, roles));
        await SetClaimsAsync(user, request.UnitId, request.DeputyId, request.LeaderId);
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(user.Id, cancellationToken);
    }

    public async Task<UserView> SetRolesAsync(string id, SetRolesRequest request, CancellationToken cancellationToken)
    {
        var user = await FindAsync(id);
        var errors = new Dictionary<string, string[]>();
        var roles = CheckRoles(request.Roles, request.UnitId, request.DeputyId, errors);
        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var current = await users.GetRolesAsync(user);
        Check(await users.RemoveFromRolesAsync(user, current.Except(roles)));
        Check(await users.AddToRolesAsync(user, roles.Except(current)));
        await SetClaimsAsync(user, request.UnitId, request.DeputyId, request.LeaderId);
        // Signed-in sessions pick up the new roles at their next revalidation.
        Check(await users.UpdateSecurityStampAsync(user));
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(user.Id, cancellationToken);
    }

    public async Task<UserView> SetDisabledAsync(string id, bool disabled, CancellationToken cancellationToken)
    {
        var user = await FindAsync(id);
        user.IsDisabled = disabled;
        Check(await users.UpdateAsync(user));
        Check(await users.UpdateSecurityStampAsync(user));
        return await GetAsync(user.Id, cancellationToken);
    }

    private async Task<LiaisonUser> FindAsync(string id) =>
        await users.FindByIdAsync(id) ?? throw new UserAccountException(StatusCodes.Status404NotFound, $"user {id} does not exist");

    private static List<string> CheckRoles(IReadOnlyList<string>? requested, string? unitId, string? deputyId, Dictionary<string, string[]> errors)
    {
        if (requested is null || requested.Count == 0)
        {
            errors["roles"] = [$"at least one role is required; roles: {string.Join(", ", Roles.All.Select(r => r.Name))}."];
            return [];
        }

        var unknown = requested.Where(r => Roles.Canonical(r) is null).ToList();
        if (unknown.Count > 0)
        {
            errors["roles"] = [$"unknown role(s): {string.Join(", ", unknown)}; roles: {string.Join(", ", Roles.All.Select(r => r.Name))}."];
            return [];
        }

        var roles = requested.Select(r => Roles.Canonical(r)!).Distinct().ToList();
        if ((roles.Contains(Roles.UnitHandler) || roles.Contains(Roles.UnitHead)) && string.IsNullOrWhiteSpace(unitId))
        {
            errors["unitId"] = ["unitId is required for UnitHandler and UnitHead: the unit whose tasks they work."];
        }

        if (roles.Contains(Roles.Deputy) && string.IsNullOrWhiteSpace(deputyId))
        {
            errors["deputyId"] = ["deputyId is required for Deputy: the deputy this user is."];
        }

        return roles;
    }

    private async Task SetClaimsAsync(LiaisonUser user, string? unitId, string? deputyId, string? leaderId)
    {
        var existing = (await users.GetClaimsAsync(user)).Where(c => c.Type is LiaisonClaims.Unit or LiaisonClaims.Deputy or LiaisonClaims.Leader).ToList();
        if (existing.Count > 0)
        {
            Check(await users.RemoveClaimsAsync(user, existing));
        }

        var claims = new List<Claim>();
        if (!string.IsNullOrWhiteSpace(unitId))
        {
            claims.Add(new Claim(LiaisonClaims.Unit, unitId.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(deputyId))
        {
            claims.Add(new Claim(LiaisonClaims.Deputy, deputyId.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(leaderId))
        {
            claims.Add(new Claim(LiaisonClaims.Leader, leaderId.Trim()));
        }

        if (claims.Count > 0)
        {
            Check(await users.AddClaimsAsync(user, claims));
        }
    }

    private static void Check(IdentityResult result)
    {
        if (result.Succeeded)
        {
            return;
        }

        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            throw new UserAccountException(StatusCodes.Status409Conflict, string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        var errors = result.Errors
            .GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password"
                : e.Code.Contains("UserName", StringComparison.Ordinal) ? "userName"
                : e.Code.Contains("Role", StringComparison.Ordinal) ? "roles" : "user")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
        throw Invalid(errors);
    }

    private static UserAccountException Invalid(Dictionary<string, string[]> errors) =>
        new(StatusCodes.Status400BadRequest, "One or more fields are not valid.", errors);
}
