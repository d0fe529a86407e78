using Liaison.Domain.Persistence;
using Liaison.Host.Storage;
using Liaison.Workflows.DueItems;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Liaison.Host.Notifications;

/// <summary>
/// The application's messaging tables: in-app notifications, the deliveries of the engine's outbox and the
/// message texts administrators changed. Same database, own migration history. These tables were the
/// engine's (wf_notifications, wf_deliveries, wf_message_templates) until the engine's HandOverMessaging
/// migration renamed them, rows and all; this context's first migration adopts them, so it runs after the
/// engine's (see <see cref="MessagingServiceCollectionExtensions.AddLiaisonMessaging"/>).
/// </summary>
public abstract class MessagingDbContext : DbContext
{
    public const string MigrationsHistoryTable = "__messaging_migrations_history";

    protected MessagingDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public abstract DatabaseProvider Provider { get; }

    public DbSet<DeliveryRecord> Deliveries => Set<DeliveryRecord>();

    public DbSet<NotificationRecord> Notifications => Set<NotificationRecord>();

    public DbSet<MessageTemplateRecord> MessageTemplates => Set<MessageTemplateRecord>();

    public static MessagingDbContext Create(DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.PostgreSql => new PostgresMessagingDbContext(
            new DbContextOptionsBuilder<PostgresMessagingDbContext>().Use(provider, connectionString, MigrationsHistoryTable).Options),
        _ => new SqliteMessagingDbContext(
            new DbContextOptionsBuilder<SqliteMessagingDbContext>().Use(provider, connectionString, MigrationsHistoryTable).Options),
    };

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ProviderConventions.Apply(configurationBuilder, Provider);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DeliveryRecord>(e =>
        {
            e.ToTable("notification_deliveries");
            e.HasKey(x => x.Id);
            e.Property(x => x.DeliveryKey).HasMaxLength(400);
            e.Property(x => x.Recipient).HasMaxLength(200);
            e.Property(x => x.Channel).HasMaxLength(64);
            e.Property(x => x.LastError).HasMaxLength(2000);
            e.HasIndex(x => x.DeliveryKey).IsUnique();
            e.HasIndex(x => x.OutboxId);
        });

        modelBuilder.Entity<NotificationRecord>(e =>
        {
            e.ToTable("notifications");
            e.HasKey(x => x.Id);
            e.Property(x => x.UserId).HasMaxLength(200);
            e.Property(x => x.DeliveryKey).HasMaxLength(400);
            e.Property(x => x.Subject).HasMaxLength(400);
            e.HasIndex(x => x.DeliveryKey).IsUnique();
            e.HasIndex(x => new { x.UserId, x.CreatedAt });
        });

        modelBuilder.Entity<MessageTemplateRecord>(e =>
        {
            e.ToTable("message_templates");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasMaxLength(200);
            e.Property(x => x.Subject).HasMaxLength(400);
            e.Property(x => x.UpdatedBy).HasMaxLength(200);
        });
    }
}

public sealed class SqliteMessagingDbContext(DbContextOptions<SqliteMessagingDbContext> options) : MessagingDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresMessagingDbContext(DbContextOptions<PostgresMessagingDbContext> options) : MessagingDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// The messaging DbContext, the message texts and the renderer the engine's notices use. Call after the
    /// engine's DbContext is registered for migration: this context's first migration adopts the tables the
    /// engine's last one renamed.
    /// </summary>
    public static IServiceCollection AddLiaisonMessaging(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            services.AddDbContext<PostgresMessagingDbContext>(o => o.Use(provider, connectionString, MessagingDbContext.MigrationsHistoryTable));
            services.AddScoped<MessagingDbContext>(sp => sp.GetRequiredService<PostgresMessagingDbContext>());
        }
        else
        {
            services.AddDbContext<SqliteMessagingDbContext>(o => o.Use(provider, connectionString, MessagingDbContext.MigrationsHistoryTable));
            services.AddScoped<MessagingDbContext>(sp => sp.GetRequiredService<SqliteMessagingDbContext>());
        }

        services.AddSingleton<IMigratableContext, MigratableContext<MessagingDbContext>>();
        services.AddScoped<MessageTemplates>();
        services.AddScoped<IMessageRenderer>(sp => sp.GetRequiredService<MessageTemplates>());
        return services;
    }
}

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteMessagingDbContextFactory : IDesignTimeDbContextFactory<SqliteMessagingDbContext>
{
    public SqliteMessagingDbContext CreateDbContext(string[] args) =>
        (SqliteMessagingDbContext)MessagingDbContext.Create(DatabaseProvider.Sqlite, "Data Source=design.db");
}

internal sealed class PostgresMessagingDbContextFactory : IDesignTimeDbContextFactory<PostgresMessagingDbContext>
{
    public PostgresMessagingDbContext CreateDbContext(string[] args) =>
        (PostgresMessagingDbContext)MessagingDbContext.Create(DatabaseProvider.PostgreSql, "Host=localhost;Database=design");
}
