using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Reporting;

public sealed record SuggestionSummary(
    Guid Id, string? Number, string Title, SuggestionStatus Status, Guid LeadDeputyId, IReadOnlyList<Guid> CoSignerIds,
    DateTimeOffset SubmittedAt, bool IsKey, string? Field, IReadOnlyList<CoSignatureInfo>? CoSignatures = null);

/// <summary>联名确认: each co-signer's answer (Pending until they confirm or refuse), refusals included.</summary>
public sealed record CoSignatureInfo(Guid DeputyId, CoSignatureState State, DateTimeOffset? AnsweredAt, string? RefusalReason);

/// <summary>
/// Suggestions, newest first. <paramref name="DeputyIds"/> null: all of them; otherwise only those one of
/// these deputies leads or co-signed (a deputy's own list, a committee member's linked deputies).
/// <paramref name="SuggestionId"/> narrows to one.
/// </summary>
public sealed record GetSuggestions(IReadOnlyList<Guid>? DeputyIds = null, Guid? SuggestionId = null, int Skip = 0, int Take = 100)
    : IQuery<IReadOnlyList<SuggestionSummary>>;

public sealed class GetSuggestionsHandler(LiaisonDbContext db) : IQueryHandler<GetSuggestions, IReadOnlyList<SuggestionSummary>>
{
    public const int MaxTake = 500;

    public async ValueTask<IReadOnlyList<SuggestionSummary>> Handle(GetSuggestions query, CancellationToken cancellationToken)
    {
        var suggestions = db.Suggestions.AsNoTracking();
        if (query.SuggestionId is { } id)
        {
            suggestions = suggestions.Where(s => s.Id == id);
        }

        if (query.DeputyIds is { } deputies)
        {
            var ids = deputies.ToList();
            suggestions = suggestions.Where(s => ids.Contains(s.LeadDeputyId) || s.CoSigners.Any(c => ids.Contains(c.DeputyId) && c.State != CoSignatureState.Refused));
        }

        // Ids are version-7 GUIDs, but providers order GUIDs differently: order by the submission time.
        var rows = await suggestions
            .OrderByDescending(s => s.SubmittedAt).ThenBy(s => s.Id)
            .Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxTake))
            .Select(s => new { s.Id, s.Term, s.Year, s.Sequence, s.Title, s.Status, s.LeadDeputyId, CoSigners = s.CoSigners.Select(c => new CoSignatureInfo(c.DeputyId, c.State, c.AnsweredAt, c.RefusalReason)).ToList(), s.SubmittedAt, s.IsKey, s.Field })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new SuggestionSummary(r.Id, Numbering.Format(r.Term, r.Year, r.Sequence), r.Title, r.Status, r.LeadDeputyId,
            r.CoSigners.Where(c => c.State != CoSignatureState.Refused).Select(c => c.DeputyId).ToList(), r.SubmittedAt, r.IsKey, r.Field, r.CoSigners)).ToList();
    }
}
