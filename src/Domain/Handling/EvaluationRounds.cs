using Liaison.Domain.Audit;
using Liaison.Domain.Calendar;
using Liaison.Domain.Common;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Domain.Rules;
using Liaison.Domain.Suggestions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Handling;

/// <summary>
/// Where a reply's evaluation round stands once a signer has answered (or the window closed): complete when every signer
/// of the suggestion has an evaluation of it; <see cref="Rehandling"/> when the completed round had a dissatisfied signer
/// and re-handling started (once per round). <see cref="UnitTaskId"/> is the task that re-handles.
/// </summary>
public sealed record EvaluationRound(bool Complete, bool Rehandling, Guid? UnitTaskId = null, Guid? UnitId = null);

/// <summary>
/// 重新办理 of a joint suggestion (联名): each signer evaluates the reply on their own. The round is complete when every
/// signer has evaluated it (those who had not when the evaluation window closed count as not evaluated). If any signer
/// was dissatisfied, the unit re-handles once for the round, replies again to all signers, and each evaluates again.
/// A reply that answered a linked suggestion through its primary (并案) is re-handled for that linked suggestion alone.
/// </summary>
public sealed record CompleteEvaluationRound(Guid ReplyId, Actor Actor) : ICommand<EvaluationRound>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(ReplyId), ReplyId);
}

public sealed class CompleteEvaluationRoundHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<CompleteEvaluationRound, EvaluationRound>
{
    public async ValueTask<EvaluationRound> Handle(CompleteEvaluationRound command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        await EvaluationLock.TakeAsync(db, command.ReplyId, cancellationToken);
        var reply = await db.GetAsync<Reply>(command.ReplyId, cancellationToken);
        reply.EnsureSent("its evaluation round completes");
        var suggestion = await db.Suggestions.Include(s => s.CoSigners).SingleAsync(s => s.Id == reply.SuggestionId, cancellationToken);
        var evaluations = await db.Evaluations.AsNoTracking().Where(e => e.ReplyId == reply.Id).ToListAsync(cancellationToken);
        if (!suggestion.Deputies.All(d => evaluations.Any(e => e.DeputyId == d)))
        {
            return new EvaluationRound(false, false);
        }

        var dissatisfied = evaluations.Where(e => e.Result == EvaluationResult.Dissatisfied).ToList();
        if (dissatisfied.Count == 0)
        {
            return new EvaluationRound(true, false);
        }

        var rules = await HandlingRules.LoadAsync(db, cancellationToken);
        var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
        var now = clock.GetUtcNow();
        var due = rules.Rehandle.DueFrom(now, calendar);
        var reason = string.Join("；", dissatisfied.Select(e => e.Comment).Where(c => !string.IsNullOrWhiteSpace(c)));
        var task = await db.GetAsync<UnitTask>(reply.TaskId, cancellationToken);
        if (task.SuggestionId != reply.SuggestionId
            && await db.UnitTasks.FirstOrDefaultAsync(t => t.SuggestionId == suggestion.Id, cancellationToken) is { } started)
        {
            // The round completed before (a second closing of the same window): the linked item's re-handling started once already.
            return new EvaluationRound(true, true, started.Id, started.UnitId);
        }

        if (task.SuggestionId != reply.SuggestionId)
        {
            // 并案: the linked suggestion is re-handled on its own by the unit that replied; the primary's deputies are not asked again.
            var own = UnitTask.RehandlingLinked(suggestion.Id, reply.UnitId, now, due, command.Actor.Name);
            db.UnitTasks.Add(own);
            task = own;
        }
        else if (task.Status == UnitTaskStatus.Replied)
        {
            task.Rehandle(due);
        }
        else
        {
            // The round completed before (a second closing of the same window): re-handling started once already.
            return new EvaluationRound(true, task.Status == UnitTaskStatus.Rehandling, task.Id, task.UnitId);
        }

        suggestion.Reopen();
        db.Audit(now, command.Actor, "task.rehandling", nameof(UnitTask), task.Id, suggestion.Id,
            $"due {due:u}: {dissatisfied.Count} of {evaluations.Count} signer(s) dissatisfied" + (reason.Length > 0 ? $": {reason}" : ""));
        await db.CommitAsync(cancellationToken);
        return new EvaluationRound(true, true, task.Id, task.UnitId);
    }
}

/// <summary>Evaluations of one reply are recorded one at a time, so the last one of a round always sees the others.</summary>
internal static class EvaluationLock
{
    // A no-op update takes the reply row's write lock until the transaction ends (PostgreSQL row lock, SQLite write lock).
    public static Task<int> TakeAsync(LiaisonDbContext db, Guid replyId, CancellationToken cancellationToken) =>
        db.Replies.Where(r => r.Id == replyId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Round, r => r.Round), cancellationToken);
}

/// <summary>A linked suggestion handled with its primary: the primary, and the reply it got if the primary was already answered.</summary>
public sealed record LinkedHandling(Guid SuggestionId, Guid PrimarySuggestionId, string? PrimaryNumber, Guid? ReplyId, IReadOnlyList<Guid> Signers);

