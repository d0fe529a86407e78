using System.Net;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Host.Dashboard;
using Liaison.Host.Identity;
using Liaison.Testing;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace Liaison.Host.Tests;

/// <summary>The dashboard's .xlsx exports: the list's columns and rows, under the dashboard's policy, bad input refused.</summary>
public sealed class DashboardExportTests
{
    [Fact]
    public async Task Each_export_opens_and_holds_the_rows_and_columns_of_its_list()
    {
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("zh-CN");
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "dashboard-export");
        var clock = FakeClock.Create();
        await using var app = await LiaisonWebApp.StartAsync(database, services: s => s.UseFakeClock(clock));
        var scenario = await DashboardScenario.RunAsync(app, database, clock);
        var leaderUser = await app.CreateUserAsync([Roles.Leader], leaderId: scenario.Leader.ToString());
        var leader = await app.TokenClientAsync(leaderUser.UserName, leaderUser.Password);
        var period = new DashboardPeriod(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));

        foreach (var list in ReportLists.All.Values)
        {
            var response = await leader.GetAsync($"/api/reports/{list.Name}.xlsx?{period.Query}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(DashboardEndpoints.XlsxContentType, response.Content.Headers.ContentType?.MediaType);
            await using var xlsx = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
            var sheet = MiniExcel.Query(xlsx, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            xlsx.Position = 0;
            var headers = MiniExcel.GetColumns(xlsx, useHeaderRow: true).ToList();

            // What the page shows: the same list loaded the page's way, with the Chinese headers (the default culture).
            await using var scope = app.Services.CreateAsyncScope();
            var format = new ReportFormat(scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Localization.DashboardText>>(), scope.ServiceProvider.GetRequiredService<Localization.DisplayTime>());
            var (total, rows, _) = await list.LoadCellsAsync(scope.ServiceProvider.GetRequiredService<IMediator>(), new ReportFilter(period), format, null, 1000, default);
            var headerTexts = list.Headers.Select(h => format.Text(h)).ToList();
            Assert.Equal(headerTexts, headers);
            Assert.Equal(total, sheet.Count);
            Assert.Equal(
                rows.Select(r => string.Join("|", r.Select(c => Convert.ToString(c, System.Globalization.CultureInfo.InvariantCulture)))),
                sheet.Select(r => string.Join("|", headerTexts.Select(h => Convert.ToString(r[h], System.Globalization.CultureInfo.InvariantCulture)))));
        }

        // The overdue list holds the two overdue tasks: the key suggestion never signed for and the one not replied.
        var overdue = await leader.GetAsync($"/api/reports/overdue-by-unit.xlsx?{period.Query}");
        await using (var xlsx = new MemoryStream(await overdue.Content.ReadAsByteArrayAsync()))
        {
            var titles = MiniExcel.Query(xlsx, useHeaderRow: true).Cast<IDictionary<string, object?>>().Select(r => (string)r["标题"]!).Order().ToList();
            Assert.Equal(["关于增设学校周边停车接送区的建议", "关于缓解中小学课后托管压力的建议"], titles);
        }

        // Refusals: another role, an unknown list, a reversed period.
        var deputyUser = await app.CreateUserAsync([Roles.Deputy], deputyId: scenario.Deputy.ToString());
        var deputy = await app.TokenClientAsync(deputyUser.UserName, deputyUser.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await deputy.GetAsync($"/api/reports/overdue-by-unit.xlsx?{period.Query}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.NewClient().GetAsync($"/api/reports/overdue-by-unit.xlsx?{period.Query}")).StatusCode);
        var unknown = await leader.GetAsync("/api/reports/everything.xlsx");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("overdue-by-unit", await unknown.Content.ReadAsStringAsync());
        var reversed = await leader.GetAsync("/api/reports/by-unit.xlsx?from=2026-06-01&to=2026-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.Contains("before it starts", await reversed.Content.ReadAsStringAsync());
        var malformed = await leader.GetAsync("/api/reports/by-unit.xlsx?from=June");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("from", await malformed.Content.ReadAsStringAsync());
    }
}
