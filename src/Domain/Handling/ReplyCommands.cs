using Liaison.Domain.Attachments;
using Liaison.Domain.Audit;
using Liaison.Domain.Calendar;
using Liaison.Domain.Common;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Liaison.Domain.Suggestions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Handling;

/// <summary>
/// The lead (or a separately handling) unit drafts its reply; the head approves it next. Attachments are files the
/// acting user uploaded for this task (<see cref="AttachmentUploads"/>), linked to the reply here.
/// </summary>
public sealed record SubmitReply(Guid TaskId, ReplyCategory Category, string Text, bool PublicInterest, Actor Actor, IReadOnlyList<Guid>? AttachmentIds = null)
    : ICommand<Guid>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v
        .NotEmpty(nameof(TaskId), TaskId)
        .Defined(nameof(Category), Category)
        .Required(nameof(Text), Text, 20000);
}

public sealed class SubmitReplyHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<SubmitReply, Guid>
{
    public async ValueTask<Guid> Handle(SubmitReply command, CancellationToken cancellationToken)
    {
        // The body is rich text from a browser or an API caller: only formatting survives, and it must still say something.
        command = command with { Text = RichText.Clean(command.Text) };
        Validator.Ensure(command);
        if (!RichText.HasText(command.Text))
        {
            throw new ValidationFailedException([new FieldError(nameof(command.Text), "is empty once unsafe markup is removed")]);
        }

        var task = await db.GetAsync<UnitTask>(command.TaskId, cancellationToken);
        task.EnsureReplies();
        task.EnsureSignedFor("reply");
        // Rounds count per suggestion and unit: a 并案 item re-handled on its own task follows the reply it got through its primary.
        var rounds = await db.Replies.Where(r => r.SuggestionId == task.SuggestionId && (r.TaskId == task.Id || r.UnitId == task.UnitId))
            .Select(r => new { r.Round, r.Status }).ToListAsync(cancellationToken);
        if (rounds.Any(r => r.Status is ReplyStatus.Draft or ReplyStatus.Approved))
        {
            throw new DomainException(ErrorCodes.ReplyPending, $"task {task.Id} already has a reply waiting for approval or sending");
        }

        // The lead unit's first reply sums up the co-handling units' written opinions, so it waits for them.
        if (task.Role == TaskRole.Lead && rounds.Count == 0
            && await db.UnitTasks.AnyAsync(t => t.SuggestionId == task.SuggestionId && t.Role == TaskRole.CoHandling && (t.Status == UnitTaskStatus.Assigned || t.Status == UnitTaskStatus.SignedFor), cancellationToken))
        {
            throw new DomainException(ErrorCodes.ReplyCoOpinionsPending, $"task {task.Id} leads: its reply waits for the co-handling units' opinions");
        }

        var now = clock.GetUtcNow();
        var reply = new Reply(task, rounds.Count == 0 ? 1 : rounds.Max(r => r.Round) + 1, command.Category, command.Text, command.PublicInterest, now, command.Actor.Name);
        db.Replies.Add(reply);
        await AttachmentUploads.LinkAsync(db, reply, command.AttachmentIds ?? [], command.Actor, cancellationToken);
        db.Audit(now, command.Actor, "reply.drafted", nameof(Reply), reply.Id, task.SuggestionId, $"category {command.Category}, round {reply.Round}"
            + (command.AttachmentIds is { Count: > 0 } files ? $", {files.Distinct().Count()} attachment(s)" : ""));
        await db.CommitAsync(cancellationToken);
        return reply.Id;
    }
}

/// <summary>Head-of-unit responsibility: the unit's head approves the reply before it goes out.</summary>
public sealed record ApproveReply(Guid ReplyId, Actor Actor) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(ReplyId), ReplyId);
}

