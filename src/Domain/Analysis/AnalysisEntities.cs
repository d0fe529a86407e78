using Liaison.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Liaison.Domain.Analysis;

/// <summary>
/// One field of the taxonomy (交通运输, 教育, ...): a suggestion's field is chosen from these, not typed.
/// Administrators edit them; the keywords describe the field for the classifier before any history exists.
/// </summary>
public sealed class FieldCategory
{
    /// <summary>Stable code stored on suggestions (transport, education, ...).</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    public string? EnglishName { get; set; }

    /// <summary>Words and phrases typical of the field, separated by spaces or punctuation.</summary>
    public string? Keywords { get; set; }

    public int SortOrder { get; set; }

    /// <summary>Retired fields stay so that old suggestions keep their field, but are no longer proposed or chosen.</summary>
    public bool Active { get; set; } = true;

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum DictionaryTermKind
{
    /// <summary>A government term kept whole (家庭医生, 加装电梯).</summary>
    Term,

    /// <summary>A place name (a district, town, village, road).</summary>
    Place,

    /// <summary>A word that says nothing about the subject (建议, 有关部门): never counted.</summary>
    StopWord,
}

/// <summary>The user dictionary an administrator extends; units' names are added from the units themselves.</summary>
public sealed class DictionaryTerm
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Word { get; set; }

    public DictionaryTermKind Kind { get; set; }

    public DateTimeOffset AddedAt { get; set; }

    public string? AddedBy { get; set; }
}

/// <summary>
/// What the analysis proposed for a suggestion and what the liaison office chose, kept so that the accuracy
/// of the proposals can be reported in production (first proposal kept; chosen among the first three).
/// </summary>
public sealed class AnalysisDecision
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid SuggestionId { get; set; }

    /// <summary>Proposed units, best first (at most five).</summary>
    public List<Guid> ProposedUnitIds { get; set; } = [];

    public string? ProposedField { get; set; }

    /// <summary>The office's choice, the lead unit first.</summary>
    public List<Guid> ChosenUnitIds { get; set; } = [];

    public string? ChosenField { get; set; }

    /// <summary>The first proposal is the unit the office chose to lead.</summary>
    public bool FirstProposalKept { get; set; }

    /// <summary>The chosen lead unit was among the first three proposals.</summary>
    public bool ChosenInTopThree { get; set; }

    public bool FieldKept { get; set; }

    public DateTimeOffset DecidedAt { get; set; }

    public required string DecidedBy { get; set; }
}

internal sealed class FieldCategoryConfiguration : IEntityTypeConfiguration<FieldCategory>
{
    public void Configure(EntityTypeBuilder<FieldCategory> builder)
    {
        builder.ToTable("analysis_fields");
        builder.HasKey(f => f.Code);
        builder.Property(f => f.Code).HasMaxLength(50);
        builder.Property(f => f.Name).HasMaxLength(100);
        builder.Property(f => f.EnglishName).HasMaxLength(100);
        builder.Property(f => f.Keywords).HasMaxLength(4000);
    }
}

internal sealed class DictionaryTermConfiguration : IEntityTypeConfiguration<DictionaryTerm>
{
    public void Configure(EntityTypeBuilder<DictionaryTerm> builder)
    {
        builder.ToTable("analysis_dictionary");
        builder.Property(t => t.Word).HasMaxLength(40);
        builder.Property(t => t.Kind).AsText();
        builder.Property(t => t.AddedBy).HasMaxLength(200);
        builder.HasIndex(t => new { t.Word, t.Kind }).IsUnique();
    }
}

internal sealed class AnalysisDecisionConfiguration : IEntityTypeConfiguration<AnalysisDecision>
{
    public void Configure(EntityTypeBuilder<AnalysisDecision> builder)
    {
        builder.ToTable("analysis_decisions");
        builder.HasIndex(d => d.SuggestionId).IsUnique();
        builder.HasIndex(d => d.DecidedAt);
        builder.Property(d => d.ProposedField).HasMaxLength(50);
        builder.Property(d => d.ChosenField).HasMaxLength(50);
        builder.Property(d => d.DecidedBy).HasMaxLength(200);
        builder.HasOne<Suggestions.Suggestion>().WithMany().HasForeignKey(d => d.SuggestionId).OnDelete(DeleteBehavior.Cascade);
    }
}
