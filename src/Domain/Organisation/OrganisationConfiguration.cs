using Liaison.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Liaison.Domain.Organisation;

internal sealed class DeputyConfiguration : IEntityTypeConfiguration<Deputy>
{
    public void Configure(EntityTypeBuilder<Deputy> builder)
    {
        builder.ToTable("deputies");
        builder.Property(d => d.Name).HasMaxLength(100);
        builder.Property(d => d.Level).AsText();
        builder.Property(d => d.PublicCode).HasMaxLength(64);
        builder.HasIndex(d => d.PublicCode).IsUnique();
        builder.HasIndex(d => d.DeputyGroupId);
        builder.HasIndex(d => d.StationId);
        builder.HasOne<DeputyGroup>().WithMany().HasForeignKey(d => d.DeputyGroupId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Station>().WithMany().HasForeignKey(d => d.StationId).OnDelete(DeleteBehavior.SetNull);
        builder.OwnsOne(d => d.Contact, c =>
        {
            c.Property(x => x.Phone).HasMaxLength(50);
            c.Property(x => x.Email).HasMaxLength(200);
            c.Property(x => x.Address).HasMaxLength(400);
        });
        builder.Navigation(d => d.Contact).IsRequired();
    }
}

internal sealed class DeputyGroupConfiguration : IEntityTypeConfiguration<DeputyGroup>
{
    public void Configure(EntityTypeBuilder<DeputyGroup> builder)
    {
        builder.ToTable("deputy_groups");
        builder.Property(g => g.Name).HasMaxLength(200);
    }
}

internal sealed class StationConfiguration : IEntityTypeConfiguration<Station>
{
    public void Configure(EntityTypeBuilder<Station> builder)
    {
        builder.ToTable("stations");
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Kind).AsText();
        builder.Property(s => s.Address).HasMaxLength(400);
        builder.Property(s => s.PublicCode).HasMaxLength(64);
        builder.HasIndex(s => s.PublicCode).IsUnique();
    }
}

internal sealed class CommitteeMemberConfiguration : IEntityTypeConfiguration<CommitteeMember>
{
    public void Configure(EntityTypeBuilder<CommitteeMember> builder)
    {
        builder.ToTable("committee_members");
        builder.Property(m => m.Name).HasMaxLength(100);
        builder.HasMany(m => m.LinkedDeputies).WithOne().HasForeignKey(l => l.CommitteeMemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CommitteeMemberDeputyConfiguration : IEntityTypeConfiguration<CommitteeMemberDeputy>
{
    public void Configure(EntityTypeBuilder<CommitteeMemberDeputy> builder)
    {
        builder.ToTable("committee_member_deputies");
        builder.HasKey(l => new { l.CommitteeMemberId, l.DeputyId });
        builder.HasIndex(l => l.DeputyId);
        builder.HasOne<Deputy>().WithMany().HasForeignKey(l => l.DeputyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SpecialCommitteeConfiguration : IEntityTypeConfiguration<SpecialCommittee>
{
    public void Configure(EntityTypeBuilder<SpecialCommittee> builder)
    {
        builder.ToTable("special_committees");
        builder.Property(c => c.Name).HasMaxLength(200);
    }
}

internal sealed class HandlingUnitConfiguration : IEntityTypeConfiguration<HandlingUnit>
{
    public void Configure(EntityTypeBuilder<HandlingUnit> builder)
    {
        builder.ToTable("handling_units");
        builder.Property(u => u.Name).HasMaxLength(200);
        builder.Property(u => u.Kind).AsText();
        builder.Property(u => u.HeadName).HasMaxLength(100);
        builder.Property(u => u.HeadUserId).HasMaxLength(200);
        builder.Property(u => u.Responsibilities).HasMaxLength(8000);
        builder.HasOne<HandlingUnit>().WithMany().HasForeignKey(u => u.ParentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(u => u.ParentId);
    }
}

internal sealed class LeaderConfiguration : IEntityTypeConfiguration<Leader>
{
    public void Configure(EntityTypeBuilder<Leader> builder)
    {
        builder.ToTable("leaders");
        builder.Property(l => l.Name).HasMaxLength(100);
        builder.Property(l => l.Title).HasMaxLength(200);
        builder.Property(l => l.Kind).AsText();
    }
}