public sealed class ApproveReplyHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<ApproveReply, bool>
{
    public async ValueTask<bool> Handle(ApproveReply command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var reply = await UnitHead.ReplyAsync(db, command.ReplyId, command.Actor, "approves", cancellationToken);

        var now = clock.GetUtcNow();
        reply.Approve(now, command.Actor.Name);
        db.Audit(now, command.Actor, "reply.approved", nameof(Reply), reply.Id, reply.SuggestionId);
        await db.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>Head-of-unit responsibility: only the replying unit's head decides on its replies.</summary>
internal static class UnitHead
{
    public static async Task<Reply> ReplyAsync(LiaisonDbContext db, Guid replyId, Actor actor, string verb, CancellationToken cancellationToken)
    {
        var reply = await db.GetAsync<Reply>(replyId, cancellationToken);
        var unit = await db.GetAsync<HandlingUnit>(reply.UnitId, cancellationToken);
        if (unit.HeadUserId is not null && unit.HeadUserId != actor.UserId)
        {
            throw new DomainException(ErrorCodes.ReplyNotUnitHead, $"only the head of {unit.Name} ({unit.HeadName}) {verb} its replies");
        }

        return reply;
    }
}

/// <summary>The head sends a draft back to the unit with a reason; the unit drafts it again.</summary>
public sealed record ReturnReplyDraft(Guid ReplyId, string Reason, Actor Actor) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(ReplyId), ReplyId).Required(nameof(Reason), Reason, 4000);
}

public sealed class ReturnReplyDraftHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<ReturnReplyDraft, bool>
{
    public async ValueTask<bool> Handle(ReturnReplyDraft command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var reply = await UnitHead.ReplyAsync(db, command.ReplyId, command.Actor, "sends back", cancellationToken);

        reply.ReturnToUnit();
        db.Audit(clock.GetUtcNow(), command.Actor, "reply.returned", nameof(Reply), reply.Id, reply.SuggestionId, command.Reason);
        await db.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>Sends an approved reply to the deputies; the suggestion is replied once every replying unit has sent.</summary>
public sealed record SendReply(Guid ReplyId, Actor Actor) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(ReplyId), ReplyId);
}

public sealed class SendReplyHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<SendReply, bool>
{
    public async ValueTask<bool> Handle(SendReply command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var reply = await db.GetAsync<Reply>(command.ReplyId, cancellationToken);
        var task = await db.GetAsync<UnitTask>(reply.TaskId, cancellationToken);
        var rules = await HandlingRules.LoadAsync(db, cancellationToken);
        var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
        var now = clock.GetUtcNow();
        reply.Send(now, task.DueAt, rules.Publication.DueFrom(now, calendar));
        task.MarkReplied(now);

        var suggestion = await db.GetAsync<Suggestion>(task.SuggestionId, cancellationToken);
        var otherOpen = await db.UnitTasks.AnyAsync(
            t => t.SuggestionId == suggestion.Id && t.Id != task.Id && t.Role != TaskRole.CoHandling
                && (t.Status == UnitTaskStatus.Assigned || t.Status == UnitTaskStatus.SignedFor || t.Status == UnitTaskStatus.Rehandling),
            cancellationToken);
        if (!otherOpen)
        {
            suggestion.MarkReplied();
        }

        db.Audit(now, command.Actor, "reply.sent", nameof(Reply), reply.Id, reply.SuggestionId, reply.OnTime == true ? "on time" : $"late (due {task.DueAt:u})");
        await db.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>A deputy's evaluation of a sent reply: one per deputy per reply.</summary>
public sealed record EvaluateReply(Guid ReplyId, Guid DeputyId, EvaluationResult Result, string? Comment, Actor Actor)
    : ICommand<Guid>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v
        .NotEmpty(nameof(ReplyId), ReplyId)
        .NotEmpty(nameof(DeputyId), DeputyId)
        .Defined(nameof(Result), Result)
        .MaxLength(nameof(Comment), Comment, 4000);
}

public sealed class EvaluateReplyHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<EvaluateReply, Guid>
{
    public async ValueTask<Guid> Handle(EvaluateReply command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        await EvaluationLock.TakeAsync(db, command.ReplyId, cancellationToken);
        var reply = await db.GetAsync<Reply>(command.ReplyId, cancellationToken);
        reply.EnsureSent("it is evaluated");
        if (reply.EvaluationClosedAt is { } closed)
        {
            throw new DomainException(ErrorCodes.EvaluationWindowClosed, $"the evaluation window of reply {reply.Id} closed at {closed:u}; it counts as not evaluated");
        }

        var suggestion = await db.Suggestions.Include(s => s.CoSigners).SingleAsync(s => s.Id == reply.SuggestionId, cancellationToken);
        if (!suggestion.Deputies.Contains(command.DeputyId))
        {
            throw new DomainException(ErrorCodes.EvaluationNotASigner, $"deputy {command.DeputyId} did not sign suggestion {suggestion.Number}");
        }

        if (await db.Evaluations.AnyAsync(e => e.ReplyId == reply.Id && e.DeputyId == command.DeputyId, cancellationToken))
        {
            throw new DomainException(ErrorCodes.EvaluationDuplicate, $"deputy {command.DeputyId} has already evaluated reply {reply.Id}");
        }

        var now = clock.GetUtcNow();
        var evaluation = new Evaluation
        {
            ReplyId = reply.Id,
            SuggestionId = reply.SuggestionId,
            DeputyId = command.DeputyId,
            Result = command.Result,
            Comment = command.Comment,
            At = now,
        };
        db.Evaluations.Add(evaluation);
        db.Audit(now, command.Actor, "reply.evaluated", nameof(Evaluation), evaluation.Id, reply.SuggestionId, $"{command.Result}: {command.Comment}");
        await CloseWhenEveryoneIsContentAsync(db, suggestion, [evaluation], cancellationToken);
        await db.CommitAsync(cancellationToken);
        return evaluation.Id;
    }

