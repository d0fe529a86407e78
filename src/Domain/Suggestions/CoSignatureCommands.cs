using Liaison.Domain.Audit;
using Liaison.Domain.Common;
using Liaison.Domain.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Suggestions;

// 联名确认: a co-signer answers for themselves, before the office decides on admission. The caller passes the deputy
// the signed-in user acts for; the suggestion refuses anyone who is not one of its co-signers.

/// <summary>The co-signer <paramref name="DeputyId"/> confirms that they sign the suggestion.</summary>
public sealed record ConfirmCoSignature(Guid SuggestionId, Guid DeputyId, Actor Actor) : ICommand<CoSignatureState>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(SuggestionId), SuggestionId).NotEmpty(nameof(DeputyId), DeputyId);
}

/// <summary>The co-signer <paramref name="DeputyId"/> declines to sign, with an optional reason.</summary>
public sealed record RefuseCoSignature(Guid SuggestionId, Guid DeputyId, string? Reason, Actor Actor) : ICommand<CoSignatureState>, IAuditedCommand, IValidatable
{
    public const int MaxReason = 500;

    public void Validate(Validator v) => v.NotEmpty(nameof(SuggestionId), SuggestionId).NotEmpty(nameof(DeputyId), DeputyId).MaxLength(nameof(Reason), Reason, MaxReason);
}

public sealed class CoSignatureHandler(LiaisonDbContext db, TimeProvider clock)
    : ICommandHandler<ConfirmCoSignature, CoSignatureState>, ICommandHandler<RefuseCoSignature, CoSignatureState>
{
    public async ValueTask<CoSignatureState> Handle(ConfirmCoSignature command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var (suggestion, name) = await LoadAsync(command.SuggestionId, command.DeputyId, cancellationToken);
        var now = clock.GetUtcNow();
        var signer = suggestion.ConfirmCoSignature(command.DeputyId, now);
        db.Audit(now, command.Actor, "suggestion.co-signature-confirmed", nameof(Suggestion), suggestion.Id, suggestion.Id, name);
        await db.CommitAsync(cancellationToken);
        return signer.State;
    }

    public async ValueTask<CoSignatureState> Handle(RefuseCoSignature command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var (suggestion, name) = await LoadAsync(command.SuggestionId, command.DeputyId, cancellationToken);
        var now = clock.GetUtcNow();
        var signer = suggestion.RefuseCoSignature(command.DeputyId, command.Reason, now);
        db.Audit(now, command.Actor, "suggestion.co-signature-refused", nameof(Suggestion), suggestion.Id, suggestion.Id, signer.RefusalReason is { } why ? $"{name}: {why}" : name);
        await db.CommitAsync(cancellationToken);
        return signer.State;
    }

    private async Task<(Suggestion Suggestion, string DeputyName)> LoadAsync(Guid suggestionId, Guid deputyId, CancellationToken cancellationToken)
    {
        var suggestion = await db.Suggestions.Include(s => s.CoSigners).FirstOrDefaultAsync(s => s.Id == suggestionId, cancellationToken)
            ?? throw NotFound.For<Suggestion>(suggestionId);
        var name = await db.Deputies.AsNoTracking().Where(d => d.Id == deputyId).Select(d => d.Name).FirstOrDefaultAsync(cancellationToken);
        return (suggestion, name ?? deputyId.ToString());
    }
}

/// <summary>A suggestion waiting for one of <see cref="GetPendingCoSignatures"/>'s deputies to confirm or refuse their signature.</summary>
public sealed record PendingCoSignature(Guid SuggestionId, Guid DeputyId, string Title, string LeadDeputyName, DateTimeOffset SubmittedAt, DateTimeOffset? AskedAt);

/// <summary>What the deputies are asked to co-sign and have not answered, oldest first; only suggestions not yet admitted.</summary>
public sealed record GetPendingCoSignatures(IReadOnlyList<Guid> DeputyIds, int Take = 50) : IQuery<IReadOnlyList<PendingCoSignature>>;

public sealed class GetPendingCoSignaturesHandler(LiaisonDbContext db) : IQueryHandler<GetPendingCoSignatures, IReadOnlyList<PendingCoSignature>>
{
    public async ValueTask<IReadOnlyList<PendingCoSignature>> Handle(GetPendingCoSignatures query, CancellationToken cancellationToken)
    {
        var ids = query.DeputyIds.ToList();
        return await db.Set<SuggestionCoSigner>().AsNoTracking()
            .Where(c => ids.Contains(c.DeputyId) && c.State == CoSignatureState.Pending)
            .Join(db.Suggestions.Where(s => s.Status == SuggestionStatus.Submitted), c => c.SuggestionId, s => s.Id, (c, s) => new { c, s })
            .Join(db.Deputies, x => x.s.LeadDeputyId, d => d.Id, (x, d) => new { x.c, x.s, Lead = d.Name })
            .OrderBy(x => x.s.SubmittedAt).ThenBy(x => x.s.Id)
            .Take(Math.Clamp(query.Take, 1, 100))
            .Select(x => new PendingCoSignature(x.s.Id, x.c.DeputyId, x.s.Title, x.Lead, x.s.SubmittedAt, x.c.AskedAt))
            .ToListAsync(cancellationToken);
    }
}
