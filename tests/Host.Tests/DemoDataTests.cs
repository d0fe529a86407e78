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
            Assert.True(overdue.GetProperty("items").GetArrayLength() > 0, "demo suggestions stuck mid-loop are overdue by now");
            var suggestion = await db.Suggestions.Select(x => x.Id).FirstAsync();
            var timeline = await leader.GetFromJsonAsync<JsonElement>(new Uri($"/api/suggestions/{suggestion}/timeline", UriKind.Relative));
            Assert.True(timeline.GetArrayLength() > 0);

            var open = new[] { Liaison.Domain.Handling.UnitTaskStatus.Assigned, Liaison.Domain.Handling.UnitTaskStatus.SignedFor, Liaison.Domain.Handling.UnitTaskStatus.Rehandling };
            var busiest = await db.UnitTasks.Where(t => open.Contains(t.Status)).GroupBy(t => t.UnitId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
            var handler = await first.ClientForAsync("UnitHandler", busiest.ToString());
            var inbox = await handler.GetFromJsonAsync<JsonElement>(new Uri($"/api/units/{busiest}/inbox", UriKind.Relative));
            Assert.True(inbox.GetProperty("items").GetArrayLength() > 0);
            var otherUnit = await db.HandlingUnits.Where(u => u.Id != busiest).Select(u => u.Id).FirstAsync();
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await handler.GetAsync(new Uri($"/api/units/{otherUnit}/inbox", UriKind.Relative))).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await handler.GetAsync(new Uri("/api/reports/kpis", UriKind.Relative))).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await first.Client.GetAsync(new Uri("/api/reports/kpis", UriKind.Relative))).StatusCode);

            // Every suggestion runs in the published workflow, and each demo user signs in to tasks that are theirs to act on.
            await using var workflows = scope.ServiceProvider.GetRequiredService<Liaison.Workflows.Persistence.WorkflowsDbContext>();
            Assert.Equal(40, await workflows.Instances.CountAsync(i => i.DefinitionId == "suggestion-handling"));
            var signIns = first.Services.GetRequiredService<Liaison.Host.Identity.DemoSignIns>().Created.ToDictionary(s => s.Role);
            var expected = new Dictionary<string, string[]>
            {
                ["LiaisonOffice"] = ["receive", "analyse", "assign", "reassign", "decideExtension", "publish"],
                ["UnitHandler"] = ["signFor", "consult", "coOpinion", "reply", "rehandle", "followUp", "unitReply"],
                ["UnitHead"] = ["approve"],
                ["Deputy"] = ["evaluate", "intake"],
                ["Leader"] = ["leaderReview", "supervise"],
            };
            foreach (var (role, activities) in expected)
            {
                var client = await first.TokenClientAsync(signIns[role].UserName, signIns[role].Password);
                var page = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/workflows/tasks?take=200", UriKind.Relative));
                var mine = page.GetProperty("items").EnumerateArray()
                    .Where(t => t.GetProperty("status").GetString() == "Open")
                    .Select(t => t.GetProperty("id").GetGuid())
                    .ToList();
                var actable = new List<string>();
                foreach (var id in mine)
                {
                    var detail = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks/{id}", UriKind.Relative));
                    if (detail.GetProperty("mayAct").GetBoolean())
                    {
                        actable.Add(detail.GetProperty("task").GetProperty("activityId").GetString()!);
                    }
                }

                Assert.All(activities, a => Assert.Contains(a, actable));
            }

            // A red light among them: the demo unit has overdue replies.
            var transport = (await db.HandlingUnits.Where(u => u.Name == Liaison.Host.Demo.DemoDataSeeder.DemoUnitName).Select(u => u.Id).SingleAsync()).ToString();
            var now = first.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            var replies = await workflows.HumanTasks.Where(t => t.AssigneeId == transport && t.ActivityId == "reply" && t.Status == Liaison.Workflows.Persistence.HumanTaskStatus.Open).Select(t => t.DueAt).ToListAsync();
            Assert.Contains(replies, due => due < now);
        }

        await using var second = await LiaisonWebApp.StartAsync(database, settings);
        await using var again = second.Services.CreateAsyncScope();
        Assert.Equal(40, await again.ServiceProvider.GetRequiredService<LiaisonDbContext>().Suggestions.CountAsync());
    }
}
