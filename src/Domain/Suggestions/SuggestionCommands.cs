using Liaison.Domain.Analysis;
using Liaison.Domain.Audit;
using Liaison.Domain.Common;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Suggestions;

/// <summary>
/// Registers a suggestion as submitted by its lead deputy (and co-signers); admissibility comes next.
/// <paramref name="Field"/>: the field the deputy chose from the taxonomy, if any; the office's analysis confirms or changes it.
/// </summary>
public sealed record SubmitSuggestion(
    int Term, int Year, string Title, string Text, SuggestionSource Source, Guid LeadDeputyId, IReadOnlyList<Guid> CoSignerIds, Actor Actor, string? Field = null)
    : ICommand<Guid>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v
        .That(Term > 0, nameof(Term), "must be positive")
        .That(Year is >= 2000 and <= 2200, nameof(Year), "is not a plausible year")
        .Required(nameof(Title), Title, 300)
        .MaxLength(nameof(Text), Text, 20000)
        .Defined(nameof(Source), Source)
        .NotEmpty(nameof(LeadDeputyId), LeadDeputyId)
        .MaxLength(nameof(Field), Field, 100);
}

public sealed class SubmitSuggestionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<SubmitSuggestion, Guid>
{
    public async ValueTask<Guid> Handle(SubmitSuggestion command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var deputies = command.CoSignerIds.Append(command.LeadDeputyId).Distinct().ToList();
        var known = await db.Deputies.Where(d => deputies.Contains(d.Id)).Select(d => d.Id).ToListAsync(cancellationToken);
        var missing = deputies.Except(known).ToList();
        if (missing.Count > 0)
        {
            throw NotFound.For<Deputy>(missing[0]);
        }

        var field = string.IsNullOrWhiteSpace(command.Field) ? null : await FieldTaxonomy.ResolveAsync(db, command.Field, nameof(command.Field), cancellationToken);
        var now = clock.GetUtcNow();
        var suggestion = new Suggestion(command.Term, command.Year, command.Title.Trim(), command.Text ?? string.Empty, command.Source, command.LeadDeputyId, command.CoSignerIds, now);
        if (field is not null)
        {
            suggestion.ProposeField(field);
        }

        db.Suggestions.Add(suggestion);
        db.Audit(now, command.Actor, "suggestion.submitted", nameof(Suggestion), suggestion.Id, suggestion.Id, command.Title);
        await db.CommitAsync(cancellationToken);
        return suggestion.Id;
    }
}

/// <summary>受理: admits the suggestion (it gets its number) or turns it away with a reason.</summary>
public sealed record ReceiveSuggestion(Guid SuggestionId, bool Admit, AdmissibilityReason? Reason, string? Note, Actor Actor)
    : ICommand<string?>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v
        .NotEmpty(nameof(SuggestionId), SuggestionId)
        .That(Admit || Reason is not null, nameof(Reason), "is required when the item is turned away")
        .That(Reason is null || Enum.IsDefined(Reason.Value), nameof(Reason), "is not a valid reason")
        .MaxLength(nameof(Note), Note, 2000);
}

public sealed class ReceiveSuggestionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<ReceiveSuggestion, string?>
{
    public async ValueTask<string?> Handle(ReceiveSuggestion command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var suggestion = await db.GetAsync<Suggestion>(command.SuggestionId, cancellationToken);
        var now = clock.GetUtcNow();
        if (!command.Admit)
        {
            var rules = await HandlingRules.LoadAsync(db, cancellationToken);
            var reason = command.Reason!.Value;
            if (!rules.AdmissibilityReasons.Contains(reason))
            {
                throw new DomainException(ErrorCodes.ReasonNotAllowed, $"'{reason}' is not an admissibility reason in this locality's settings");
            }

            suggestion.TurnAway(reason, command.Note, now);
            db.Audit(now, command.Actor, "suggestion.turned-away", nameof(Suggestion), suggestion.Id, suggestion.Id, $"{reason}: {command.Note}");
            await db.CommitAsync(cancellationToken);
            return null;
        }

        // The number comes from a per-term-and-year counter, taken with an atomic increment: its row lock makes
        // admissions of the same term and year at once wait for each other instead of taking the same number.
        // Without the caller's transaction, one of our own keeps number and admission together (no gaps).
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var (term, year) = (suggestion.Term, suggestion.Year);
        var counters = db.SuggestionNumberCounters.Where(c => c.Term == term && c.Year == year);
        int number;
        if (await counters.ExecuteUpdateAsync(c => c.SetProperty(x => x.Last, x => x.Last + 1), cancellationToken) == 0)
        {
            // The first of its term and year; a racing first insert meets the primary key and its unit of work is retried.
            db.SuggestionNumberCounters.Add(new SuggestionNumberCounter { Term = term, Year = year, Last = 1 });
            number = 1;
        }
        else
        {
            number = await counters.AsNoTracking().Select(c => c.Last).SingleAsync(cancellationToken);
        }

        suggestion.Admit(number, now);
        db.Audit(now, command.Actor, "suggestion.admitted", nameof(Suggestion), suggestion.Id, suggestion.Id, suggestion.Number);
        await db.CommitAsync(cancellationToken);
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }

