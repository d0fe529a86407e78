using Liaison.Domain.Audit;
using Liaison.Domain.Calendar;
using Liaison.Domain.Common;
using Liaison.Domain.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Handling;

/// <summary>签收: the unit accepts the task.</summary>
public sealed record SignForTask(Guid TaskId, Actor Actor) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(TaskId), TaskId);
}

public sealed class SignForTaskHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<SignForTask, bool>
{
    public async ValueTask<bool> Handle(SignForTask command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var task = await db.GetAsync<UnitTask>(command.TaskId, cancellationToken);
        var now = clock.GetUtcNow();
        task.SignFor(now, command.Actor.Name);
        db.Audit(now, command.Actor, "task.signed-for", nameof(UnitTask), task.Id, task.SuggestionId);
        await db.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>退回: a misassigned task goes back to the liaison office, only within the return window.</summary>
public sealed record ReturnTask(Guid TaskId, string Reason, Actor Actor) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(TaskId), TaskId).Required(nameof(Reason), Reason, 2000);
}

public sealed class ReturnTaskHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<ReturnTask, bool>
{
    public async ValueTask<bool> Handle(ReturnTask command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var task = await db.GetAsync<UnitTask>(command.TaskId, cancellationToken);
        var now = clock.GetUtcNow();
        task.Return(now, command.Reason);
        db.Audit(now, command.Actor, "task.returned", nameof(UnitTask), task.Id, task.SuggestionId, command.Reason);
        await db.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>A co-handling unit's written opinion to the lead unit.</summary>
public sealed record SendCoOpinion(Guid TaskId, string Opinion, Actor Actor) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(TaskId), TaskId).Required(nameof(Opinion), Opinion, 20000);
}

public sealed class SendCoOpinionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<SendCoOpinion, bool>
{
    public async ValueTask<bool> Handle(SendCoOpinion command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var task = await db.GetAsync<UnitTask>(command.TaskId, cancellationToken);
        var now = clock.GetUtcNow();
        task.SendCoOpinion(command.Opinion, now);
        db.Audit(now, command.Actor, "task.co-opinion-sent", nameof(UnitTask), task.Id, task.SuggestionId);
        await db.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>面商: records when, how and with whom the unit met the deputy.</summary>
public sealed record RecordConsultation(
    Guid TaskId, DateTimeOffset At, ConsultationMethod Method, ConsultationStage Stage, string Participants, string? Notes, Actor Actor)
    : ICommand<Guid>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v
        .NotEmpty(nameof(TaskId), TaskId)
        .Defined(nameof(Method), Method)
        .Defined(nameof(Stage), Stage)
        .Required(nameof(Participants), Participants, 1000)
        .MaxLength(nameof(Notes), Notes, 20000);
}

public sealed class RecordConsultationHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<RecordConsultation, Guid>
{
    public async ValueTask<Guid> Handle(RecordConsultation command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var task = await db.GetAsync<UnitTask>(command.TaskId, cancellationToken);
        var now = clock.GetUtcNow();
        if (command.At > now)
        {
            throw new ValidationFailedException([new(nameof(command.At), "a consultation is recorded after it took place")]);
        }

        // "After" meetings happen once the reply is out, so only the earlier stages need an open task.
        if (command.Stage != ConsultationStage.After)
        {
            task.EnsureSignedFor("record a consultation");
        }

        var consultation = new Consultation
        {
            TaskId = task.Id,
            SuggestionId = task.SuggestionId,
            UnitId = task.UnitId,
            At = command.At,
            Method = command.Method,
            Stage = command.Stage,
            Participants = command.Participants,
            Notes = command.Notes,
            RecordedAt = now,
        };
        db.Consultations.Add(consultation);
        db.Audit(now, command.Actor, "consultation.recorded", nameof(Consultation), consultation.Id, task.SuggestionId, $"{command.Stage} {command.Method} at {command.At:u}");
        await db.CommitAsync(cancellationToken);
        return consultation.Id;
    }
}

/// <summary>延期: asked before the deadline; the new last day may not pass the maximum total period.</summary>
public sealed record RequestExtension(Guid TaskId, DateOnly NewLastDay, string Reason, string ExplanationToDeputy, Actor Actor)
    : ICommand<Guid>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v
        .NotEmpty(nameof(TaskId), TaskId)
        .Required(nameof(Reason), Reason, 4000)
        .Required(nameof(ExplanationToDeputy), ExplanationToDeputy, 4000);
}

