namespace Liaison.Domain.Common;

/// <summary>
/// Who acts and from where. The Host fills it from the signed-in user and the request; the domain only
/// records it (plain strings, so the domain needs nothing from ASP.NET).
/// </summary>
public sealed record Actor(string UserId, string Name, string? IpAddress = null, string? UserAgent = null)
{
    public static Actor System { get; } = new("system", "system");
}

/// <summary>A command whose effect is written to the audit trail.</summary>
public interface IAuditedCommand
{
    Actor Actor { get; }
}
