using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
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
            Assert.InRange(await db.HandlingUnits.CountAsync(), 20, 25);
            Assert.Equal(120, await db.Deputies.CountAsync());
            Assert.Equal(40, await db.Suggestions.CountAsync());
            var statuses = await db.Suggestions.Select(s => s.Status).Distinct().ToListAsync();
            Assert.True(statuses.Count >= 6, $"only {string.Join(", ", statuses)}");
            Assert.Contains(SuggestionStatus.Closed, statuses);
            Assert.True(await db.AuditEntries.CountAsync() > 200, "the history was replayed through the commands");
            var kpis = await Liaison.Domain.Common.DirectDispatch.AskAsync(db, TimeProvider.System, new GetKpis(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddDays(1)));
            Assert.NotNull(kpis);
        }

        await using var second = await LiaisonWebApp.StartAsync(database, settings);
        await using var again = second.Services.CreateAsyncScope();
        Assert.Equal(40, await again.ServiceProvider.GetRequiredService<LiaisonDbContext>().Suggestions.CountAsync());
    }
}
