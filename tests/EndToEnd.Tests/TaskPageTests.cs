using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Liaison.Domain.Handling;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Liaison.EndToEnd.Tests;

/// <summary>
/// The unit's work in the browser on PostgreSQL: the inbox, the task page's generated forms, refusals that state the
/// rule, and who sees what. The office's steps are driven over the API as a setup; the unit's are clicked.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TaskPageTests(BrowserFixture browser)
{
    private static readonly string Screenshots = Path.Combine(SourcePaths.Repository, "docs", "screenshots");

    /// <summary>The fake clock runs days ahead; bearer tokens must outlive that.</summary>
    private static readonly Dictionary<string, string?> LongTokens = new() { ["Liaison:Auth:TokenLifetime"] = "365.00:00:00" };

    [Fact]
    public async Task A_handler_signs_consults_and_replies_by_clicking_and_the_head_approves_the_cleaned_reply()
    {
        var clock = FakeClock.Create();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "taskpage");
        await using var app = await LiaisonWebApp.StartAsync(database, LongTokens, s => s.UseFakeClock(clock));
        var world = await World.CreateAsync(app);
        var suggestion = await world.AssignAsync("关于增设公交站点的建议", "建议在城东新区增设公交站点，方便居民出行。");

        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 900);
        try
        {
            await browser.Context.ClearCookiesAsync();
            await SignInAsync(page, app, world.Handler, "/tasks");

            // The inbox: the step in words, the suggestion's number and title, our role, the deputy; counts in the tabs.
            await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^待办任务"));
            await Assertions.Expect(page.GetByTestId("tab-SignFor")).ToContainTextAsync("待签收 1");
            await Assertions.Expect(page.GetByTestId("tab-InHand")).ToContainTextAsync("办理中 0");
            await Assertions.Expect(page.GetByTestId("row-step")).ToHaveTextAsync("签收");
            await Assertions.Expect(page.GetByTestId("row-number")).ToHaveTextAsync("16-2026-0001");
            await Assertions.Expect(page.GetByTestId("row-role")).ToHaveTextAsync("主办");
            await Assertions.Expect(page.GetByTestId("row-deputy")).ToHaveTextAsync("王代表");
            await Assertions.Expect(page.GetByTestId("days-left")).ToContainTextAsync("剩 5 个工作日");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "inbox.png"), FullPage = true });

            // 签收: one click; the page moves on to the unit's next step on the same item (面商).
            await page.GetByTestId("task-link").ClickAsync();
            await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^签收 · 待办任务"));
            await Assertions.Expect(page.GetByTestId("suggestion-text")).ToContainTextAsync("城东新区");
            await Assertions.Expect(page.GetByTestId("suggestion-cosigners")).ToContainTextAsync("李代表");
            await WaitInteractiveAsync(page);
            await page.GetByTestId("outcome-Signed").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("签收");
            await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^面商 · 待办任务"));

            // 面商: the declared fields; a missing required one is named under its field and nothing is recorded.
            await page.GetByTestId("outcome-Consulted").ClickAsync();
            await page.Locator("[data-testid=form-field-at] input").FillAsync("2026-03-02T08:30");
            await page.GetByTestId("choice-method-Visit").ClickAsync();
            await page.GetByTestId("choice-stage-Before").ClickAsync();
            await page.GetByTestId("submit-Consulted").ClickAsync();
            await Assertions.Expect(page.GetByTestId("error-participants")).ToHaveTextAsync("必填");
            Assert.Equal(0, await world.CountAsync(db => db.Consultations));
            await page.Locator("[data-testid=form-field-participants] input").FillAsync("王代表、交通局李科长");
            await page.Locator("[data-testid=form-field-participants] input").BlurAsync();
            await page.GetByTestId("submit-Consulted").ClickAsync();
            await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^答复 · 待办任务"));
            Assert.Equal(1, await world.CountAsync(db => db.Consultations));
            await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("面商记录") }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("consultation")).ToContainTextAsync("交通局李科长");

            // 答复 (A) in rich text; what a paste could bring (a script, an image with a handler) is cleaned on the server.
            await page.GetByTestId("outcome-Replied").ClickAsync();
            await page.GetByTestId("choice-category-A").ClickAsync();
            await page.GetByTestId("rich-text").ClickAsync();
            await page.Keyboard.TypeAsync("经研究，我局已在城东新区增设两处公交站点。");
            await page.Keyboard.PressAsync("Enter");
            await page.GetByTitle("加粗").ClickAsync();
            await page.Keyboard.TypeAsync("新站点将于三月底前启用。");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "task-form.png"), FullPage = true });
            await page.GetByTestId("rich-text").EvaluateAsync(
                "(el) => el.insertAdjacentHTML('beforeend', '<p>站点已于三月<strong>投入使用</strong>。</p><script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">')");
            await page.GetByTestId("submit-Replied").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tasks$"));
            await Assertions.Expect(page.Locator(".mud-snackbar").Last).ToContainTextAsync("答复");

            var stored = await world.ReplyTextAsync(suggestion);
            Assert.Contains("<strong>投入使用</strong>", stored);
            Assert.Matches("<b>新站点将于三月底前启用。</b>", stored);
            Assert.DoesNotContain("script", stored, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("onerror", stored, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", stored, StringComparison.OrdinalIgnoreCase);

            // The head: 待审核 holds the reply beside the suggestion; approving sends it.
            await browser.Context.ClearCookiesAsync();
            await SignInAsync(page, app, world.Head, "/tasks");
            await Assertions.Expect(page.GetByTestId("tab-Approve")).ToContainTextAsync("待审核 1");
            await WaitInteractiveAsync(page);
            await page.GetByTestId("tab-Approve").ClickAsync();
            await Assertions.Expect(page.GetByTestId("row-step")).ToHaveTextAsync("一把手审签");
            await page.GetByTestId("task-link").ClickAsync();
            await Assertions.Expect(page.GetByTestId("reply-to-approve")).ToContainTextAsync("投入使用");
            await Assertions.Expect(page.Locator("[data-testid=reply-to-approve] strong")).ToHaveTextAsync("投入使用");
            await Assertions.Expect(page.Locator("[data-testid=reply-to-approve] script, [data-testid=reply-to-approve] img")).ToHaveCountAsync(0);
            Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
            await Assertions.Expect(page.GetByTestId("timeline-entry").Filter(new() { HasText = "签收" })).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByTestId("timeline-entry").Filter(new() { HasText = "提交答复" })).ToHaveCountAsync(1);
            await WaitInteractiveAsync(page);
            await page.GetByTestId("outcome-Approved").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tasks$"));
            await Assertions.Expect(page.Locator(".mud-snackbar").Last).ToContainTextAsync("一把手审签");
            Assert.Equal(ReplyStatus.Sent, await world.ReplyStatusAsync(suggestion));
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "taskpage-failure.png"), FullPage = true }); // what the browser showed
            throw;
        }

        await page.CloseAsync();
    }

    [Fact]
    public async Task A_late_return_is_refused_with_the_rule_another_unit_sees_not_found_and_the_office_only_reads()
    {
        var clock = FakeClock.Create();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "taskpage-refusals");
        await using var app = await LiaisonWebApp.StartAsync(database, LongTokens, s => s.UseFakeClock(clock));
        var world = await World.CreateAsync(app);
        var suggestion = await world.AssignAsync("关于整治夜间施工噪声的建议", "夜间施工噪声扰民。");
        var signFor = await world.OpenTaskAsync(suggestion, "signFor");

        // Eight days on, the five-working-day return window has closed.
        clock.Advance(TimeSpan.FromDays(8));
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 900);

        // A handler of another unit: not found (404), and nothing of the suggestion on the page.
        await browser.Context.ClearCookiesAsync();
        await SignInAsync(page, app, world.OtherHandler, "/tasks");
        var response = await page.GotoAsync(new Uri(app.Address, $"/tasks/{signFor}").ToString());
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByTestId("task-not-found")).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^待办任务"));
        Assert.DoesNotContain("夜间施工", await page.ContentAsync());

        // The office oversees: it reads the task and the suggestion, with a note and no way to act.
        await browser.Context.ClearCookiesAsync();
        await SignInAsync(page, app, world.Office, $"/tasks/{signFor}");
        await Assertions.Expect(page.GetByTestId("suggestion-title")).ToHaveTextAsync("关于整治夜间施工噪声的建议");
        await Assertions.Expect(page.GetByTestId("task-read-only")).ToContainTextAsync("只有承办单位的经办人或负责人可以办理");
        await Assertions.Expect(page.GetByTestId("outcome-Signed")).ToHaveCountAsync(0);

        // The unit's handler tries to return it: refused with the rule, and nothing changes.
        await browser.Context.ClearCookiesAsync();
        await SignInAsync(page, app, world.Handler, $"/tasks/{signFor}");
        await WaitInteractiveAsync(page);
        await page.GetByTestId("outcome-Returned").ClickAsync();
        await page.Locator("[data-testid=form-field-reason] textarea").First.FillAsync("不属于本单位职责，建议交市住建局办理。");
        await page.Locator("[data-testid=form-field-reason] textarea").First.BlurAsync();
        await page.GetByTestId("submit-Returned").ClickAsync();
        await Assertions.Expect(page.GetByTestId("task-refusal")).ToContainTextAsync("交办后 5 个工作日内可退回，已超过");
        Assert.Equal(HumanTaskStatus.Open, await world.TaskStatusAsync(signFor));
        Assert.Equal(UnitTaskStatus.Assigned, await world.UnitTaskStatusAsync(suggestion));
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_handler_attaches_a_pdf_to_the_reply_and_the_head_sees_and_downloads_it()
    {
        var clock = FakeClock.Create();
        var pdf = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"u8.ToArray();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "taskpage-attach");
        await using var app = await LiaisonWebApp.StartAsync(database, LongTokens, s => s.UseFakeClock(clock));
        var world = await World.CreateAsync(app);
        var suggestion = await world.AssignAsync("关于增设公交站点的建议", "建议在城东新区增设公交站点。");

        // 签收 and 面商 over the API; the reply is written in the browser.
        var handlerApi = await app.TokenClientAsync(world.Handler.UserName, world.Handler.Password);
        var signed = await handlerApi.PostAsJsonAsync($"/api/workflows/tasks/{await world.OpenTaskAsync(suggestion, "signFor")}/complete", new { outcome = "Signed" });
        Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());
        var consulted = await handlerApi.PostAsJsonAsync(
            $"/api/workflows/tasks/{await world.OpenTaskAsync(suggestion, "consult")}/complete",
            new { outcome = "Consulted", at = clock.GetUtcNow().AddHours(-1), method = "Visit", stage = "Before", participants = "王代表" });
        Assert.True(consulted.IsSuccessStatusCode, await consulted.Content.ReadAsStringAsync());
        var reply = await world.OpenTaskAsync(suggestion, "reply");

        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 900);
        try
        {
            await browser.Context.ClearCookiesAsync();
            await SignInAsync(page, app, world.Handler, $"/tasks/{reply}");
            await WaitInteractiveAsync(page);
            await page.GetByTestId("outcome-Replied").ClickAsync();
            await page.GetByTestId("choice-category-A").ClickAsync();
            await page.GetByTestId("rich-text").ClickAsync();
            await page.Keyboard.TypeAsync("经研究，已增设公交站点，详见附件。");

            // A program renamed nothing: refused in Chinese, nothing stored. The PDF goes up and is listed.
            var input = page.GetByTestId("attachment-input");
            await input.SetInputFilesAsync(new FilePayload { Name = "setup.exe", MimeType = "application/octet-stream", Buffer = [0x4D, 0x5A, 0x90, 0x00] });
            await Assertions.Expect(page.GetByTestId("attachment-error")).ToContainTextAsync("setup.exe：不支持该文件类型");
            await input.SetInputFilesAsync(new FilePayload { Name = "答复函.pdf", MimeType = "application/pdf", Buffer = pdf });
            await Assertions.Expect(page.GetByTestId("attachment-uploaded")).ToContainTextAsync("答复函.pdf");
            Assert.Equal(1, await world.CountAsync(db => db.Attachments));

            await page.GetByTestId("submit-Replied").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tasks$"));
            Assert.Equal(1, await world.CountAsync(db => db.Attachments.Where(a => a.ReplyId != null)));

            // The head's approval shows the file beside the reply, and the link downloads it.
            await browser.Context.ClearCookiesAsync();
            var approve = await world.OpenTaskAsync(suggestion, "approve");
            await SignInAsync(page, app, world.Head, $"/tasks/{approve}");
            var link = page.Locator("[data-testid=reply-to-approve] [data-testid=attachment-link]");
            await Assertions.Expect(link).ToHaveTextAsync("答复函.pdf");
            await Assertions.Expect(page.Locator("[data-testid=reply-to-approve] [data-testid=attachment-size]")).ToHaveTextAsync($"{pdf.Length} B");
            var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
            Assert.Equal("答复函.pdf", download.SuggestedFilename);
            Assert.Equal(pdf, await File.ReadAllBytesAsync((await download.PathAsync())!));

            // Approved and sent: the deputy reads it on the suggestion's page, beside the reply.
            await WaitInteractiveAsync(page);
            await page.GetByTestId("outcome-Approved").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tasks$"));
            await browser.Context.ClearCookiesAsync();
            await SignInAsync(page, app, await world.DeputyUserAsync(), $"/suggestions/{suggestion}");
            await Assertions.Expect(page.Locator("[data-testid=file-reply] [data-testid=attachment-link]")).ToHaveTextAsync("答复函.pdf");
            var deputyDownload = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=file-reply] [data-testid=attachment-link]").ClickAsync());
            Assert.Equal(pdf, await File.ReadAllBytesAsync((await deputyDownload.PathAsync())!));
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "taskpage-attach-failure.png"), FullPage = true }); // what the browser showed
            throw;
        }

        await page.CloseAsync();
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

    /// <summary>Two units (the first with a real head), two deputies, a handler of each unit and an office user.</summary>
    private sealed class World(LiaisonWebApp app, Guid unit, Guid deputy, Guid coSigner, TestUser handler, TestUser head, TestUser otherHandler, TestUser office)
    {
        public TestUser Handler => handler;

        public TestUser Head => head;

        public TestUser OtherHandler => otherHandler;

        public TestUser Office => office;

        /// <summary>A signed-in account for the lead deputy (王代表).</summary>
        public Task<TestUser> DeputyUserAsync() => app.CreateUserAsync([Roles.Deputy], deputyId: deputy.ToString(), userName: "deputy");

        public static async Task<World> CreateAsync(LiaisonWebApp app)
        {
            var unit = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
            var other = new HandlingUnit { Name = "市教育局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
            var head = await app.CreateUserAsync([Roles.UnitHead], unitId: unit.Id.ToString(), userName: "head");
            unit.HeadUserId = head.Id;
            var deputy = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
            var coSigner = new Deputy { Name = "李代表", Level = DeputyLevel.City, Term = 16 };
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
                db.AddRange(unit, other, deputy, coSigner);
                await db.SaveChangesAsync();
            }

            return new World(
                app,
                unit.Id,
                deputy.Id,
                coSigner.Id,
                await app.CreateUserAsync([Roles.UnitHandler], unitId: unit.Id.ToString(), userName: "handler"),
                head,
                await app.CreateUserAsync([Roles.UnitHandler], unitId: other.Id.ToString(), userName: "other-handler"),
                await app.CreateUserAsync([Roles.LiaisonOffice], userName: "office"));
        }

        /// <summary>The deputy submits; the office admits, analyses and assigns it to the unit, all through the API.</summary>
        public async Task<Guid> AssignAsync(string title, string text)
        {
            var deputyApi = await app.ClientForAsync([Roles.Deputy], deputyId: deputy.ToString());
            var officeApi = await app.TokenClientAsync(office.UserName, office.Password);
            var submitted = await deputyApi.PostAsJsonAsync("/api/suggestions", new { term = 16, title, text, coSignerIds = new[] { coSigner } });
            Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
            var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            foreach (var (activity, body) in new (string, object)[]
            {
                ("receive", new { outcome = "Admitted" }),
                ("analyse", new { outcome = "Ordinary", field = "transport" }),
                ("assign", new { outcome = "Assigned", unitIds = new[] { unit } }),
            })
            {
                var done = await officeApi.PostAsJsonAsync($"/api/workflows/tasks/{await OpenTaskAsync(id, activity)}/complete", body);
                Assert.True(done.IsSuccessStatusCode, await done.Content.ReadAsStringAsync());
            }

            return id;
        }

        public async Task<Guid> OpenTaskAsync(Guid suggestion, string activityId)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var queries = scope.ServiceProvider.GetRequiredService<Liaison.Workflows.Durable.WorkflowQueries>();
            var page = await queries.ListTasksAsync(new Liaison.Workflows.Durable.TaskFilter(CorrelationKey: suggestion.ToString(), Take: 100));
            return page.Items.Single(t => t.ActivityId == activityId).Id;
        }

        public async Task<int> CountAsync<T>(Func<LiaisonDbContext, IQueryable<T>> rows)
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await rows(scope.ServiceProvider.GetRequiredService<LiaisonDbContext>()).CountAsync();
        }

        public async Task<string> ReplyTextAsync(Guid suggestion)
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<LiaisonDbContext>().Replies.Where(r => r.SuggestionId == suggestion).Select(r => r.Text).SingleAsync();
        }

        public async Task<ReplyStatus> ReplyStatusAsync(Guid suggestion)
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<LiaisonDbContext>().Replies.Where(r => r.SuggestionId == suggestion).Select(r => r.Status).SingleAsync();
        }

        public async Task<UnitTaskStatus> UnitTaskStatusAsync(Guid suggestion)
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<LiaisonDbContext>().UnitTasks.Where(t => t.SuggestionId == suggestion).Select(t => t.Status).SingleAsync();
        }

        public async Task<HumanTaskStatus> TaskStatusAsync(Guid task)
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>().HumanTasks.Where(t => t.Id == task).Select(t => t.Status).SingleAsync();
        }
    }
}
