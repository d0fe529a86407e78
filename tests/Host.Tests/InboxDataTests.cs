using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Liaison.Domain.Common;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Liaison.Domain.Settings;
using Liaison.Host.Identity;
using Liaison.Host.Tasks;
using Liaison.Testing;
using Liaison.Workflows.Persistence;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>
/// The inbox's data layer on both databases: the field, deadline and search filters narrow the page and every tab's count
/// alike (so paging and the counts agree), and the lights follow the yellow-light rule in force.
/// </summary>
public sealed class InboxDataTests
{
    private static readonly Dictionary<string, string?> LongTokens = new() { ["Liaison:Auth:TokenLifetime"] = "365.00:00:00" };

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Filters_narrow_pages_and_counts_alike_and_the_lights_follow_the_yellow_light_rule(DatabaseProvider provider)
    {
        var clock = FakeClock.Create();
        await using var database = await TestDatabase.CreateAsync(provider, "inbox-data");
        await using var app = await LiaisonWebApp.StartAsync(database, LongTokens, s => s.UseFakeClock(clock));
        var unit = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var other = new HandlingUnit { Name = "市教育局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var deputy = new Deputy { Name = "李代表", Level = DeputyLevel.City, Term = 16 };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(unit, other, deputy);
            await db.SaveChangesAsync();
        }

        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var deputyApi = await app.ClientForAsync([Roles.Deputy], deputyId: deputy.Id.ToString());
        var handler = await app.CreateUserAsync([Roles.UnitHandler], unit.Id.ToString());

        async Task<Guid> AssignAsync(string title, string field, HandlingUnit to)
        {
            var response = await deputyApi.PostAsJsonAsync("/api/suggestions", new { term = 16, title, text = "正文" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            foreach (var (step, body) in new (string, object)[]
            {
                ("Suggestions.Receive", new { outcome = "Admitted" }),
                ("Suggestions.Analyse", new { outcome = "Ordinary", field }),
                ("Suggestions.Assign", new { outcome = "Assigned", unitIds = new[] { to.Id } }),
            })
            {
                var tasks = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?correlationKey={id}&activityType={step}", UriKind.Relative));
                var task = tasks.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid();
                var done = await office.PostAsJsonAsync($"/api/workflows/tasks/{task}/complete", body);
                Assert.True(done.IsSuccessStatusCode, $"{step}: {await done.Content.ReadAsStringAsync()}");
            }

            return id;
        }

        // 签收 is due 5 working days after assignment. Assigned Mon 2 Mar, Thu 5 Mar and Tue 10 Mar; seen on Tue 10 Mar 09:00:
        // the first is overdue, the second due Thu 12 Mar (within 3 working days), the third Tue 17 Mar (within 7).
        await AssignAsync("关于增设公交站点的建议", "transport", unit); // 16-2026-0001
        clock.Advance(TimeSpan.FromDays(3));
        await AssignAsync("关于开通夜间公交的建议", "transport", unit); // 16-2026-0002
        clock.Advance(TimeSpan.FromDays(5));
        await AssignAsync("关于改善学校周边交通的建议", "education", unit); // 16-2026-0003
        await AssignAsync("关于增设公交专用道的建议", "transport", other); // another unit's: never in this inbox

        var user = await PrincipalAsync(app, handler.UserName);
        var now = clock.GetUtcNow();

        async Task<(IReadOnlyDictionary<InboxTab, int> Counts, IReadOnlyList<string?> Titles, int Total, string? Next)> InboxAsync(InboxQuery query, InboxTab tab = InboxTab.SignFor, string? after = null, int take = 20)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var inbox = scope.ServiceProvider.GetRequiredService<InboxData>();
            var narrowing = await inbox.NarrowAsync(query, now, CancellationToken.None);
            var counts = await inbox.CountsAsync(user, now, CancellationToken.None, narrowing);
            var page = await inbox.PageAsync(user, InboxData.FilterFor(tab, now, after, take, narrowing), now, CancellationToken.None);
            return (counts, page.Items.Select(r => r.SuggestionTitle).ToList(), page.Total, page.Next);
        }

        var all = await InboxAsync(new InboxQuery());
        Assert.Equal(3, all.Counts[InboxTab.SignFor]);
        Assert.Equal(1, all.Counts[InboxTab.Overdue]);
        Assert.Equal(["关于增设公交站点的建议", "关于开通夜间公交的建议", "关于改善学校周边交通的建议"], all.Titles);

        var transport = await InboxAsync(new InboxQuery(Field: "transport"));
        Assert.Equal(2, transport.Counts[InboxTab.SignFor]);
        Assert.Equal(1, transport.Counts[InboxTab.Overdue]);
        Assert.Equal(["关于增设公交站点的建议", "关于开通夜间公交的建议"], transport.Titles);
        Assert.Equal(["关于改善学校周边交通的建议"], (await InboxAsync(new InboxQuery(Field: "education"))).Titles);
        Assert.Equal(0, (await InboxAsync(new InboxQuery(Field: "health"))).Counts[InboxTab.SignFor]);

        // The deadline: overdue, within 3 working days (not overdue), within 7.
        var late = await InboxAsync(new InboxQuery(Deadline: InboxDeadline.Overdue));
        Assert.Equal(["关于增设公交站点的建议"], late.Titles);
        Assert.Equal(1, late.Counts[InboxTab.SignFor]);
        Assert.Equal(["关于开通夜间公交的建议"], (await InboxAsync(new InboxQuery(Deadline: InboxDeadline.Within3))).Titles);
        var week = await InboxAsync(new InboxQuery(Deadline: InboxDeadline.Within7));
        Assert.Equal(["关于开通夜间公交的建议", "关于改善学校周边交通的建议"], week.Titles);
        Assert.Equal(0, week.Counts[InboxTab.Overdue]);

        // The search: a word of the title, the full number, or its tail.
        Assert.Equal(["关于增设公交站点的建议", "关于开通夜间公交的建议"], (await InboxAsync(new InboxQuery(Search: "公交"))).Titles);
        Assert.Equal(["关于改善学校周边交通的建议"], (await InboxAsync(new InboxQuery(Search: "16-2026-0003"))).Titles);
        Assert.Equal(["关于开通夜间公交的建议"], (await InboxAsync(new InboxQuery(Search: "0002"))).Titles);
        Assert.Equal(["关于增设公交站点的建议"], (await InboxAsync(new InboxQuery(Search: " 2026-1 "))).Titles);
        Assert.Empty((await InboxAsync(new InboxQuery(Search: "15-2026-0001"))).Titles);
        var nothing = await InboxAsync(new InboxQuery(Search: "100%_不存在"));
        Assert.All(nothing.Counts.Values, n => Assert.Equal(0, n));

        // Combined, and paged: the total is the tab's count and the second page holds the second row.
        Assert.Equal(["关于开通夜间公交的建议"], (await InboxAsync(new InboxQuery("transport", InboxDeadline.Within3))).Titles);
        Assert.Equal(["关于增设公交站点的建议"], (await InboxAsync(new InboxQuery(null, InboxDeadline.Overdue, "公交"), InboxTab.Overdue)).Titles);
        var first = await InboxAsync(new InboxQuery(Field: "transport"), take: 1);
        var second = await InboxAsync(new InboxQuery(Field: "transport"), after: first.Next, take: 1);
        Assert.Null(second.Next);
        Assert.Equal(2, second.Total);
        Assert.Equal(second.Counts[InboxTab.SignFor], second.Total);
        Assert.Equal(["关于开通夜间公交的建议"], second.Titles);

        // The lights: with the default window (7 working days) both open deadlines are yellow; with 3 the later one is green.
        async Task<Dictionary<string, TaskLight>> LightsAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            var page = await scope.ServiceProvider.GetRequiredService<InboxData>().PageAsync(user, InboxData.FilterFor(InboxTab.SignFor, now), now, CancellationToken.None);
            return page.Items.ToDictionary(r => r.SuggestionTitle!, r => r.Light);
        }

        var lights = await LightsAsync();
        Assert.Equal(TaskLight.Red, lights["关于增设公交站点的建议"]);
        Assert.Equal(TaskLight.Yellow, lights["关于开通夜间公交的建议"]);
        Assert.Equal(TaskLight.Yellow, lights["关于改善学校周边交通的建议"]);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ChangeSetting(HandlingRules.YellowLightKey, "3wd", new Actor("admin", "管理员")));
        }

        lights = await LightsAsync();
        Assert.Equal(TaskLight.Red, lights["关于增设公交站点的建议"]);
        Assert.Equal(TaskLight.Yellow, lights["关于开通夜间公交的建议"]);
        Assert.Equal(TaskLight.Green, lights["关于改善学校周边交通的建议"]);
    }

    private static async Task<ClaimsPrincipal> PrincipalAsync(LiaisonWebApp app, string userName)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LiaisonUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException(userName);
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<LiaisonUser>>().CreateAsync(user);
    }
}
