namespace Liaison.Host.Identity;

/// <summary>The roles of /shared/domain.md, by their code names. The names are stored in the database: never rename one.</summary>
public static class Roles
{
    public const string Deputy = "Deputy";
    public const string Citizen = "Citizen";
    public const string LiaisonOffice = "LiaisonOffice";
    public const string CommitteeMember = "CommitteeMember";
    public const string SpecialCommittee = "SpecialCommittee";
    public const string UnitHandler = "UnitHandler";
    public const string UnitHead = "UnitHead";
    public const string Leader = "Leader";
    public const string Designer = "Designer";
    public const string Admin = "Admin";

    /// <summary>Every role with its Chinese name, in the order of domain.md.</summary>
    public static readonly IReadOnlyList<(string Name, string Chinese)> All =
    [
        (Deputy, "人大代表"),
        (Citizen, "群众"),
        (LiaisonOffice, "代表工委"),
        (CommitteeMember, "常委会组成人员"),
        (SpecialCommittee, "专门委员会"),
        (UnitHandler, "承办单位经办人"),
        (UnitHead, "承办单位负责人"),
        (Leader, "领导"),
        (Designer, "流程设计人员"),
        (Admin, "系统管理员"),
    ];

    public static bool IsKnown(string role) => All.Any(r => r.Name == role);

    /// <summary>The spelling of <paramref name="role"/> as defined here (role names are case-insensitive on input).</summary>
    public static string? Canonical(string role) => All.Select(r => r.Name).FirstOrDefault(n => string.Equals(n, role, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Claims that say whom a user acts for; the workflow engine assigns tasks to these ids.</summary>
public static class LiaisonClaims
{
    /// <summary>The handling unit (承办单位) a UnitHandler or UnitHead works for.</summary>
    public const string Unit = "liaison:unit";

    /// <summary>The deputy a Deputy user is.</summary>
    public const string Deputy = "liaison:deputy";

    /// <summary>The leader (领导, e.g. a vice-mayor) a Leader user is: supervising-leader escalations reach them.</summary>
    public const string Leader = "liaison:leader";

    public const string DisplayName = "liaison:display_name";
}
