using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Liaison.EndToEnd.Tests;

/// <summary>
/// The inbox's filters by clicking and typing (kept in the URL across a reload), the inbox and the task page on a phone,
/// and the 404 of a suggestion page the user may not read.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxFilterTests(BrowserFixture browser)
{
    /// <summary>The fake clock runs days ahead; bearer tokens must outlive that.</summary>
    private static readonly Dictionary<string, string?> LongTokens = new() { ["Liaison:Auth:TokenLifetime"] = "365.00:00:00" };

    [Fact]
    public async Task A_handler_filters_by_field_and_deadline_and_searches_and_a_reload_keeps_the_filters()
    {
        var clock = FakeClock.Create();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "inbox-filters");
        await using var app = await LiaisonWebApp.StartAsync(database, LongTokens, s => s.UseFakeClock(clock));
        var world = await World.CreateAsync(app);

        // 签收 is due 5 working days after assignment: seen on Tue 10 Mar, the first is overdue and the second due within 3.
        await world.AssignAsync("关于增设公交站点的建议", "transport"); // 16-2026-0001
        clock.Advance(TimeSpan.FromDays(3));
        await world.AssignAsync("关于开通夜间公交的建议", "transport"); // 16-2026-0002
        clock.Advance(TimeSpan.FromDays(5));
        await world.AssignAsync("关于改善学校周边交通的建议", "education"); // 16-2026-0003

        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 900);
        try
        {
            await browser.Context.ClearCookiesAsync();
            await SignInAsync(page, app, world.Handler, "/tasks");
            var rows = page.GetByTestId("task-link");
            var search = StudioTests.Field(page, "filter-search");
            await Assertions.Expect(page.GetByTestId("tab-SignFor")).ToContainTextAsync("待签收 3");
            await Assertions.Expect(rows).ToHaveCountAsync(3);
            await WaitInteractiveAsync(page);

            // A word of the title: the list, the tab's count and the URL follow.
            await search.FillAsync("公交");
            await search.PressAsync("Enter");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("q=%E5%85%AC%E4%BA%A4"));
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            await Assertions.Expect(page.GetByTestId("tab-SignFor")).ToContainTextAsync("待签收 2");
            await Assertions.Expect(page.GetByTestId("tab-Overdue")).ToContainTextAsync("已逾期 1");

            // The deadline: due within 3 working days leaves the second one.
            await page.GetByTestId("filter-deadline").ClickAsync();
            await page.Locator(".mud-popover-open").GetByText("3个工作日内到期").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("due=Within3"));
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows).ToHaveTextAsync("关于开通夜间公交的建议");

            // A reload (or the link) shows the same list with the filters filled in.
            await page.ReloadAsync();
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows).ToHaveTextAsync("关于开通夜间公交的建议");
            await Assertions.Expect(search).ToHaveValueAsync("公交");
            await Assertions.Expect(page.GetByTestId("tab-SignFor")).ToContainTextAsync("待签收 1");
            await WaitInteractiveAsync(page);

            // Back to every deadline, the search cleared, then by field: 教育 holds the third.
            await page.GetByTestId("filter-deadline").ClickAsync();
            await page.Locator(".mud-popover-open").GetByText("全部").ClickAsync();
            await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("due="));
            await search.FillAsync(string.Empty);
            await search.PressAsync("Enter");
            await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("q="));
            await Assertions.Expect(rows).ToHaveCountAsync(3);
            await page.GetByTestId("filter-field").ClickAsync();
            await page.Locator(".mud-popover-open").GetByText("教育", new() { Exact = true }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("field=education"));
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows).ToHaveTextAsync("关于改善学校周边交通的建议");
            await Assertions.Expect(page.GetByTestId("tab-Overdue")).ToContainTextAsync("已逾期 0");

            // The number (届-年-序号) within 交通运输; a search that matches nothing says so.
            await page.GetByTestId("filter-field").ClickAsync();
            await page.Locator(".mud-popover-open").GetByText("交通运输", new() { Exact = true }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("field=transport"));
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            await search.FillAsync("16-2026-0001");
            await search.PressAsync("Enter");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByTestId("row-number")).ToHaveTextAsync("16-2026-0001");
            await search.FillAsync("16-2026-0003");
            await search.PressAsync("Enter");
            await Assertions.Expect(page.GetByTestId("inbox-empty")).ToHaveTextAsync("没有符合筛选条件的任务。");
            await Assertions.Expect(page.GetByTestId("tab-SignFor")).ToContainTextAsync("待签收 0");
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "inbox-filters-failure.png"), FullPage = true }); // what the browser showed
            throw;
        }

        await page.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_the_inbox_and_the_task_page_fit_and_a_step_is_done_and_an_unreadable_suggestion_is_a_404()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "inbox-phone");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var world = await World.CreateAsync(app);
        var suggestion = await world.AssignAsync(
            "关于在城东新区增设公交站点并优化换乘线路以方便沿线居民和学生出行的建议",
            "transport",
            "建议在城东新区增设公交站点，方便居民出行。沿线https://example.invalid/a-very-long-address-without-any-break-in-it-at-all-to-test-wrapping居民多。");

        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        try
        {
            await browser.Context.ClearCookiesAsync();
            await SignInAsync(page, app, world.Handler, "/tasks");
            await Assertions.Expect(page.GetByTestId("task-link")).ToHaveCountAsync(1);
            await WaitInteractiveAsync(page);
            await AssertFitsAsync(page, "/tasks");

            // The task page: one column, the suggestion above the form, nothing wider than the screen; 签收 by a tap.
            await page.GetByTestId("task-link").ClickAsync();
            await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^签收 · 待办任务"));
            await WaitInteractiveAsync(page);
            await AssertFitsAsync(page, "/tasks/{id}");
            var text = await page.GetByTestId("suggestion-text").BoundingBoxAsync();
            var form = await page.GetByTestId("task-form").BoundingBoxAsync();
            Assert.True(text!.Y + text.Height <= form!.Y, $"the suggestion ({text.Y}+{text.Height}) is not above the form ({form.Y})");
            Assert.True(form.X >= 0 && form.X + form.Width <= 390, $"the form spans {form.X}..{form.X + form.Width}");
            await page.GetByTestId("outcome-Signed").ClickAsync();
            await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^面商 · 待办任务"));
            await AssertFitsAsync(page, "/tasks/{id} (面商)");

            // The suggestion's page: the unit reads it; another unit's handler and an unknown id get 404.
            var own = await page.GotoAsync(new Uri(app.Address, $"/suggestions/{suggestion}").ToString());
            Assert.Equal(200, own!.Status);
            await browser.Context.ClearCookiesAsync();
            await SignInAsync(page, app, world.OtherHandler, "/tasks");
            var hidden = await page.GotoAsync(new Uri(app.Address, $"/suggestions/{suggestion}").ToString());
            Assert.Equal(404, hidden!.Status);
            await Assertions.Expect(page.GetByTestId("file-not-found")).ToBeVisibleAsync();
            Assert.DoesNotContain("城东新区", await page.ContentAsync());
            var unknown = await page.GotoAsync(new Uri(app.Address, $"/suggestions/{Guid.NewGuid()}").ToString());
            Assert.Equal(404, unknown!.Status);
            await Assertions.Expect(page.GetByTestId("file-not-found")).ToBeVisibleAsync();
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "inbox-phone-failure.png"), FullPage = true }); // what the browser showed
            throw;
        }

        await page.CloseAsync();

        // The same over plain HTTP with the cookie: 404 for an unknown task and suggestion, 200 for the unit's own.
        var other = await app.CookieClientAsync(world.OtherHandler.UserName, world.OtherHandler.Password);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(new Uri($"/suggestions/{suggestion}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(new Uri($"/tasks/{Guid.NewGuid()}", UriKind.Relative))).StatusCode);
        var handler = await app.CookieClientAsync(world.Handler.UserName, world.Handler.Password);
        Assert.Equal(HttpStatusCode.OK, (await handler.GetAsync(new Uri($"/suggestions/{suggestion}", UriKind.Relative))).StatusCode);
    }

    private static async Task AssertFitsAsync(IPage page, string what)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"{what} is {width} px wide on a 390 px phone");
    }

    private static async Task SignInAsync(IPage page, LiaisonWebApp app, TestUser user, string returnUrl)
    {
        await page.GotoAsync(new Uri(app.Address, $"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}").ToString());
        await page.GetByTestId("signin-username").FillAsync(user.UserName);
        await page.GetByTestId("signin-password").FillAsync(user.Password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await page.WaitForURLAsync(new Regex(Regex.Escape(returnUrl) + "$"));
    }

    /// <summary>Clicks reach the server only once the Blazor circuit is connected.</summary>
    private static Task WaitInteractiveAsync(IPage page) => Assertions.Expect(page.Locator("[data-interactive='true']")).ToHaveCountAsync(1);

    /// <summary>Two units, a deputy, a handler of each unit and the office (over the API).</summary>
    private sealed class World(Guid unit, HttpClient office, HttpClient deputy, TestUser handler, TestUser otherHandler)
    {
        public TestUser Handler => handler;

        public TestUser OtherHandler => otherHandler;

        public static async Task<World> CreateAsync(LiaisonWebApp app)
        {
            var unit = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
            var other = new HandlingUnit { Name = "市教育局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
            var deputy = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
                db.AddRange(unit, other, deputy);
                await db.SaveChangesAsync();
            }

            return new World(
                unit.Id,
                await app.ClientForAsync(Roles.LiaisonOffice),
                await app.ClientForAsync([Roles.Deputy], deputyId: deputy.Id.ToString()),
                await app.CreateUserAsync([Roles.UnitHandler], unit.Id.ToString()),
                await app.CreateUserAsync([Roles.UnitHandler], other.Id.ToString()));
        }

        /// <summary>Submitted by the deputy, admitted, classified in <paramref name="field"/> and assigned to the unit.</summary>
        public async Task<Guid> AssignAsync(string title, string field, string text = "正文")
        {
            var response = await deputy.PostAsJsonAsync("/api/suggestions", new { term = 16, title, text });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            foreach (var (step, body) in new (string, object)[]
            {
                ("Suggestions.Receive", new { outcome = "Admitted" }),
                ("Suggestions.Analyse", new { outcome = "Ordinary", field }),
                ("Suggestions.Assign", new { outcome = "Assigned", unitIds = new[] { unit } }),
            })
            {
                var tasks = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?correlationKey={id}&activityType={step}", UriKind.Relative));
                var task = tasks.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid();
                var done = await office.PostAsJsonAsync($"/api/workflows/tasks/{task}/complete", body);
                Assert.True(done.IsSuccessStatusCode, $"{step}: {await done.Content.ReadAsStringAsync()}");
            }

            return id;
        }
    }
}
