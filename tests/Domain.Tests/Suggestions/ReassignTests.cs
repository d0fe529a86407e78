using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Tests.Suggestions;

public sealed class ReassignTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_returned_task_is_reassigned_to_another_unit_with_fresh_periods(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "reassign");
        var (id, task) = await s.AssignedAsync();
        await Scenario.Refused(ErrorCodes.TaskNotReturned, () => s.Send(new ReassignTask(task, s.OtherUnit, Scenario.Office)));

        s.Clock.Advance(TimeSpan.FromDays(2));
        await s.Send(new ReturnTask(task, "不属于本单位职责", Scenario.Handler));
        await Scenario.Refused(ErrorCodes.SuggestionAlreadyAssigned, () => s.Send(new AssignSuggestion(id, AssignmentMode.Single, [s.OtherUnit], Scenario.Office)));
        await Scenario.Refused(ErrorCodes.TaskUnitAlreadyAssigned, () => s.Send(new ReassignTask(task, s.Unit, Scenario.Office)));

        // Reassigned on Wednesday 4 March 2026: return window to the end of 11 March, reply to the end of 4 June.
        var newTask = await s.Send(new ReassignTask(task, s.OtherUnit, Scenario.Office));
        await using (var db = s.Database.CreateContext())
        {
            var t = await db.UnitTasks.SingleAsync(x => x.Id == newTask);
            Assert.Equal((s.OtherUnit, TaskRole.Lead, UnitTaskStatus.Assigned), (t.UnitId, t.Role, t.Status));
            Assert.Equal(new DateTimeOffset(2026, 3, 12, 0, 0, 0, China), t.ReturnDeadline);
            Assert.Equal(new DateTimeOffset(2026, 6, 5, 0, 0, 0, China), t.DueAt);
            Assert.Equal(SuggestionStatus.Assigned, (await db.Suggestions.SingleAsync(x => x.Id == id)).Status);
            var actions = await db.AuditEntries.Where(a => a.SuggestionId == id).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
            Assert.Equal(["task.returned", "task.reassigned", "task.assigned"], actions[^3..]);
        }

        await Scenario.Refused(ErrorCodes.TaskNotReturned, () => s.Send(new ReassignTask(task, s.OtherUnit, Scenario.Office)));
        await s.Send(new SignForTask(newTask, Scenario.Handler));
    }
}
