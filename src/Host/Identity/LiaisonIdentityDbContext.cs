using Liaison.Domain.Persistence;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Liaison.Host.Identity;

/// <summary>
/// Users, roles and the data-protection keys, in the same database as the domain but with their own
/// migration history. The keys live here so that every Host process on one database reads the same
/// cookies and bearer tokens, and a restart does not sign everybody out.
/// </summary>
public abstract class LiaisonIdentityDbContext : IdentityDbContext<LiaisonUser, IdentityRole, string>, IDataProtectionKeyContext
{
    public const string MigrationsHistoryTable = "__identity_migrations_history";

    protected LiaisonIdentityDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public abstract DatabaseProvider Provider { get; }

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Plain names for operators instead of asp_net_users and friends.
        builder.Entity<LiaisonUser>(e =>
        {
            e.ToTable("identity_users");
            e.Property(u => u.DisplayName).HasMaxLength(200);
        });
        builder.Entity<IdentityRole>().ToTable("identity_roles");
        builder.Entity<IdentityUserRole<string>>().ToTable("identity_user_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("identity_user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("identity_user_logins");
        builder.Entity<IdentityUserToken<string>>().ToTable("identity_user_tokens");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("identity_role_claims");
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ProviderConventions.Apply(configurationBuilder, Provider);
    }

    public static LiaisonIdentityDbContext Create(DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.PostgreSql => new PostgresIdentityDbContext(
            new DbContextOptionsBuilder<PostgresIdentityDbContext>().Use(provider, connectionString, MigrationsHistoryTable).Options),
        _ => new SqliteIdentityDbContext(
            new DbContextOptionsBuilder<SqliteIdentityDbContext>().Use(provider, connectionString, MigrationsHistoryTable).Options),
    };
}

public sealed class SqliteIdentityDbContext(DbContextOptions<SqliteIdentityDbContext> options) : LiaisonIdentityDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresIdentityDbContext(DbContextOptions<PostgresIdentityDbContext> options) : LiaisonIdentityDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteIdentityDbContextFactory : IDesignTimeDbContextFactory<SqliteIdentityDbContext>
{
    public SqliteIdentityDbContext CreateDbContext(string[] args) =>
        (SqliteIdentityDbContext)LiaisonIdentityDbContext.Create(DatabaseProvider.Sqlite, "Data Source=design.db");
}

internal sealed class PostgresIdentityDbContextFactory : IDesignTimeDbContextFactory<PostgresIdentityDbContext>
{
    public PostgresIdentityDbContext CreateDbContext(string[] args) =>
        (PostgresIdentityDbContext)LiaisonIdentityDbContext.Create(DatabaseProvider.PostgreSql, "Host=localhost;Database=design");
}