/// <summary>
/// 并案 at analysis (or assignment): a suggestion the office linked to a primary is handled with it, with no units of its own,
/// and is answered by the primary's reply. Null when the suggestion is not linked to a primary.
/// </summary>
public sealed record HandleWithPrimary(Guid SuggestionId, Actor Actor) : ICommand<LinkedHandling?>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(SuggestionId), SuggestionId);
}

public sealed class HandleWithPrimaryHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<HandleWithPrimary, LinkedHandling?>
{
    public async ValueTask<LinkedHandling?> Handle(HandleWithPrimary command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var primaryId = await db.SuggestionLinks.AsNoTracking().Where(l => l.LinkedSuggestionId == command.SuggestionId)
            .OrderBy(l => l.LinkedAt).Select(l => (Guid?)l.PrimarySuggestionId).FirstOrDefaultAsync(cancellationToken);
        if (primaryId is not { } primary)
        {
            return null;
        }

        var suggestion = await db.Suggestions.Include(s => s.CoSigners).SingleAsync(s => s.Id == command.SuggestionId, cancellationToken);
        var primaryNumber = await db.Suggestions.AsNoTracking().Where(s => s.Id == primary).Select(s => new { s.Term, s.Year, s.Sequence }).SingleAsync(cancellationToken);
        var now = clock.GetUtcNow();
        suggestion.HandleWithPrimary(now);
        db.Audit(now, command.Actor, "suggestion.handled-with-primary", nameof(Suggestion), suggestion.Id, suggestion.Id, $"answered through {primary}");

        // The primary may have been answered already: the linked item gets that reply at once.
        var answered = await LinkedAnswers.PrimaryReplyAsync(db, primary, cancellationToken);
        var copy = answered is null ? null : LinkedAnswers.Deliver(db, answered, suggestion, now, command.Actor);
        await db.CommitAsync(cancellationToken);
        return new LinkedHandling(
            suggestion.Id, primary, Numbering.Format(primaryNumber.Term, primaryNumber.Year, primaryNumber.Sequence), copy?.Id, suggestion.Deputies.ToList());
    }
}

/// <summary>The primary's reply delivered to one linked suggestion: that suggestion's own reply and who evaluates it.</summary>
public sealed record LinkedAnswer(Guid SuggestionId, Guid ReplyId, IReadOnlyList<Guid> Signers);

/// <summary>
/// 并案 "one reply answers all": when the primary's reply is sent, every linked suggestion still waiting for it gets the same
/// reply as its own (its deputies evaluate it). A linked suggestion gets one such reply; later rounds of the primary are the primary's.
/// </summary>
public sealed record AnswerLinkedSuggestions(Guid ReplyId, Actor Actor) : ICommand<IReadOnlyList<LinkedAnswer>>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(ReplyId), ReplyId);
}

public sealed class AnswerLinkedSuggestionsHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<AnswerLinkedSuggestions, IReadOnlyList<LinkedAnswer>>
{
    public async ValueTask<IReadOnlyList<LinkedAnswer>> Handle(AnswerLinkedSuggestions command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var reply = await db.GetAsync<Reply>(command.ReplyId, cancellationToken);
        reply.EnsureSent("it answers linked suggestions");
        var linked = await db.SuggestionLinks.AsNoTracking().Where(l => l.PrimarySuggestionId == reply.SuggestionId).Select(l => l.LinkedSuggestionId).ToListAsync(cancellationToken);
        var waiting = await db.Suggestions.Include(s => s.CoSigners)
            .Where(s => linked.Contains(s.Id) && s.Status == SuggestionStatus.Assigned
                && !db.UnitTasks.Any(t => t.SuggestionId == s.Id) && !db.Replies.Any(r => r.SuggestionId == s.Id))
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var answers = waiting.OrderBy(s => s.Sequence).Select(s => new LinkedAnswer(s.Id, LinkedAnswers.Deliver(db, reply, s, now, command.Actor).Id, s.Deputies.ToList())).ToList();
        await db.CommitAsync(cancellationToken);
        return answers;
    }
}

internal static class LinkedAnswers
{
    /// <summary>The primary's first sent reply (its lead, single or first separate unit's), if it has one.</summary>
    public static Task<Reply?> PrimaryReplyAsync(LiaisonDbContext db, Guid primary, CancellationToken cancellationToken) =>
        db.Replies.Where(r => r.SuggestionId == primary && r.Status == ReplyStatus.Sent).OrderBy(r => r.SentAt).ThenBy(r => r.Id).FirstOrDefaultAsync(cancellationToken);

    public static Reply Deliver(LiaisonDbContext db, Reply primary, Suggestion linked, DateTimeOffset now, Actor actor)
    {
        var copy = Reply.AnsweringLinked(primary, linked.Id);
        db.Replies.Add(copy);
        linked.MarkReplied();
        db.Audit(now, actor, "reply.sent-with-primary", nameof(Reply), copy.Id, linked.Id, $"the reply {primary.Id} of {primary.SuggestionId} answers it (并案)");
        return copy;
    }
}
