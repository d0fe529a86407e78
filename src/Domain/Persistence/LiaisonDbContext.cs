using Liaison.Domain.Analysis;
using Liaison.Domain.Attachments;
using Liaison.Domain.Audit;
using Liaison.Domain.Calendar;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Opinions;
using Liaison.Domain.Organisation;
using Liaison.Domain.Settings;
using Liaison.Domain.Suggestions;
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

    public DbSet<CalendarDay> CalendarDays => Set<CalendarDay>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Deputy> Deputies => Set<Deputy>();

    public DbSet<DeputyGroup> DeputyGroups => Set<DeputyGroup>();

    public DbSet<Station> Stations => Set<Station>();

    public DbSet<CommitteeMember> CommitteeMembers => Set<CommitteeMember>();

    public DbSet<SpecialCommittee> SpecialCommittees => Set<SpecialCommittee>();

    public DbSet<HandlingUnit> HandlingUnits => Set<HandlingUnit>();

    public DbSet<Leader> Leaders => Set<Leader>();

    public DbSet<Suggestion> Suggestions => Set<Suggestion>();

    public DbSet<SuggestionLink> SuggestionLinks => Set<SuggestionLink>();

    public DbSet<SuggestionNumberCounter> SuggestionNumberCounters => Set<SuggestionNumberCounter>();

    public DbSet<PublicOpinion> PublicOpinions => Set<PublicOpinion>();

    public DbSet<UnitTask> UnitTasks => Set<UnitTask>();

    public DbSet<Reply> Replies => Set<Reply>();

    public DbSet<Evaluation> Evaluations => Set<Evaluation>();

    public DbSet<ExtensionRequest> ExtensionRequests => Set<ExtensionRequest>();

    public DbSet<Consultation> Consultations => Set<Consultation>();

    public DbSet<FollowUp> FollowUps => Set<FollowUp>();

    public DbSet<Attachment> Attachments => Set<Attachment>();

    public DbSet<FieldCategory> FieldCategories => Set<FieldCategory>();

    public DbSet<DictionaryTerm> DictionaryTerms => Set<DictionaryTerm>();

    public DbSet<AnalysisDecision> AnalysisDecisions => Set<AnalysisDecision>();

    public DbSet<Reporting.KpiDay> KpiDays => Set<Reporting.KpiDay>();

    public DbSet<Reporting.KpiMonth> KpiMonths => Set<Reporting.KpiMonth>();

    public DbSet<Reporting.KpiGroupDay> KpiGroupDays => Set<Reporting.KpiGroupDay>();

    public DbSet<Reporting.KpiDirtyDay> KpiDirtyDays => Set<Reporting.KpiDirtyDay>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAuditTrail();
        Reporting.KpiDirtyMarks.Mark(this);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAuditTrail();
        // The days whose KPI rollups this save makes stale, marked in the same transaction (Reporting/Rollups.cs).
        Reporting.KpiDirtyMarks.Mark(this);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    // The audit trail is append-only: history that can be edited proves nothing.
    private void GuardAuditTrail()
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new DomainException(ErrorCodes.AuditAppendOnly, "audit entries are append-only: they cannot be changed or deleted");
        }
    }

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
