using System.Text.RegularExpressions;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Liaison.EndToEnd.Tests;

/// <summary>The demo city on PostgreSQL: each demo user lands on their own work, which is not empty, and the bell leads to what a notification is about.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NavigationTests(BrowserFixture browser)
{
    [Fact]
    public async Task Each_demo_user_lands_on_their_own_work_and_the_bell_opens_a_notification()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "landing");
        await using var app = await LiaisonWebApp.StartAsync(database, new Dictionary<string, string?> { ["Liaison:Demo:Enabled"] = "true" });
        var signIns = app.Services.GetRequiredService<DemoSignIns>().Created.ToDictionary(s => s.Role);

        var landings = new (string Role, string Path)[]
        {
            (Roles.LiaisonOffice, "/office"), (Roles.UnitHandler, "/tasks"), (Roles.UnitHead, "/tasks"),
            (Roles.Deputy, "/deputy"), (Roles.Leader, "/dashboard"), (Roles.Designer, "/studio"),
        };
        foreach (var (role, path) in landings)
        {
            await browser.Context.ClearCookiesAsync();
            var page = await browser.NewPageAsync();
            await SignInAsync(page, app, signIns[role]);
            await page.WaitForURLAsync(new Regex(Regex.Escape(path) + "$"));
            await Assertions.Expect(page.Locator(".mud-layout")).ToHaveAttributeAsync("data-interactive", "true");
            await Assertions.Expect(page.GetByTestId("error-page")).ToHaveCountAsync(0);
            await page.CloseAsync();
        }

        // The demo deputy was sent replies to evaluate: the bell counts them, opening one marks it read and follows its link.
        await browser.Context.ClearCookiesAsync();
        var deputy = await browser.NewPageAsync();
        await SignInAsync(deputy, app, signIns[Roles.Deputy]);
        await Assertions.Expect(deputy.Locator(".mud-layout")).ToHaveAttributeAsync("data-interactive", "true");
        var count = deputy.GetByTestId("notification-count").Locator(".mud-badge");
        await Assertions.Expect(count).ToHaveTextAsync(new Regex("^[1-9][0-9]*$"), new() { Timeout = 60_000 });
        var before = int.Parse(await count.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await deputy.GetByTestId("notification-bell").Locator("button").First.ClickAsync();
        var first = deputy.GetByTestId("notification-item").First;
        await Assertions.Expect(first).ToBeVisibleAsync();
        await first.ClickAsync();
        await deputy.WaitForURLAsync(url => !url.EndsWith("/deputy", StringComparison.Ordinal));
        Assert.DoesNotContain("/error/", deputy.Url, StringComparison.Ordinal);
        if (before > 1)
        {
            await Assertions.Expect(count).ToHaveTextAsync((before - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            await Assertions.Expect(count).ToBeHiddenAsync();
        }

        await deputy.CloseAsync();
    }

    private static async Task SignInAsync(IPage page, LiaisonWebApp app, DemoSignIn user)
    {
        await page.GotoAsync(new Uri(app.Address, "/account/login").ToString());
        await page.GetByTestId("signin-username").FillAsync(user.UserName);
        await page.GetByTestId("signin-password").FillAsync(user.Password);
        await page.GetByTestId("signin-submit").ClickAsync();
    }
}