    // Closed once every deputy has evaluated (or the window closed on) every unit's latest reply and nobody is dissatisfied.
    internal static async Task CloseWhenEveryoneIsContentAsync(LiaisonDbContext db, Suggestion suggestion, IReadOnlyList<Evaluation> added, CancellationToken cancellationToken)
    {
        if (suggestion.Status != SuggestionStatus.Replied)
        {
            return;
        }

        var replies = await db.Replies.Where(r => r.SuggestionId == suggestion.Id && r.Status == ReplyStatus.Sent)
            .Select(r => new { r.Id, r.UnitId, r.Round }).ToListAsync(cancellationToken);
        var latest = replies.GroupBy(r => r.UnitId).Select(g => g.MaxBy(r => r.Round)!.Id).ToList();
        var evaluations = await db.Evaluations.Where(e => latest.Contains(e.ReplyId)).Select(e => new { e.ReplyId, e.DeputyId, e.Result }).ToListAsync(cancellationToken);
        evaluations.AddRange(added.Select(a => new { a.ReplyId, a.DeputyId, a.Result }));
        var deputies = suggestion.Deputies.ToList();
        var complete = latest.All(r => deputies.All(d => evaluations.Any(e => e.ReplyId == r && e.DeputyId == d)));
        if (complete && evaluations.All(e => e.Result != EvaluationResult.Dissatisfied))
        {
            suggestion.MarkClosed();
        }
    }
}

/// <summary>
/// Closes a reply's evaluation window once it has passed: every deputy who has not evaluated is recorded
/// as not evaluated (never counted as satisfied), and later evaluations are refused.
/// </summary>
public sealed record CloseEvaluationWindow(Guid ReplyId, Actor Actor) : ICommand<int>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(ReplyId), ReplyId);
}

public sealed class CloseEvaluationWindowHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<CloseEvaluationWindow, int>
{
    public async ValueTask<int> Handle(CloseEvaluationWindow command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        await EvaluationLock.TakeAsync(db, command.ReplyId, cancellationToken);
        var reply = await db.GetAsync<Reply>(command.ReplyId, cancellationToken);
        reply.EnsureSent("its evaluation window is closed");
        var rules = await HandlingRules.LoadAsync(db, cancellationToken);
        var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
        var now = clock.GetUtcNow();
        var closesAt = rules.EvaluationWindow.DueFrom(reply.SentAt!.Value, calendar);
        if (now < closesAt)
        {
            throw new DomainException(ErrorCodes.EvaluationWindowOpen, $"the evaluation window of reply {reply.Id} is open until {closesAt:u}");
        }

        reply.CloseEvaluation(now);
        var suggestion = await db.Suggestions.Include(s => s.CoSigners).SingleAsync(s => s.Id == reply.SuggestionId, cancellationToken);
        var evaluated = await db.Evaluations.Where(e => e.ReplyId == reply.Id).Select(e => e.DeputyId).ToListAsync(cancellationToken);
        var missing = suggestion.Deputies.Except(evaluated).Select(deputy => new Evaluation
        {
            ReplyId = reply.Id,
            SuggestionId = reply.SuggestionId,
            DeputyId = deputy,
            Result = EvaluationResult.NotEvaluated,
            At = now,
        }).ToList();
        db.Evaluations.AddRange(missing);
        db.Audit(now, command.Actor, "reply.evaluation-closed", nameof(Reply), reply.Id, reply.SuggestionId, $"{missing.Count} not evaluated");
        await EvaluateReplyHandler.CloseWhenEveryoneIsContentAsync(db, suggestion, missing, cancellationToken);
        await db.CommitAsync(cancellationToken);
        return missing.Count;
    }
}

