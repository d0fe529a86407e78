using System.Net.Http.Json;
using System.Text.Json;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Liaison.EndToEnd.Tests;

[Collection(BrowserCollection.Name)]
public sealed class InboxTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_unit_handler_sees_the_unit_s_task_in_the_inbox_and_it_leaves_once_done()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "inbox");
        await using var app = await LiaisonWebApp.StartAsync(database);

        var unit = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var other = new HandlingUnit { Name = "市教育局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var deputy = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(unit, other, deputy);
            await db.SaveChangesAsync();
        }

        var handlerUser = await app.CreateUserAsync([Roles.UnitHandler], unitId: unit.Id.ToString());
        var otherUser = await app.CreateUserAsync([Roles.UnitHandler], unitId: other.Id.ToString());
        var deputyUser = await app.CreateUserAsync([Roles.Deputy], deputyId: deputy.Id.ToString());
        var deputyApi = await app.TokenClientAsync(deputyUser.UserName, deputyUser.Password);
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var handler = await app.TokenClientAsync(handlerUser.UserName, handlerUser.Password);

        var submitted = await deputyApi.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于增设公交站点的建议", text = "正文" });
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        async Task<Guid> OpenTaskAsync(string activityId)
        {
            var tasks = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?status=Open&take=100", UriKind.Relative));
            return tasks.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("activityId").GetString() == activityId).GetProperty("id").GetGuid();
        }

        async Task CompleteAsync(HttpClient client, string activityId, object body)
        {
            var response = await client.PostAsJsonAsync($"/api/workflows/tasks/{await OpenTaskAsync(activityId)}/complete", body);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await CompleteAsync(office, "receive", new { outcome = "Admitted" });
        await CompleteAsync(office, "analyse", new { outcome = "Ordinary", field = "transport" });
        await CompleteAsync(office, "assign", new { outcome = "Assigned", unitIds = new[] { unit.Id } });
        var signFor = await OpenTaskAsync("signFor");

        await browser.Context.ClearCookiesAsync();
        var page = await browser.NewPageAsync();
        await SignInAsync(page, app, otherUser.UserName, otherUser.Password);

        // Another unit's handler sees nothing of it.
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^待办任务"));
        await Assertions.Expect(page.GetByTestId("inbox-empty")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"a[href='/tasks/{signFor}']")).ToHaveCountAsync(0);

        await browser.Context.ClearCookiesAsync();
        await SignInAsync(page, app, handlerUser.UserName, handlerUser.Password);
        var link = page.Locator($"a[href='/tasks/{signFor}']");
        await Assertions.Expect(link).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("days-left")).ToContainTextAsync("剩");
        await Assertions.Expect(page.GetByTestId("light-green").Or(page.GetByTestId("light-yellow"))).ToBeVisibleAsync();

        // The overdue filter holds nothing yet: the deadline lies ahead.
        await Assertions.Expect(page.Locator("[data-interactive='true']")).ToHaveCountAsync(1);
        await page.GetByTestId("tab-Overdue").ClickAsync();
        await Assertions.Expect(page.GetByTestId("inbox-empty")).ToBeVisibleAsync();

        // Once signed for, the task leaves 待签收 and shows under 已办结.
        await CompleteAsync(handler, "signFor", new { outcome = "Signed" });
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator($"a[href='/tasks/{signFor}']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-interactive='true']")).ToHaveCountAsync(1);
        await page.GetByTestId("tab-Done").ClickAsync();
        await Assertions.Expect(page.Locator($"a[href='/tasks/{signFor}']")).ToBeVisibleAsync();
        await page.CloseAsync();
    }

    private static async Task SignInAsync(IPage page, LiaisonWebApp app, string userName, string password)
    {
        await page.GotoAsync(new Uri(app.Address, "/account/login?returnUrl=%2Ftasks").ToString());
        await page.GetByTestId("signin-username").FillAsync(userName);
        await page.GetByTestId("signin-password").FillAsync(password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/tasks$"));
    }
}
