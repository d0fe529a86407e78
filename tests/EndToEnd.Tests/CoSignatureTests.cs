using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Liaison.EndToEnd.Tests;

/// <summary>
/// 联名确认 in the browser: A submits with B as co-signer, B confirms on /deputy (and declines another), A and the office see
/// B as confirmed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CoSignatureTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_co_signer_confirms_by_clicking_and_the_lead_and_the_office_see_the_signature_confirmed()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "deputy-cosign");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var lead = new Deputy { Name = "王建国", Level = DeputyLevel.City, Term = 16, PublicCode = "D-1001" };
        var coSigner = new Deputy { Name = "李明华", Level = DeputyLevel.City, Term = 16, PublicCode = "D-2042" };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(lead, coSigner);
            await db.SaveChangesAsync();
        }

        var leadUser = await app.CreateUserAsync([Roles.Deputy], deputyId: lead.Id.ToString());
        var coSignerUser = await app.CreateUserAsync([Roles.Deputy], deputyId: coSigner.Id.ToString());
        var officeUser = await app.CreateUserAsync([Roles.LiaisonOffice]);

        // A submits with B as co-signer.
        await browser.Context.ClearCookiesAsync();
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 900);
        await DeputyPortalTests.SignInAsync(page, app, leadUser.UserName, leadUser.Password);
        await page.GotoAsync(new Uri(app.Address, "/deputy/submit").ToString());
        await DeputyPortalTests.WaitInteractiveAsync(page);
        await DeputyPortalTests.Input(page, "submit-title").FillAsync("关于优化城东公交线路的建议");
        await DeputyPortalTests.Input(page, "submit-text").FillAsync("城东公交线路重复率高，建议优化线路、增开微循环公交。");
        await page.GetByTestId("field-transport").ClickAsync();
        await DeputyPortalTests.Input(page, "cosigner-query").FillAsync("李明");
        await page.GetByTestId("cosigner-search").ClickAsync();
        await page.GetByTestId("cosigner-result").Filter(new() { HasText = "李明华" }).GetByTestId("cosigner-add").ClickAsync();
        await page.GetByTestId("submit-suggestion").ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^我的建议"));
        Guid id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<LiaisonDbContext>().Suggestions.Where(s => s.Title == "关于优化城东公交线路的建议").Select(s => s.Id).SingleAsync();
        }

        // A second one, through the API, that B will decline.
        var leadApi = await app.TokenClientAsync(leadUser.UserName, leadUser.Password);
        var declined = await leadApi.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于延长地铁运营时间的建议", text = "正文", coSignerIds = new[] { coSigner.Id } });
        Assert.True(declined.IsSuccessStatusCode, await declined.Content.ReadAsStringAsync());
        var declinedId = (await declined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // A's own page: B is listed as not yet confirmed, and A has nothing to answer.
        await page.GotoAsync(new Uri(app.Address, $"/suggestions/{id}").ToString());
        await Assertions.Expect(page.GetByTestId("file-deputy").Filter(new() { HasText = "李明华" })).ToContainTextAsync("未确认");
        await Assertions.Expect(page.GetByTestId("cosign-actions")).ToHaveCountAsync(0);

        // B signs in: 待确认联名 holds the item, with its buttons, also on a phone.
        await browser.Context.ClearCookiesAsync();
        await DeputyPortalTests.SignInAsync(page, app, coSignerUser.UserName, coSignerUser.Password);
        await Assertions.Expect(page.GetByTestId("count-AwaitingCoSignature")).ToHaveTextAsync("2");
        await DeputyPortalTests.WaitInteractiveAsync(page);
        await page.GetByTestId("tab-AwaitingCoSignature").ClickAsync();
        var card = page.GetByTestId("deputy-card").Filter(new() { HasText = "关于优化城东公交线路的建议" });
        await Assertions.Expect(card.GetByTestId("card-next")).ToContainTextAsync("请确认是否联名");
        await page.SetViewportSizeAsync(390, 844);
        await Assertions.Expect(card.GetByTestId("cosign-confirm")).ToBeVisibleAsync();
        var width = await page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth");
        Assert.True(width <= 390, $"/deputy with a co-signature to answer is {width} px wide on a 390 px phone");
        var box = await card.GetByTestId("cosign-confirm").BoundingBoxAsync();
        Assert.True(box is { Height: >= 44 }, $"the confirm button is {box?.Height} px high");

        await card.GetByTestId("cosign-confirm").ClickAsync();
        await Assertions.Expect(page.GetByText("已确认联名。")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("count-AwaitingCoSignature")).ToHaveTextAsync("1");

        // Declining, with a reason: B is no longer on that one at all.
        var other = page.GetByTestId("deputy-card").Filter(new() { HasText = "关于延长地铁运营时间的建议" });
        await other.GetByTestId("cosign-refuse").ClickAsync();
        await DeputyPortalTests.Input(page, "cosign-reason").FillAsync("未参与调研");
        await other.GetByTestId("cosign-refuse-submit").ClickAsync();
        await Assertions.Expect(page.GetByText("已表示不同意联名，您不再是这件建议的联名代表。")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("count-AwaitingCoSignature")).ToHaveTextAsync("0");
        await Assertions.Expect(page.GetByTestId("count-All")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("cosign-actions")).ToHaveCountAsync(0);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var signer = await scope.ServiceProvider.GetRequiredService<LiaisonDbContext>().Set<SuggestionCoSigner>().AsNoTracking().SingleAsync(c => c.SuggestionId == id);
            Assert.Equal((coSigner.Id, CoSignatureState.Confirmed), (signer.DeputyId, signer.State));
        }

        // A sees B as confirmed on the suggestion's page.
        await page.SetViewportSizeAsync(1280, 900);
        await browser.Context.ClearCookiesAsync();
        await DeputyPortalTests.SignInAsync(page, app, leadUser.UserName, leadUser.Password);
        await page.GotoAsync(new Uri(app.Address, $"/suggestions/{id}").ToString());
        var b = page.GetByTestId("file-deputy").Filter(new() { HasText = "李明华" });
        await Assertions.Expect(b).ToContainTextAsync("已确认");
        await Assertions.Expect(b).ToHaveAttributeAsync("data-state", "Confirmed");
        await Assertions.Expect(page.GetByTestId("file-history")).ToContainTextAsync("确认联名");
        await page.GotoAsync(new Uri(app.Address, $"/suggestions/{declinedId}").ToString());
        await Assertions.Expect(page.GetByTestId("file-refused-cosigners")).ToHaveTextAsync("李明华（未参与调研）");
        await Assertions.Expect(page.GetByTestId("file-deputies")).Not.ToContainTextAsync("李明华");

        // The office's receive task shows the co-signers' answers next to the suggestion.
        var receive = await DeputyPortalTests.WaitForOpenTaskAsync(app, id, "receive");
        await browser.Context.ClearCookiesAsync();
        await page.GotoAsync(new Uri(app.Address, $"/account/login?returnUrl=%2Ftasks%2F{receive.Id}").ToString());
        await page.GetByTestId("signin-username").FillAsync(officeUser.UserName);
        await page.GetByTestId("signin-password").FillAsync(officeUser.Password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await page.WaitForURLAsync(new Regex($"/tasks/{receive.Id}$"));
        await Assertions.Expect(page.GetByTestId("suggestion-cosigners")).ToContainTextAsync("李明华（已确认）");
        await page.CloseAsync();
    }
}
