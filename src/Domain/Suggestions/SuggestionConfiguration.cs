using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Liaison.Domain.Suggestions;

internal sealed class SuggestionConfiguration : IEntityTypeConfiguration<Suggestion>
{
    public void Configure(EntityTypeBuilder<Suggestion> builder)
    {
        builder.ToTable("suggestions");
        builder.Ignore(s => s.Number);
        builder.Ignore(s => s.Deputies);
        builder.Property(s => s.Title).HasMaxLength(300);
        builder.Property(s => s.Text).HasMaxLength(20000);
        builder.Property(s => s.Field).HasMaxLength(50);
        builder.Property(s => s.Source).AsText();
        builder.Property(s => s.Status).AsText();
        builder.Property(s => s.TurnAwayReason).HasConversion<string>().HasMaxLength(40);
        builder.Property(s => s.TurnAwayNote).HasMaxLength(2000);
        builder.Property(s => s.AssignmentMode).HasConversion<string>().HasMaxLength(40);
        builder.HasIndex(s => new { s.Term, s.Year, s.Sequence }).IsUnique();
        builder.HasIndex(s => new { s.Status, s.AssignedAt });
        builder.HasIndex(s => s.LeadDeputyId);

        // Keyset paging: the suggestion list (newest first) and the key suggestions of a period.
        builder.HasIndex(s => new { s.SubmittedAt, s.Id });
        builder.HasIndex(s => new { s.IsKey, s.SubmittedAt, s.Id });
        builder.HasOne<Deputy>().WithMany().HasForeignKey(s => s.LeadDeputyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Leader>().WithMany().HasForeignKey(s => s.LeadingLeaderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Leader>().WithMany().HasForeignKey(s => s.SupervisingLeaderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(s => s.CoSigners).WithOne().HasForeignKey(c => c.SuggestionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SuggestionCoSignerConfiguration : IEntityTypeConfiguration<SuggestionCoSigner>
{
    public void Configure(EntityTypeBuilder<SuggestionCoSigner> builder)
    {
        builder.ToTable("suggestion_co_signers");
        builder.HasKey(c => new { c.SuggestionId, c.DeputyId });
        // Two answers racing (or a confirm and a refuse): the update is conditional on the state read, so one of them loses.
        builder.Property(c => c.State).AsText().IsConcurrencyToken();
        builder.Property(c => c.RefusalReason).HasMaxLength(500);
        builder.HasIndex(c => c.DeputyId);
        builder.HasOne<Deputy>().WithMany().HasForeignKey(c => c.DeputyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SuggestionLinkConfiguration : IEntityTypeConfiguration<SuggestionLink>
{
    public void Configure(EntityTypeBuilder<SuggestionLink> builder)
    {
        builder.ToTable("suggestion_links");
        builder.HasKey(l => new { l.PrimarySuggestionId, l.LinkedSuggestionId });

        // A suggestion is handled together with at most one primary.
        builder.HasIndex(l => l.LinkedSuggestionId).IsUnique();
        builder.HasOne<Suggestion>().WithMany().HasForeignKey(l => l.PrimarySuggestionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Suggestion>().WithMany().HasForeignKey(l => l.LinkedSuggestionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SuggestionNumberCounterConfiguration : IEntityTypeConfiguration<SuggestionNumberCounter>
{
    public void Configure(EntityTypeBuilder<SuggestionNumberCounter> builder)
    {
        builder.ToTable("suggestion_number_counters");
        builder.HasKey(c => new { c.Term, c.Year });
        builder.Property(c => c.Last).IsConcurrencyToken();
    }
}