public sealed class RequestExtensionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<RequestExtension, Guid>
{
    public async ValueTask<Guid> Handle(RequestExtension command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var task = await db.GetAsync<UnitTask>(command.TaskId, cancellationToken);
        task.EnsureSignedFor("ask for an extension");
        var now = clock.GetUtcNow();
        if (now >= task.DueAt)
        {
            throw new DomainException(ErrorCodes.ExtensionAfterDeadline, $"task {task.Id} was due at {task.DueAt:u}; an extension must be asked before the deadline");
        }

        var requestedDue = WorkingCalendar.StartOfDay(command.NewLastDay.AddDays(1));
        if (requestedDue <= task.DueAt)
        {
            throw new ValidationFailedException([new(nameof(command.NewLastDay), "must be later than the current deadline")]);
        }

        if (requestedDue > task.LatestDueAt)
        {
            throw new DomainException(ErrorCodes.ExtensionBeyondLimit, $"the reply may be extended to {WorkingCalendar.LocalDate(task.LatestDueAt.AddTicks(-1)):yyyy-MM-dd} at the latest (maximum total period from assignment)");
        }

        if (await db.ExtensionRequests.AnyAsync(e => e.TaskId == task.Id && e.Status == ExtensionStatus.Pending, cancellationToken))
        {
            throw new DomainException(ErrorCodes.ExtensionPending, $"task {task.Id} already has a pending extension request");
        }

        var request = new ExtensionRequest
        {
            TaskId = task.Id,
            SuggestionId = task.SuggestionId,
            RequestedAt = now,
            RequestedBy = command.Actor.Name,
            PreviousDueAt = task.DueAt,
            RequestedDueAt = requestedDue,
            Reason = command.Reason,
            ExplanationToDeputy = command.ExplanationToDeputy,
        };
        db.ExtensionRequests.Add(request);
        db.Audit(now, command.Actor, "extension.requested", nameof(ExtensionRequest), request.Id, task.SuggestionId, $"to {command.NewLastDay:yyyy-MM-dd}: {command.Reason}");
        await db.CommitAsync(cancellationToken);
        return request.Id;
    }
}

/// <summary>The liaison office approves or rejects an extension request.</summary>
public sealed record DecideExtension(Guid RequestId, bool Approve, string? Note, Actor Actor) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(RequestId), RequestId).MaxLength(nameof(Note), Note, 4000);
}

public sealed class DecideExtensionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<DecideExtension, bool>
{
    public async ValueTask<bool> Handle(DecideExtension command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var request = await db.GetAsync<ExtensionRequest>(command.RequestId, cancellationToken);
        var task = await db.GetAsync<UnitTask>(request.TaskId, cancellationToken);
        var now = clock.GetUtcNow();
        request.Decide(command.Approve, now, command.Actor.Name, command.Note);
        if (command.Approve)
        {
            if (request.RequestedDueAt > task.LatestDueAt)
            {
                throw new DomainException(ErrorCodes.ExtensionBeyondLimit, "the requested date passes the maximum total period");
            }

            task.Extend(request.RequestedDueAt);
        }

        db.Audit(now, command.Actor, command.Approve ? "extension.approved" : "extension.rejected", nameof(ExtensionRequest), request.Id, task.SuggestionId, command.Note);
        await db.CommitAsync(cancellationToken);
        return true;
    }
}
