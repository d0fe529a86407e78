using Liaison.Domain.Common;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Liaison.Domain.Opinions;

public enum OpinionChannel
{
    /// <summary>Given at a station (家站室).</summary>
    Station,

    /// <summary>Sent by scanning a deputy's code (码上见代表).</summary>
    DeputyCode,

    /// <summary>Passed on from the 12345 hotline.</summary>
    Hotline12345,
}

public enum OpinionStatus
{
    Open,
    AnsweredByDeputy,
    Forwarded,
    ConvertedToSuggestion,

    /// <summary>The unit answered a forwarded opinion; a dissatisfied call-back forwards it again.</summary>
    Closed,
}

/// <summary>群众意见: a citizen's opinion received by a deputy. The citizen's contact is private.</summary>
public sealed class PublicOpinion
{
    private PublicOpinion()
    {
        CitizenName = Content = string.Empty;
    }

    public PublicOpinion(string citizenName, ContactDetails contact, OpinionChannel channel, Guid? stationId, Guid deputyId, string content, DateTimeOffset at)
    {
        CitizenName = citizenName;
        CitizenContact = contact;
        Channel = channel;
        StationId = stationId;
        DeputyId = deputyId;
        Content = content;
        ReceivedAt = at;
        Status = OpinionStatus.Open;
    }

    public Guid Id { get; private set; } = Guid.CreateVersion7();

    public string CitizenName { get; private set; }

    public ContactDetails CitizenContact { get; private set; } = new();

    public OpinionChannel Channel { get; private set; }

    public Guid? StationId { get; private set; }

    /// <summary>The receiving deputy.</summary>
    public Guid DeputyId { get; private set; }

    public string Content { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public OpinionStatus Status { get; private set; }

    public string? Answer { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public Guid? ForwardedToUnitId { get; private set; }

    public DateTimeOffset? ForwardedAt { get; private set; }

    public DateTimeOffset? DueAt { get; private set; }

    public string? UnitAnswer { get; private set; }

    public DateTimeOffset? UnitAnsweredAt { get; private set; }

    public Guid? SuggestionId { get; private set; }

    public void AnswerByDeputy(string answer, DateTimeOffset at)
    {
        EnsureOpen("answered by the deputy");
        Answer = answer;
        AnsweredAt = at;
        Status = OpinionStatus.AnsweredByDeputy;
    }

    public void Forward(Guid unitId, DateTimeOffset at, DateTimeOffset dueAt)
    {
        EnsureOpen("forwarded");
        ForwardedToUnitId = unitId;
        ForwardedAt = at;
        DueAt = dueAt;
        Status = OpinionStatus.Forwarded;
    }

    public void AnswerByUnit(string answer, DateTimeOffset at)
    {
        if (Status != OpinionStatus.Forwarded)
        {
            throw new DomainException(ErrorCodes.OpinionNotOpen, $"opinion {Id} is {Status}; only a forwarded opinion is answered by a unit");
        }

        UnitAnswer = answer;
        UnitAnsweredAt = at;
        Status = OpinionStatus.Closed;
    }

    /// <summary>
    /// 回访: the citizen's verdict on the unit's answer. Dissatisfied hands it back to the same unit
    /// (重新办理), due again by <paramref name="rehandleDue"/>; the earlier answer stays in the audit trail.
    /// </summary>
    public void RecordCallBack(bool satisfied, DateTimeOffset rehandleDue)
    {
        if (Status != OpinionStatus.Closed)
        {
            throw new DomainException(ErrorCodes.OpinionNotOpen, $"opinion {Id} is {Status}; only an opinion the unit answered is called back");
        }

        if (!satisfied)
        {
            DueAt = rehandleDue;
            Status = OpinionStatus.Forwarded;
        }
    }

    public void ConvertTo(Guid suggestionId)
    {
        EnsureOpen("turned into a suggestion");
        SuggestionId = suggestionId;
        Status = OpinionStatus.ConvertedToSuggestion;
    }

    private void EnsureOpen(string verb)
    {
        if (Status != OpinionStatus.Open)
        {
            throw new DomainException(ErrorCodes.OpinionNotOpen, $"opinion {Id} is {Status}; only an open opinion can be {verb}");
        }
    }
}

internal sealed class PublicOpinionConfiguration : IEntityTypeConfiguration<PublicOpinion>
{
    public void Configure(EntityTypeBuilder<PublicOpinion> builder)
    {
        builder.ToTable("public_opinions");
        builder.Property(o => o.CitizenName).HasMaxLength(100);
        builder.Property(o => o.Channel).AsText();
        builder.Property(o => o.Status).AsText();
        builder.Property(o => o.Content).HasMaxLength(20000);
        builder.Property(o => o.Answer).HasMaxLength(20000);
        builder.Property(o => o.UnitAnswer).HasMaxLength(20000);
        builder.OwnsOne(o => o.CitizenContact, c =>
        {
            c.Property(x => x.Phone).HasMaxLength(50);
            c.Property(x => x.Email).HasMaxLength(200);
            c.Property(x => x.Address).HasMaxLength(400);
        });
        builder.Navigation(o => o.CitizenContact).IsRequired();
        builder.HasOne<Deputy>().WithMany().HasForeignKey(o => o.DeputyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Station>().WithMany().HasForeignKey(o => o.StationId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<HandlingUnit>().WithMany().HasForeignKey(o => o.ForwardedToUnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Suggestion>().WithMany().HasForeignKey(o => o.SuggestionId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(o => new { o.DeputyId, o.Status });
        builder.HasIndex(o => new { o.ForwardedToUnitId, o.Status, o.DueAt });

        // Lists, newest first (keyset on received_at, id): everything, a deputy's, a unit's.
        builder.HasIndex(o => new { o.ReceivedAt, o.Id });
        builder.HasIndex(o => new { o.DeputyId, o.ReceivedAt });
        builder.HasIndex(o => new { o.ForwardedToUnitId, o.ReceivedAt });
    }
}
