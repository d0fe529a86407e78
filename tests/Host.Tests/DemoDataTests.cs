using System.Net.Http.Json;
using System.Text.Json;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

public sealed class DemoDataTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Demo_city_is_seeded_once_with_suggestions_across_the_loop(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "demo");
        var settings = new Dictionary<string, string?> { ["Liaison:Demo:Enabled"] = "true" };
        await using (var first = await LiaisonWebApp.StartAsync(database, settings))
        {
            await using var scope = first.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            Assert.InRange(await db.HandlingUnits.CountAsync(), 25, 40);
            Assert.True(await db.HandlingUnits.AllAsync(u => u.Responsibilities != null), "every demo unit has its responsibilities text");
            Assert.Equal(120, await db.Deputies.CountAsync());
            Assert.Equal(40, await db.Suggestions.CountAsync());
            var statuses = await db.Suggestions.Select(s => s.Status).Distinct().ToListAsync();
            Assert.True(statuses.Count >= 6, $"only {string.Join(", ", statuses)}");
            Assert.Contains(SuggestionStatus.Closed, statuses);
            Assert.True(await db.AuditEntries.CountAsync() > 200, "the history was replayed through the commands");

            // The reporting API answers from the demo data through the mediator, to the roles it is for.
            var leader = await first.ClientForAsync("Leader");
            var kpis = await leader.GetFromJsonAsync<JsonElement>(new Uri("/api/reports/kpis", UriKind.Relative));
            Assert.True(kpis.EnumerateObject().Any(), kpis.ToString());
            var overdue = await leader.GetFromJsonAsync<JsonElement>(new Uri("/api/reports/overdue", UriKind.Relative));
            Assert.True(overdue.GetArrayLength() > 0, "demo suggestions stuck mid-loop are overdue by now");
            var suggestion = await db.Suggestions.Select(x => x.Id).FirstAsync();
            var timeline = await leader.GetFromJsonAsync<JsonElement>(new Uri($"/api/suggestions/{suggestion}/timeline", UriKind.Relative));
            Assert.True(timeline.GetArrayLength() > 0);

            var open = new[] { Liaison.Domain.Handling.UnitTaskStatus.Assigned, Liaison.Domain.Handling.UnitTaskStatus.SignedFor, Liaison.Domain.Handling.UnitTaskStatus.Rehandling };
            var busiest = await db.UnitTasks.Where(t => open.Contains(t.Status)).GroupBy(t => t.UnitId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
            var handler = await first.ClientForAsync("UnitHandler", busiest.ToString());
            var inbox = await handler.GetFromJsonAsync<JsonElement>(new Uri($"/api/units/{busiest}/inbox", UriKind.Relative));
            Assert.True(inbox.GetArrayLength() > 0);
            var otherUnit = await db.HandlingUnits.Where(u => u.Id != busiest).Select(u => u.Id).FirstAsync();
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await handler.GetAsync(new Uri($"/api/units/{otherUnit}/inbox", UriKind.Relative))).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await handler.GetAsync(new Uri("/api/reports/kpis", UriKind.Relative))).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await first.Client.GetAsync(new Uri("/api/reports/kpis", UriKind.Relative))).StatusCode);
        }

        await using var second = await LiaisonWebApp.StartAsync(database, settings);
        await using var again = second.Services.CreateAsyncScope();
        Assert.Equal(40, await again.ServiceProvider.GetRequiredService<LiaisonDbContext>().Suggestions.CountAsync());
    }
}
