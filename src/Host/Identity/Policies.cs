namespace Liaison.Host.Identity;

/// <summary>
/// Authorization policies. Every role has a policy of the same name; the API areas have their own,
/// listed in README "Roles and what they may do". Change a rule here, not on the endpoints.
/// </summary>
public static class Policies
{
    /// <summary>List and read definitions, versions, activities; validate and export.</summary>
    public const string ReadDefinitions = "Workflows.Definitions.Read";

    /// <summary>Save drafts, publish, retract, roll back, import.</summary>
    public const string EditDefinitions = "Workflows.Definitions.Edit";

    /// <summary>Start instances (designers start test instances of what they published).</summary>
    public const string StartInstances = "Workflows.Instances.Start";

    /// <summary>List and read instances and their journals.</summary>
    public const string ReadInstances = "Workflows.Instances.Read";

    /// <summary>Events, bookmark resumes, cancel, retry: they change running instances.</summary>
    public const string OperateInstances = "Workflows.Instances.Operate";

    /// <summary>Any signed-in user; which tasks they see is decided per task (unit, role, person).</summary>
    public const string Tasks = "Workflows.Tasks";

    /// <summary>Overdue lists, KPIs and suggestion timelines: leadership, the liaison office and the supervising committees.</summary>
    public const string ReadReports = "Suggestions.Reports.Read";

    /// <summary>The leadership dashboard (督办看板) and its .xlsx exports: leaders, the liaison office and admins.</summary>
    public const string Dashboard = "Suggestions.Dashboard";

    /// <summary>A unit's inbox: that unit's own users, or those who see every unit.</summary>
    public const string UnitInbox = "Suggestions.Inbox";

    /// <summary>Submit a suggestion or record a citizen's opinion: deputies, as themselves.</summary>
    public const string SubmitSuggestions = "Suggestions.Submit";

    /// <summary>List and read suggestions; deputies see only their own (led or co-signed).</summary>
    public const string ReadSuggestions = "Suggestions.Read";

    /// <summary>List 群众意见: deputies their own, units those forwarded to them, the office and leaders all.</summary>
    public const string ReadOpinions = "Opinions.Read";

    /// <summary>The audit trail across items: who did what, when, from where. The office, leaders and admins.</summary>
    public const string ReadAudit = "Audit.Read";

    /// <summary>The analysis: proposals, similar items, the office's decision.</summary>
    public const string Analyse = "Suggestions.Analyse";

    /// <summary>The liaison office's console (/office): its queues, the supervision board and reminders (催办) to units.</summary>
    public const string Office = "Suggestions.Office";

    public const string Admin = Roles.Admin;

    /// <summary>Roles that see and may act on every task, not only their own.</summary>
    public static readonly string[] SeeAllTasks = [Roles.LiaisonOffice, Roles.Leader, Roles.Admin];

    /// <summary>Roles that may complete a task assigned to someone else (on their behalf; it is recorded).</summary>
    public static readonly string[] CompleteAnyTask = [Roles.LiaisonOffice, Roles.Admin];

    public static readonly IReadOnlyDictionary<string, string[]> AreaRoles = new Dictionary<string, string[]>
    {
        [ReadDefinitions] = [Roles.Designer, Roles.LiaisonOffice, Roles.Admin, Roles.Leader],
        [EditDefinitions] = [Roles.Designer],
        [StartInstances] = [Roles.LiaisonOffice, Roles.Admin, Roles.Designer],
        [ReadInstances] = [Roles.LiaisonOffice, Roles.Admin, Roles.Designer],
        [OperateInstances] = [Roles.LiaisonOffice, Roles.Admin],
        [ReadReports] = [Roles.LiaisonOffice, Roles.Leader, Roles.Admin, Roles.CommitteeMember, Roles.SpecialCommittee],
        [SubmitSuggestions] = [Roles.Deputy],
        [ReadSuggestions] = [Roles.Deputy, Roles.LiaisonOffice, Roles.Leader, Roles.Admin],
        [UnitInbox] = [Roles.UnitHandler, Roles.UnitHead, Roles.LiaisonOffice, Roles.Leader, Roles.Admin],
        [Analyse] = [Roles.LiaisonOffice, Roles.Admin],
        [Dashboard] = [Roles.Leader, Roles.LiaisonOffice, Roles.Admin],
        [Office] = [Roles.LiaisonOffice, Roles.Admin],
        [ReadOpinions] = [Roles.Deputy, Roles.UnitHandler, Roles.UnitHead, Roles.LiaisonOffice, Roles.Leader, Roles.Admin],
        [ReadAudit] = [Roles.LiaisonOffice, Roles.Leader, Roles.Admin],
    };
}
