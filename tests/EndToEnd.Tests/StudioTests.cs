using System.Net.Http.Json;
using System.Text.Json;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Liaison.EndToEnd.Tests;

/// <summary>The Studio (流程设计) in Chromium against the Host on PostgreSQL, as a designer uses it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StudioTests(BrowserFixture browser)
{
    private static readonly string Screenshots = Path.Combine(SourcePaths.Repository, "docs", "screenshots");

    [Fact]
    public async Task A_designer_builds_a_workflow_from_nothing_validates_and_publishes_it()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "studio");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var designer = await app.CreateUserAsync([Roles.Designer]);
        var page = await SignInAsync(app, designer, "/studio");
        try
        {
            Assert.StartsWith("流程设计", await page.TitleAsync(), StringComparison.Ordinal);
            await Assertions.Expect(page.GetByTestId("row-suggestion-handling")).ToBeVisibleAsync();

            await page.GetByTestId("studio-new").ClickAsync();
            await Field(page, "new-id").FillAsync("leave-request");
            await Field(page, "new-name").FillAsync("请假审批");

            // The button is enabled once the server holds the id, so the click creates what was typed.
            await Assertions.Expect(page.GetByTestId("create-confirm")).ToBeEnabledAsync();
            await page.GetByTestId("create-confirm").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/studio/leave-request$"));
            await WaitInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("editor-name")).ToHaveTextAsync("请假审批");

            // Start, a human task, a decision and End dragged from the toolbox.
            var canvas = page.GetByTestId("canvas");
            await DropAsync(page, "Start", 60, 160);
            await DropAsync(page, "HumanTask", 300, 160);
            await DropAsync(page, "Decision", 560, 160);
            await DropAsync(page, "End", 820, 120);
            foreach (var id in new[] { "start1", "humanTask1", "decision1", "end1" })
            {
                await Assertions.Expect(page.GetByTestId($"node-{id}")).ToBeVisibleAsync();
            }

            await ConnectAsync(page, "start1", "Done", "humanTask1");
            await ConnectAsync(page, "humanTask1", "Done", "decision1");
            await Assertions.Expect(page.Locator("[data-testid=problem][data-activity=end1][data-code=UnreachableActivity]")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("node-end1")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("has-problem"));
            await Assertions.Expect(page.GetByTestId("publish")).ToBeDisabledAsync();

            // The task's title, deadline and reminder offsets in the property panel.
            await page.GetByTestId("node-humanTask1").ClickAsync();
            var props = page.GetByTestId("properties");
            await Field(props, "prop-title").FillAsync("部门负责人审批");
            await Field(props, "prop-title").PressAsync("Tab");
            await props.GetByTestId("prop-due").GetByTestId("period-amount").FillAsync("5");
            await props.GetByTestId("prop-due").GetByTestId("period-amount").PressAsync("Tab");
            await props.GetByTestId("prop-due").GetByTestId("period-unit").SelectOptionAsync("wd");
            await props.GetByTestId("prop-reminders").GetByTestId("add-period").ClickAsync();
            await props.GetByTestId("prop-reminders").GetByTestId("period-amount").First.FillAsync("2");
            await props.GetByTestId("prop-reminders").GetByTestId("period-amount").First.PressAsync("Tab");

            // The decision's condition: a syntax error is shown where it is typed, and goes when fixed.
            await page.GetByTestId("node-decision1").ClickAsync();
            await props.GetByTestId("prop-condition").GetByTestId("kind").SelectOptionAsync("javaScript");
            var script = Field(props.GetByTestId("prop-condition"), "script");
            await script.FillAsync("getDays( > 3");
            await Assertions.Expect(props.GetByTestId("prop-condition").GetByTestId("prop-problem")).ToBeVisibleAsync();
            await script.FillAsync("input.days > 3");
            await Assertions.Expect(props.GetByTestId("prop-condition").GetByTestId("prop-problem")).ToHaveCountAsync(0);

            // The missing connection is a problem until it is drawn.
            await ConnectAsync(page, "decision1", "True", "end1");
            await Assertions.Expect(page.GetByTestId("no-problems")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("node-end1")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("has-problem"));
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "studio-editor.png") });

            // Undo takes the connection away again, redo brings it back.
            await page.GetByTestId("undo").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=problem][data-activity=end1]")).ToBeVisibleAsync();
            await page.GetByTestId("redo").ClickAsync();
            await Assertions.Expect(page.GetByTestId("no-problems")).ToBeVisibleAsync();

            await page.GetByTestId("publish").ClickAsync();
            await Field(page, "publish-note").FillAsync("首个版本");
            await page.GetByTestId("publish-confirm").ClickAsync();
            await Assertions.Expect(page.GetByTestId("editor-state")).ToContainTextAsync("已发布");
            await Assertions.Expect(page.GetByTestId("history-v1")).ToContainTextAsync(designer.UserName);
            await Assertions.Expect(page.GetByTestId("history-v1").GetByTestId("history-note")).ToContainTextAsync("首个版本");

            // What was drawn is what was stored: the published JSON has the task's deadline and reminder.
            var api = await app.TokenClientAsync(designer.UserName, designer.Password);
            var stored = await api.GetStringAsync(new Uri("/api/workflows/definitions/leave-request?version=1", UriKind.Relative));
            Assert.Contains("\"WorkingDays\"", stored, StringComparison.Ordinal);
            Assert.Contains("\"problems\":[]", stored, StringComparison.Ordinal);
        }
        catch (Exception)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "studio-failure.png") }); // what the browser showed when a step failed
            throw;
        }

        await page.CloseAsync();
    }

    [Fact]
    public async Task A_designer_changes_the_reply_deadline_compares_the_versions_and_test_runs_an_Elsa_import()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "studio-compare");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var designer = await app.CreateUserAsync([Roles.Designer]);
        // The reply deadline lives in the workflow each replying unit runs.
        var page = await SignInAsync(app, designer, "/studio/suggestion-unit-handling");
        try
        {
            await Assertions.Expect(page.GetByTestId("node-reply")).ToBeVisibleAsync();
            await page.GetByTestId("node-reply").ClickAsync();
            var due = page.GetByTestId("properties").GetByTestId("prop-due");
            await Assertions.Expect(due.GetByTestId("period-amount")).ToHaveValueAsync("3");
            await Assertions.Expect(due.GetByTestId("period-unit")).ToHaveValueAsync("m");
            await due.GetByTestId("period-amount").FillAsync("2");
            await due.GetByTestId("period-amount").PressAsync("Tab");
            await Assertions.Expect(page.GetByTestId("editor-state")).ToContainTextAsync("未保存");
            await page.GetByTestId("publish").ClickAsync();
            await Field(page, "publish-note").FillAsync("答复期限改为 2 个月");
            await page.GetByTestId("publish-confirm").ClickAsync();
            await Assertions.Expect(page.GetByTestId("history-v2")).ToContainTextAsync("答复期限改为 2 个月");

            var api = await app.TokenClientAsync(designer.UserName, designer.Password);
            var v2 = await api.GetStringAsync(new Uri("/api/workflows/definitions/suggestion-unit-handling?version=2", UriKind.Relative));
            Assert.Contains("\"2m\"", v2, StringComparison.Ordinal);
            await page.GetByTestId("history-v1").Locator("input[type=checkbox]").CheckAsync();
            await page.GetByTestId("history-v2").Locator("input[type=checkbox]").CheckAsync();
            await page.GetByTestId("compare").ClickAsync();
            await Assertions.Expect(page.GetByTestId("compare-title")).ToContainTextAsync("v1 → v2");
            var change = page.GetByTestId("change");
            await Assertions.Expect(change).ToHaveCountAsync(1);
            await Assertions.Expect(change).ToContainTextAsync("reply.due");
            await Assertions.Expect(change).ToContainTextAsync("\"2m\"");
            await Assertions.Expect(page.GetByTestId("node-reply")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("diff-changed"));
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "studio-compare.png") });
            await page.GetByTestId("compare-exit").ClickAsync();

            // An Elsa 3 sample, imported and run in the test-run panel, prints what Elsa prints.
            await page.GotoAsync(new Uri(app.Address, "/studio").ToString());
            await WaitInteractiveAsync(page);
            await page.GetByTestId("studio-import").ClickAsync();

            // The id first: the file's upload re-renders the form, and the import must use the id typed, not the file's own.
            await Field(page, "import-id").FillAsync("elsa-implicit-loop");
            await Assertions.Expect(Field(page, "import-id")).ToHaveValueAsync("elsa-implicit-loop");
            await page.GetByTestId("import-file").SetInputFilesAsync(Path.Combine(SourcePaths.Repository, "tests", "Workflows.Tests", "ElsaSamples", "implicit-loop.json"));
            await Assertions.Expect(page.GetByTestId("import-confirm")).ToBeEnabledAsync();
            await page.GetByTestId("import-confirm").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/studio/elsa-implicit-loop$"));
            await WaitInteractiveAsync(page);
            await page.GetByRole(AriaRole.Tab, new() { Name = "试运行" }).ClickAsync();
            await page.GetByTestId("test-start").ClickAsync();
            await Assertions.Expect(page.GetByTestId("test-status")).ToHaveTextAsync("已完成");
            await Assertions.Expect(page.GetByTestId("test-lines").Locator("li")).ToHaveTextAsync(["Do something", "Retry", "Do something", "Done"]);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "studio-test-run.png") });

            // A deputy's suggestion runs on the new version; its instance shows the step it waits at.
            var deputy = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
                db.Add(deputy);
                await db.SaveChangesAsync();
            }

            var deputyUser = await app.CreateUserAsync([Roles.Deputy], deputyId: deputy.Id.ToString());
            var deputyApi = await app.TokenClientAsync(deputyUser.UserName, deputyUser.Password);
            var submitted = await deputyApi.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于增设公交站点的建议", text = "正文" });
            var instance = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("workflowInstanceId").GetGuid();
            await page.GotoAsync(new Uri(app.Address, $"/studio/instances/{instance}").ToString());
            await WaitInteractiveAsync(page);
            Assert.StartsWith("流程设计", await page.TitleAsync(), StringComparison.Ordinal);
            await Assertions.Expect(page.GetByTestId("node-receive")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("waiting"));
            await Assertions.Expect(page.GetByTestId("node-start")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("executed"));
            await Assertions.Expect(page.GetByTestId("node-analyse")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("executed|waiting"));
            await Assertions.Expect(page.GetByTestId("journal-row").First).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "studio-instance.png") });

            // v2 of the loop (a shorter intake) is published; the waiting instance is previewed and moved to it, and its journal says so.
            await page.GotoAsync(new Uri(app.Address, "/studio/suggestion-handling").ToString());
            await WaitInteractiveAsync(page);
            await page.GetByTestId("node-receive").ClickAsync();
            await page.GetByTestId("properties").GetByTestId("prop-due").GetByTestId("period-amount").FillAsync("4");
            await page.GetByTestId("properties").GetByTestId("prop-due").GetByTestId("period-amount").PressAsync("Tab");
            await page.GetByTestId("publish").ClickAsync();
            await page.GetByTestId("publish-confirm").ClickAsync();
            await Assertions.Expect(page.GetByTestId("history-v2")).ToBeVisibleAsync();
            await page.GetByTestId("migrate-preview").ClickAsync();
            var candidate = page.Locator($"[data-testid=migrate-candidate][data-instance='{instance}']");
            await Assertions.Expect(candidate).ToContainTextAsync("v1");
            await Assertions.Expect(candidate.GetByTestId("migrate-pick")).ToBeCheckedAsync();
            await page.GetByTestId("migrate-move").ClickAsync();
            await Assertions.Expect(page.GetByTestId("migrate-result")).ToContainTextAsync("已迁移");
            await Assertions.Expect(page.GetByTestId("migrate-none")).ToBeVisibleAsync();
            await page.GotoAsync(new Uri(app.Address, $"/studio/instances/{instance}").ToString());
            await WaitInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("journal")).ToContainTextAsync("迁移版本");
            await Assertions.Expect(page.GetByTestId("node-receive")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("waiting"));

            // And it goes on, on v2: the office receives the suggestion and it waits at the analysis.
            var office = await app.ClientForAsync(Roles.LiaisonOffice);
            var tasks = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?instanceId={instance}&status=Open", UriKind.Relative));
            var receive = tasks.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("activityId").GetString() == "receive").GetProperty("id").GetGuid();
            var done = await office.PostAsJsonAsync($"/api/workflows/tasks/{receive}/complete", new { outcome = "Admitted" });
            Assert.True(done.IsSuccessStatusCode, await done.Content.ReadAsStringAsync());
            var moved = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/instances/{instance}", UriKind.Relative));
            Assert.Equal(2, moved.GetProperty("instance").GetProperty("version").GetInt32());
            Assert.Contains(moved.GetProperty("bookmarks").EnumerateArray(), b => b.GetProperty("activityId").GetString() == "analyse");
        }
        catch (Exception)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "studio-failure.png") }); // what the browser showed when a step failed
            throw;
        }

        await page.CloseAsync();
    }

    [Fact]
    public async Task Other_roles_are_refused_the_studio()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "studio-refused");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var handler = await app.CreateUserAsync([Roles.UnitHandler], unitId: "u1");
        await browser.Context.ClearCookiesAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(app.Address, "/account/login?returnUrl=%2Fstudio").ToString());
        await page.GetByTestId("signin-username").FillAsync(handler.UserName);
        await page.GetByTestId("signin-password").FillAsync(handler.Password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
        await page.CloseAsync();
    }

    internal async Task<IPage> SignInAsync(LiaisonWebApp app, TestUser user, string returnUrl)
    {
        await browser.Context.ClearCookiesAsync();
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1600, 1000);
        await page.GotoAsync(new Uri(app.Address, "/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl)).ToString());
        await page.GetByTestId("signin-username").FillAsync(user.UserName);
        await page.GetByTestId("signin-password").FillAsync(user.Password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>A text box by its test id, whether MudBlazor put the id on the input or on its wrapper.</summary>
    internal static ILocator Field(IPage page, string testId) => page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").First;

    internal static ILocator Field(ILocator scope, string testId) => scope.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").First;

    internal static Task WaitInteractiveAsync(IPage page) =>
        Assertions.Expect(page.Locator(".mud-layout")).ToHaveAttributeAsync("data-interactive", "true");

    /// <summary>Drags an activity type from the toolbox onto the canvas at a point of the canvas.</summary>
    internal static Task DropAsync(IPage page, string type, float x, float y) =>
        page.GetByTestId($"tool-{type}").DragToAsync(page.GetByTestId("canvas"), new() { TargetPosition = new() { X = x, Y = y } });

    /// <summary>Draws a connection with the mouse: from an outcome's port to the target's inbound port.</summary>
    internal static async Task ConnectAsync(IPage page, string from, string outcome, string to)
    {
        var source = page.Locator($"[data-testid=node-{from}] .wf-out[data-outcome={outcome}] .wf-port");
        var target = page.Locator($"[data-testid=node-{to}] .wf-port-in");
        var a = (await source.BoundingBoxAsync())!;
        var b = (await target.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(a.X + (a.Width / 2), a.Y + (a.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(b.X + (b.Width / 2), b.Y + (b.Height / 2), new() { Steps = 8 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(page.Locator($"[data-testid=node-{from}] .wf-out[data-outcome={outcome}]")).ToBeVisibleAsync();
    }
}
