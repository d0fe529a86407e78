using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Host.Office;
using Liaison.Host.Tasks;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>
/// 并案 through the published workflow: the office links a similar item on the first item's 分析; each item is then assigned
/// on its own task (so its own workflow runs its units, reply and evaluation), and the linked item's assign form starts
/// with the first item's units in their order and its mode. No unit task is left that no workflow runs.
/// </summary>
public sealed class LinkedSuggestionTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_linked_item_is_assigned_on_its_own_task_to_the_first_item_s_units(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "linked");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var transport = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var housing = new HandlingUnit { Name = "市住房和城乡建设局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var deputy = new Deputy { Name = "李代表", Level = DeputyLevel.City, Term = 16 };
        var other = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(transport, housing, deputy, other);
            await db.SaveChangesAsync();
        }

        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        async Task<Guid> SubmitAsync(Deputy by, string title)
        {
            var api = await app.ClientForAsync([Roles.Deputy], deputyId: by.Id.ToString());
            var response = await api.PostAsJsonAsync("/api/suggestions", new { term = 16, title, text = "老旧小区加装电梯进展慢，建议加快。" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        async Task<Guid> OpenTaskAsync(Guid suggestion, string step)
        {
            var tasks = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?correlationKey={suggestion}&activityType={step}&status=Open", UriKind.Relative));
            return tasks.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid();
        }

        async Task CompleteAsync(Guid suggestion, string step, object body)
        {
            var response = await office.PostAsJsonAsync($"/api/workflows/tasks/{await OpenTaskAsync(suggestion, step)}/complete", body);
            Assert.True(response.IsSuccessStatusCode, $"{step}: {await response.Content.ReadAsStringAsync()}");
        }

        var first = await SubmitAsync(deputy, "关于加快老旧小区加装电梯的建议");
        var second = await SubmitAsync(other, "关于老旧小区加装电梯的建议");
        await CompleteAsync(first, "Suggestions.Receive", new { outcome = "Admitted" });
        await CompleteAsync(second, "Suggestions.Receive", new { outcome = "Admitted" });
        await CompleteAsync(first, "Suggestions.Analyse", new { outcome = "Ordinary", field = "urban-construction", linkedSuggestionIds = new[] { second } });
        await CompleteAsync(first, "Suggestions.Assign", new { outcome = "Assigned", mode = "LeadWithCoHandling", unitIds = new[] { housing.Id, transport.Id } });

        // Only the first item's tasks exist; the linked item waits for its own analysis and assignment.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            Assert.Equal(0, await db.UnitTasks.CountAsync(t => t.SuggestionId == second));
            Assert.Equal(2, await db.UnitTasks.CountAsync(t => t.SuggestionId == first));
        }

        await CompleteAsync(second, "Suggestions.Analyse", new { outcome = "Ordinary", field = "urban-construction" });

        // The office's form for the linked item starts with the first item's units, lead first, and its mode.
        var assign = await OpenTaskAsync(second, "Suggestions.Assign");
        FormHints hints;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, Roles.LiaisonOffice)], "test"));
            var request = new FormHintRequest(assign, OfficeQueues.AssignStep, new JsonObject { ["suggestionId"] = second.ToString() }, second, user);
            hints = await new AnalysisFormHints().ForAsync(request, scope.ServiceProvider, CancellationToken.None);
        }

        Assert.Equal([housing.Id.ToString(), transport.Id.ToString()], hints.Defaults["unitIds"]);
        Assert.Equal(["LeadWithCoHandling"], hints.Defaults["mode"]);
        Assert.True(hints.Hides("unitId"));

        await CompleteAsync(second, "Suggestions.Assign", new { outcome = "Assigned", mode = "LeadWithCoHandling", unitIds = new[] { housing.Id, transport.Id } });

        // Each item's own workflow now runs its units: a sign-for task per unit and item.
        var housingApi = await app.ClientForAsync(Roles.UnitHandler, housing.Id.ToString());
        foreach (var item in new[] { first, second })
        {
            var tasks = await housingApi.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?correlationKey={item}&status=Open", UriKind.Relative));
            Assert.Contains(tasks.GetProperty("items").EnumerateArray(), t => t.GetProperty("activityId").GetString() == "signFor");
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            Assert.Equal(
                [(housing.Id, TaskRole.Lead), (transport.Id, TaskRole.CoHandling)],
                (await db.UnitTasks.AsNoTracking().Where(t => t.SuggestionId == second).Select(t => new { t.UnitId, t.Role }).ToListAsync())
                    .OrderBy(t => t.Role).Select(t => (t.UnitId, t.Role)));
            Assert.True(await db.SuggestionLinks.AnyAsync(l => l.PrimarySuggestionId == first && l.LinkedSuggestionId == second));
        }
    }
}
