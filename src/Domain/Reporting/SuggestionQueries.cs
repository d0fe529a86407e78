using Liaison.Domain.Common;
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
/// <paramref name="SuggestionId"/> narrows to one. One page after the cursor <paramref name="After"/>.
/// </summary>
public sealed record GetSuggestions(IReadOnlyList<Guid>? DeputyIds = null, Guid? SuggestionId = null, string? After = null, int Take = Keyset.MaxPageSize)
    : IQuery<KeysetPage<SuggestionSummary>>;

public sealed class GetSuggestionsHandler(LiaisonDbContext db) : IQueryHandler<GetSuggestions, KeysetPage<SuggestionSummary>>
{
    private const string List = "suggestions";

    public async ValueTask<KeysetPage<SuggestionSummary>> Handle(GetSuggestions query, CancellationToken cancellationToken)
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

        // Ids are version-7 GUIDs, but providers order GUIDs differently: order by the submission time, then the id
        // (index suggestions (submitted_at, id)).
        if (Keyset.Decode(List, query.After, 2) is { } after)
        {
            var (at, last) = (after.Instant(0), after.Id(1));
            suggestions = suggestions.Where(s => s.SubmittedAt < at || (s.SubmittedAt == at && s.Id.CompareTo(last) > 0));
        }

        var size = Keyset.Size(query.Take);
        var rows = await suggestions
            .OrderByDescending(s => s.SubmittedAt).ThenBy(s => s.Id)
            .Take(size + 1)
            .Select(s => new { s.Id, s.Term, s.Year, s.Sequence, s.Title, s.Status, s.LeadDeputyId, CoSigners = s.CoSigners.Select(c => new CoSignatureInfo(c.DeputyId, c.State, c.AnsweredAt, c.RefusalReason)).ToList(), s.SubmittedAt, s.IsKey, s.Field })
            .ToListAsync(cancellationToken);
        var next = Keyset.NextOf(rows, size, List, r => [r.SubmittedAt, r.Id]);
        return new KeysetPage<SuggestionSummary>(rows.Select(r => new SuggestionSummary(r.Id, Numbering.Format(r.Term, r.Year, r.Sequence), r.Title, r.Status, r.LeadDeputyId,
            r.CoSigners.Where(c => c.State != CoSignatureState.Refused).Select(c => c.DeputyId).ToList(), r.SubmittedAt, r.IsKey, r.Field, r.CoSigners)).ToList(), next)
        {
            CursorOf = s => Keyset.Encode(List, s.SubmittedAt, s.Id),
        };
    }
}
