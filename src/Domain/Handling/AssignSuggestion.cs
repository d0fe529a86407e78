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
/// 交办: creates one task per unit with deadlines from the settings and the calendar. For
/// <see cref="AssignmentMode.LeadWithCoHandling"/> the first unit leads. A linked (并案) suggestion is assigned on its own
/// task, so that its own workflow runs its units, its reply and its deputy's evaluation; the office's form for it starts
/// with the units of the item it is linked to.
/// </summary>
public sealed record AssignSuggestion(Guid SuggestionId, AssignmentMode Mode, IReadOnlyList<Guid> UnitIds, Actor Actor)
    : ICommand<IReadOnlyList<Guid>>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v)
    {
        var count = UnitIds?.Distinct().Count() ?? 0;
        v.NotEmpty(nameof(SuggestionId), SuggestionId)
            .Defined(nameof(Mode), Mode)
            .That(count == (UnitIds?.Count ?? 0), nameof(UnitIds), "lists a unit twice")
            .That(Mode != AssignmentMode.Single || count == 1, nameof(UnitIds), "single handling needs exactly one unit")
            .That(Mode == AssignmentMode.Single || count >= 2, nameof(UnitIds), $"{Mode} needs at least two units");
    }
}

public sealed class AssignSuggestionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<AssignSuggestion, IReadOnlyList<Guid>>
{
    public async ValueTask<IReadOnlyList<Guid>> Handle(AssignSuggestion command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var suggestion = await db.GetAsync<Suggestion>(command.SuggestionId, cancellationToken);
        var units = command.UnitIds.ToList();
        var known = await db.HandlingUnits.Where(u => units.Contains(u.Id)).Select(u => u.Id).ToListAsync(cancellationToken);
        foreach (var id in units.Except(known))
        {
            throw NotFound.For<HandlingUnit>(id);
        }

        var rules = await HandlingRules.LoadAsync(db, cancellationToken);
        var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
        var now = clock.GetUtcNow();
        var returnDeadline = rules.ReturnWindow.DueFrom(now, calendar);
        var replyDue = rules.Reply.DueFrom(now, calendar);
        var coOpinionDue = rules.CoOpinion.DueFrom(now, calendar);
        var latestDue = rules.ExtensionMaxTotal.DueFrom(now, calendar);

        var taskIds = new List<Guid>();
        suggestion.Assign(command.Mode, now);
        for (var i = 0; i < units.Count; i++)
        {
            var role = command.Mode switch
            {
                AssignmentMode.Separate => TaskRole.Separate,
                _ when i == 0 => TaskRole.Lead,
                _ => TaskRole.CoHandling,
            };
            var task = new UnitTask(suggestion.Id, units[i], role, now, returnDeadline, role == TaskRole.CoHandling ? coOpinionDue : replyDue, latestDue);
            db.UnitTasks.Add(task);
            taskIds.Add(task.Id);
            db.Audit(now, command.Actor, "task.assigned", nameof(UnitTask), task.Id, suggestion.Id, $"{role} unit {units[i]}, due {task.DueAt:u}");
        }

        db.Audit(now, command.Actor, "suggestion.assigned", nameof(Suggestion), suggestion.Id, suggestion.Id, $"{command.Mode}, reply due {replyDue:u}");

        await db.CommitAsync(cancellationToken);
        return taskIds;
    }
}