/// <summary>重新办理: after a dissatisfied evaluation the unit replies again within the re-handling period.</summary>
public sealed record RehandleTask(Guid TaskId, string Reason, Actor Actor) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(TaskId), TaskId).Required(nameof(Reason), Reason, 2000);
}

public sealed class RehandleTaskHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<RehandleTask, bool>
{
    public async ValueTask<bool> Handle(RehandleTask command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var task = await db.GetAsync<UnitTask>(command.TaskId, cancellationToken);
        var latest = await db.Replies.Where(r => r.TaskId == task.Id && r.SuggestionId == task.SuggestionId && r.Status == ReplyStatus.Sent)
            .OrderByDescending(r => r.Round).FirstOrDefaultAsync(cancellationToken);
        var dissatisfied = latest is not null && task.Status == UnitTaskStatus.Replied
            && await db.Evaluations.AnyAsync(e => e.ReplyId == latest.Id && e.Result == EvaluationResult.Dissatisfied, cancellationToken);
        if (!dissatisfied)
        {
            throw new DomainException(ErrorCodes.RehandleNotDissatisfied, $"task {task.Id} has no sent reply that a deputy found dissatisfying");
        }

        var rules = await HandlingRules.LoadAsync(db, cancellationToken);
        var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
        var now = clock.GetUtcNow();
        task.Rehandle(rules.Rehandle.DueFrom(now, calendar));
        var suggestion = await db.GetAsync<Suggestion>(task.SuggestionId, cancellationToken);
        suggestion.Reopen();
        db.Audit(now, command.Actor, "task.rehandling", nameof(UnitTask), task.Id, task.SuggestionId, $"due {task.DueAt:u}: {command.Reason}");
        await db.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>公开: publishes a public-interest reply (the published view carries no personal data).</summary>
public sealed record PublishReply(Guid ReplyId, Actor Actor) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(ReplyId), ReplyId);
}

public sealed class PublishReplyHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<PublishReply, bool>
{
    public async ValueTask<bool> Handle(PublishReply command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var reply = await db.GetAsync<Reply>(command.ReplyId, cancellationToken);
        var now = clock.GetUtcNow();
        reply.Publish(now);
        db.Audit(now, command.Actor, "reply.published", nameof(Reply), reply.Id, reply.SuggestionId, reply.PublishDueAt is { } due && now >= due ? "late" : "on time");
        await db.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>跟踪办理: a tracking note on a B or C reply; "solved" closes the follow-up.</summary>
public sealed record RecordFollowUp(Guid ReplyId, string Note, bool Solved, Actor Actor) : ICommand<Guid>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(ReplyId), ReplyId).Required(nameof(Note), Note, 4000);
}

public sealed class RecordFollowUpHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<RecordFollowUp, Guid>
{
    public async ValueTask<Guid> Handle(RecordFollowUp command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var reply = await db.GetAsync<Reply>(command.ReplyId, cancellationToken);
        var now = clock.GetUtcNow();
        reply.RecordFollowUp(command.Solved, now);
        var followUp = new FollowUp { ReplyId = reply.Id, SuggestionId = reply.SuggestionId, At = now, Note = command.Note, Solved = command.Solved };
        db.FollowUps.Add(followUp);
        db.Audit(now, command.Actor, command.Solved ? "reply.follow-up-solved" : "reply.follow-up", nameof(Reply), reply.Id, reply.SuggestionId, command.Note);
        await db.CommitAsync(cancellationToken);
        return followUp.Id;
    }
}
