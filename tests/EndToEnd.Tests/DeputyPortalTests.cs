using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Liaison.Domain.Handling;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Host.Identity;
using Liaison.Testing;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Liaison.EndToEnd.Tests;

/// <summary>
/// 我的建议 and 建议详情 on PostgreSQL: a deputy submits with a co-signer found by search, follows an item's timeline,
/// evaluates the reply waiting for them, on a desktop and on a phone; another deputy cannot open the item by URL.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DeputyPortalTests(BrowserFixture browser)
{
    private static readonly string Screenshots = Path.Combine(SourcePaths.Repository, "docs", "screenshots");

    [Fact]
    public async Task A_deputy_submits_with_a_co_signer_follows_the_timeline_and_evaluates_the_reply_and_another_deputy_cannot_open_it()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "deputy");
        await using var app = await LiaisonWebApp.StartAsync(database);

        // Reference data: a unit with a real head, the signed-in deputy, a deputy to co-sign and a deputy who is neither.
        var unit = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var head = await app.CreateUserAsync([Roles.UnitHead], unitId: unit.Id.ToString());
        unit.HeadUserId = head.Id;
        var me = new Deputy { Name = "王建国", Level = DeputyLevel.City, Term = 16, PublicCode = "D-1001" };
        var coSigner = new Deputy { Name = "李明华", Level = DeputyLevel.City, Term = 16, PublicCode = "D-2042" };
        var stranger = new Deputy { Name = "赵小红", Level = DeputyLevel.City, Term = 16, PublicCode = "D-3003" };
        var others = Enumerable.Range(1, 12).Select(i => new Deputy { Name = $"李代表{i:00}", Level = DeputyLevel.County, Term = 16, PublicCode = $"L-{i:000}" }).ToList();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(unit, me, coSigner, stranger);
            db.AddRange(others);
            await db.SaveChangesAsync();
        }

        var deputyUser = await app.CreateUserAsync([Roles.Deputy], deputyId: me.Id.ToString());
        var strangerUser = await app.CreateUserAsync([Roles.Deputy], deputyId: stranger.Id.ToString());
        var deputyApi = await app.TokenClientAsync(deputyUser.UserName, deputyUser.Password);
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var handler = await app.ClientForAsync(Roles.UnitHandler, unit.Id.ToString());
        var headApi = await app.TokenClientAsync(head.UserName, head.Password);

        // The deputies lookup: name match and code prefix, paged on the server; no contact details.
        var byName = await deputyApi.GetFromJsonAsync<JsonElement>(new Uri("/api/lookups/deputies?q=李&take=5", UriKind.Relative));
        Assert.Equal(13, byName.GetProperty("total").GetInt32());
        Assert.Equal(5, byName.GetProperty("items").GetArrayLength());
        var byCode = await deputyApi.GetFromJsonAsync<JsonElement>(new Uri("/api/lookups/deputies?q=D-20", UriKind.Relative));
        Assert.Equal([coSigner.Id], byCode.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()));
        Assert.DoesNotContain("contact", byCode.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.NewClient(followRedirects: false).GetAsync(new Uri("/api/lookups/deputies?q=李", UriKind.Relative))).StatusCode);

        // An earlier suggestion driven through the real workflow to the evaluation step (as the unit and the office would).
        var earlier = await deputyApi.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于增设公交站点的建议", text = "城东新区公交站点稀少，群众出行不便。" });
        Assert.True(earlier.IsSuccessStatusCode, await earlier.Content.ReadAsStringAsync());
        var replied = (await earlier.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        async Task CompleteAsync(HttpClient client, string activityId, object body)
        {
            var tasks = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?status=Open&take=100", UriKind.Relative));
            var task = tasks.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("activityId").GetString() == activityId).GetProperty("id").GetGuid();
            var response = await client.PostAsJsonAsync($"/api/workflows/tasks/{task}/complete", body);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await CompleteAsync(office, "receive", new { outcome = "Admitted" });
        await CompleteAsync(office, "analyse", new { outcome = "Ordinary", field = "transport" });
        await CompleteAsync(office, "assign", new { outcome = "Assigned", unitIds = new[] { unit.Id } });
        await CompleteAsync(handler, "signFor", new { outcome = "Signed" });
        await CompleteAsync(handler, "consult", new { outcome = "Consulted", at = DateTimeOffset.UtcNow.AddMinutes(-5), method = "Phone", stage = "Before", participants = "王建国" });
        await CompleteAsync(handler, "reply", new { outcome = "Replied", category = "A", text = "已在中山路增设两处公交站点。", publicInterest = false });
        await CompleteAsync(headApi, "approve", new { outcome = "Approved" });
        var evaluateTask = await WaitForOpenTaskAsync(app, replied, "evaluate");

        await browser.Context.ClearCookiesAsync();
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 900);
        await SignInAsync(page, app, deputyUser.UserName, deputyUser.Password);

        // 我的建议: the reply waits for the deputy, with its call to action.
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^我的建议"));
        await Assertions.Expect(page.GetByTestId("count-AwaitingEvaluation")).ToHaveTextAsync("1");
        var repliedCard = page.Locator($"[data-suggestion='{replied}']");
        await Assertions.Expect(repliedCard.GetByTestId("card-state")).ToHaveTextAsync("已答复");
        await Assertions.Expect(repliedCard.GetByTestId("card-next")).ToContainTextAsync("请您评价");
        await Assertions.Expect(repliedCard.GetByTestId("card-units")).ToContainTextAsync("市交通运输局");
        await Assertions.Expect(repliedCard.GetByTestId("card-evaluate")).ToBeVisibleAsync();

        // Submitting: the errors show under the fields, in Chinese, and nothing is created.
        await WaitInteractiveAsync(page);
        await page.GetByTestId("new-suggestion").ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^提交建议"));
        await WaitInteractiveAsync(page);
        await page.GetByTestId("submit-suggestion").ClickAsync();
        await Assertions.Expect(page.GetByText("请填写标题")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("请填写建议内容")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("error-field")).ToHaveTextAsync("请选择领域");
        Assert.Equal(1, await CountSuggestionsAsync(app));

        await Input(page, "submit-title").FillAsync("关于优化城东公交线路的建议");
        await Input(page, "submit-text").FillAsync("城东公交线路重复率高，建议优化线路、增开微循环公交。");
        await page.GetByTestId("field-transport").ClickAsync();
        await page.GetByTestId("source-CongressSession").ClickAsync();
        await Input(page, "cosigner-query").FillAsync("李明");
        await page.GetByTestId("cosigner-search").ClickAsync();
        var result = page.GetByTestId("cosigner-result").Filter(new() { HasText = "李明华" });
        await Assertions.Expect(result).ToHaveCountAsync(1);
        await result.GetByTestId("cosigner-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("cosigner-chip")).ToHaveTextAsync("李明华");
        await page.GetByTestId("submit-suggestion").ClickAsync();

        // Back on the list, the new item is there; it was created with its workflow, which waits for the office to receive it.
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^我的建议"));
        var newCard = page.GetByTestId("deputy-card").Filter(new() { HasText = "关于优化城东公交线路的建议" });
        await Assertions.Expect(newCard.GetByTestId("card-state")).ToHaveTextAsync("已提交，待受理");
        await Assertions.Expect(newCard.GetByTestId("card-next")).ToContainTextAsync("代表工委审查是否受理");
        await Assertions.Expect(page.GetByTestId("count-All")).ToHaveTextAsync("2");
        Guid submitted;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            var suggestion = await db.Suggestions.Include(s => s.CoSigners).SingleAsync(s => s.Title == "关于优化城东公交线路的建议");
            Assert.Equal((me.Id, "transport", SuggestionSource.CongressSession), (suggestion.LeadDeputyId, suggestion.Field, suggestion.Source));
            Assert.Equal([coSigner.Id], suggestion.CoSigners.Select(c => c.DeputyId));
            submitted = suggestion.Id;
        }

        var receive = await WaitForOpenTaskAsync(app, submitted, "receive");
        Assert.Equal(("Role", Roles.LiaisonOffice), (receive.AssigneeKind, receive.AssigneeId));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "deputy.png"), FullPage = true });

        // The co-signer sees it too (the list is for led and co-signed items alike).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var items = await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new GetDeputyItems([coSigner.Id], DeputyItemFilter.All));
            Assert.Equal([(submitted, false)], items.Items.Select(i => (i.Id, i.IsLead)));
        }

        // The answered item's page: its timeline as a stepper, its unit, its reply.
        await repliedCard.GetByTestId("card-open").ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^建议详情"));
        await Assertions.Expect(page.GetByTestId("file-title")).ToHaveTextAsync("关于增设公交站点的建议");
        await Assertions.Expect(page.GetByTestId("file-field")).ToHaveTextAsync("交通运输");
        foreach (var step in new[] { "Submit", "Receive", "Assign", "SignFor", "Consult", "Reply" })
        {
            await Assertions.Expect(page.GetByTestId($"step-{step}")).ToHaveAttributeAsync("data-done", "true");
        }

        await Assertions.Expect(page.GetByTestId("step-Evaluate")).ToHaveAttributeAsync("data-done", "false");
        await Assertions.Expect(page.GetByTestId("step-SignFor")).ToContainTextAsync("市交通运输局");
        await Assertions.Expect(page.GetByTestId("step-Consult")).ToContainTextAsync("电话");
        await Assertions.Expect(page.GetByTestId("file-unit")).ToContainTextAsync("主办");
        await Assertions.Expect(page.GetByTestId("file-reply-category")).ToContainTextAsync("A类：已解决或基本解决");
        await Assertions.Expect(page.GetByTestId("file-reply-text")).ToHaveTextAsync("已在中山路增设两处公交站点。");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "suggestion.png"), FullPage = true });

        // Evaluating the reply that waits: the survey page completes the workflow's evaluation task.
        await WaitInteractiveAsync(page);
        await page.GetByTestId("file-evaluate").ClickAsync();
        await Assertions.Expect(page.GetByTestId("survey-form")).ToBeVisibleAsync();
        await page.GetByTestId("survey-Satisfied").CheckAsync();
        await page.GetByTestId("survey-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("survey-thanks")).ToBeVisibleAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var workflows = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            var task = await workflows.HumanTasks.AsNoTracking().SingleAsync(t => t.Id == evaluateTask.Id);
            Assert.Equal((HumanTaskStatus.Completed, "Satisfied"), (task.Status, task.Outcome));
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            Assert.Equal(SuggestionStatus.Closed, await db.Suggestions.Where(s => s.Id == replied).Select(s => s.Status).SingleAsync());
        }

        await page.GotoAsync(new Uri(app.Address, "/deputy").ToString());
        await Assertions.Expect(page.GetByTestId("count-AwaitingEvaluation")).ToHaveTextAsync("0");
        await Assertions.Expect(page.GetByTestId("count-Done")).ToHaveTextAsync("1");
        await WaitInteractiveAsync(page);
        await page.GetByTestId("tab-Done").ClickAsync();
        await Assertions.Expect(page.GetByTestId("deputy-card")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("card-state")).ToHaveTextAsync("已办结");
        await page.GotoAsync(new Uri(app.Address, $"/suggestions/{replied}").ToString());
        await Assertions.Expect(page.GetByTestId("step-Evaluate")).ToHaveAttributeAsync("data-done", "true");
        await Assertions.Expect(page.GetByTestId("file-evaluation")).ToContainTextAsync("王建国：满意");

        // On a phone (390 px): one column, nothing wider than the screen, on the list, the form and the item.
        await page.SetViewportSizeAsync(390, 844);
        foreach (var path in new[] { $"/suggestions/{replied}", "/deputy/submit", "/deputy/opinion", "/deputy" })
        {
            await page.GotoAsync(new Uri(app.Address, path).ToString());
            await WaitInteractiveAsync(page);
            var width = await page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth");
            Assert.True(width <= 390, $"{path} is {width} px wide on a 390 px phone");
        }

        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "deputy-phone.png"), FullPage = true });
        await page.SetViewportSizeAsync(1280, 900);

        // Another deputy: not their item, so it does not exist for them (and their list is empty).
        await browser.Context.ClearCookiesAsync();
        await SignInAsync(page, app, strangerUser.UserName, strangerUser.Password);
        await Assertions.Expect(page.GetByTestId("deputy-empty")).ToBeVisibleAsync();
        await page.GotoAsync(new Uri(app.Address, $"/suggestions/{replied}").ToString());
        await Assertions.Expect(page.GetByTestId("file-not-found")).ToHaveTextAsync("未找到该建议，或您无权查看。");
        await Assertions.Expect(page.GetByText("关于增设公交站点的建议")).ToHaveCountAsync(0);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_deputy_forwards_a_citizen_s_opinion_and_the_public_opinion_workflow_starts()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "deputy-opinion");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var station = new Station { Name = "城东代表联络站", Kind = StationKind.Station, PublicCode = "S-01" };
        var me = new Deputy { Name = "王建国", Level = DeputyLevel.City, Term = 16, StationId = station.Id };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(station, me);
            await db.SaveChangesAsync();
        }

        var deputyUser = await app.CreateUserAsync([Roles.Deputy], deputyId: me.Id.ToString());
        await browser.Context.ClearCookiesAsync();
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await SignInAsync(page, app, deputyUser.UserName, deputyUser.Password);
        await WaitInteractiveAsync(page);
        await page.GetByTestId("forward-opinion").ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^转交群众意见"));
        await WaitInteractiveAsync(page);

        // Empty: the errors show under the fields and nothing is recorded.
        await page.GetByTestId("submit-opinion").ClickAsync();
        await Assertions.Expect(page.GetByText("请填写群众姓名")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("请填写意见内容")).ToBeVisibleAsync();

        await Input(page, "opinion-citizen").FillAsync("张女士");
        await Input(page, "opinion-content").FillAsync("小区门口路灯损坏多日，夜间出行不安全。");
        await Assertions.Expect(page.GetByTestId("opinion-station")).ToHaveValueAsync(station.Id.ToString());
        await page.GetByTestId("submit-opinion").ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^我的建议"));

        await using var check = app.Services.CreateAsyncScope();
        var opinion = await check.ServiceProvider.GetRequiredService<LiaisonDbContext>().PublicOpinions.AsNoTracking().SingleAsync();
        Assert.Equal((me.Id, station.Id), (opinion.DeputyId, opinion.StationId));
        var key = opinion.Id.ToString();
        var workflows = check.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
        Assert.True(await workflows.Instances.AnyAsync(i => i.DefinitionId == "public-opinion" && i.CorrelationKey == key));
        await page.CloseAsync();
    }

    internal static async Task<HumanTaskRecord> WaitForOpenTaskAsync(LiaisonWebApp app, Guid suggestion, string activityId)
    {
        var key = suggestion.ToString();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var workflows = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            var task = await workflows.HumanTasks.AsNoTracking()
                .Where(t => t.Status == HumanTaskStatus.Open && t.ActivityId == activityId && workflows.Instances.Any(i => i.Id == t.InstanceId && i.CorrelationKey == key))
                .FirstOrDefaultAsync();
            if (task is not null)
            {
                return task;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"no open '{activityId}' task for suggestion {suggestion}");
    }

    // MudTextField puts the test id on its input (or textarea); either way, the element to type into.
    internal static ILocator Input(IPage page, string testId) =>
        page.Locator($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], [data-testid='{testId}'] input, [data-testid='{testId}'] textarea").First;

    private static async Task<int> CountSuggestionsAsync(LiaisonWebApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LiaisonDbContext>().Suggestions.CountAsync();
    }

    internal static async Task WaitInteractiveAsync(IPage page) =>
        await Assertions.Expect(page.Locator("[data-interactive='true']")).ToHaveCountAsync(1);

    internal static async Task SignInAsync(IPage page, LiaisonWebApp app, string userName, string password)
    {
        await page.GotoAsync(new Uri(app.Address, "/account/login?returnUrl=%2Fdeputy").ToString());
        await page.GetByTestId("signin-username").FillAsync(userName);
        await page.GetByTestId("signin-password").FillAsync(password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await page.WaitForURLAsync(new Regex("/deputy$"));
    }
}
