using Liaison.Domain.Common;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Domain.Suggestions;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Deputies;

/// <summary>What a co-signer's answer did.</summary>
public sealed record CoSignatureAnswer(Guid SuggestionId, Guid DeputyId, CoSignatureState State);

/// <summary>
/// 联名确认 for the API and the deputy portal alike: asking the co-signers (a message each, in the submission's unit of
/// work) and answering as the signed-in user's own deputy. A suggestion the user neither leads nor was asked to co-sign
/// does not exist for them; the lead (or anyone not asked) is refused by the domain.
/// </summary>
public sealed class CoSignatures(ISender sender, WorkflowsDbContext workflows, UnitOfWork unit, IOutboxSignal outbox, DueItemOptions options)
{
    public const string OutboxActivity = "suggestion.co-signature-requested";

    /// <summary>Writes a message to each pending co-signer of a suggestion just submitted; call inside the submission's unit of work.</summary>
    public async Task AskAsync(LiaisonDbContext db, Guid suggestionId, CancellationToken cancellationToken)
    {
        var s = await db.Suggestions.AsNoTracking().Include(x => x.CoSigners).SingleAsync(x => x.Id == suggestionId, cancellationToken);
        var lead = await db.Deputies.AsNoTracking().Where(d => d.Id == s.LeadDeputyId).Select(d => d.Name).FirstOrDefaultAsync(cancellationToken) ?? "—";
        var link = $"{options.SiteUrl.TrimEnd('/')}/suggestions/{s.Id}";
        foreach (var signer in s.CoSigners.Where(c => c.State == CoSignatureState.Pending))
        {
            workflows.Outbox.Add(new OutboxRecord
            {
                Id = Guid.CreateVersion7(),
                InstanceId = Guid.Empty,
                ActivityId = OutboxActivity,
                Recipient = $"deputy:{signer.DeputyId}",
                Subject = Truncate($"联名确认：《{s.Title}》 · Co-signature requested", 400),
                Message = $"{lead}代表邀请您联名提出建议《{s.Title}》，请确认或不同意。"
                    + $" {lead} asks you to co-sign the suggestion “{s.Title}”: please confirm or refuse. {link}",
                CreatedAt = signer.AskedAt ?? s.SubmittedAt,
            });
        }

        if (s.CoSigners.Count > 0)
        {
            unit.OnCommitted(outbox.MessagesWritten);
        }
    }

    /// <summary>Confirms (<paramref name="confirm"/>) or refuses as whichever of <paramref name="myDeputies"/> was asked; null when the suggestion is not theirs to see.</summary>
    public async Task<CoSignatureAnswer?> AnswerAsync(
        Guid suggestionId, IReadOnlyList<Guid> myDeputies, bool confirm, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        var found = (await sender.Send(new GetSuggestions(null, suggestionId, Take: 1), cancellationToken)).Items;
        if (found is not [var summary] || myDeputies.Count == 0)
        {
            return null;
        }

        // Asked ones see it whatever they answered (a second answer is refused as such); the lead acts for no co-signer.
        var asked = summary.CoSignatures?.FirstOrDefault(c => myDeputies.Contains(c.DeputyId));
        if (asked is null && !myDeputies.Contains(summary.LeadDeputyId))
        {
            return null;
        }

        var deputy = asked?.DeputyId ?? summary.LeadDeputyId;
        var state = confirm
            ? await sender.Send(new ConfirmCoSignature(suggestionId, deputy, actor), cancellationToken)
            : await sender.Send(new RefuseCoSignature(suggestionId, deputy, reason, actor), cancellationToken);
        return new CoSignatureAnswer(suggestionId, deputy, state);
    }

    private static string Truncate(string text, int max) => text.Length > max ? text[..max] : text;
}
