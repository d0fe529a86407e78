using System.Text.RegularExpressions;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Host.Dashboard;
using Liaison.Host.Identity;
using Liaison.Testing;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace Liaison.EndToEnd.Tests;

[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserFixture browser)
{
    private static readonly string Screenshots = Path.Combine(SourcePaths.Repository, "docs", "screenshots");

    [Fact]
    public async Task A_leader_picks_a_period_reads_the_tiles_drills_into_an_overdue_item_and_downloads_the_list()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "dashboard-e2e");
        var clock = FakeClock.Create();
        await using var app = await LiaisonWebApp.StartAsync(database, services: s => s.UseFakeClock(clock));
        var scenario = await DashboardScenario.RunAsync(app, database, clock);
        var leader = await app.CreateUserAsync([Roles.Leader], leaderId: scenario.Leader.ToString());
        var handler = await app.CreateUserAsync([Roles.UnitHandler], unitId: scenario.Transport.ToString());

        await browser.Context.ClearCookiesAsync();
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 900);

        // A unit handler has no dashboard: no link, and the page refuses.
        await SignInAsync(page, app, handler.UserName, handler.Password, "/tasks");
        await Assertions.Expect(page.GetByTestId("nav-dashboard")).ToHaveCountAsync(0);
        await page.GotoAsync(new Uri(app.Address, "/dashboard").ToString());
        await Assertions.Expect(page.GetByTestId("kpis")).ToHaveCountAsync(0);

        await browser.Context.ClearCookiesAsync();
        await SignInAsync(page, app, leader.UserName, leader.Password, "/dashboard");
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^督办看板"));
        await Assertions.Expect(page.GetByTestId("nav-dashboard")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-interactive='true']")).ToHaveCountAsync(1);

        // Pick a period: March to June 2026 (the previous period of equal length is November to February).
        await page.GetByLabel("开始日期").FillAsync("2026-03-01");
        await page.GetByLabel("开始日期").PressAsync("Tab");
        await page.GetByLabel("结束日期").FillAsync("2026-06-30");
        await page.GetByLabel("结束日期").PressAsync("Tab");
        await page.GetByTestId("period-apply").ClickAsync();
        await page.WaitForURLAsync(new Regex("/dashboard\\?from=2026-03-01&to=2026-06-30$"));
        await Assertions.Expect(page.GetByTestId("period-shown")).ToContainTextAsync("2026-03-01 — 2026-06-30");

        // The tiles say what the domain measures for that period.
        var period = new DashboardPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 6, 30));
        Kpis kpis;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            kpis = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetKpis(period.Start, period.End));
        }

        Assert.Equal(1, kpis.RepliesSent);
        await Assertions.Expect(page.GetByTestId("kpi-ontime-value")).ToHaveTextAsync(ReportFormat.Rate(kpis.OnTimeReplyRate));
        await Assertions.Expect(page.GetByTestId("kpi-consultation-value")).ToHaveTextAsync(ReportFormat.Rate(kpis.ConsultationRate));
        await Assertions.Expect(page.GetByTestId("kpi-resolution-a-value")).ToHaveTextAsync(ReportFormat.Rate(kpis.ResolutionRateA));
        await Assertions.Expect(page.GetByTestId("kpi-resolution-ab-value")).ToHaveTextAsync(ReportFormat.Rate(kpis.ResolutionRateAB));
        await Assertions.Expect(page.GetByTestId("kpi-satisfaction-value")).ToHaveTextAsync(ReportFormat.Rate(kpis.SatisfactionRate));
        await Assertions.Expect(page.GetByTestId("kpi-overdue-value")).ToHaveTextAsync(kpis.OverdueInPeriod.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("kpi-ontime-change")).ToContainTextAsync("上期无数据");

        // The overdue list by unit: the two overdue items, each linking to its suggestion.
        var links = page.GetByTestId("overdue-by-unit-link");
        await Assertions.Expect(links).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("list-overdue-by-unit")).ToContainTextAsync("关于缓解中小学课后托管压力的建议");
        await Assertions.Expect(page.GetByTestId("chart-by-unit")).ToBeVisibleAsync();
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "dashboard.png"), FullPage = true });

        // Download the list as .xlsx: the same rows as on screen.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-overdue-by-unit").ClickAsync());
        var file = Path.Combine(Path.GetTempPath(), $"dashboard-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(file);
        try
        {
            var rows = MiniExcel.Query(file, useHeaderRow: true).Cast<IDictionary<string, object?>>().Select(r => (string)r["标题"]!).ToList();
            Assert.Equal(await links.AllTextContentsAsync(), rows);
        }
        finally
        {
            File.Delete(file);
        }

        // Narrowed to one unit, the list holds that unit's overdue item only.
        await page.GetByTestId("filter-unit").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("市教育局").ClickAsync();
        await Assertions.Expect(links).ToHaveCountAsync(1);
        await Assertions.Expect(links).ToHaveTextAsync("关于缓解中小学课后托管压力的建议");

        // By supervising leader: the key suggestion under its leader; drilling into the row opens the item's page.
        await page.GetByText("逾期件 · 按督办领导").ClickAsync();
        var byLeader = page.GetByTestId("list-overdue-by-leader");
        await Assertions.Expect(byLeader).ToContainTextAsync("张副市长");
        await Assertions.Expect(page.GetByTestId("overdue-by-leader-link")).ToHaveCountAsync(1);
        var key = scenario.Suggestions[1];
        await page.GetByTestId("overdue-by-leader-link").ClickAsync();
        await page.WaitForURLAsync(new Regex($"/suggestions/{key}$"), new() { WaitUntil = WaitUntilState.Commit });
        await page.CloseAsync();
    }

    private static async Task SignInAsync(IPage page, LiaisonWebApp app, string userName, string password, string returnUrl)
    {
        await page.GotoAsync(new Uri(app.Address, $"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}").ToString());
        await page.GetByTestId("signin-username").FillAsync(userName);
        await page.GetByTestId("signin-password").FillAsync(password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await page.WaitForURLAsync(new Regex(Regex.Escape(returnUrl) + "$"));
    }
}
