using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Testing;
using Mediator;
using Microsoft.Extensions.Time.Testing;

namespace Liaison.Domain.Tests;

/// <summary>
/// A migrated database, a fake clock and a little organisation. Commands go through their real handlers,
/// each on a fresh DbContext as a request scope would (the Host's source-generated mediator does the
/// same dispatch; these tests avoid a second generated mediator next to the Host's).
/// </summary>
internal sealed class Scenario : IAsyncDisposable
{
    public static readonly Actor Office = new("office-1", "Liaison office clerk", "10.0.0.5", "Mozilla/5.0 test");
    public static readonly Actor Handler = new("unit-handler-1", "Unit handler", "10.0.0.6", "Mozilla/5.0 test");
    public static readonly Actor Head = new("unit-head-1", "Unit head", "10.0.0.7", "Mozilla/5.0 test");

    private Scenario(TestDatabase database, FakeTimeProvider clock)
    {
        Database = database;
        Clock = clock;
    }

    public TestDatabase Database { get; }

    public FakeTimeProvider Clock { get; }

    public Guid LeadDeputy { get; private set; }

    public Guid CoSigner { get; private set; }

    public Guid Outsider { get; private set; }

    public Guid Unit { get; private set; }

    public Guid OtherUnit { get; private set; }

    public Guid Leader { get; private set; }

    public static async Task<Scenario> CreateAsync(DatabaseProvider provider, string hint, DateTimeOffset? start = null)
    {
        var scenario = new Scenario(await TestDatabase.CreateAsync(provider, hint), FakeClock.Create(start));
        await using var db = await scenario.Database.CreateMigratedContextAsync();
        var lead = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16, Contact = new ContactDetails { Phone = "13800000000" } };
        var co = new Deputy { Name = "李代表", Level = DeputyLevel.City, Term = 16 };
        var outsider = new Deputy { Name = "张代表", Level = DeputyLevel.County, Term = 16 };
        var unit = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长", HeadUserId = Head.UserId };
        var other = new HandlingUnit { Name = "市教育局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var leader = new Leader { Name = "副市长", Kind = LeaderKind.Government };
        db.AddRange(lead, co, outsider, unit, other, leader);
        await db.SaveChangesAsync();
        (scenario.LeadDeputy, scenario.CoSigner, scenario.Outsider, scenario.Unit, scenario.OtherUnit, scenario.Leader) =
            (lead.Id, co.Id, outsider.Id, unit.Id, other.Id, leader.Id);
        return scenario;
    }

    public async Task<TResult> Send<TResult>(ICommand<TResult> command)
    {
        await using var db = Database.CreateContext();
        return await DirectDispatch.SendAsync(db, Clock, command);
    }

    public async Task<TResult> Ask<TResult>(IQuery<TResult> query)
    {
        await using var db = Database.CreateContext();
        return await DirectDispatch.AskAsync(db, Clock, query);
    }

    public async Task<Guid> SubmitAsync(string title = "关于优化公交线路的建议")
    {
        return await Send(new SubmitSuggestion(16, 2026, title, "正文", SuggestionSource.CongressSession, LeadDeputy, [CoSigner], Office));
    }

    /// <summary>A suggestion admitted and assigned to <see cref="Unit"/> alone; returns its id and the task.</summary>
    public async Task<(Guid Suggestion, Guid Task)> AssignedAsync(string title = "关于优化公交线路的建议")
    {
        var id = await SubmitAsync(title);
        await Send(new ReceiveSuggestion(id, true, null, null, Office));
        var tasks = await Send(new AssignSuggestion(id, AssignmentMode.Single, [Unit], Office));
        return (id, tasks.Single());
    }

    /// <summary>Signed for, replied (category as given), approved and sent; returns the reply id.</summary>
    public async Task<Guid> RepliedAsync(Guid task, ReplyCategory category = ReplyCategory.A, bool publicInterest = false, bool signFor = true)
    {
        if (signFor)
        {
            await Send(new SignForTask(task, Handler));
        }

        var reply = await Send(new SubmitReply(task, category, "答复正文", publicInterest, Handler));
        await Send(new ApproveReply(reply, Head));
        await Send(new SendReply(reply, Handler));
        return reply;
    }

    public static async Task Refused(string code, Func<Task> action)
    {
        var ex = await Assert.ThrowsAnyAsync<DomainException>(action);
        Assert.Equal(code, ex.Code);
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
