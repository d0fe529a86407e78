using Liaison.Domain.Persistence;
using Liaison.Testing;
using Microsoft.Playwright;

namespace Liaison.EndToEnd.Tests;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

[Collection(BrowserCollection.Name)]
public sealed class HomePageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Home_page_renders_in_chinese_and_switches_to_english()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "home");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var page = await browser.NewPageAsync();

        await browser.Context.ClearCookiesAsync();
        await page.GotoAsync(app.Address.ToString());
        await Assertions.Expect(page.Locator("h4")).ToHaveTextAsync("欢迎使用代表建议办理系统");
        await Assertions.Expect(page.GetByTestId("home-sign-in")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");

        // Visitors see no internals: no database, no file paths, no health details.
        await Assertions.Expect(page.GetByTestId("system-facts")).ToHaveCountAsync(0);
        var text = await page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("liaison.db", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(database.HostSettings().Values.FirstOrDefault(v => v?.Contains('/') == true) ?? "/nonexistent/", text, StringComparison.Ordinal);

        // The menu is interactive only once the Blazor circuit is up. Wait for it before reading styles too:
        // the circuit replaces the prerendered elements, and a detached element has no computed style.
        await Assertions.Expect(page.Locator(".mud-layout")).ToHaveAttributeAsync("data-interactive", "true");

        // MudBlazor's styles loaded: the app bar is coloured, not an unstyled div.
        var appBarColour = await page.Locator(".mud-appbar").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.Equal("rgb(183, 28, 28)", appBarColour);
        await page.GetByTestId("language-menu").Locator("button").ClickAsync();
        await page.GetByText("English").ClickAsync();
        await Assertions.Expect(page.Locator("h4")).ToHaveTextAsync("Welcome to Liaison");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Browsers_get_a_friendly_page_for_a_missing_address_and_the_api_keeps_problem_details()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "notfound");
        await using var app = await LiaisonWebApp.StartAsync(database);
        await browser.Context.ClearCookiesAsync();
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync(new Uri(app.Address, "/inbox/does-not-exist").ToString());
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByTestId("error-title")).ToHaveTextAsync("页面不存在");
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^页面不存在"));

        // The icon the page names is served.
        var icon = await page.Locator("link[rel=icon]").GetAttributeAsync("href");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.Client.GetAsync(new Uri(icon!, UriKind.Relative))).StatusCode);

        var api = await app.Client.GetAsync(new Uri("/api/does-not-exist", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        await page.CloseAsync();
    }
}
