using Liaison.Domain.Settings;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Persistence;

/// <summary>
/// The domain's unit of work. One model, two providers: each provider has its own subclass so that
/// EF Core keeps a separate, provider-specific migration history for it.
/// </summary>
public abstract class LiaisonDbContext : DbContext
{
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    protected LiaisonDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public abstract DatabaseProvider Provider { get; }

    public DbSet<Setting> Settings => Set<Setting>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LiaisonDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ProviderConventions.Apply(configurationBuilder, Provider);
    }
}

public sealed class SqliteLiaisonDbContext(DbContextOptions<SqliteLiaisonDbContext> options) : LiaisonDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresLiaisonDbContext(DbContextOptions<PostgresLiaisonDbContext> options) : LiaisonDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}

public static class LiaisonDbContextFactory
{
    public static LiaisonDbContext Create(DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.PostgreSql => new PostgresLiaisonDbContext(
            new DbContextOptionsBuilder<PostgresLiaisonDbContext>().Use(provider, connectionString, LiaisonDbContext.MigrationsHistoryTable).Options),
        _ => new SqliteLiaisonDbContext(
            new DbContextOptionsBuilder<SqliteLiaisonDbContext>().Use(provider, connectionString, LiaisonDbContext.MigrationsHistoryTable).Options),
    };
}
