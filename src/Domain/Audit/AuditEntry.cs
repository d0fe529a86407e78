using Liaison.Domain.Common;
using Liaison.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Liaison.Domain.Audit;

/// <summary>
/// One line of the append-only audit trail: who did what to which item, when and from where.
/// The DbContext refuses to update or delete these rows.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
        ActorId = ActorName = Action = SubjectType = string.Empty;
    }

    public AuditEntry(DateTimeOffset at, Actor actor, string action, string subjectType, Guid subjectId, Guid? suggestionId, string? detail)
    {
        At = at;
        ActorId = actor.UserId;
        ActorName = actor.Name;
        IpAddress = actor.IpAddress;
        UserAgent = actor.UserAgent;
        Action = action;
        SubjectType = subjectType;
        SubjectId = subjectId;
        SuggestionId = suggestionId;
        Detail = detail;
    }

    /// <summary>Database-generated and increasing, so entries written in the same instant keep their order.</summary>
    public long Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    public string ActorId { get; private set; }

    public string ActorName { get; private set; }

    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    /// <summary>A stable code such as "suggestion.admitted" or "reply.sent".</summary>
    public string Action { get; private set; }

    public string SubjectType { get; private set; }

    public Guid SubjectId { get; private set; }

    /// <summary>The suggestion the action belongs to, so its timeline is one indexed query.</summary>
    public Guid? SuggestionId { get; private set; }

    public string? Detail { get; private set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.Property(a => a.ActorId).HasMaxLength(200);
        builder.Property(a => a.ActorName).HasMaxLength(200);
        builder.Property(a => a.IpAddress).HasMaxLength(64);
        builder.Property(a => a.UserAgent).HasMaxLength(512);
        builder.Property(a => a.Action).HasMaxLength(100);
        builder.Property(a => a.SubjectType).HasMaxLength(100);
        builder.Property(a => a.Detail).HasMaxLength(4000);
        builder.HasIndex(a => new { a.SuggestionId, a.At });
        builder.HasIndex(a => new { a.SubjectType, a.SubjectId, a.At });
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.ActorId, a.Id });
    }
}

public static class AuditExtensions
{
    /// <summary>Adds an audit line to the same unit of work, so it commits (or not) with the change it describes.</summary>
    public static void Audit(this LiaisonDbContext db, DateTimeOffset at, Actor actor, string action, string subjectType, Guid subjectId, Guid? suggestionId, string? detail = null)
    {
        var clipped = detail is { Length: > 4000 } ? detail[..4000] : detail;
        var userAgent = actor.UserAgent is { Length: > 512 } ? actor.UserAgent[..512] : actor.UserAgent;
        db.AuditEntries.Add(new AuditEntry(at, actor with { UserAgent = userAgent }, action, subjectType, subjectId, suggestionId, clipped));
    }
}
