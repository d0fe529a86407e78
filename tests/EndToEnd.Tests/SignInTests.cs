using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Liaison.EndToEnd.Tests;

[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_demo_user_signs_in_through_the_form_sees_their_name_and_signs_out()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "signin");
        await using var app = await LiaisonWebApp.StartAsync(database, new Dictionary<string, string?> { ["Liaison:Demo:Enabled"] = "true" });
        var handler = app.Services.GetRequiredService<DemoSignIns>().Created.Single(s => s.Role == Roles.UnitHandler);
        // The browser is shared and cookies ignore ports: start without another test's language or session.
        await browser.Context.ClearCookiesAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync(app.Address.ToString());
        await Assertions.Expect(page.Locator(".mud-layout")).ToHaveAttributeAsync("data-interactive", "true");
        await page.GetByTestId("sign-in").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signin-form")).ToBeVisibleAsync();
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);

        // A wrong password keeps the user name and says so, in Chinese first.
        await page.GetByTestId("signin-username").FillAsync(handler.UserName);
        await page.GetByTestId("signin-password").FillAsync("wrong-password");
        await page.GetByTestId("signin-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signin-failed")).ToContainTextAsync("用户名或密码错误");
        await Assertions.Expect(page.GetByTestId("signin-username")).ToHaveValueAsync(handler.UserName);

        await page.GetByTestId("signin-password").FillAsync(handler.Password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync(handler.DisplayName);
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync("承办单位经办人");

        // The home page sends the handler to their own work, the inbox; the Studio is not theirs to open.
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/tasks$"));
        await Assertions.Expect(page.GetByTestId("nav-tasks")).ToHaveTextAsync("待办任务");
        await Assertions.Expect(page.GetByTestId("nav-studio")).ToHaveCountAsync(0);

        // The cookie is not readable from scripts.
        Assert.DoesNotContain("liaison.auth", await page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);

        await Assertions.Expect(page.Locator(".mud-layout")).ToHaveAttributeAsync("data-interactive", "true");
        await page.GetByTestId("sign-out").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sign-in")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveCountAsync(0);
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_sign_in_page_switches_to_english()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "signin-en");
        await using var app = await LiaisonWebApp.StartAsync(database);
        // The browser is shared and cookies ignore ports: start without another test's language or session.
        await browser.Context.ClearCookiesAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(app.Address, "/account/login").ToString());
        await Assertions.Expect(page.GetByTestId("signin-submit")).ToHaveTextAsync("登录");
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signin-submit")).ToHaveTextAsync("Sign in");
        await page.GetByRole(AriaRole.Link, new() { Name = "中文" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signin-submit")).ToHaveTextAsync("登录");
        await page.CloseAsync();
    }
}
