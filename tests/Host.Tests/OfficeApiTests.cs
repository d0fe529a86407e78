using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>The office console's API on both databases: queue counts by step, the supervision board's filters in SQL, reminders (催办).</summary>
public sealed class OfficeApiTests
{
    private static readonly Dictionary<string, string?> LongTokens = new() { ["Liaison:Auth:TokenLifetime"] = "365.00:00:00" };

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_queues_and_the_board_filter_in_the_database_and_a_unit_is_reminded_once_a_day(DatabaseProvider provider)
    {
        var clock = FakeClock.Create();
        await using var database = await TestDatabase.CreateAsync(provider, "office-api");
        await using var app = await LiaisonWebApp.StartAsync(database, LongTokens, s => s.UseFakeClock(clock));
        var transport = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var education = new HandlingUnit { Name = "市教育局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var deputy = new Deputy { Name = "李代表", Level = DeputyLevel.City, Term = 16 };
        var leader = new Leader { Name = "张副市长" };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(transport, education, deputy, leader);
            await db.SaveChangesAsync();
        }

        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var deputyApi = await app.ClientForAsync([Roles.Deputy], deputyId: deputy.Id.ToString());
        var transportApi = await app.ClientForAsync(Roles.UnitHandler, transport.Id.ToString());
        var educationApi = await app.ClientForAsync(Roles.UnitHandler, education.Id.ToString());

        async Task<Guid> SubmitAsync(string title)
        {
            var response = await deputyApi.PostAsJsonAsync("/api/suggestions", new { term = 16, title, text = "正文" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        async Task CompleteAsync(HttpClient client, Guid suggestion, string step, object body)
        {
            var tasks = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?correlationKey={suggestion}&activityType={step}", UriKind.Relative));
            var task = tasks.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid();
            var response = await client.PostAsJsonAsync($"/api/workflows/tasks/{task}/complete", body);
            Assert.True(response.IsSuccessStatusCode, $"{step}: {await response.Content.ReadAsStringAsync()}");
        }

        async Task AssignAsync(Guid suggestion, HandlingUnit unit, object analysis)
        {
            await CompleteAsync(office, suggestion, "Suggestions.Receive", new { outcome = "Admitted" });
            await CompleteAsync(office, suggestion, "Suggestions.Analyse", analysis);

            await CompleteAsync(office, suggestion, "Suggestions.Assign", new { outcome = "Assigned", unitIds = new[] { unit.Id } });
        }

        var late = await SubmitAsync("关于治理道路拥堵的建议");
        await AssignAsync(late, transport, new { outcome = "Ordinary", field = "transport" });
        clock.Advance(TimeSpan.FromDays(95));
        var fresh = await SubmitAsync("关于增设公交站点的建议");
        await AssignAsync(fresh, transport, new { outcome = "Ordinary", field = "education" });
        var returned = await SubmitAsync("关于公交专用道的建议");
        await AssignAsync(returned, education, new { outcome = "Ordinary", field = "transport" });
        await CompleteAsync(educationApi, returned, "Suggestions.SignFor", new { outcome = "Returned", reason = "不属于本单位职责" });
        await SubmitAsync("关于夜间公交的建议");

        var queues = await office.GetFromJsonAsync<JsonElement>(new Uri("/api/office/queues", UriKind.Relative));
        Assert.Equal(1, queues.GetProperty("Intake").GetInt32());
        Assert.Equal(0, queues.GetProperty("Analyse").GetInt32());
        Assert.Equal(1, queues.GetProperty("Assign").GetInt32());
        Assert.Equal(1, queues.GetProperty("Returns").GetInt32());
        Assert.Equal(0, queues.GetProperty("Extensions").GetInt32());

        async Task<Guid[]> BoardAsync(string query)
        {
            var board = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/office/board?{query}", UriKind.Relative));
            var ids = board.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("suggestionId").GetGuid()).ToArray();
            Assert.Equal(ids.Length, board.GetProperty("total").GetInt32());
            return ids;
        }

        // The returned item has no open unit task until it is reassigned, so it is not in flight; the most urgent comes first.
        Assert.Equal([late, fresh], await BoardAsync(string.Empty));
        Assert.Equal([late], await BoardAsync("light=Red"));
        Assert.Equal([fresh], await BoardAsync("light=Green"));
        Assert.Empty(await BoardAsync("light=Yellow"));
        Assert.Equal([late], await BoardAsync("field=transport"));
        Assert.Equal([fresh], await BoardAsync("field=education&unitId=" + transport.Id));
        Assert.Empty(await BoardAsync("unitId=" + education.Id));
        Assert.Empty(await BoardAsync("leaderId=" + leader.Id));
        var firstPage = await office.GetFromJsonAsync<JsonElement>(new Uri("/api/office/board?take=1", UriKind.Relative));
        var second = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/office/board?take=1&after={Uri.EscapeDataString(firstPage.GetProperty("next").GetString()!)}", UriKind.Relative));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        Assert.Equal(2, second.GetProperty("total").GetInt32());
        Assert.Equal(fresh, second.GetProperty("items").EnumerateArray().Single().GetProperty("suggestionId").GetGuid());

        // 催办: once per item, unit and day; problem details otherwise.
        var sent = await office.PostAsJsonAsync($"/api/suggestions/{late}/reminders", new { unitId = transport.Id });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var twice = await office.PostAsJsonAsync($"/api/suggestions/{late}/reminders", new { unitId = transport.Id });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("application/problem+json", twice.Content.Headers.ContentType?.MediaType);
        Assert.Equal("reminder.already-sent-today", (await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync($"/api/suggestions/{Guid.NewGuid()}/reminders", new { unitId = transport.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync($"/api/suggestions/{late}/reminders", new { unitId = Guid.NewGuid() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.PostAsync(new Uri($"/api/suggestions/{late}/reminders", UriKind.Relative), new StringContent("{\"unitId\":", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await deputyApi.PostAsJsonAsync($"/api/suggestions/{late}/reminders", new { unitId = transport.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await transportApi.GetAsync(new Uri("/api/office/board", UriKind.Relative))).StatusCode);

        var board = await office.GetFromJsonAsync<JsonElement>(new Uri("/api/office/board", UriKind.Relative));
        var reminded = board.GetProperty("items")[0].GetProperty("units")[0];
        Assert.Equal(transport.Id, reminded.GetProperty("unitId").GetGuid());
        Assert.Equal(clock.GetUtcNow(), reminded.GetProperty("lastRemindedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, board.GetProperty("items")[1].GetProperty("units")[0].GetProperty("lastRemindedAt").ValueKind);

        // Exactly one message went to the unit for it.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var workflows = scope.ServiceProvider.GetRequiredService<Liaison.Workflows.Persistence.WorkflowsDbContext>();
            Assert.Equal(1, workflows.Outbox.Count(o => o.ActivityId == "office.reminder" && o.Recipient == $"unit:{transport.Id}"));
        }
    }
}
