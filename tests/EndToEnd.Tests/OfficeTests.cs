using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Liaison.Domain.Calendar;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Liaison.EndToEnd.Tests;

/// <summary>
/// The liaison office's console (/office) in Chromium against the Host on PostgreSQL: suggestions driven through the published
/// workflow to each of the office's steps, the counts on the tabs, a row to its task page, the analysis panel, the supervision
/// board filtered by light and a reminder (催办) that reaches the unit once a day.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OfficeTests(BrowserFixture browser)
{
    private static readonly Dictionary<string, string?> LongTokens = new() { ["Liaison:Auth:TokenLifetime"] = "365.00:00:00" };

    [Fact]
    public async Task The_office_sees_its_queues_the_analysis_and_the_board_and_reminds_a_unit_once_a_day()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "office");
        var clock = FakeClock.Create();
        await using var app = await LiaisonWebApp.StartAsync(database, LongTokens, s => s.UseFakeClock(clock));

        var transport = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长", Responsibilities = "负责公交、出租车、道路运输和交通拥堵治理，公交线路和站点的规划与调整。" };
        var education = new HandlingUnit { Name = "市教育局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长", Responsibilities = "负责中小学、幼儿园、教师队伍和学校建设。" };
        var health = new HandlingUnit { Name = "市卫生健康委员会", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "主任", Responsibilities = "负责医院、社区卫生服务、公共卫生和疾病预防。" };
        var deputy = new Deputy { Name = "王建国", Level = DeputyLevel.City, Term = 16 };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(transport, education, health, deputy);
            await db.SaveChangesAsync();
        }

        var officeUser = await app.CreateUserAsync([Roles.LiaisonOffice]);
        var transportUser = await app.CreateUserAsync([Roles.UnitHandler], unitId: transport.Id.ToString());
        var educationUser = await app.CreateUserAsync([Roles.UnitHandler], unitId: education.Id.ToString());
        var deputyUser = await app.CreateUserAsync([Roles.Deputy], deputyId: deputy.Id.ToString());
        var office = await app.TokenClientAsync(officeUser.UserName, officeUser.Password);
        var transportApi = await app.TokenClientAsync(transportUser.UserName, transportUser.Password);
        var educationApi = await app.TokenClientAsync(educationUser.UserName, educationUser.Password);
        var deputyApi = await app.TokenClientAsync(deputyUser.UserName, deputyUser.Password);

        async Task<Guid> SubmitAsync(string title, string text)
        {
            var response = await deputyApi.PostAsJsonAsync("/api/suggestions", new { term = 16, title, text });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        async Task<Guid> OpenTaskAsync(Guid suggestion, string step)
        {
            var tasks = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?status=Open&correlationKey={suggestion}&activityType={step}", UriKind.Relative));
            return tasks.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid();
        }

        async Task<Guid> CompleteAsync(HttpClient client, Guid suggestion, string step, object body)
        {
            var task = await OpenTaskAsync(suggestion, step);
            var response = await client.PostAsJsonAsync($"/api/workflows/tasks/{task}/complete", body);
            Assert.True(response.IsSuccessStatusCode, $"{step}: {await response.Content.ReadAsStringAsync()}");
            return task;
        }

        async Task AssignAsync(Guid suggestion, HandlingUnit unit)
        {
            await CompleteAsync(office, suggestion, "Suggestions.Receive", new { outcome = "Admitted" });
            await CompleteAsync(office, suggestion, "Suggestions.Analyse", new { outcome = "Ordinary", field = "transport" });
            await CompleteAsync(office, suggestion, "Suggestions.Assign", new { outcome = "Assigned", unitIds = new[] { unit.Id } });
        }

        // An item assigned long ago: its reply is overdue by the time the office looks (a red light on the board).
        var late = await SubmitAsync("关于治理城区早晚高峰道路拥堵的建议", "城区主干道早晚高峰拥堵严重，建议优化信号灯配时，增开公交线路，缓解交通拥堵。");
        await AssignAsync(late, transport);
        await CompleteAsync(transportApi, late, "Suggestions.SignFor", new { outcome = "Signed" });
        clock.Advance(TimeSpan.FromDays(95));

        // One item waiting at each of the office's steps, and two more in flight with the units.
        var toReceive = await SubmitAsync("关于增开夜间公交线路的建议", "夜间公交线路太少，建议增开夜间公交线路，方便市民出行。");
        var toAnalyse = await SubmitAsync("关于优化公交线路和站点设置的建议", "部分公交站点设置不合理，建议优化公交线路和站点，缓解交通拥堵，方便群众乘坐公交。");
        await CompleteAsync(office, toAnalyse, "Suggestions.Receive", new { outcome = "Admitted" });
        var toAssign = await SubmitAsync("关于加强校园周边交通安全的建议", "学校周边上下学时段交通混乱，建议加强交通疏导。");
        await CompleteAsync(office, toAssign, "Suggestions.Receive", new { outcome = "Admitted" });
        await CompleteAsync(office, toAssign, "Suggestions.Analyse", new { outcome = "Ordinary", field = "transport" });

        var extended = await SubmitAsync("关于完善出租车停靠点的建议", "出租车停靠点不足，建议增设出租车停靠点。");
        await AssignAsync(extended, transport);
        await CompleteAsync(transportApi, extended, "Suggestions.SignFor", new { outcome = "Signed" });
        await CompleteAsync(transportApi, extended, "Suggestions.Consult", new { outcome = "Consulted", at = clock.GetUtcNow().ToString("O"), method = "Phone", stage = "Before", participants = "王建国、经办人" });
        await CompleteAsync(transportApi, extended, "Suggestions.Reply", new
        {
            outcome = "ExtensionRequested",
            newLastDay = clock.GetUtcNow().AddMonths(4).ToString("yyyy-MM-dd"),
            reason = "需要与多个区协调停靠点选址",
            explanationToDeputy = "选址需协调，申请延期一个月",
        });

        var returned = await SubmitAsync("关于公交专用道建设的建议", "建议在主干道建设公交专用道，提高公交运行效率。");
        await AssignAsync(returned, education);
        await CompleteAsync(educationApi, returned, "Suggestions.SignFor", new { outcome = "Returned", reason = "公交专用道建设不属于教育局职责，建议交市交通运输局办理。" });

        var inFlight = await SubmitAsync("关于公交站台加装遮雨棚的建议", "很多公交站台没有遮雨棚，建议加装。");
        await AssignAsync(inFlight, transport);

        // What the tabs must count: the office's open tasks per step, as the task API lists them.
        async Task<int> OpenCountAsync(string step, Func<JsonElement, bool>? where = null)
        {
            var tasks = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?status=Open&activityType={step}&take=500", UriKind.Relative));
            return tasks.GetProperty("items").EnumerateArray().Count(where ?? (_ => true));
        }

        var expected = new Dictionary<string, int>
        {
            ["intake"] = await OpenCountAsync("Suggestions.Receive"),
            ["analyse"] = await OpenCountAsync("Suggestions.Analyse"),
            ["assign"] = await OpenCountAsync("Suggestions.Assign"),
            ["returns"] = await OpenCountAsync("Suggestions.Assign", t => t.GetProperty("title").GetString() == "重新交办"),
            ["extensions"] = await OpenCountAsync("Suggestions.DecideExtension"),
        };
        Assert.Equal(new[] { 1, 1, 2, 1, 1 }, expected.Values.ToArray());

        await browser.Context.ClearCookiesAsync();
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync(new Uri(app.Address, "/account/login?returnUrl=%2Foffice").ToString());
        await page.GetByTestId("signin-username").FillAsync(officeUser.UserName);
        await page.GetByTestId("signin-password").FillAsync(officeUser.Password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await page.WaitForURLAsync(new Regex("/office$"));
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^代表工委工作台"));
        await Assertions.Expect(page.Locator("[data-interactive='true']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("nav-office")).ToBeVisibleAsync();
        foreach (var (tab, count) in expected)
        {
            await Assertions.Expect(page.GetByTestId($"count-{tab}")).ToHaveTextAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await Assertions.Expect(page.GetByTestId("tab-analyse")).ToContainTextAsync("待分析");
        await Assertions.Expect(page.GetByTestId("count-supervision")).ToHaveTextAsync("3");

        // The intake queue lists the new suggestion with its deputy; the returns queue says which unit returned it and why.
        await Assertions.Expect(page.GetByTestId("queue-intake")).ToContainTextAsync("关于增开夜间公交线路的建议");
        await Assertions.Expect(page.GetByTestId("queue-intake")).ToContainTextAsync("王建国");
        await page.GetByTestId("tab-returns").ClickAsync();
        await Assertions.Expect(page.GetByTestId("queue-returns")).ToContainTextAsync("市教育局");
        await Assertions.Expect(page.GetByTestId("queue-returns")).ToContainTextAsync("不属于教育局职责");
        await page.GetByTestId("tab-extensions").ClickAsync();
        await Assertions.Expect(page.GetByTestId("queue-extensions")).ToContainTextAsync("关于完善出租车停靠点的建议");
        await Assertions.Expect(page.GetByTestId("queue-extensions")).ToContainTextAsync("市交通运输局");

        // A row opens the task page.
        var analyseTask = await OpenTaskAsync(toAnalyse, "Suggestions.Analyse");
        await page.GetByTestId("tab-analyse").ClickAsync();
        var row = page.GetByTestId("queue-analyse").GetByTestId("office-task-link");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToHaveAttributeAsync("href", $"/tasks/{analyseTask}");
        await row.ClickAsync();
        // The task page is built beside this console: arriving at its address is what the row owes.
        await page.WaitForURLAsync(new Regex($"/tasks/{analyseTask}$"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });

        // The analysis panel of the analyse task: the transport bureau first, with its load; the similar items link to their pages.
        // (A fresh tab: the task page's own loading is no business of this test.)
        await page.CloseAsync();
        page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync(new Uri(app.Address, $"/office/tasks/{analyseTask}/analysis").ToString());
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^代表工委工作台"));
        var panel = page.GetByTestId("analysis-panel");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await Assertions.Expect(panel.GetByTestId("proposed-unit-name").First).ToHaveTextAsync("市交通运输局");
        var transportOpen = 3; // the late, the extended and the in-flight item are open with the bureau
        await Assertions.Expect(panel.GetByTestId("proposed-unit").First.GetByTestId("unit-load")).ToHaveTextAsync($"在办 {transportOpen} 件");
        await Assertions.Expect(panel.Locator($"a[href='/suggestions/{late}']")).ToBeVisibleAsync();
        await Assertions.Expect(panel.GetByTestId("similar-score").First).ToHaveTextAsync(new Regex(@"^0\.\d\d$|^1\.00$"));
        await Assertions.Expect(panel.GetByTestId("merge-ids")).ToContainTextAsync(late.ToString());
        await Assertions.Expect(panel.GetByTestId("assignment-deadlines")).ToHaveCountAsync(0);

        // On the assign step the panel shows the deadlines the rules will set.
        var assignTask = await OpenTaskAsync(toAssign, "Suggestions.Assign");
        DateTimeOffset replyDue;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            replyDue = (await HandlingRules.LoadAsync(db, CancellationToken.None)).Reply.DueFrom(clock.GetUtcNow(), await WorkingCalendar.LoadAsync(db, CancellationToken.None));
        }

        await page.GotoAsync(new Uri(app.Address, $"/office/tasks/{assignTask}/analysis").ToString());
        await Assertions.Expect(page.GetByTestId("deadline-reply")).ToHaveTextAsync(replyDue.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));

        // 督办: three items in flight, one of them overdue.
        await page.GotoAsync(new Uri(app.Address, "/office").ToString());
        await Assertions.Expect(page.Locator("[data-interactive='true']")).ToHaveCountAsync(1);
        await page.GetByTestId("tab-supervision").ClickAsync();
        var board = page.GetByTestId("board");
        await Assertions.Expect(board.GetByTestId("board-item-link")).ToHaveCountAsync(3);
        await page.GetByTestId("light-filter-red").ClickAsync();
        await Assertions.Expect(board.GetByTestId("board-item-link")).ToHaveCountAsync(1);
        await Assertions.Expect(board.GetByTestId("board-item-link")).ToHaveAttributeAsync("href", $"/suggestions/{late}");
        await Assertions.Expect(board.GetByTestId("board-light-red")).ToHaveCountAsync(1);
        await page.GetByTestId("light-filter-green").ClickAsync();
        await Assertions.Expect(board.GetByTestId("board-item-link")).ToHaveCountAsync(2);
        await page.GetByTestId("light-filter-red").ClickAsync();
        await Assertions.Expect(board.GetByTestId("board-item-link")).ToHaveCountAsync(1);

        // 催办: the bureau's users get one message; a second click the same day is refused in plain Chinese and sends nothing.
        var remind = page.GetByTestId($"remind-{late}-{transport.Id}");
        await Assertions.Expect(page.GetByTestId($"last-reminded-{late}-{transport.Id}")).ToHaveTextAsync("未催办");
        await remind.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar").Last).ToContainTextAsync("已向市交通运输局催办");
        await Assertions.Expect(page.GetByTestId($"last-reminded-{late}-{transport.Id}")).ToContainTextAsync("上次催办");
        Assert.Equal(1, await RemindersReceivedAsync(transportApi, expect: 1));

        await remind.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar").Last).ToContainTextAsync("今天已向市交通运输局催办过这件建议");
        await page.GetByTestId("light-all").ClickAsync();
        await Assertions.Expect(board.GetByTestId("board-item-link")).ToHaveCountAsync(3);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(SourcePaths.Repository, "docs", "screenshots", "office.png"), FullPage = true });
        await page.CloseAsync();

        // The same through the API: refused twice over with problem details, and no second message.
        var again = await office.PostAsJsonAsync($"/api/suggestions/{late}/reminders", new { unitId = transport.Id });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var problem = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("reminder.already-sent-today", problem.GetProperty("code").GetString());
        Assert.Equal(1, await RemindersReceivedAsync(transportApi, expect: 1));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            var audited = db.AuditEntries.Count(a => a.SuggestionId == late && a.Action == "unit.reminded" && a.SubjectId == transport.Id);
            Assert.Equal(1, audited);
        }

        var noUnit = await office.PostAsJsonAsync($"/api/suggestions/{inFlight}/reminders", new { });
        Assert.Equal(HttpStatusCode.BadRequest, noUnit.StatusCode);
        Assert.True((await noUnit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("unitId", out _));
        var notTheirs = await office.PostAsJsonAsync($"/api/suggestions/{inFlight}/reminders", new { unitId = education.Id });
        Assert.Equal(HttpStatusCode.Conflict, notTheirs.StatusCode);
        Assert.Equal("reminder.no-open-task", (await notTheirs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var byUnit = await transportApi.PostAsJsonAsync($"/api/suggestions/{inFlight}/reminders", new { unitId = transport.Id });
        Assert.Equal(HttpStatusCode.Forbidden, byUnit.StatusCode);

        // Another item the same day, and the same item the next day, may be reminded.
        var other = await office.PostAsJsonAsync($"/api/suggestions/{inFlight}/reminders", new { unitId = transport.Id });
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.Equal(2, await RemindersReceivedAsync(transportApi, expect: 2));
        clock.Advance(TimeSpan.FromDays(1));
        var nextDay = await office.PostAsJsonAsync($"/api/suggestions/{late}/reminders", new { unitId = transport.Id });
        Assert.Equal(HttpStatusCode.Created, nextDay.StatusCode);
        Assert.Equal(3, await RemindersReceivedAsync(transportApi, expect: 3));
    }

    /// <summary>The reminders (催办) in the user's notifications, once the outbox has delivered what it holds (waits up to 20 s for <paramref name="expect"/>).</summary>
    private static async Task<int> RemindersReceivedAsync(HttpClient user, int expect)
    {
        var count = 0;
        for (var attempt = 0; attempt < 80; attempt++)
        {
            var list = await user.GetFromJsonAsync<JsonElement>(new Uri("/api/notifications?take=500", UriKind.Relative));
            count = list.GetProperty("items").EnumerateArray().Count(n => n.GetProperty("subject").GetString()?.StartsWith("催办", StringComparison.Ordinal) == true);
            if (count >= expect)
            {
                // Give a stray second delivery the chance to show before answering.
                await Task.Delay(500);
                list = await user.GetFromJsonAsync<JsonElement>(new Uri("/api/notifications?take=500", UriKind.Relative));
                return list.GetProperty("items").EnumerateArray().Count(n => n.GetProperty("subject").GetString()?.StartsWith("催办", StringComparison.Ordinal) == true);
            }

            await Task.Delay(250);
        }

        return count;
    }
}
