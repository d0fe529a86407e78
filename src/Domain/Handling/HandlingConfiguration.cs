using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Liaison.Domain.Handling;

internal sealed class UnitTaskConfiguration : IEntityTypeConfiguration<UnitTask>
{
    public void Configure(EntityTypeBuilder<UnitTask> builder)
    {
        builder.ToTable("unit_tasks");
        builder.Ignore(t => t.IsOpen);
        builder.Ignore(t => t.Replies);
        builder.Property(t => t.Role).AsText();
        builder.Property(t => t.Status).AsText();
        builder.Property(t => t.SignedForBy).HasMaxLength(200);
        builder.Property(t => t.ReturnReason).HasMaxLength(2000);
        builder.Property(t => t.CoOpinion).HasMaxLength(20000);
        builder.HasOne<Suggestion>().WithMany().HasForeignKey(t => t.SuggestionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<HandlingUnit>().WithMany().HasForeignKey(t => t.UnitId).OnDelete(DeleteBehavior.Restrict);

        // A unit's inbox: its open tasks by due time.
        builder.HasIndex(t => new { t.UnitId, t.Status, t.DueAt });

        // The overdue list: open tasks whose due time has passed, across units.
        builder.HasIndex(t => new { t.Status, t.DueAt });
        builder.HasIndex(t => t.SuggestionId);

        // 逾期件数 of a partial day (a KPI period's ends): tasks due in a time range whatever their status, index-only.
        builder.HasIndex(t => new { t.DueAt, t.Status, t.CompletedAt });
    }
}

internal sealed class ReplyConfiguration : IEntityTypeConfiguration<Reply>
{
    public void Configure(EntityTypeBuilder<Reply> builder)
    {
        builder.ToTable("replies");
        builder.Property(r => r.Category).AsText();
        builder.Property(r => r.Status).AsText();
        builder.Property(r => r.Text).HasMaxLength(20000);
        builder.Property(r => r.DraftedBy).HasMaxLength(200);
        builder.Property(r => r.ApprovedBy).HasMaxLength(200);
        builder.HasOne<UnitTask>().WithMany().HasForeignKey(r => r.TaskId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.TaskId);
        builder.HasIndex(r => r.SuggestionId);

        // KPIs: first-round replies sent in a period (on-time, category rates, first reply per suggestion).
        // Every column the KPI query reads is in the key, so a year of replies is an index-only scan on
        // both providers (measured: bench `scale`, docs/benchmarks.md).
        builder.HasIndex(r => new { r.Status, r.Round, r.SentAt, r.SuggestionId, r.OnTime, r.Category });

        // The publication queue: public-interest replies not yet published, by due time.
        builder.HasIndex(r => new { r.PublishedAt, r.PublishDueAt });
    }
}

internal sealed class EvaluationConfiguration : IEntityTypeConfiguration<Evaluation>
{
    public void Configure(EntityTypeBuilder<Evaluation> builder)
    {
        builder.ToTable("evaluations");
        builder.Property(e => e.Result).AsText();
        builder.Property(e => e.Comment).HasMaxLength(4000);
        builder.HasOne<Reply>().WithMany().HasForeignKey(e => e.ReplyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Deputy>().WithMany().HasForeignKey(e => e.DeputyId).OnDelete(DeleteBehavior.Restrict);

        // One evaluation per deputy per reply, enforced by the database too (two racing requests).
        builder.HasIndex(e => new { e.ReplyId, e.DeputyId }).IsUnique();
        // KPIs: evaluations in a period by result, index-only (evaluations are not stored in time order).
        builder.HasIndex(e => new { e.At, e.Result });
        builder.HasIndex(e => e.SuggestionId);
    }
}

internal sealed class ExtensionRequestConfiguration : IEntityTypeConfiguration<ExtensionRequest>
{
    public void Configure(EntityTypeBuilder<ExtensionRequest> builder)
    {
        builder.ToTable("extension_requests");
        builder.Property(e => e.Status).AsText();
        builder.Property(e => e.RequestedBy).HasMaxLength(200);
        builder.Property(e => e.DecidedBy).HasMaxLength(200);
        builder.Property(e => e.Reason).HasMaxLength(4000);
        builder.Property(e => e.ExplanationToDeputy).HasMaxLength(4000);
        builder.Property(e => e.DecisionNote).HasMaxLength(4000);
        builder.HasOne<UnitTask>().WithMany().HasForeignKey(e => e.TaskId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.TaskId, e.Status });
        builder.HasIndex(e => e.SuggestionId);
    }
}

internal sealed class ConsultationConfiguration : IEntityTypeConfiguration<Consultation>
{
    public void Configure(EntityTypeBuilder<Consultation> builder)
    {
        builder.ToTable("consultations");
        builder.Property(c => c.Method).AsText();
        builder.Property(c => c.Stage).AsText();
        builder.Property(c => c.Participants).HasMaxLength(1000);
        builder.Property(c => c.Notes).HasMaxLength(20000);
        builder.HasOne<UnitTask>().WithMany().HasForeignKey(c => c.TaskId).OnDelete(DeleteBehavior.Cascade);

        // Consultation rate: was the deputy consulted before the reply.
        builder.HasIndex(c => new { c.SuggestionId, c.At });
    }
}

internal sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> builder)
    {
        builder.ToTable("follow_ups");
        builder.Property(f => f.Note).HasMaxLength(4000);
        builder.HasOne<Reply>().WithMany().HasForeignKey(f => f.ReplyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => f.ReplyId);
    }
}
