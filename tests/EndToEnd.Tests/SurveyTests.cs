using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Liaison.EndToEnd.Tests;

[Collection(BrowserCollection.Name)]
public sealed partial class SurveyTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_deputy_opens_the_survey_link_from_the_notification_and_evaluates_the_reply_in_a_few_clicks()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "survey");
        await using var app = await LiaisonWebApp.StartAsync(database);

        // A unit with a real head (who approves the reply) and a deputy who can sign in.
        var unit = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var head = await app.CreateUserAsync([Roles.UnitHead], unitId: unit.Id.ToString());
        unit.HeadUserId = head.Id;
        var deputy = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(unit, deputy);
            await db.SaveChangesAsync();
        }

        var deputyUser = await app.CreateUserAsync([Roles.Deputy], deputyId: deputy.Id.ToString());
        var deputyApi = await app.TokenClientAsync(deputyUser.UserName, deputyUser.Password);
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var handler = await app.ClientForAsync(Roles.UnitHandler, unit.Id.ToString());
        var headApi = await app.TokenClientAsync(head.UserName, head.Password);

        var submitted = await deputyApi.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于增设公交站点的建议", text = "正文" });
        var suggestion = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        async Task CompleteAsync(HttpClient client, string activityId, object body)
        {
            var tasks = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?correlationKey={suggestion}&status=Open&take=100", UriKind.Relative));
            var task = tasks.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("activityId").GetString() == activityId).GetProperty("id").GetGuid();
            var response = await client.PostAsJsonAsync($"/api/workflows/tasks/{task}/complete", body);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await CompleteAsync(office, "receive", new { outcome = "Admitted" });
        await CompleteAsync(office, "analyse", new { outcome = "Ordinary", field = "transport" });
        await CompleteAsync(office, "assign", new { outcome = "Assigned", unitIds = new[] { unit.Id } });
        await CompleteAsync(handler, "signFor", new { outcome = "Signed" });
        await CompleteAsync(handler, "consult", new { outcome = "Consulted", at = DateTimeOffset.UtcNow.AddMinutes(-5), method = "Phone", stage = "Before", participants = "王代表" });
        await CompleteAsync(handler, "reply", new { outcome = "Replied", category = "A", text = "已在中山路增设公交站点。", publicInterest = false });
        await CompleteAsync(headApi, "approve", new { outcome = "Approved" });

        // The evaluation request reaches the deputy's in-app notifications with the survey link.
        string? link = null;
        for (var attempt = 0; attempt < 300 && link is null; attempt++)
        {
            var list = await deputyApi.GetFromJsonAsync<JsonElement>(new Uri("/api/notifications", UriKind.Relative));
            link = list.GetProperty("items").EnumerateArray()
                .Select(n => SurveyLink().Match(n.GetProperty("message").GetString() ?? string.Empty))
                .FirstOrDefault(m => m.Success)?.Value;
            if (link is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(link);
        await browser.Context.ClearCookiesAsync();
        var page = await browser.NewPageAsync();

        // Signed out, the link asks for sign-in first and comes back to the survey.
        await page.GotoAsync(new Uri(app.Address, link).ToString());
        await Assertions.Expect(page.GetByTestId("signin-form")).ToBeVisibleAsync();
        await page.GetByTestId("signin-username").FillAsync(deputyUser.UserName);
        await page.GetByTestId("signin-password").FillAsync(deputyUser.Password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("survey-suggestion")).ToContainTextAsync("关于增设公交站点的建议");
        await Assertions.Expect(page.GetByTestId("survey-unit")).ToHaveTextAsync("市交通运输局");
        await Assertions.Expect(page.GetByTestId("survey-reply")).ToHaveTextAsync("已在中山路增设公交站点。");

        // Dissatisfied without a comment is refused and nothing is recorded.
        await page.GetByTestId("survey-Dissatisfied").CheckAsync();
        await page.GetByTestId("survey-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("survey-error")).ToContainTextAsync("请填写意见");

        // Two clicks: satisfied, submit.
        await page.GetByTestId("survey-Satisfied").CheckAsync();
        await page.GetByTestId("survey-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("survey-thanks")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("survey-result")).ToContainTextAsync("满意");
        await Assertions.Expect(page.GetByTestId("survey-form")).ToHaveCountAsync(0);
        await page.CloseAsync();

        // The evaluation completed the workflow's task (the lead deputy's), and the suggestion closed.
        await using var check = app.Services.CreateAsyncScope();
        var workflows = check.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
        var key = suggestion.ToString();
        var evaluate = await workflows.HumanTasks.AsNoTracking()
            .SingleAsync(t => t.ActivityId == "evaluate" && workflows.Instances.Any(i => i.Id == t.InstanceId && i.CorrelationKey == key));
        Assert.Equal((HumanTaskStatus.Completed, "Satisfied"), (evaluate.Status, evaluate.Outcome));
        var domain = check.ServiceProvider.GetRequiredService<LiaisonDbContext>();
        Assert.Equal(Liaison.Domain.Handling.EvaluationResult.Satisfied, (await domain.Evaluations.SingleAsync()).Result);
        Assert.Equal(Liaison.Domain.Suggestions.SuggestionStatus.Closed, (await domain.Suggestions.SingleAsync()).Status);
    }

    [GeneratedRegex("/survey/[0-9a-f-]{36}")]
    private static partial Regex SurveyLink();
}
