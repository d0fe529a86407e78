using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Testing;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Suggestions;
using Liaison.Workflows.Tasks;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Liaison.Workflows.Tests.Suggestions;

/// <summary>
/// The engine with the suggestion activities, the domain's calendar and the transaction bridge on one
/// migrated database, plus a small organisation. Domain commands run through their real handlers.
/// </summary>
internal sealed class SuggestionWorld : IAsyncDisposable
{
    public static readonly Actor Office = new("office-1", "Liaison office clerk");
    public static readonly Actor Handler = new("unit-handler-1", "Unit handler");
    public static readonly Actor Head = new("unit-head-1", "Unit head");
    public static readonly Actor OtherHead = new("unit-head-2", "Other unit head");

    public static readonly ActingUser OfficeUser = new(Office.UserId, "office", ["LiaisonOffice"], [], [], []);

    private SuggestionWorld(TestDatabase database, EngineHost engine)
    {
        Database = database;
        Engine = engine;
    }

    public TestDatabase Database { get; }

    public EngineHost Engine { get; }

    public FakeTimeProvider Clock => Engine.Clock;

    public Guid LeadDeputy { get; private set; }

    public Guid CoSigner { get; private set; }

    public Guid Transport { get; private set; }

    public Guid Education { get; private set; }

    public Guid Planning { get; private set; }

    public Guid Leader { get; private set; }

    public static async Task<SuggestionWorld> CreateAsync(DatabaseProvider provider, string hint, DateTimeOffset? start = null)
    {
        var database = await TestDatabase.CreateAsync(provider, hint);
        await using (var migrated = await database.CreateMigratedContextAsync())
        {
        }

        var engine = await EngineHost.StartAsync(database, FakeClock.Create(start), services =>
        {
            services.AddLiaisonDbContext(database.Provider, database.ConnectionString);
            services.AddSingleton(SuggestionActivities.CreateRegistry());
            services.AddSuggestionWorkflows();
        });
        var world = new SuggestionWorld(database, engine);
        await using var db = database.CreateContext();
        var lead = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
        var co = new Deputy { Name = "李代表", Level = DeputyLevel.City, Term = 16 };
        var transport = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长", HeadUserId = Head.UserId };
        var education = new HandlingUnit { Name = "市教育局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长", HeadUserId = OtherHead.UserId };
        var planning = new HandlingUnit { Name = "市规划和自然资源局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长", HeadUserId = OtherHead.UserId };
        var leader = new Leader { Name = "副市长", Kind = LeaderKind.Government };
        db.AddRange(lead, co, transport, education, planning, leader);
        await db.SaveChangesAsync();
        (world.LeadDeputy, world.CoSigner, world.Transport, world.Education, world.Planning, world.Leader) =
            (lead.Id, co.Id, transport.Id, education.Id, planning.Id, leader.Id);
        return world;
    }

