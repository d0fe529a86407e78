using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>The deputy's field on submission (from the taxonomy) and the deputies lookup, over HTTP on PostgreSQL.</summary>
public sealed class DeputySubmissionApiTests
{
    [Fact]
    public async Task A_suggestion_carries_the_field_the_deputy_chose_and_an_unknown_field_is_refused_with_nothing_created()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "deputy-field");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var deputy = new Deputy { Name = "王建国", Level = DeputyLevel.City, Term = 16 };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.Add(deputy);
            await db.SaveChangesAsync();
        }

        var client = await app.ClientForAsync([Roles.Deputy], deputyId: deputy.Id.ToString());

        // By name (交通运输) or by code; stored as the code.
        var accepted = await client.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于增设公交站点的建议", text = "正文", field = "交通运输" });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var refused = await client.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于航天的建议", text = "正文", field = "spaceflight" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("field", out _), problem.GetRawText());

        await using var check = app.Services.CreateAsyncScope();
        var rows = await check.ServiceProvider.GetRequiredService<LiaisonDbContext>().Suggestions.AsNoTracking().Select(s => new { s.Id, s.Field }).ToListAsync();
        Assert.Equal([(id, (string?)"transport")], rows.Select(r => (r.Id, r.Field)));
    }

    [Fact]
    public async Task The_deputies_lookup_matches_names_and_code_prefixes_pages_on_the_server_and_keeps_contact_details_out()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "deputy-lookup");
        await using var app = await LiaisonWebApp.StartAsync(database);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(Enumerable.Range(1, 30).Select(i => new Deputy
            {
                Name = i % 2 == 0 ? $"李代表{i:00}" : $"张代表{i:00}",
                Level = DeputyLevel.City,
                Term = 16,
                PublicCode = $"C{i:000}",
                Contact = new ContactDetails { Phone = $"1380000{i:0000}" },
            }));
            await db.SaveChangesAsync();
        }

        var client = await app.ClientForAsync([Roles.UnitHandler], "unit-1");
        var first = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/lookups/deputies?q=李&take=10", UriKind.Relative));
        var second = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/lookups/deputies?q=李&after={Uri.EscapeDataString(first.GetProperty("next").GetString()!)}&take=10", UriKind.Relative));
        Assert.Equal(15, first.GetProperty("total").GetInt32());
        var names = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(d => d.GetProperty("name").GetString()).ToList();
        Assert.Equal(Enumerable.Range(1, 30).Where(i => i % 2 == 0).Select(i => $"李代表{i:00}"), names);

        var byCode = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/lookups/deputies?q=C01", UriKind.Relative));
        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"C{i:000}"), byCode.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("publicCode").GetString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("1380000", byCode.GetRawText(), StringComparison.Ordinal);

        var all = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/lookups/deputies?take=1000", UriKind.Relative));
        Assert.Equal((30, 50), (all.GetProperty("total").GetInt32(), all.GetProperty("take").GetInt32()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.GetAsync(new Uri("/api/lookups/deputies", UriKind.Relative))).StatusCode);
    }
}
