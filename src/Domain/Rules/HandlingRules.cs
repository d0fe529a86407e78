using Liaison.Domain.Common;
using Liaison.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Rules;

/// <summary>Why an item is not accepted as a suggestion (不予立案).</summary>
public enum AdmissibilityReason
{
    PersonalOrRelativesMatter,
    LitigationOrArbitration,
    PetitionOrAccusation,
    Advertising,
    EmptyContent,
    OutsideJurisdiction,
}

/// <summary>
/// The rules' numbers, read from the settings table; a missing row means the default of domain.md.
/// Localities differ (3 working days to 10 days for returns, 15 days for re-handling), hence settings.
/// </summary>
public sealed record HandlingRules
{
    public const string ReturnWindowKey = "rules.return-window";
    public const string CoOpinionKey = "rules.co-opinion";
    public const string ReplyKey = "rules.reply";
    public const string ExtensionMaxTotalKey = "rules.extension.max-total";
    public const string RehandleKey = "rules.rehandle";
    public const string PublicationKey = "rules.publication";
    public const string OpinionForwardKey = "rules.opinion.forward";
    public const string OpinionRehandleKey = "rules.opinion.rehandle";
    public const string AdmissibilityReasonsKey = "rules.admissibility.reasons";
    public const string YellowLightKey = "rules.yellow-light";

    /// <summary>ui.md's warning window: the task lists and the boards show yellow within this many working days.</summary>
    public const int DefaultYellowLightWorkingDays = 7;
    public const string EvaluationWindowKey = "rules.evaluation-window";

    public static HandlingRules Defaults { get; } = new();

    public static IReadOnlyList<string> Keys { get; } =
        [ReturnWindowKey, CoOpinionKey, ReplyKey, ExtensionMaxTotalKey, RehandleKey, PublicationKey, OpinionForwardKey, OpinionRehandleKey, AdmissibilityReasonsKey, YellowLightKey, EvaluationWindowKey];

    /// <summary>A misassigned task may be returned only within this window after assignment.</summary>
    public DeadlineRule ReturnWindow { get; init; } = DeadlineRule.WorkingDays(5);

    /// <summary>Co-handling units send their written opinion to the lead unit within this.</summary>
    public DeadlineRule CoOpinion { get; init; } = DeadlineRule.Months(1);

    /// <summary>The written reply is due this long after assignment.</summary>
    public DeadlineRule Reply { get; init; } = DeadlineRule.Months(3);

    /// <summary>Extensions may push the reply to at most this long after assignment, in total.</summary>
    public DeadlineRule ExtensionMaxTotal { get; init; } = DeadlineRule.Months(6);

    /// <summary>After a dissatisfied evaluation the unit replies again within this.</summary>
    public DeadlineRule Rehandle { get; init; } = DeadlineRule.Months(1);

    /// <summary>Public-interest replies are published within this after the deputy got them.</summary>
    public DeadlineRule Publication { get; init; } = DeadlineRule.WorkingDays(20);

    /// <summary>A public opinion forwarded to a unit is due back within this (12345 help/suggestion: 10 working days).</summary>
    public DeadlineRule OpinionForward { get; init; } = DeadlineRule.WorkingDays(10);

    /// <summary>After a dissatisfied call-back the unit answers the opinion again within this (public-opinion.json's re-handling: 5wd).</summary>
    public DeadlineRule OpinionRehandle { get; init; } = DeadlineRule.WorkingDays(5);

    /// <summary>An open item shows a yellow light once its deadline falls within this period from now (red when overdue).</summary>
    public DeadlineRule YellowLight { get; init; } = DeadlineRule.WorkingDays(DefaultYellowLightWorkingDays);

    /// <summary>Deputies evaluate a reply within this after it was sent; then the window closes as "not evaluated".</summary>
    public DeadlineRule EvaluationWindow { get; init; } = DeadlineRule.Days(30);

    /// <summary>The reasons the liaison office may cite when turning an item away.</summary>
    public IReadOnlySet<AdmissibilityReason> AdmissibilityReasons { get; init; } = Enum.GetValues<AdmissibilityReason>().ToHashSet();

    public static async Task<HandlingRules> LoadAsync(LiaisonDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Settings.AsNoTracking().Where(s => s.Key.StartsWith("rules.")).ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken);
        return FromSettings(rows);
    }

    public static HandlingRules FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        var d = Defaults;
        DeadlineRule Period(string key, DeadlineRule fallback) =>
            settings.TryGetValue(key, out var value) ? DeadlineRule.ParseSetting(key, value) : fallback;

        return new HandlingRules
        {
            ReturnWindow = Period(ReturnWindowKey, d.ReturnWindow),
            CoOpinion = Period(CoOpinionKey, d.CoOpinion),
            Reply = Period(ReplyKey, d.Reply),
            ExtensionMaxTotal = Period(ExtensionMaxTotalKey, d.ExtensionMaxTotal),
            Rehandle = Period(RehandleKey, d.Rehandle),
            Publication = Period(PublicationKey, d.Publication),
            OpinionForward = Period(OpinionForwardKey, d.OpinionForward),
            OpinionRehandle = Period(OpinionRehandleKey, d.OpinionRehandle),
            YellowLight = Period(YellowLightKey, d.YellowLight),
            EvaluationWindow = Period(EvaluationWindowKey, d.EvaluationWindow),
            AdmissibilityReasons = settings.TryGetValue(AdmissibilityReasonsKey, out var reasons)
                ? ParseReasons(reasons)
                : d.AdmissibilityReasons,
        };
    }

    /// <summary>Checks a value before it is stored, so a typo cannot break every later command.</summary>
    public static void ValidateSetting(string key, string value)
    {
        if (key == AdmissibilityReasonsKey)
        {
            ParseReasons(value);
        }
        else if (Keys.Contains(key))
        {
            DeadlineRule.ParseSetting(key, value);
        }
    }

    private static HashSet<AdmissibilityReason> ParseReasons(string value)
    {
        var set = new HashSet<AdmissibilityReason>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<AdmissibilityReason>(part, ignoreCase: true, out var reason) || !Enum.IsDefined(reason))
            {
                throw new DomainException(ErrorCodes.SettingInvalid, $"setting '{AdmissibilityReasonsKey}': '{part}' is not an admissibility reason; use {string.Join(", ", Enum.GetNames<AdmissibilityReason>())}");
            }

            set.Add(reason);
        }

        return set;
    }
}