    public Task<DefinitionVersionInfo> PublishFileAsync(string file) =>
        Engine.PublishAsync(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows-json", file)));

    /// <summary>The loop and the children it starts for each unit.</summary>
    public async Task PublishLoopAsync()
    {
        await PublishFileAsync("suggestion-evaluation.json");
        await PublishFileAsync("suggestion-unit-handling.json");
        await PublishFileAsync("suggestion-co-handling.json");
        await PublishFileAsync("suggestion-handling.json");
    }

    /// <summary>Runs a command directly (outside any workflow), as a request would.</summary>
    public async Task<T> Send<T>(ICommand<T> command)
    {
        await using var db = Database.CreateContext();
        return await Step(command)(db, CancellationToken.None);
    }

    /// <summary>The command as a bridge step: its real handler on the bridge's context and the fake clock.</summary>
    public Func<LiaisonDbContext, CancellationToken, ValueTask<T>> Step<T>(ICommand<T> command) => (db, ct) =>
    {
        var handlerInterface = typeof(ICommandHandler<,>).MakeGenericType(command.GetType(), typeof(T));
        var type = typeof(LiaisonDbContext).Assembly.GetTypes().Single(t => t.IsClass && handlerInterface.IsAssignableFrom(t));
        var ctor = type.GetConstructors().Single();
        var handler = ctor.Invoke([.. ctor.GetParameters().Select(p => p.ParameterType == typeof(TimeProvider) ? (object)Clock : db)]);
        return (ValueTask<T>)handlerInterface.GetMethod("Handle")!.Invoke(handler, [command, ct])!;
    };

    /// <summary>A handler of <paramref name="unit"/> (the Transport handler's user id is the one its audit entries name).</summary>
    public static ActingUser HandlerOf(Guid unit) => new(Handler.UserId, "handler", ["UnitHandler"], [unit.ToString()], [], []);

    /// <summary>The head of <paramref name="unit"/>: Transport's head is unit-head-1, the others' unit-head-2.</summary>
    public ActingUser HeadOf(Guid unit) => new(unit == Transport ? Head.UserId : OtherHead.UserId, "head", ["UnitHead"], [unit.ToString()], [], []);

    public static ActingUser DeputyUser(Guid deputy) => new($"deputy-{deputy:N}", "deputy", ["Deputy"], [], [deputy.ToString()], []);

    public static ActingUser LeaderUser(Guid leader) => new($"leader-{leader:N}", "leader", ["Leader"], [], [], [leader.ToString()]);

    /// <summary>Acts on a workflow task through the one completion operation, as <paramref name="user"/>.</summary>
    public async Task<CompletedTask> Complete(Guid taskId, string outcome, JsonObject? fields, ActingUser user)
    {
        await using var scope = Engine.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TaskCompletion>().CompleteAsync(taskId, outcome, fields, user);
    }

    /// <summary>Acts on the one open task at <paramref name="activityId"/>.</summary>
    public async Task<CompletedTask> Do(Guid instanceId, string activityId, string outcome, JsonObject? fields, ActingUser user, Guid? unit = null) =>
        await Complete((await OpenTask(instanceId, activityId, unit)).Id, outcome, fields, user);

    /// <summary>The one open task at <paramref name="activityId"/> of the instance or the child workflows it started (for one unit, if given).</summary>
    public async Task<HumanTaskRecord> OpenTask(Guid instanceId, string activityId, Guid? unit = null)
    {
        var open = await OpenTasks(instanceId);
        return Assert.Single(open, t => t.ActivityId == activityId && (unit is null || t.AssigneeId.StartsWith(unit.Value.ToString(), StringComparison.Ordinal)));
    }

    public async Task<IReadOnlyList<string>> OpenActivities(Guid instanceId) =>
        (await OpenTasks(instanceId)).Select(t => t.ActivityId).Order(StringComparer.Ordinal).ToList();

    /// <summary>Open tasks of the instance and of every child workflow under it.</summary>
    public async Task<List<HumanTaskRecord>> OpenTasks(Guid instanceId)
    {
        await using var db = Database.CreateWorkflowsContext();
        var family = new HashSet<Guid> { instanceId };
        while (true)
        {
            var children = await db.Instances.AsNoTracking().Where(i => i.ParentInstanceId != null && family.Contains(i.ParentInstanceId.Value)).Select(i => i.Id).ToListAsync();
            if (!children.Any(family.Add))
            {
                break;
            }
        }

        return await db.HumanTasks.AsNoTracking().Where(t => family.Contains(t.InstanceId) && t.Status == HumanTaskStatus.Open).ToListAsync();
    }

    public async Task<InstanceStatus> StatusOf(Guid instanceId)
    {
        await using var db = Database.CreateWorkflowsContext();
        return await db.Instances.AsNoTracking().Where(i => i.Id == instanceId).Select(i => i.Status).SingleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Database.DisposeAsync();
    }
}
