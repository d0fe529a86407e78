using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Liaison.Domain.Persistence;

/// <summary>
/// Model conventions that differ by provider. Every Liaison DbContext applies them so that one model
/// behaves the same on SQLite and PostgreSQL. All instants are stored in UTC; the UI converts them to
/// the user's zone.
/// </summary>
public static class ProviderConventions
{
    public static void Apply(ModelConfigurationBuilder builder, DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            // SQLite has no timestamp type and EF cannot compare DateTimeOffset stored as text; UTC ticks
            // keep range queries (due timers, deadlines) in SQL.
            builder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            builder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
            builder.Properties<decimal>().HaveConversion<double>();
        }
        else
        {
            // Npgsql writes timestamptz only from UTC values.
            builder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
            builder.Properties<DateTimeOffset?>().HaveConversion<UtcConverter>();
        }
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));

    private sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => v.ToUniversalTime(),
        v => v.ToUniversalTime());
}
