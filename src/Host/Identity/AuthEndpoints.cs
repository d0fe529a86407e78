using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Liaison.Host.Identity;

public sealed record TokenRequest(string? UserName, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record CurrentUser(string Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> Units, IReadOnlyList<string> Deputies);

/// <summary>
/// Sign-in for browsers (a form posting to /account/signin sets the cookie) and for API clients
/// (POST /api/auth/token returns Identity's bearer and refresh tokens).
/// </summary>
public static class AuthEndpoints
{
    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/auth").WithTags("Sign-in");
        api.MapPost("/token", IssueTokenAsync).AllowAnonymous()
            .WithSummary("Exchange a user name and password for a bearer token (send it as `Authorization: Bearer …`) and a refresh token.");
        api.MapPost("/refresh", RefreshAsync).AllowAnonymous()
            .WithSummary("Exchange a refresh token for new tokens; refused once the user is disabled or their roles changed.");
        api.MapGet("/me", (ClaimsPrincipal user) => new CurrentUser(
                user.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty,
                user.Identity?.Name ?? string.Empty,
                user.DisplayName(),
                user.RoleNames(),
                user.Units(),
                user.Deputies()))
            .RequireAuthorization()
            .WithSummary("Who the caller is: roles and the unit or deputy they act for.");

        // Browser forms; antiforgery is checked because they bind form data.
        app.MapPost("/account/signin", SignInWithFormAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/account/signout", async (LiaisonSignInManager signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/");
        }).ExcludeFromDescription();
    }

    private static async Task<IResult> IssueTokenAsync(TokenRequest request, LiaisonSignInManager signIn)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                [string.IsNullOrWhiteSpace(request.UserName) ? "userName" : "password"] = ["userName and password are required."],
            });
        }

        // The bearer handler writes the token response when the sign-in succeeds.
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.UserName.Trim(), request.Password, isPersistent: false, lockoutOnFailure: true);
        return result.Succeeded ? Results.Empty : SignInFailed(result);
    }

    private static async Task<IResult> RefreshAsync(RefreshRequest request, LiaisonSignInManager signIn, IServiceProvider services, TimeProvider clock)
    {
        var ticket = string.IsNullOrEmpty(request.RefreshToken) ? null : IdentitySetup.BearerOptions(services).RefreshTokenProtector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The refresh token is not valid.", detail: "Sign in again with POST /api/auth/token.");
        }

        return Results.SignIn(await signIn.CreateUserPrincipalAsync(user), authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static async Task<IResult> SignInWithFormAsync(
        [FromForm] string? userName,
        [FromForm] string? password,
        [FromForm] string? returnUrl,
        LiaisonSignInManager signIn)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        if (!string.IsNullOrWhiteSpace(userName) && !string.IsNullOrEmpty(password))
        {
            var result = await signIn.PasswordSignInAsync(userName.Trim(), password, isPersistent: false, lockoutOnFailure: true);
            if (result.Succeeded)
            {
                return Results.LocalRedirect(target);
            }
        }

        // Back to the form with the name kept; the page says why without telling which part was wrong.
        return Results.LocalRedirect($"{IdentitySetup.LoginPath}?failed=1&userName={Uri.EscapeDataString(userName ?? string.Empty)}&returnUrl={Uri.EscapeDataString(target)}");
    }

    private static IResult SignInFailed(Microsoft.AspNetCore.Identity.SignInResult result) => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Sign-in failed.",
        detail: result.IsLockedOut
            ? "Too many failed attempts; try again in a few minutes."
            : "The user name or password is wrong, or the account is disabled.");

    internal static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
