using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Liaison.Domain.Persistence;

/// <summary>
/// Model conventions that differ by provider. Every Liaison DbContext applies them so that one model
/// behaves the same on SQLite and PostgreSQL.
/// </summary>
public static class ProviderConventions
{
    public static void Apply(ModelConfigurationBuilder builder, DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            // SQLite has no offset-aware timestamp type and EF cannot order or compare DateTimeOffset
            // stored as text; a sortable 64-bit encoding keeps range queries (due timers, deadlines) in SQL.
            builder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            builder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            builder.Properties<decimal>().HaveConversion<double>();
        }
    }
}
