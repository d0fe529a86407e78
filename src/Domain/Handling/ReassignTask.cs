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
/// 重新交办: gives a returned task's share to another unit, in the same role. AssignSuggestion refuses an
/// assigned suggestion, so a return needs its own command. The new unit gets full periods from now: it
/// could not have worked on the item before it was given to it.
/// </summary>
public sealed record ReassignTask(Guid ReturnedTaskId, Guid UnitId, Actor Actor) : ICommand<Guid>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(ReturnedTaskId), ReturnedTaskId).NotEmpty(nameof(UnitId), UnitId);
}

public sealed class ReassignTaskHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<ReassignTask, Guid>
{
    public async ValueTask<Guid> Handle(ReassignTask command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var returned = await db.GetAsync<UnitTask>(command.ReturnedTaskId, cancellationToken);
        if (returned.Status != UnitTaskStatus.Returned)
        {
            throw new DomainException(ErrorCodes.TaskNotReturned, $"task {returned.Id} is {returned.Status}; only a returned task is reassigned");
        }

        // One reassignment per returned task: a second one would hand the same share to two units.
        if (await db.AuditEntries.AnyAsync(a => a.Action == "task.reassigned" && a.SubjectId == returned.Id, cancellationToken))
        {
            throw new DomainException(ErrorCodes.TaskNotReturned, $"task {returned.Id} was already reassigned");
        }

        _ = await db.GetAsync<HandlingUnit>(command.UnitId, cancellationToken);
        var busy = await db.UnitTasks.AnyAsync(
            t => t.SuggestionId == returned.SuggestionId && t.UnitId == command.UnitId
                && (t.Status == UnitTaskStatus.Assigned || t.Status == UnitTaskStatus.SignedFor || t.Status == UnitTaskStatus.Rehandling),
            cancellationToken);
        if (busy || command.UnitId == returned.UnitId)
        {
            throw new DomainException(ErrorCodes.TaskUnitAlreadyAssigned, $"unit {command.UnitId} already has (or returned) this suggestion's task; choose another unit");
        }

        var suggestion = await db.GetAsync<Suggestion>(returned.SuggestionId, cancellationToken);
        if (suggestion.Status != SuggestionStatus.Assigned)
        {
            throw new DomainException(ErrorCodes.SuggestionNotAdmitted, $"suggestion {suggestion.Number} is {suggestion.Status}; only an assigned suggestion's tasks are reassigned");
        }

        var rules = await HandlingRules.LoadAsync(db, cancellationToken);
        var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
        var now = clock.GetUtcNow();
        var due = (returned.Role == TaskRole.CoHandling ? rules.CoOpinion : rules.Reply).DueFrom(now, calendar);
        var task = new UnitTask(returned.SuggestionId, command.UnitId, returned.Role, now, rules.ReturnWindow.DueFrom(now, calendar), due, rules.ExtensionMaxTotal.DueFrom(now, calendar));
        db.UnitTasks.Add(task);
        db.Audit(now, command.Actor, "task.reassigned", nameof(UnitTask), returned.Id, returned.SuggestionId, $"to unit {command.UnitId} as task {task.Id}");
        db.Audit(now, command.Actor, "task.assigned", nameof(UnitTask), task.Id, returned.SuggestionId, $"{task.Role} unit {command.UnitId}, due {task.DueAt:u}");
        await db.CommitAsync(cancellationToken);
        return task.Id;
    }
}
