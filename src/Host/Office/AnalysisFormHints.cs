using System.Globalization;
using System.Text.Json.Nodes;
using Liaison.Domain.Analysis;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Host.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Office;

/// <summary>
/// The analysis fills in the office's forms: on 分析 the proposed field and, to tick for 并案, the similar items still in
/// hand; on 交办 the proposed units in rank order (the first leads), and on a reassignment the best unit other than the
/// one that returned it. The office changes any of it before submitting.
/// </summary>
public sealed class AnalysisFormHints : ITaskFormHints
{
    private static readonly string[] AnalyseRoles = Policies.AreaRoles[Policies.Analyse];

    public bool AppliesTo(string activityType) => activityType is OfficeQueues.AnalyseStep or OfficeQueues.AssignStep;

    public async Task<FormHints> ForAsync(FormHintRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (request.SuggestionId is not { } suggestion || !AnalyseRoles.Any(request.User.IsInRole))
        {
            return FormHints.None;
        }

        SuggestionAnalysis analysis;
        try
        {
            analysis = await (request.Analysis ?? new PageAnalysis(services.GetRequiredService<IServiceScopeFactory>())).GetAsync(suggestion);
        }
        catch (Domain.Common.DomainException)
        {
            return FormHints.None;
        }

        var a = analysis.Analysis;
        if (request.ActivityType == OfficeQueues.AnalyseStep)
        {
            var field = analysis.Field ?? a.Field?.Code;
            var similar = a.Similar
                .Where(s => s.Kind == SimilarItemKind.Suggestion && s.Open && s.Id != suggestion)
                .Select(s => new FormOption(s.Id.ToString(), $"{s.Number ?? "—"} {s.Title}", s.Score.ToString("0.00", CultureInfo.InvariantCulture)))
                .ToList();
            return new FormHints(
                field is null ? new Dictionary<string, IReadOnlyList<string>>() : new Dictionary<string, IReadOnlyList<string>> { ["field"] = [field] },
                new Dictionary<string, IReadOnlyList<FormOption>> { ["linkedSuggestionIds"] = similar });
        }

        // A first assignment chooses the mode and the units; a reassignment only the unit that takes the returned task.
        var returned = await ReturnedUnitAsync(request, services, cancellationToken);
        var reassigning = request.TaskData.ContainsKey(OfficeQueues.ReturnedTaskKey);
        var hidden = reassigning ? new HashSet<string> { "mode", "unitIds" } : new HashSet<string> { "unitId" };
        var ranked = a.Units.Select(u => u.UnitId).Where(u => u != returned).Select(u => u.ToString()).ToList();
        var defaults = ranked.Count == 0
            ? new Dictionary<string, IReadOnlyList<string>>()
            : new Dictionary<string, IReadOnlyList<string>> { [reassigning ? "unitId" : "unitIds"] = [ranked[0]] };

        // An item handled with another (并案) goes to the same units in the same mode as that item, once it is assigned.
        if (!reassigning && await PrimaryAssignmentAsync(suggestion, services, cancellationToken) is { } primary)
        {
            defaults["unitIds"] = primary.Units;
            defaults["mode"] = [primary.Mode.ToString()];
        }

        return new FormHints(defaults, new Dictionary<string, IReadOnlyList<FormOption>>(), hidden);
    }

    private static async Task<(IReadOnlyList<string> Units, Domain.Suggestions.AssignmentMode Mode)?> PrimaryAssignmentAsync(Guid suggestion, IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<LiaisonDbContext>();
        var primary = await db.SuggestionLinks.AsNoTracking().Where(l => l.LinkedSuggestionId == suggestion)
            .Join(db.Suggestions, l => l.PrimarySuggestionId, s => s.Id, (l, s) => new { s.Id, s.AssignmentMode }).FirstOrDefaultAsync(cancellationToken);
        if (primary?.AssignmentMode is not { } mode)
        {
            return null;
        }

        var tasks = await db.UnitTasks.AsNoTracking().Where(t => t.SuggestionId == primary.Id)
            .Select(t => new { t.UnitId, t.Role, t.AssignedAt }).ToListAsync(cancellationToken);
        var units = tasks.OrderBy(t => t.Role).ThenBy(t => t.AssignedAt).Select(t => t.UnitId.ToString()).Distinct().ToList();
        return units.Count == 0 ? null : (units, mode);
    }

    /// <summary>On a reassignment the workflow names the returned unit task; its unit is not proposed again.</summary>
    private static async Task<Guid?> ReturnedUnitAsync(FormHintRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (request.TaskData[OfficeQueues.ReturnedTaskKey] is not JsonValue value
            || !value.TryGetValue<string>(out var text) || !Guid.TryParse(text, out var taskId))
        {
            return null;
        }

        var db = services.GetRequiredService<LiaisonDbContext>();
        return await db.UnitTasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => (Guid?)t.UnitId).FirstOrDefaultAsync(cancellationToken);
    }
}
