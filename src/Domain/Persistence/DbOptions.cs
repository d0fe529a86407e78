using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>The domain's DbContext for one provider, reachable as <see cref="LiaisonDbContext"/>.</summary>
    public static IServiceCollection AddLiaisonDbContext(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            services.AddDbContext<PostgresLiaisonDbContext>(o => o.Use(provider, connectionString, LiaisonDbContext.MigrationsHistoryTable));
            services.AddScoped<LiaisonDbContext>(sp => sp.GetRequiredService<PostgresLiaisonDbContext>());
        }
        else
        {
            services.AddDbContext<SqliteLiaisonDbContext>(o => o.Use(provider, connectionString, LiaisonDbContext.MigrationsHistoryTable));
            services.AddScoped<LiaisonDbContext>(sp => sp.GetRequiredService<SqliteLiaisonDbContext>());
        }

        return services;
    }
}
