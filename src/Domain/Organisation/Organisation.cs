namespace Liaison.Domain.Organisation;

// Reference data maintained by the administrator; it carries no workflow state, so plain settable
// properties are enough. Contact details are owned values that no public projection selects.

public enum DeputyLevel
{
    National,
    Provincial,
    City,
    County,
    Township,
}

/// <summary>Private contact details: only the liaison office and the assigned unit may see them; never published.</summary>
public sealed class ContactDetails
{
    public string? Phone { get; set; }

    public string? Email { get; set; }

    public string? Address { get; set; }
}

public sealed class Deputy
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public DeputyLevel Level { get; set; }

    /// <summary>The congress term (届) the deputy was elected for, e.g. 16.</summary>
    public int Term { get; set; }

    public Guid? DeputyGroupId { get; set; }

    public Guid? StationId { get; set; }

    /// <summary>The deputy's public code (码上见代表) that citizens scan to send an opinion.</summary>
    public string? PublicCode { get; set; }

    public ContactDetails Contact { get; set; } = new();
}

/// <summary>代表小组.</summary>
public sealed class DeputyGroup
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }
}

public enum StationKind
{
    /// <summary>代表之家.</summary>
    Home,

    /// <summary>代表联络站.</summary>
    Station,

    /// <summary>代表活动室.</summary>
    Room,
}

/// <summary>家站室: where deputies meet citizens.</summary>
public sealed class Station
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public StationKind Kind { get; set; }

    public string? Address { get; set; }

    /// <summary>Printed on the station's poster; opinions received through it carry this code.</summary>
    public required string PublicCode { get; set; }
}

/// <summary>常委会组成人员, linked to a fixed set of deputies (联系代表).</summary>
public sealed class CommitteeMember
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public List<CommitteeMemberDeputy> LinkedDeputies { get; } = [];
}

public sealed class CommitteeMemberDeputy
{
    public Guid CommitteeMemberId { get; set; }

    public Guid DeputyId { get; set; }
}

/// <summary>专门委员会: supervises the suggestions of its fields (对口督导).</summary>
public sealed class SpecialCommittee
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    /// <summary>Field codes, as used by <c>Suggestion.Field</c> (transport, education, ...).</summary>
    public List<string> Fields { get; set; } = [];
}

public enum HandlingUnitKind
{
    GovernmentDepartment,
    District,
    Court,
    Procuratorate,
    Other,

    /// <summary>A town or street government (乡镇人民政府 / 街道办事处) under a district.</summary>
    Township,
}

/// <summary>承办单位: a hierarchy (a district under the city, a bureau under a department).</summary>
public sealed class HandlingUnit
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public HandlingUnitKind Kind { get; set; }

    public Guid? ParentId { get; set; }

    /// <summary>The head (一把手) who must approve every reply.</summary>
    public required string HeadName { get; set; }

    /// <summary>The head's user id once identity exists; when set, only that user may approve replies.</summary>
    public string? HeadUserId { get; set; }

    /// <summary>
    /// 职责: the unit's function statement as text (as in its official 三定 statement). The analysis proposes
    /// the unit for matching items from the first day, before any item was ever assigned to it.
    /// </summary>
    public string? Responsibilities { get; set; }
}

public enum LeaderKind
{
    Government,
    StandingCommittee,
}

/// <summary>A leader who leads (领办) or supervises (督办) key suggestions.</summary>
public sealed class Leader
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public string? Title { get; set; }

    public LeaderKind Kind { get; set; }
}
