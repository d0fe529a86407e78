using Liaison.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Liaison.Workflows.Persistence;

/// <summary>
/// The engine's own tables, in the same database as the domain but with their own migration history,
/// so that the engine core stays independent of the suggestion domain.
/// </summary>
public abstract class WorkflowsDbContext : DbContext
{
    public const string MigrationsHistoryTable = "__wf_migrations_history";

    protected WorkflowsDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public abstract DatabaseProvider Provider { get; }

    public DbSet<DefinitionVersionRecord> Definitions => Set<DefinitionVersionRecord>();

    public DbSet<InstanceRecord> Instances => Set<InstanceRecord>();

    public DbSet<BookmarkRecord> Bookmarks => Set<BookmarkRecord>();

    public DbSet<TimerRecord> Timers => Set<TimerRecord>();

    public DbSet<HumanTaskRecord> HumanTasks => Set<HumanTaskRecord>();

    public DbSet<JournalRecord> Journal => Set<JournalRecord>();

    public DbSet<IncidentRecord> Incidents => Set<IncidentRecord>();

    public DbSet<OutboxRecord> Outbox => Set<OutboxRecord>();

    public DbSet<DueItemRecord> DueItems => Set<DueItemRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ProviderConventions.Apply(configurationBuilder, Provider);
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DefinitionVersionRecord>(e =>
        {
            e.ToTable("wf_definitions");
            e.HasKey(x => x.Id);
            e.Property(x => x.DefinitionId).HasMaxLength(200);
            e.Property(x => x.Name).HasMaxLength(400);
            e.Property(x => x.ContentHash).HasMaxLength(64);
            e.Property(x => x.Source).HasMaxLength(400);
            e.Property(x => x.CreatedBy).HasMaxLength(200);
            e.Property(x => x.UpdatedBy).HasMaxLength(200);
            e.Property(x => x.PublishedBy).HasMaxLength(200);
            e.Property(x => x.PublishNote).HasMaxLength(2000);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasIndex(x => new { x.DefinitionId, x.Version }).IsUnique();
            // At most one published version per workflow, enforced by the database.
            e.HasIndex(x => x.DefinitionId).HasFilter(Filter("is_published")).IsUnique().HasDatabaseName("ix_wf_definitions_published");
        });

        modelBuilder.Entity<InstanceRecord>(e =>
        {
            e.ToTable("wf_instances");
            e.HasKey(x => x.Id);
            e.Property(x => x.DefinitionId).HasMaxLength(200);
            e.Property(x => x.CorrelationKey).HasMaxLength(200);
            e.Property(x => x.Revision).IsConcurrencyToken();
            e.HasIndex(x => new { x.DefinitionId, x.Status });
            e.HasIndex(x => x.CorrelationKey);
            e.HasIndex(x => new { x.Status, x.UpdatedAt });
            e.HasIndex(x => x.ParentBookmarkId);
        });

        modelBuilder.Entity<BookmarkRecord>(e =>
        {
            e.ToTable("wf_bookmarks");
            e.HasKey(x => x.Id);
            e.Property(x => x.ActivityId).HasMaxLength(200);
            e.Property(x => x.Kind).HasMaxLength(64);
            e.Property(x => x.EventName).HasMaxLength(200);
            e.Property(x => x.CorrelationKey).HasMaxLength(200);
            e.HasIndex(x => new { x.InstanceId, x.ConsumedAt });
            e.HasIndex(x => new { x.EventName, x.CorrelationKey, x.ConsumedAt });
        });

        modelBuilder.Entity<TimerRecord>(e =>
        {
            e.ToTable("wf_timers");
            e.HasKey(x => x.Id);
            e.Property(x => x.UniqueKey).HasMaxLength(300);
            e.Property(x => x.JobId).HasMaxLength(100);
            e.Property(x => x.LastError).HasMaxLength(2000);
            e.HasIndex(x => x.UniqueKey).IsUnique();
            e.HasIndex(x => new { x.FiredAt, x.DueAt });
            e.HasIndex(x => x.InstanceId);
            e.HasIndex(x => x.BookmarkId);
        });

