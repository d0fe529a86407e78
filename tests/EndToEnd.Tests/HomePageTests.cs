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

        await page.GotoAsync(app.Address.ToString());
        await Assertions.Expect(page.Locator("h4")).ToHaveTextAsync("Liaison 代表建议办理系统");
        await Assertions.Expect(page.GetByTestId("status")).ToContainTextAsync("系统运行正常");
        await Assertions.Expect(page.GetByTestId("start-count")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");

        // The menu is interactive only once the Blazor circuit is up. Wait for it before reading styles too:
        // the circuit replaces the prerendered elements, and a detached element has no computed style.
        await Assertions.Expect(page.Locator(".mud-layout")).ToHaveAttributeAsync("data-interactive", "true");

        // MudBlazor's styles loaded: the app bar is coloured, not an unstyled div.
        var appBarColour = await page.Locator(".mud-appbar").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.Equal("rgb(183, 28, 28)", appBarColour);
        await page.GetByTestId("language-menu").Locator("button").ClickAsync();
        await page.GetByText("English").ClickAsync();
        await Assertions.Expect(page.Locator("h4")).ToHaveTextAsync("Liaison: deputies' suggestion handling");
        await Assertions.Expect(page.GetByTestId("status")).ToContainTextAsync("Liaison is up");
        await page.CloseAsync();
    }
}
