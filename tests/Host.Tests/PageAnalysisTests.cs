using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Liaison.Domain.Analysis;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>
/// The analyse and assign task pages show the analysis in a panel and start their forms from it (the hints):
/// one page load computes it once, not once for each.
/// </summary>
public sealed class PageAnalysisTests
{
    [Fact]
    public async Task The_analyse_and_assign_task_pages_compute_the_analysis_once_per_render()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "page-analysis");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var deputy = new Deputy { Name = "李代表", Level = DeputyLevel.City, Term = 16 };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(deputy, new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长", Responsibilities = "公交 线路 站点" });
            await db.SaveChangesAsync();
        }

        var api = await app.ClientForAsync([Roles.Deputy], deputyId: deputy.Id.ToString());
        var submitted = await api.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于增设公交站点的建议", text = "建议在新区增设公交站点，优化公交线路。" });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var suggestion = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var officeUser = await app.CreateUserAsync([Roles.LiaisonOffice]);
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var browser = await app.CookieClientAsync(officeUser.UserName, officeUser.Password);
        async Task<Guid> OpenTaskAsync(string step)
        {
            var tasks = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?correlationKey={suggestion}&activityType={step}&status=Open", UriKind.Relative));
            return tasks.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid();
        }

        // Every analysis of this suggestion, whoever runs it (other tests' suggestions have other ids).
        var computations = new ConcurrentBag<Guid>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GetSuggestionAnalysisHandler.TracingSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("suggestion.id") is Guid id && id == suggestion)
                {
                    computations.Add(id);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        async Task<int> RenderAsync(Guid task)
        {
            computations.Clear();
            var page = await browser.GetStringAsync(new Uri($"/tasks/{task}", UriKind.Relative));
            Assert.Contains("data-testid=\"analysis-panel\"", page, StringComparison.Ordinal);
            return computations.Count;
        }

        Assert.True((await office.PostAsJsonAsync($"/api/workflows/tasks/{await OpenTaskAsync("Suggestions.Receive")}/complete", new { outcome = "Admitted" })).IsSuccessStatusCode);
        var analyse = await OpenTaskAsync("Suggestions.Analyse");
        Assert.Equal(1, await RenderAsync(analyse));

        // Each render is a page load of its own: its own analysis, current with the data.
        Assert.Equal(1, await RenderAsync(analyse));

        Assert.True((await office.PostAsJsonAsync($"/api/workflows/tasks/{analyse}/complete", new { outcome = "Ordinary", field = "transport" })).IsSuccessStatusCode);
        Assert.Equal(1, await RenderAsync(await OpenTaskAsync("Suggestions.Assign")));
    }
}
