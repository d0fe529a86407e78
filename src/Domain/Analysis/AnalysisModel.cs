namespace Liaison.Domain.Analysis;

// What the analysis reads (a corpus: units, fields, past items with their final units) and what it answers.
// Plain records, so the same engine runs on the database, on the evaluation set and in the benchmark.

public enum SimilarItemKind
{
    Suggestion,
    Opinion,
}

/// <summary>A unit that handled a past item; the lead (主办, or a 分办 unit) counts more than a co-handling one.</summary>
public sealed record UnitShare(Guid UnitId, bool Lead);

/// <summary>A past or open suggestion or public opinion, with its final units (returned tasks excluded) and field.</summary>
public sealed record CorpusItem(
    SimilarItemKind Kind, Guid Id, string? Number, string Title, string Text, bool Open, IReadOnlyList<UnitShare> Units, string? Field);

public sealed record CorpusUnit(Guid Id, string Name, string? Responsibilities);

public sealed record CorpusField(string Code, string Name, string? Keywords);

public sealed record AnalysisCorpus(
    IReadOnlyList<CorpusUnit> Units,
    IReadOnlyList<CorpusField> Fields,
    IReadOnlyList<CorpusItem> Items,
    IReadOnlyList<string> UserWords,
    IReadOnlyList<string> StopWords);

/// <summary>A past or open item like the one analysed; <c>NearDuplicate</c> when it is essentially the same text.</summary>
public sealed record SimilarItem(SimilarItemKind Kind, Guid Id, string? Number, string Title, double Score, bool NearDuplicate, bool Open);

/// <summary>A proposed unit with why: the words it shares with the unit's responsibilities or history, and the past items behind it.</summary>
public sealed record UnitProposal(Guid UnitId, string Name, double Score, IReadOnlyList<string> Words, IReadOnlyList<SimilarItem> PastItems, string Reason);

public sealed record FieldProposal(string Code, string Name, double Score);

public sealed record TextAnalysis(IReadOnlyList<UnitProposal> Units, FieldProposal? Field, IReadOnlyList<FieldProposal> Fields, IReadOnlyList<SimilarItem> Similar);
