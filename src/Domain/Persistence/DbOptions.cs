using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Persistence;

/// <summary>
/// How every Liaison DbContext connects: the provider, snake_case names (plain SQL for operators on
/// both providers) and a migration-history table of its own per context.
/// </summary>
public static class DbOptions
{
    public static TBuilder Use<TBuilder>(this TBuilder builder, DatabaseProvider provider, string connectionString, string migrationsHistoryTable)
        where TBuilder : DbContextOptionsBuilder
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            builder.UseNpgsql(connectionString, o => o.MigrationsHistoryTable(migrationsHistoryTable));
        }
        else
        {
            builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable(migrationsHistoryTable));
        }

        builder.UseSnakeCaseNamingConvention();
        return builder;
    }
}
