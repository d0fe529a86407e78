using System.Net;
using System.Text.Json;
using Liaison.Domain.Common;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Host.Api;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>The API's lists page by key: at most 50 rows and 30 KB per page, and a cursor that is not one is a 400 problem.</summary>
public sealed class ListPagingApiTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Pages_of_long_titles_stay_within_30_KB_and_together_hold_every_row_once(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "list-paging");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var ids = new List<Guid>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            var deputy = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
            db.Add(deputy);
            await db.SaveChangesAsync();
            var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            for (var i = 0; i < 60; i++)
            {
                // The longest title a suggestion may have: 300 Chinese characters, 900 bytes of UTF-8.
                var title = $"{i:000}" + new string('长', 297);
                ids.Add(await DirectDispatch.SendAsync(db, clock, new SubmitSuggestion(16, 2026, title, "正文", SuggestionSource.CongressSession, deputy.Id, [], Actor.System)));
            }
        }

        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var seen = new List<Guid>();
        string? after = null;
        var pages = 0;
        do
        {
            var response = await office.GetAsync(new Uri("/api/suggestions?take=50" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)), UriKind.Relative));
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(bytes.Length <= ApiPages.MaxBytes, $"page {pages + 1} is {bytes.Length} bytes");
            var page = JsonDocument.Parse(bytes).RootElement;
            var items = page.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetGuid()).ToList();
            Assert.InRange(items.Count, 1, Keyset.MaxPageSize);
            seen.AddRange(items);
            after = page.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null);

        // Newest first; every row once; the byte budget, not the 50, cut the pages (about 30 rows of 1 KB each).
        Assert.Equal(Enumerable.Reverse(ids), seen);
        Assert.True(pages >= 3, $"{pages} pages");
    }

    [Fact]
    public async Task A_tampered_cursor_is_a_400_problem_naming_after_on_every_paged_list()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "list-tampered");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var unit = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            var deputy = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
            db.AddRange(deputy, unit);
            await db.SaveChangesAsync();
            var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            for (var i = 0; i < 3; i++)
            {
                await DirectDispatch.SendAsync(db, clock, new SubmitSuggestion(16, 2026, $"建议 {i}", "正文", SuggestionSource.CongressSession, deputy.Id, [], Actor.System));
            }
        }

        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var first = JsonDocument.Parse(await office.GetStringAsync(new Uri("/api/suggestions?take=1", UriKind.Relative))).RootElement;
        var next = first.GetProperty("next").GetString()!;
        var tampered = next[..3] + (next[3] == 'x' ? 'y' : 'x') + next[4..];

        foreach (var list in new[] { "/api/suggestions", $"/api/units/{unit.Id}/inbox", "/api/reports/overdue", "/api/office/board", "/api/workflows/tasks", "/api/workflows/instances", "/api/lookups/deputies", "/api/opinions", "/api/audit" })
        {
            foreach (var bad in new[] { tampered, "garbage", next + "." })
            {
                var response = await office.GetAsync(new Uri($"{list}?after={Uri.EscapeDataString(bad)}", UriKind.Relative));
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{list}: {(int)response.StatusCode} {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("after", out _), body);
            }
        }

        // The cursor it was given still works, and only on its own list.
        Assert.Single(JsonDocument.Parse(await office.GetStringAsync(new Uri($"/api/suggestions?take=1&after={Uri.EscapeDataString(next)}", UriKind.Relative))).RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync(new Uri($"/api/units/{unit.Id}/inbox?after={Uri.EscapeDataString(next)}", UriKind.Relative))).StatusCode);
    }
}
