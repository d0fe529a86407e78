using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Liaison.Host.Identity;

/// <summary>Identity's sign-in manager, plus: a disabled user can neither sign in nor keep a cookie or refresh a token.</summary>
public sealed class LiaisonSignInManager(
    UserManager<LiaisonUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<LiaisonUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<LiaisonUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<LiaisonUser> confirmation)
    : SignInManager<LiaisonUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(LiaisonUser user) => !user.IsDisabled && await base.CanSignInAsync(user);

    public override async Task<LiaisonUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal) =>
        await base.ValidateSecurityStampAsync(principal) is { IsDisabled: false } user ? user : null;
}

/// <summary>Adds the display name to the principal (roles and the unit/deputy user claims come from Identity).</summary>
public sealed class LiaisonClaimsPrincipalFactory(UserManager<LiaisonUser> userManager, RoleManager<IdentityRole> roleManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<LiaisonUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(LiaisonUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(LiaisonClaims.DisplayName, string.IsNullOrEmpty(user.DisplayName) ? user.UserName ?? user.Id : user.DisplayName));
        return identity;
    }
}

public static class ClaimsPrincipalExtensions
{
    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(LiaisonClaims.DisplayName) ?? user.Identity?.Name ?? string.Empty;

    public static IReadOnlyList<string> Units(this ClaimsPrincipal user) => user.FindAll(LiaisonClaims.Unit).Select(c => c.Value).ToList();

    public static IReadOnlyList<string> Deputies(this ClaimsPrincipal user) => user.FindAll(LiaisonClaims.Deputy).Select(c => c.Value).ToList();

    public static IReadOnlyList<string> RoleNames(this ClaimsPrincipal user) =>
        Roles.All.Select(r => r.Name).Where(user.IsInRole).ToList();
}
