using Liaison.Domain.Common;
using Liaison.Domain.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Opinions;

/// <summary>
/// One opinion in a list. The citizen's contact is never listed; the name is shown only to those who may
/// contact the citizen (the receiving deputy and the liaison office), see <see cref="GetOpinions.CitizenShownFor"/>.
/// </summary>
public sealed record OpinionSummary(
    Guid Id, OpinionChannel Channel, OpinionStatus Status, Guid DeputyId, Guid? StationId, string? CitizenName, string Content,
    DateTimeOffset ReceivedAt, Guid? ForwardedToUnitId, DateTimeOffset? DueAt, Guid? SuggestionId);

/// <summary>
/// 群众意见, newest first, one page after <paramref name="After"/>. Who sees what is the caller's to decide and is
/// passed in as scopes: <paramref name="DeputyIds"/> (received by one of these deputies) and <paramref name="UnitIds"/>
/// (forwarded to one of these units) — when both are given an opinion in either scope is listed; both null lists
/// everything. The filters narrow further. <paramref name="CitizenShownFor"/>: the deputies whose opinions show the
/// citizen's name (null: all of them); the others list it as null.
/// </summary>
public sealed record GetOpinions(
    IReadOnlyList<Guid>? DeputyIds = null,
    IReadOnlyList<Guid>? UnitIds = null,
    OpinionStatus? Status = null,
    OpinionChannel? Channel = null,
    Guid? DeputyId = null,
    Guid? UnitId = null,
    IReadOnlyList<Guid>? CitizenShownFor = null,
    string? After = null,
    int Take = 20) : IQuery<KeysetPage<OpinionSummary>>;

public sealed class GetOpinionsHandler(LiaisonDbContext db) : IQueryHandler<GetOpinions, KeysetPage<OpinionSummary>>
{
    private const string List = "opinions";

    /// <summary>A list shows the beginning of a long opinion; the whole text is on the opinion itself.</summary>
    public const int ContentPreview = 200;

    public async ValueTask<KeysetPage<OpinionSummary>> Handle(GetOpinions query, CancellationToken cancellationToken)
    {
        var opinions = db.PublicOpinions.AsNoTracking();
        if (query.DeputyIds is not null || query.UnitIds is not null)
        {
            var deputies = (query.DeputyIds ?? []).ToList();
            var units = (query.UnitIds ?? []).ToList();
            opinions = opinions.Where(o => deputies.Contains(o.DeputyId) || (o.ForwardedToUnitId != null && units.Contains(o.ForwardedToUnitId.Value)));
        }

        if (query.Status is { } status)
        {
            opinions = opinions.Where(o => o.Status == status);
        }

        if (query.Channel is { } channel)
        {
            opinions = opinions.Where(o => o.Channel == channel);
        }

        if (query.DeputyId is { } deputy)
        {
            opinions = opinions.Where(o => o.DeputyId == deputy);
        }

        if (query.UnitId is { } unit)
        {
            opinions = opinions.Where(o => o.ForwardedToUnitId == unit);
        }

        // Version-7 ids order differently per provider: the receipt time, then the id (index (received_at, id)).
        if (Keyset.Decode(List, query.After, 2) is { } after)
        {
            var (at, last) = (after.Instant(0), after.Id(1));
            opinions = opinions.Where(o => o.ReceivedAt < at || (o.ReceivedAt == at && o.Id.CompareTo(last) > 0));
        }

        var size = Keyset.Size(query.Take);
        var rows = await opinions
            .OrderByDescending(o => o.ReceivedAt).ThenBy(o => o.Id)
            .Take(size + 1)
            .Select(o => new OpinionSummary(
                o.Id, o.Channel, o.Status, o.DeputyId, o.StationId, o.CitizenName,
                o.Content.Length > ContentPreview ? o.Content.Substring(0, ContentPreview) : o.Content,
                o.ReceivedAt, o.ForwardedToUnitId, o.DueAt, o.SuggestionId))
            .ToListAsync(cancellationToken);
        var next = Keyset.NextOf(rows, size, List, o => [o.ReceivedAt, o.Id]);
        var items = query.CitizenShownFor is not { } shown ? rows : rows.Select(o => shown.Contains(o.DeputyId) ? o : o with { CitizenName = null }).ToList();
        return new KeysetPage<OpinionSummary>(items, next) { CursorOf = o => Keyset.Encode(List, o.ReceivedAt, o.Id) };
    }
}
