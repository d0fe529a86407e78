using Liaison.Domain.Persistence;
using Liaison.Domain.Settings;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Tests;

public sealed class SettingPersistenceTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Settings_round_trip_through_the_migrated_schema(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "settings");
        var at = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8));

        await using (var db = await database.CreateMigratedContextAsync())
        {
            db.Settings.Add(new Setting("deadline.reply.months", "3", at));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            var setting = await db.Settings.SingleAsync(s => s.Key == "deadline.reply.months");
            Assert.Equal("3", setting.Value);
            Assert.Equal(at, setting.UpdatedAt);

            // Range queries on times run in SQL on both providers.
            Assert.Equal(1, await db.Settings.CountAsync(s => s.UpdatedAt >= at.AddMinutes(-1) && s.UpdatedAt < at.AddMinutes(1)));
            setting.Change("6", at.AddDays(1));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            Assert.Equal("6", (await db.Settings.SingleAsync(s => s.Key == "deadline.reply.months")).Value);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Recording_starts_keeps_the_installation_time(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "starts");
        var clock = FakeClock.Create();

        await using (var db = await database.CreateMigratedContextAsync())
        {
            var first = await SystemSettings.RecordStartAsync(db, clock, CancellationToken.None);
            Assert.Equal(1, first.StartCount);
        }

        clock.Advance(TimeSpan.FromDays(3));
        await using (var db = database.CreateContext())
        {
            var second = await SystemSettings.RecordStartAsync(db, clock, CancellationToken.None);
            Assert.Equal(2, second.StartCount);
            Assert.Equal(FakeClock.DefaultStart, second.InstalledAt);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrations_match_the_model(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "model");
        await using var db = await database.CreateMigratedContextAsync();

        Assert.False(db.Database.HasPendingModelChanges(), $"the {provider} model has changes without a migration: run dotnet ef migrations add");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }
}
