using System.Text.RegularExpressions;
using Liaison.Domain.Handling;
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
/// The whole closed loop in Chromium on PostgreSQL, by clicking only, each actor signed in as themselves: a deputy submits
/// two suggestions; the office admits, analyses and assigns them (one to a single unit, one to a lead unit with a
/// co-handling unit); the units sign for them, consult, send the co-opinion and reply; the heads approve; the deputy
/// evaluates; the leadership's dashboard shows the figures that follow from what was done.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LoopTests(BrowserFixture browser)
{
    [Fact]
    public async Task Two_suggestions_go_round_the_whole_loop_in_the_browser_single_unit_and_lead_with_co_unit()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "loop-e2e");
        await using var app = await LiaisonWebApp.StartAsync(database);

        var transport = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长", Responsibilities = "负责公交、出租车、道路运输和交通拥堵治理，公交线路和站点的规划与调整。" };
        var housing = new HandlingUnit { Name = "市住房和城乡建设局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长", Responsibilities = "负责住房保障、老旧小区改造、加装电梯、物业管理和建筑市场监管。" };
        var education = new HandlingUnit { Name = "市教育局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长", Responsibilities = "负责中小学、幼儿园、教师队伍和学校建设。" };
        var transportHead = await app.CreateUserAsync([Roles.UnitHead], unitId: transport.Id.ToString(), userName: "transport-head");
        var housingHead = await app.CreateUserAsync([Roles.UnitHead], unitId: housing.Id.ToString(), userName: "housing-head");
        transport.HeadUserId = transportHead.Id;
        housing.HeadUserId = housingHead.Id;
        var deputy = new Deputy { Name = "王建国", Level = DeputyLevel.City, Term = 16, PublicCode = "D-1001" };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(transport, housing, education, deputy);
            await db.SaveChangesAsync();
        }

        var deputyUser = await app.CreateUserAsync([Roles.Deputy], deputyId: deputy.Id.ToString(), userName: "deputy");
        var office = await app.CreateUserAsync([Roles.LiaisonOffice], userName: "office");
        var transportHandler = await app.CreateUserAsync([Roles.UnitHandler], unitId: transport.Id.ToString(), userName: "transport-handler");
        var housingHandler = await app.CreateUserAsync([Roles.UnitHandler], unitId: housing.Id.ToString(), userName: "housing-handler");
        var leader = await app.CreateUserAsync([Roles.Leader], userName: "leader");

        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 900);
        try
        {
            // Before: nothing has been replied to this year, so the rates are empty.
            await SignInAsync(page, app, leader, "/dashboard");
            await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^督办看板"));
            await Assertions.Expect(page.GetByTestId("kpi-ontime-value")).ToHaveTextAsync("—");
            await Assertions.Expect(page.GetByTestId("kpi-satisfaction-value")).ToHaveTextAsync("—");

            // The deputy submits both.
            const string busTitle = "关于增开城东夜间公交线路的建议";
            const string liftTitle = "关于加快老旧小区加装电梯的建议";
            await SignInAsync(page, app, deputyUser, "/deputy");
            await SubmitAsync(page, busTitle, "城东新区夜间公交线路少，末班车过早，建议增开夜间公交线路并调整站点。", "transport");
            await SubmitAsync(page, liftTitle, "老旧小区老年人多，上下楼困难，建议加快加装电梯，并优化小区周边公交站点接驳。", "urban-construction");
            var bus = await SuggestionIdAsync(app, busTitle);
            var lift = await SuggestionIdAsync(app, liftTitle);

            // The office: from the intake queue, admit → analyse (the field comes preselected) → assign, page after page.
            await SignInAsync(page, app, office, "/office");
            await OfficeHandlesAsync(page, busTitle, mode: "Single", units: null);
            await page.GotoAsync(new Uri(app.Address, "/office").ToString());
            await OfficeHandlesAsync(page, liftTitle, mode: "LeadWithCoHandling", units: ["市住房和城乡建设局", "市交通运输局"]);
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
                var tasks = await db.UnitTasks.AsNoTracking().Where(t => t.SuggestionId == bus || t.SuggestionId == lift).Select(t => new { t.SuggestionId, t.UnitId, t.Role }).ToListAsync();
                Assert.Equal([(transport.Id, TaskRole.Lead)], tasks.Where(t => t.SuggestionId == bus).Select(t => (t.UnitId, t.Role)));
                Assert.Equal(
                    [(housing.Id, TaskRole.Lead), (transport.Id, TaskRole.CoHandling)],
                    tasks.Where(t => t.SuggestionId == lift).Select(t => (t.UnitId, t.Role)).OrderBy(t => t.Role));
                Assert.Equal(["transport", "urban-construction"], await db.Suggestions.Where(s => s.Id == bus || s.Id == lift).OrderBy(s => s.Sequence).Select(s => s.Field!).ToListAsync());
            }

            // The transport bureau: sign for both; the bus line is theirs to consult and answer, the lift item needs their co-opinion.
            await SignInAsync(page, app, transportHandler, "/tasks");
            await Assertions.Expect(page.GetByTestId("tab-SignFor")).ToContainTextAsync("待签收 2");
            await OpenInboxRowAsync(page, busTitle);
            await ClickOutcomeAsync(page, "Signed");
            await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^面商"));
            await ConsultAsync(page);
            await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^答复"));
            await ReplyAsync(page, "A", "经研究，已于本月增开两条夜间公交线路。");
            await page.GotoAsync(new Uri(app.Address, "/tasks").ToString());
            await OpenInboxRowAsync(page, liftTitle);
            await Assertions.Expect(page.GetByTestId("task-role")).ToHaveTextAsync("协办");
            await ClickOutcomeAsync(page, "Signed");
            await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^协办意见"));
            await ClickOutcomeAsync(page, "Sent");
            await page.Locator("[data-testid=form-field-opinion] textarea").First.FillAsync("建议同步调整小区周边公交站点，我局负责站点迁移。");
            await page.GetByTestId("submit-Sent").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tasks$"));

            // The housing bureau leads the lift item: it signs, consults, reads the co-opinion and replies.
            await SignInAsync(page, app, housingHandler, "/tasks");
            await OpenInboxRowAsync(page, liftTitle);
            await Assertions.Expect(page.GetByTestId("task-role")).ToHaveTextAsync("主办");
            await ClickOutcomeAsync(page, "Signed");
            await ConsultAsync(page);
            await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^答复"));
            await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("协办意见") }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("co-opinion")).ToContainTextAsync("站点迁移");
            await ReplyAsync(page, "B", "已列入明年老旧小区改造计划，分批加装电梯。");

            // Each head approves their unit's reply.
            foreach (var (head, title) in new[] { (transportHead, busTitle), (housingHead, liftTitle) })
            {
                await SignInAsync(page, app, head, "/tasks");
                await WaitInteractiveAsync(page);
                await page.GetByTestId("tab-Approve").ClickAsync();
                await OpenInboxRowAsync(page, title);
                await Assertions.Expect(page.GetByTestId("reply-to-approve")).ToBeVisibleAsync();
                await ClickOutcomeAsync(page, "Approved");
                await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tasks$"));
            }

            // The deputy evaluates both replies from the portal.
            await SignInAsync(page, app, deputyUser, "/deputy");
            foreach (var (title, result) in new[] { (busTitle, "Satisfied"), (liftTitle, "BasicallySatisfied") })
            {
                await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^我的建议"));
                await WaitInteractiveAsync(page);
                var card = page.GetByTestId("deputy-card").Filter(new() { HasText = title });
                await card.GetByTestId("card-evaluate").ClickAsync();
                await page.GetByTestId($"survey-{result}").CheckAsync();
                await page.GetByTestId("survey-submit").ClickAsync();
                await Assertions.Expect(page.GetByTestId("survey-thanks")).ToBeVisibleAsync();
                await page.GotoAsync(new Uri(app.Address, "/deputy").ToString());
            }

            // What was done, read from the raw rows: two replies sent on time (A and B), both consulted, both evaluated content.
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
                var replies = await db.Replies.AsNoTracking().Where(r => r.Status == ReplyStatus.Sent).Select(r => new { r.SuggestionId, r.Category }).ToListAsync();
                Assert.Equal([(bus, ReplyCategory.A), (lift, ReplyCategory.B)], replies.OrderBy(r => r.Category).Select(r => (r.SuggestionId, r.Category)));
                Assert.Equal(2, await db.Consultations.Select(c => c.SuggestionId).Distinct().CountAsync());
                Assert.Equal(
                    [EvaluationResult.Satisfied, EvaluationResult.BasicallySatisfied],
                    (await db.Evaluations.AsNoTracking().Select(e => e.Result).ToListAsync()).Order());
                Assert.All(await db.Suggestions.AsNoTracking().Where(s => s.Id == bus || s.Id == lift).Select(s => s.Status).ToListAsync(), s => Assert.Equal(SuggestionStatus.Closed, s));
            }

            // After: on time 2 of 2, consulted 2 of 2, solved (A) 1 of 2, A or B 2 of 2, content 2 of 2, nothing overdue.
            await SignInAsync(page, app, leader, "/dashboard");
            await Assertions.Expect(page.GetByTestId("kpi-ontime-value")).ToHaveTextAsync("100.0%");
            await Assertions.Expect(page.GetByTestId("kpi-consultation-value")).ToHaveTextAsync("100.0%");
            await Assertions.Expect(page.GetByTestId("kpi-resolution-a-value")).ToHaveTextAsync("50.0%");
            await Assertions.Expect(page.GetByTestId("kpi-resolution-ab-value")).ToHaveTextAsync("100.0%");
            await Assertions.Expect(page.GetByTestId("kpi-satisfaction-value")).ToHaveTextAsync("100.0%");
            await Assertions.Expect(page.GetByTestId("kpi-overdue-value")).ToHaveTextAsync("0");
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "loop-failure.png"), FullPage = true }); // what the browser showed
            throw;
        }

        await page.CloseAsync();
    }

    private async Task SignInAsync(IPage page, LiaisonWebApp app, TestUser user, string returnUrl)
    {
        await browser.Context.ClearCookiesAsync();
        await page.GotoAsync(new Uri(app.Address, $"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}").ToString());
        await page.GetByTestId("signin-username").FillAsync(user.UserName);
        await page.GetByTestId("signin-password").FillAsync(user.Password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await page.WaitForURLAsync(new Regex(Regex.Escape(returnUrl) + "$"));
        await WaitInteractiveAsync(page);
    }

    /// <summary>Clicks reach the server only once the Blazor circuit is connected.</summary>
    private static Task WaitInteractiveAsync(IPage page) => Assertions.Expect(page.Locator("[data-interactive='true']")).ToHaveCountAsync(1);

    private static ILocator Input(IPage page, string testId) =>
        page.Locator($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], [data-testid='{testId}'] input, [data-testid='{testId}'] textarea").First;

    private static async Task SubmitAsync(IPage page, string title, string text, string field)
    {
        await page.GetByTestId("new-suggestion").ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^提交建议"));
        await WaitInteractiveAsync(page);
        await Input(page, "submit-title").FillAsync(title);
        await Input(page, "submit-text").FillAsync(text);
        await page.GetByTestId($"field-{field}").ClickAsync();
        await page.GetByTestId("source-CongressSession").ClickAsync();
        await page.GetByTestId("submit-suggestion").ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^我的建议"));
        await Assertions.Expect(page.GetByTestId("deputy-card").Filter(new() { HasText = title }).GetByTestId("card-state")).ToHaveTextAsync("已提交，待受理");
        await WaitInteractiveAsync(page);
    }

    private static async Task<Guid> SuggestionIdAsync(LiaisonWebApp app, string title)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LiaisonDbContext>().Suggestions.Where(s => s.Title == title).Select(s => s.Id).SingleAsync();
    }

    /// <summary>
    /// 受理 → 分析 → 交办 on one item, from the intake queue. Without <paramref name="units"/> the analysis' first proposal is
    /// kept (and checked to be the transport bureau); with them, the proposal is cleared and the units are picked in order.
    /// </summary>
    private static async Task OfficeHandlesAsync(IPage page, string title, string mode, string[]? units)
    {
        await WaitInteractiveAsync(page);
        await page.GetByTestId("queue-intake").GetByTestId("office-task-link").Filter(new() { HasText = title }).ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^受理"));
        await Assertions.Expect(page.GetByTestId("suggestion-title")).ToHaveTextAsync(title);
        await ClickOutcomeAsync(page, "Admitted");
        await page.GetByTestId("submit-Admitted").ClickAsync();

        // The first analysis in a process loads the Chinese dictionary: seconds, once.
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^分析"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("analysis-panel")).ToBeVisibleAsync();
        await ClickOutcomeAsync(page, "Ordinary");
        await page.GetByTestId("submit-Ordinary").ClickAsync();

        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^交办"));
        await ClickOutcomeAsync(page, "Assigned");
        await page.GetByTestId($"choice-mode-{mode}").ClickAsync();
        var chips = page.GetByTestId("chosen-unitIds").GetByTestId("unit-chip");
        if (units is null)
        {
            await Assertions.Expect(chips).ToHaveCountAsync(1);
            await Assertions.Expect(chips.First).ToContainTextAsync("市交通运输局");
        }
        else
        {
            while (await chips.CountAsync() > 0)
            {
                var before = await chips.CountAsync();
                await chips.First.Locator(".mud-chip-close-button").ClickAsync();
                await Assertions.Expect(chips).ToHaveCountAsync(before - 1);
            }

            foreach (var (unit, i) in units.Select((u, i) => (u, i)))
            {
                await page.GetByTestId("add-unitIds").ClickAsync();
                await page.Locator(".mud-popover-open").GetByText(unit, new() { Exact = true }).ClickAsync();
                await Assertions.Expect(chips.Nth(i)).ToContainTextAsync($"{i + 1}. {unit}");
            }

            await Assertions.Expect(page.GetByTestId("form-field-unitId")).ToHaveCountAsync(0); // a first assignment: no "new unit" field
            await page.GetByTestId("task-form").ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(SourcePaths.Repository, "docs", "screenshots", "office-assign.png") });
        }

        await page.GetByTestId("submit-Assigned").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tasks$"));
    }

    private static async Task OpenInboxRowAsync(IPage page, string title)
    {
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^待办任务"));
        await page.GetByTestId("task-link").Filter(new() { HasText = title }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("suggestion-title")).ToHaveTextAsync(title);
    }

    private static async Task ClickOutcomeAsync(IPage page, string outcome)
    {
        await WaitInteractiveAsync(page);
        await page.GetByTestId($"outcome-{outcome}").ClickAsync();
    }

    private static async Task ConsultAsync(IPage page)
    {
        await ClickOutcomeAsync(page, "Consulted");
        await page.GetByTestId("choice-method-Phone").ClickAsync();
        await page.GetByTestId("choice-stage-Before").ClickAsync();
        await page.Locator("[data-testid=form-field-participants] input").FillAsync("王建国");
        await page.Locator("[data-testid=form-field-participants] input").BlurAsync();
        await page.GetByTestId("submit-Consulted").ClickAsync();
    }

    private static async Task ReplyAsync(IPage page, string category, string text)
    {
        await ClickOutcomeAsync(page, "Replied");
        await page.GetByTestId($"choice-category-{category}").ClickAsync();
        await page.GetByTestId("rich-text").ClickAsync();
        await page.Keyboard.TypeAsync(text);
        await page.GetByTestId("submit-Replied").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tasks$"));
    }
}
