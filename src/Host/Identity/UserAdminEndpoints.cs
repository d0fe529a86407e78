using System.Security.Claims;

namespace Liaison.Host.Identity;

/// <summary>User administration for Admins: list, create with roles and unit/deputy, set roles, disable, enable.</summary>
public static class UserAdminEndpoints
{
    public static void MapUserAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/admin/users").WithTags("User administration").RequireAuthorization(Policies.Admin);
        users.MapGet("/", (UserAccounts accounts, CancellationToken ct) => accounts.ListAsync(ct))
            .WithSummary("Every user with roles, unit or deputy, and whether they are disabled.");
        users.MapGet("/{id}", (string id, UserAccounts accounts, CancellationToken ct) => Run(() => accounts.GetAsync(id, ct)));
        users.MapPost("/", async (CreateUserRequest request, UserAccounts accounts, CancellationToken ct) =>
                await Run(() => accounts.CreateAsync(request, ct), user => Results.Created($"/api/admin/users/{user.Id}", user)))
            .WithSummary("Create a user. UnitHandler and UnitHead need unitId; Deputy needs deputyId; Leader may name leaderId (the leader record whose escalations they receive). 400 lists every invalid field, 409 for a taken user name.");
        users.MapPut("/{id}/roles", (string id, SetRolesRequest request, UserAccounts accounts, CancellationToken ct) => Run(() => accounts.SetRolesAsync(id, request, ct)))
            .WithSummary("Replace the user's roles (and unit/deputy). Signed-in sessions follow within a minute.");
        users.MapPost("/{id}/disable", (string id, ClaimsPrincipal me, UserAccounts accounts, CancellationToken ct) =>
                id == me.FindFirstValue(ClaimTypes.NameIdentifier)
                    ? Task.FromResult(Results.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["you cannot disable your own account."] }))
                    : Run(() => accounts.SetDisabledAsync(id, true, ct)))
            .WithSummary("Stop a user from signing in; their cookie and refresh token stop working within a minute.");
        users.MapPost("/{id}/enable", (string id, UserAccounts accounts, CancellationToken ct) => Run(() => accounts.SetDisabledAsync(id, false, ct)));
    }

    private static async Task<IResult> Run(Func<Task<UserView>> action, Func<UserView, IResult>? ok = null)
    {
        try
        {
            var user = await action();
            return ok?.Invoke(user) ?? Results.Ok(user);
        }
        catch (UserAccountException ex) when (ex.Status == StatusCodes.Status400BadRequest)
        {
            return Results.ValidationProblem(ex.Errors, detail: ex.Message);
        }
        catch (UserAccountException ex)
        {
            return Results.Problem(statusCode: ex.Status, detail: ex.Message);
        }
    }
}
