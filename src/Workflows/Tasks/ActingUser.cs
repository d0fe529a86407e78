namespace Liaison.Workflows.Tasks;

/// <summary>
/// Who is acting on a task, as the engine sees them: plain ids, so the engine needs nothing from ASP.NET.
/// The Host builds it from the signed-in user; background jobs act as <see cref="System"/>.
/// </summary>
public sealed record ActingUser(
    string UserId,
    string Name,
    IReadOnlyCollection<string> Roles,
    IReadOnlyCollection<string> Units,
    IReadOnlyCollection<string> Deputies,
    IReadOnlyCollection<string> Leaders,
    string? IpAddress = null,
    string? UserAgent = null)
{
    /// <summary>The engine itself (a deadline passing): it is nobody's assignee and only takes outcomes a step allows it.</summary>
    public static ActingUser System { get; } = new("system", "system", [], [], [], []);

    public bool IsSystem => ReferenceEquals(this, System) || UserId == System.UserId;

    public bool InRole(string role) => Roles.Contains(role, StringComparer.OrdinalIgnoreCase);

    public bool ActsForUnit(string? unitId) => unitId is not null && Units.Contains(unitId, StringComparer.OrdinalIgnoreCase);

    public bool IsDeputy(string? deputyId) => deputyId is not null && Deputies.Contains(deputyId, StringComparer.OrdinalIgnoreCase);

    public bool IsLeader(string? leaderId) => leaderId is not null && Leaders.Contains(leaderId, StringComparer.OrdinalIgnoreCase);

    /// <summary>The ids a Person task may name: the user's id or name, the deputy or the leader they are.</summary>
    public IReadOnlyList<string> PersonIds() => [UserId, Name, .. Deputies, .. Leaders];

    /// <summary>Whether the task is assigned to this user: their unit (and role, when the task names one), a role they hold, or them.</summary>
    public bool IsAssignee(string assigneeKind, string assigneeId) => assigneeKind switch
    {
        TaskAssignee.Unit => ActsForUnit(assigneeId),
        TaskAssignee.UnitRole => TaskAssignee.SplitUnitRole(assigneeId) is var (unit, role) && ActsForUnit(unit) && InRole(role),
        TaskAssignee.Role => InRole(assigneeId),
        TaskAssignee.Person => PersonIds().Contains(assigneeId, StringComparer.OrdinalIgnoreCase),
        _ => false,
    };
}

/// <summary>How a task names who works it (the assignee kind stored with the task).</summary>
public static class TaskAssignee
{
    /// <summary>Any user of the unit (its handlers and its head).</summary>
    public const string Unit = "Unit";

    /// <summary>The users of one unit who hold one role, e.g. that unit's head; the id is "unitId/Role".</summary>
    public const string UnitRole = "UnitRole";

    public const string Role = "Role";

    /// <summary>One person: a user id or name, a deputy id or a leader id.</summary>
    public const string Person = "Person";

    public static string UnitRoleId(string unitId, string role) => $"{unitId}/{role}";

    public static (string Unit, string Role)? SplitUnitRole(string id) =>
        id.LastIndexOf('/') is var slash and > 0 && slash < id.Length - 1 ? (id[..slash], id[(slash + 1)..]) : null;
}