        return suggestion.Number;
    }
}

/// <summary>分析: sets the field and whether it is a key suggestion with its leading and supervising leaders.</summary>
public sealed record ClassifySuggestion(Guid SuggestionId, string Field, bool IsKey, Guid? LeadingLeaderId, Guid? SupervisingLeaderId, Actor Actor)
    : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v
        .NotEmpty(nameof(SuggestionId), SuggestionId)
        .Required(nameof(Field), Field, 50)
        .That(!IsKey || LeadingLeaderId is not null, nameof(LeadingLeaderId), "is required for a key suggestion")
        .That(!IsKey || SupervisingLeaderId is not null, nameof(SupervisingLeaderId), "is required for a key suggestion");
}

public sealed class ClassifySuggestionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<ClassifySuggestion, bool>
{
    public async ValueTask<bool> Handle(ClassifySuggestion command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var suggestion = await db.GetAsync<Suggestion>(command.SuggestionId, cancellationToken);
        foreach (var leader in new[] { command.LeadingLeaderId, command.SupervisingLeaderId }.OfType<Guid>().Where(_ => command.IsKey))
        {
            _ = await db.GetAsync<Leader>(leader, cancellationToken);
        }

        // The field is chosen from the taxonomy (a code, or a field's exact name); anything else is refused.
        var field = await FieldTaxonomy.ResolveAsync(db, command.Field, nameof(command.Field), cancellationToken);
        suggestion.Classify(field, command.IsKey, command.LeadingLeaderId, command.SupervisingLeaderId);
        var now = clock.GetUtcNow();
        db.Audit(now, command.Actor, command.IsKey ? "suggestion.classified-key" : "suggestion.classified", nameof(Suggestion), suggestion.Id, suggestion.Id, field);
        await db.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>并案: the linked suggestions are assigned with the primary, each still replied to on its own.</summary>
public sealed record LinkSimilarSuggestions(Guid PrimarySuggestionId, IReadOnlyList<Guid> LinkedSuggestionIds, Actor Actor)
    : ICommand<int>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v
        .NotEmpty(nameof(PrimarySuggestionId), PrimarySuggestionId)
        .That(LinkedSuggestionIds is { Count: > 0 }, nameof(LinkedSuggestionIds), "needs at least one suggestion")
        .That(LinkedSuggestionIds?.Contains(PrimarySuggestionId) != true, nameof(LinkedSuggestionIds), "cannot contain the primary itself");
}

public sealed class LinkSimilarSuggestionsHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<LinkSimilarSuggestions, int>
{
    public async ValueTask<int> Handle(LinkSimilarSuggestions command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var now = clock.GetUtcNow();
        var all = command.LinkedSuggestionIds.Prepend(command.PrimarySuggestionId).Distinct().ToList();
        var suggestions = await db.Suggestions.Where(s => all.Contains(s.Id)).ToListAsync(cancellationToken);
        foreach (var id in all.Where(id => suggestions.All(s => s.Id != id)))
        {
            throw NotFound.For<Suggestion>(id);
        }

        // Linking only makes sense before assignment, while the units can still be chosen for all of them.
        foreach (var s in suggestions.Where(s => s.Status != SuggestionStatus.Admitted))
        {
            throw new DomainException(ErrorCodes.SuggestionNotAdmitted, $"suggestion {s.Id} is {s.Status}; only admitted, unassigned suggestions can be linked");
        }

        foreach (var linked in all.Skip(1))
        {
            db.SuggestionLinks.Add(new SuggestionLink { PrimarySuggestionId = command.PrimarySuggestionId, LinkedSuggestionId = linked, LinkedAt = now });
            db.Audit(now, command.Actor, "suggestion.linked", nameof(Suggestion), linked, linked, $"handled with {command.PrimarySuggestionId}");
        }

        await db.CommitAsync(cancellationToken);
        return all.Count - 1;
    }
}

/// <summary>
/// 领导督办: a leader of a key suggestion has taken it on before assignment, or (<paramref name="WhileHandled"/>) gives an
/// instruction while the units handle it; audited either way.
/// </summary>
public sealed record ReviewKeySuggestion(Guid SuggestionId, string? Instruction, Actor Actor, bool WhileHandled = false) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(SuggestionId), SuggestionId).MaxLength(nameof(Instruction), Instruction, 4000);
}

public sealed class ReviewKeySuggestionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<ReviewKeySuggestion, bool>
{
    public async ValueTask<bool> Handle(ReviewKeySuggestion command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var suggestion = await db.GetAsync<Suggestion>(command.SuggestionId, cancellationToken);
        if (!suggestion.IsKey)
        {
            throw new DomainException(ErrorCodes.SuggestionNotKey, $"suggestion {suggestion.Id} is not a key suggestion; only key suggestions have a leader's review");
        }

        db.Audit(clock.GetUtcNow(), command.Actor, command.WhileHandled ? "suggestion.leader-instructed" : "suggestion.leader-reviewed", nameof(Suggestion), suggestion.Id, suggestion.Id, command.Instruction);
        await db.CommitAsync(cancellationToken);
        return true;
    }
}
