using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Liaison.Testing;

/// <summary>
/// Suggestions driven through the shipped workflow in a running Host, for the dashboard's tests: submitted by a deputy
/// through the API, every task completed through TaskCompletion as its real actor, weeks passing on the fake clock.
/// Ends: one replied on time (A, satisfied), one key suggestion never signed for, one signed and consulted but not replied;
/// the last two are overdue at the end (15 June 2026).
/// </summary>
public sealed class DashboardScenario
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private DashboardScenario(LiaisonWebApp app, TestDatabase database, FakeTimeProvider clock)
    {
        App = app;
        Database = database;
        Clock = clock;
    }

    public LiaisonWebApp App { get; }

    public TestDatabase Database { get; }

    public FakeTimeProvider Clock { get; }

    public Guid Transport { get; private set; }

    public Guid Education { get; private set; }

    public Guid Leader { get; private set; }

    public Guid Deputy { get; private set; }

    /// <summary>The suggestions in the order above.</summary>
    public List<Guid> Suggestions { get; } = [];

    public static DateTimeOffset At(int month, int day, int hour = 0) => new(2026, month, day, hour, 0, 0, China);

    /// <summary>Runs the scenario on an app whose clock is <paramref name="clock"/>, started at 2 March 2026 09:00.</summary>
    public static async Task<DashboardScenario> RunAsync(LiaisonWebApp app, TestDatabase database, FakeTimeProvider clock)
    {
        var s = new DashboardScenario(app, database, clock);
        await s.RunAsync();
        return s;
    }

    private async Task RunAsync()
    {
        var transport = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var education = new HandlingUnit { Name = "市教育局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var deputy = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
        var leader = new Leader { Name = "张副市长", Title = "副市长", Kind = LeaderKind.Government };
        await using (var db = Database.CreateContext())
        {
            db.AddRange(transport, education, deputy, leader);
            await db.SaveChangesAsync();
        }

        (Transport, Education, Deputy, Leader) = (transport.Id, education.Id, deputy.Id, leader.Id);
        var deputyUser = await App.CreateUserAsync([Roles.Deputy], deputyId: deputy.Id.ToString());
        var deputyApi = await App.TokenClientAsync(deputyUser.UserName, deputyUser.Password);

        var office = new ActingUser("office-user", "office", [Roles.LiaisonOffice], [], [], []);
        var leaderUser = new ActingUser($"leader-{leader.Id:N}", "leader", [Roles.Leader], [], [], [leader.Id.ToString()]);
        static ActingUser HandlerOf(Guid unit) => new($"handler-{unit:N}", "handler", [Roles.UnitHandler], [unit.ToString()], [], []);
        static ActingUser HeadOf(Guid unit) => new($"head-{unit:N}", "head", [Roles.UnitHead], [unit.ToString()], [], []);
        var deputyActing = new ActingUser($"deputy-{deputy.Id:N}", "deputy", [Roles.Deputy], [], [deputy.Id.ToString()], []);

        async Task<Guid> SubmitAsync(string title)
        {
            var response = await deputyApi.PostAsJsonAsync("/api/suggestions", new { term = 16, title, text = "正文" });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
            Suggestions.Add(Guid.Parse(body!["id"]!.GetValue<string>()));
            return Guid.Parse(body["workflowInstanceId"]!.GetValue<string>());
        }

        var onTime = await SubmitAsync("关于优化城区公交线路的建议");
        var key = await SubmitAsync("关于缓解中小学课后托管压力的建议");
        var unreplied = await SubmitAsync("关于增设学校周边停车接送区的建议");

        foreach (var instance in new[] { onTime, key, unreplied })
        {
            await DoAsync(instance, "receive", "Admitted", null, office);
        }

        await DoAsync(onTime, "analyse", "Ordinary", new JsonObject { ["field"] = "transport" }, office);
        await DoAsync(key, "analyse", "Key", new JsonObject { ["field"] = "education", ["leadingLeaderId"] = leader.Id.ToString(), ["supervisingLeaderId"] = leader.Id.ToString() }, office);
        await DoAsync(key, "leaderReview", "Endorsed", new JsonObject { ["instruction"] = "请教育局抓紧办理" }, leaderUser);
        await DoAsync(unreplied, "analyse", "Ordinary", new JsonObject { ["field"] = "transport" }, office);
        await DoAsync(onTime, "assign", "Assigned", new JsonObject { ["unitIds"] = new JsonArray(transport.Id.ToString()) }, office);
        await DoAsync(key, "assign", "Assigned", new JsonObject { ["unitIds"] = new JsonArray(education.Id.ToString()) }, office);
        await DoAsync(unreplied, "assign", "Assigned", new JsonObject { ["unitIds"] = new JsonArray(transport.Id.ToString()) }, office);

        Clock.SetUtcNow(At(3, 5, 10));
        foreach (var instance in new[] { onTime, unreplied })
        {
            await DoAsync(instance, "signFor", "Signed", null, HandlerOf(transport.Id));
            await DoAsync(instance, "consult", "Consulted", new JsonObject { ["at"] = At(3, 5, 9).ToString("O"), ["method"] = "Visit", ["stage"] = "Before", ["participants"] = "王代表" }, HandlerOf(transport.Id));
        }

        Clock.SetUtcNow(At(4, 10, 10));
        await DoAsync(onTime, "reply", "Replied", new JsonObject { ["category"] = "A", ["text"] = "已调整线路", ["publicInterest"] = false }, HandlerOf(transport.Id));
        await DoAsync(onTime, "approve", "Approved", null, HeadOf(transport.Id));
        Clock.SetUtcNow(At(4, 11, 10));
        await DoAsync(onTime, "evaluate", "Satisfied", new JsonObject { ["comment"] = "满意" }, deputyActing);

        Clock.SetUtcNow(At(6, 15, 10));
    }

    private async Task DoAsync(Guid instance, string activityId, string outcome, JsonObject? fields, ActingUser user)
    {
        var task = (await OpenTasksAsync(instance)).Single(t => t.ActivityId == activityId);
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TaskCompletion>().CompleteAsync(task.Id, outcome, fields, user);
    }

    /// <summary>Open tasks of the instance and of every child workflow under it.</summary>
    private async Task<List<HumanTaskRecord>> OpenTasksAsync(Guid instance)
    {
        await using var db = Database.CreateWorkflowsContext();
        var family = new HashSet<Guid> { instance };
        while (true)
        {
            var children = await db.Instances.AsNoTracking().Where(i => i.ParentInstanceId != null && family.Contains(i.ParentInstanceId.Value)).Select(i => i.Id).ToListAsync();
            if (!children.Any(family.Add))
            {
                return await db.HumanTasks.AsNoTracking().Where(t => family.Contains(t.InstanceId) && t.Status == HumanTaskStatus.Open).ToListAsync();
            }
        }
    }
}
