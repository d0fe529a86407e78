using Liaison.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Settings;

/// <summary>Well-known settings about the installation itself.</summary>
public static class SystemSettings
{
    public const string InstalledAt = "system.installed-at";
    public const string StartCount = "system.start-count";

    /// <summary>
    /// Records one start of the application: the first start stamps the installation time, every start
    /// increments the counter. Shown on the home page so an operator sees the data survived a restart.
    /// </summary>
    public static async Task<InstallationFacts> RecordStartAsync(LiaisonDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var installed = await db.Settings.FindAsync([InstalledAt], cancellationToken);
        if (installed is null)
        {
            installed = new Setting(InstalledAt, now.ToString("O", System.Globalization.CultureInfo.InvariantCulture), now);
            db.Settings.Add(installed);
        }

        var count = await db.Settings.FindAsync([StartCount], cancellationToken);
        if (count is null)
        {
            count = new Setting(StartCount, "1", now);
            db.Settings.Add(count);
        }
        else
        {
            var next = long.Parse(count.Value, System.Globalization.CultureInfo.InvariantCulture) + 1;
            count.Change(next.ToString(System.Globalization.CultureInfo.InvariantCulture), now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return ToFacts(installed, count);
    }

    public static async Task<InstallationFacts?> ReadAsync(LiaisonDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Settings.AsNoTracking()
            .Where(s => s.Key == InstalledAt || s.Key == StartCount)
            .ToListAsync(cancellationToken);
        var installed = rows.FirstOrDefault(r => r.Key == InstalledAt);
        var count = rows.FirstOrDefault(r => r.Key == StartCount);
        return installed is null || count is null ? null : ToFacts(installed, count);
    }

    private static InstallationFacts ToFacts(Setting installed, Setting count) => new(
        DateTimeOffset.Parse(installed.Value, System.Globalization.CultureInfo.InvariantCulture),
        long.Parse(count.Value, System.Globalization.CultureInfo.InvariantCulture));
}

public sealed record InstallationFacts(DateTimeOffset InstalledAt, long StartCount);
