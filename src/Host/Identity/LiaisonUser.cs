using Microsoft.AspNetCore.Identity;

namespace Liaison.Host.Identity;

/// <summary>A person who signs in. Unit and deputy ids are user claims (<see cref="LiaisonClaims"/>), so they travel in the token.</summary>
public sealed class LiaisonUser : IdentityUser
{
    /// <summary>The name shown in the app bar and in task histories, e.g. 张三 (市交通局).</summary>
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>Disabled users cannot sign in; users are never deleted because histories name them.</summary>
    public bool IsDisabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