        modelBuilder.Entity<HumanTaskRecord>(e =>
        {
            e.ToTable("wf_human_tasks");
            e.HasKey(x => x.Id);
            e.Property(x => x.ActivityId).HasMaxLength(200);
            e.Property(x => x.Title).HasMaxLength(400);
            e.Property(x => x.AssigneeKind).HasMaxLength(32);
            e.Property(x => x.AssigneeId).HasMaxLength(200);
            e.Property(x => x.Outcome).HasMaxLength(200);
            e.Property(x => x.CompletedBy).HasMaxLength(200);
            e.HasIndex(x => new { x.AssigneeKind, x.AssigneeId, x.Status, x.DueAt });
            e.HasIndex(x => x.InstanceId);
            e.HasIndex(x => x.BookmarkId).IsUnique();
        });

        modelBuilder.Entity<JournalRecord>(e =>
        {
            e.ToTable("wf_journal");
            // Numbered by the writer, so a burst's lines go in without reading generated keys back.
            e.HasKey(x => new { x.InstanceId, x.Id });
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.ActivityId).HasMaxLength(200);
            e.Property(x => x.ActivityType).HasMaxLength(200);
            e.Property(x => x.Outcome).HasMaxLength(200);
            e.Property(x => x.Message).HasMaxLength(2000);
        });

        modelBuilder.Entity<IncidentRecord>(e =>
        {
            e.ToTable("wf_incidents");
            e.HasKey(x => x.Id);
            e.Property(x => x.ActivityId).HasMaxLength(200);
            e.Property(x => x.ActivityType).HasMaxLength(200);
            e.Property(x => x.Message).HasMaxLength(2000);
            e.HasIndex(x => new { x.InstanceId, x.ResolvedAt });
        });

        modelBuilder.Entity<OutboxRecord>(e =>
        {
            e.ToTable("wf_outbox");
            e.HasKey(x => x.Id);
            e.Property(x => x.ActivityId).HasMaxLength(200);
            e.Property(x => x.Channel).HasMaxLength(64);
            e.Property(x => x.Recipient).HasMaxLength(200);
            e.Property(x => x.Subject).HasMaxLength(400);
            e.HasIndex(x => new { x.DispatchedAt, x.CreatedAt });
        });

        modelBuilder.Entity<DueItemRecord>(e =>
        {
            e.ToTable("wf_due_items");
            e.HasKey(x => x.Id);
            e.Property(x => x.Key).HasMaxLength(300);
            e.Property(x => x.Kind).HasMaxLength(64);
            e.Property(x => x.Outcome).HasMaxLength(200);
            e.Property(x => x.LastError).HasMaxLength(2000);
            e.HasIndex(x => x.Key).IsUnique();
            e.HasIndex(x => new { x.FiredAt, x.DueAt });
            e.HasIndex(x => x.TaskId);
        });

    }

    private string Filter(string column) => Provider == DatabaseProvider.PostgreSql ? $"\"{column}\"" : $"\"{column}\" = 1";
}

public sealed class SqliteWorkflowsDbContext(DbContextOptions<SqliteWorkflowsDbContext> options) : WorkflowsDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresWorkflowsDbContext(DbContextOptions<PostgresWorkflowsDbContext> options) : WorkflowsDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}

public static class WorkflowsDbContextFactory
{
    public static WorkflowsDbContext Create(DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.PostgreSql => new PostgresWorkflowsDbContext(
            new DbContextOptionsBuilder<PostgresWorkflowsDbContext>().Use(provider, connectionString, WorkflowsDbContext.MigrationsHistoryTable).Options),
        _ => new SqliteWorkflowsDbContext(
            new DbContextOptionsBuilder<SqliteWorkflowsDbContext>().Use(provider, connectionString, WorkflowsDbContext.MigrationsHistoryTable).Options),
    };
}

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteWorkflowsDbContextFactory : IDesignTimeDbContextFactory<SqliteWorkflowsDbContext>
{
    public SqliteWorkflowsDbContext CreateDbContext(string[] args) =>
        (SqliteWorkflowsDbContext)WorkflowsDbContextFactory.Create(DatabaseProvider.Sqlite, "Data Source=design.db");
}

internal sealed class PostgresWorkflowsDbContextFactory : IDesignTimeDbContextFactory<PostgresWorkflowsDbContext>
{
    public PostgresWorkflowsDbContext CreateDbContext(string[] args) =>
        (PostgresWorkflowsDbContext)WorkflowsDbContextFactory.Create(DatabaseProvider.PostgreSql, "Host=localhost;Database=design");
}
