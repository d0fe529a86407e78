using System.Net;
using System.Text.Json;
using Liaison.Domain.Common;
using Liaison.Domain.Opinions;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>
/// GET /api/opinions and GET /api/audit page by key like every list: each caller sees only their share, a citizen's name only
/// where they may contact the citizen (never the phone), and the pages together hold every row once.
/// </summary>
public sealed class OpinionAndAuditListTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Each_caller_pages_through_their_own_opinions_and_only_the_receiver_and_office_see_the_citizen(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "opinion-list");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var wang = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
        var li = new Deputy { Name = "李代表", Level = DeputyLevel.City, Term = 16 };
        var transport = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var housing = new HandlingUnit { Name = "市住房和城乡建设局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var wangOpinions = new List<Guid>();
        var liOpinions = new List<Guid>();
        var forwardedToTransport = new List<Guid>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(wang, li, transport, housing);
            await db.SaveChangesAsync();
            var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            for (var i = 0; i < 45; i++)
            {
                var deputy = i % 3 == 0 ? li : wang;
                var id = await DirectDispatch.SendAsync(db, clock, new RecordPublicOpinion(
                    $"市民{i:00}", "13800000000", OpinionChannel.DeputyCode, null, deputy.Id, $"意见{i:00}：" + new string('路', 250), Actor.System));
                (deputy == li ? liOpinions : wangOpinions).Add(id);
                if (i % 5 == 0)
                {
                    await DirectDispatch.SendAsync(db, clock, new ForwardPublicOpinion(id, i % 10 == 0 ? transport.Id : housing.Id, Actor.System));
                    if (i % 10 == 0)
                    {
                        forwardedToTransport.Add(id);
                    }
                }
            }
        }

        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var leader = await app.ClientForAsync(Roles.Leader);
        var wangClient = await app.ClientForAsync([Roles.Deputy], deputyId: wang.Id.ToString());
        var transportHandler = await app.ClientForAsync(Roles.UnitHandler, unitId: transport.Id.ToString());

        var all = await AllPagesAsync(office, "/api/opinions?take=7");
        Assert.Equal(45, all.Count);
        Assert.Equal(45, all.Select(o => o.GetProperty("id").GetGuid()).Distinct().Count());
        Assert.All(all, o => Assert.StartsWith("市民", o.GetProperty("citizenName").GetString()));
        Assert.All(all, o => Assert.True(o.GetProperty("content").GetString()!.Length <= GetOpinionsHandler.ContentPreview));
        var received = all.Select(o => o.GetProperty("receivedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(received.OrderByDescending(r => r), received);

        // Leaders see everything but not who the citizens are.
        var leaders = await AllPagesAsync(leader, "/api/opinions");
        Assert.Equal(45, leaders.Count);
        Assert.All(leaders, o => Assert.Equal(JsonValueKind.Null, o.GetProperty("citizenName").ValueKind));

        var own = await AllPagesAsync(wangClient, "/api/opinions?take=50");
        Assert.Equal(wangOpinions.Order(), own.Select(o => o.GetProperty("id").GetGuid()).Order());
        Assert.All(own, o => Assert.NotEqual(JsonValueKind.Null, o.GetProperty("citizenName").ValueKind));

        // A unit sees what was forwarded to it, nothing else, and not the citizen's name.
        var forwarded = await AllPagesAsync(transportHandler, "/api/opinions");
        Assert.Equal(forwardedToTransport.Order(), forwarded.Select(o => o.GetProperty("id").GetGuid()).Order());
        Assert.All(forwarded, o => Assert.Equal(JsonValueKind.Null, o.GetProperty("citizenName").ValueKind));

        // Filters narrow within what the caller may see; a deputy filtering on another deputy gets nothing.
        Assert.Equal(liOpinions.Order(), (await AllPagesAsync(office, $"/api/opinions?deputyId={li.Id}")).Select(o => o.GetProperty("id").GetGuid()).Order());
        Assert.Empty(await AllPagesAsync(wangClient, $"/api/opinions?deputyId={li.Id}"));
        Assert.Equal(9, (await AllPagesAsync(office, "/api/opinions?status=Forwarded")).Count);

        // The phone is never in a list; a bad filter value is a 400 problem, not a 500.
        Assert.DoesNotContain("13800000000", await office.GetStringAsync(new Uri("/api/opinions?take=50", UriKind.Relative)), StringComparison.Ordinal);
        var bad = await office.GetAsync(new Uri("/api/opinions?status=Nonsense", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_audit_trail_pages_newest_first_filters_by_action_and_is_closed_to_units(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "audit-list");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var wang = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
        var unit = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var officer = new Actor("officer-1", "工委干部", "10.0.0.1", null);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(wang, unit);
            await db.SaveChangesAsync();
            var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
            for (var i = 0; i < 30; i++)
            {
                var id = await DirectDispatch.SendAsync(db, clock, new RecordPublicOpinion($"市民{i}", null, OpinionChannel.Hotline12345, null, wang.Id, "意见", Actor.System));
                if (i % 2 == 0)
                {
                    await DirectDispatch.SendAsync(db, clock, new ForwardPublicOpinion(id, unit.Id, officer));
                }
            }
        }

        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var lines = await AllPagesAsync(office, "/api/audit?take=8&action=opinion.");
        Assert.Equal(45, lines.Count);
        var ids = lines.Select(l => l.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var forwards = await AllPagesAsync(office, "/api/audit?action=opinion.forwarded");
        Assert.Equal(15, forwards.Count);
        Assert.All(forwards, l => Assert.Equal("工委干部", l.GetProperty("actorName").GetString()));
        Assert.Equal(15, (await AllPagesAsync(office, "/api/audit?actorId=officer-1")).Count);

        var handler = await app.ClientForAsync(Roles.UnitHandler, unitId: unit.Id.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await handler.GetAsync(new Uri("/api/audit", UriKind.Relative))).StatusCode);
        var deputy = await app.ClientForAsync([Roles.Deputy], deputyId: wang.Id.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await deputy.GetAsync(new Uri("/api/audit", UriKind.Relative))).StatusCode);
    }

    private static async Task<List<JsonElement>> AllPagesAsync(HttpClient client, string list)
    {
        var rows = new List<JsonElement>();
        string? after = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var separator = list.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            var response = await client.GetAsync(new Uri(list + (after is null ? "" : separator + "after=" + Uri.EscapeDataString(after)), UriKind.Relative));
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{list}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
            Assert.True(body.Length <= Api.ApiPages.MaxBytes, $"{list}: a page of {body.Length} bytes");
            var page = JsonDocument.Parse(body).RootElement;
            var items = page.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
            Assert.True(items.Count <= Keyset.MaxPageSize);
            rows.AddRange(items);
            after = page.GetProperty("next").GetString();
            if (after is null)
            {
                return rows;
            }
        }

        throw new InvalidOperationException($"{list} did not end within 100 pages");
    }
}
