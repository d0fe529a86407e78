using System.Collections.Concurrent;
using Liaison.Domain.Handling;
using Liaison.Domain.Opinions;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Analysis;

/// <summary>
/// Keeps one <see cref="AnalysisIndex"/> per database and rebuilds it when what it learned from changed: a
/// new item, a final assignment made or returned, a unit's responsibilities, the taxonomy or the dictionary.
/// The check is a handful of aggregate queries, so every Host process sharing a PostgreSQL database sees the
/// others' assignments on its next analysis ("retrained as assignments change") without messages between them.
/// </summary>
public static class AnalysisEngine
{
    private static readonly ConcurrentDictionary<string, Entry> Entries = new(StringComparer.Ordinal);

    /// <summary>The current index for this database, rebuilt first when its corpus changed.</summary>
    public static async Task<AnalysisIndex> GetIndexAsync(LiaisonDbContext db, CancellationToken cancellationToken)
    {
        var key = db.Provider + "|" + db.Database.GetConnectionString();
        var entry = Entries.GetOrAdd(key, _ => new Entry());
        var fingerprint = await FingerprintAsync(db, cancellationToken);
        if (entry.Current is { } current && current.Fingerprint == fingerprint)
        {
            return current.Index;
        }

        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            if (entry.Current is { } built && built.Fingerprint == fingerprint)
            {
                return built.Index;
            }

            var corpus = await LoadCorpusAsync(db, cancellationToken);
            var index = await Task.Run(() => AnalysisIndex.Build(corpus), cancellationToken);
            entry.Current = new Snapshot(index, fingerprint);
            return index;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Everything the analysis learns from, read from the database.</summary>
    public static async Task<AnalysisCorpus> LoadCorpusAsync(LiaisonDbContext db, CancellationToken cancellationToken)
    {
        var units = await db.HandlingUnits.AsNoTracking().OrderBy(u => u.Name)
            .Select(u => new CorpusUnit(u.Id, u.Name, u.Responsibilities)).ToListAsync(cancellationToken);
        var fields = await db.FieldCategories.AsNoTracking().Where(f => f.Active).OrderBy(f => f.SortOrder)
            .Select(f => new CorpusField(f.Code, f.Name, f.Keywords)).ToListAsync(cancellationToken);
        var terms = await db.DictionaryTerms.AsNoTracking().Select(t => new { t.Word, t.Kind }).ToListAsync(cancellationToken);

        // Final units: every task not returned (a reassignment's new task replaces the returned one).
        var tasks = await db.UnitTasks.AsNoTracking().Where(t => t.Status != UnitTaskStatus.Returned)
            .Select(t => new { t.SuggestionId, t.UnitId, t.Role }).ToListAsync(cancellationToken);
        var shares = tasks.GroupBy(t => t.SuggestionId).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<UnitShare>)g.OrderBy(t => t.Role == TaskRole.CoHandling).Select(t => new UnitShare(t.UnitId, t.Role != TaskRole.CoHandling)).DistinctBy(s => s.UnitId).ToList());
        var suggestions = await db.Suggestions.AsNoTracking().Where(s => s.Status != SuggestionStatus.TurnedAway)
            .Select(s => new { s.Id, s.Term, s.Year, s.Sequence, s.Title, s.Text, s.Status, s.Field }).ToListAsync(cancellationToken);
        var opinions = await db.PublicOpinions.AsNoTracking().Where(o => o.Status != OpinionStatus.ConvertedToSuggestion)
            .Select(o => new { o.Id, o.Content, o.Status, o.ForwardedToUnitId }).ToListAsync(cancellationToken);

        var items = suggestions.Select(s => new CorpusItem(
                SimilarItemKind.Suggestion, s.Id, s.Sequence is { } n ? $"{s.Term}-{s.Year}-{n:0000}" : null, s.Title, s.Text, s.Status != SuggestionStatus.Closed,
                shares.GetValueOrDefault(s.Id) ?? [], s.Field))
            .Concat(opinions.Select(o => new CorpusItem(
                SimilarItemKind.Opinion, o.Id, null, OpinionTitle(o.Content), o.Content, o.Status != OpinionStatus.Closed,
                o.ForwardedToUnitId is { } unit ? [new UnitShare(unit, true)] : [], null)))
            .ToList();
        return new AnalysisCorpus(
            units,
            fields,
            items,
            AnalysisDefaults.GovernmentTerms.Concat(terms.Where(t => t.Kind != DictionaryTermKind.StopWord).Select(t => t.Word)).ToList(),
            terms.Where(t => t.Kind == DictionaryTermKind.StopWord).Select(t => t.Word).ToList());
    }

    /// <summary>An opinion has no title: its first words stand for one in lists.</summary>
    public static string OpinionTitle(string content)
    {
        var line = content.Split('\n', '。', '！', '？')[0].Trim();
        return line.Length <= 40 ? line : line[..40] + "…";
    }

    private static async Task<string> FingerprintAsync(LiaisonDbContext db, CancellationToken cancellationToken)
    {
        var suggestions = await db.Suggestions.CountAsync(cancellationToken);
        var closed = await db.Suggestions.CountAsync(s => s.Status == SuggestionStatus.Closed || s.Status == SuggestionStatus.TurnedAway, cancellationToken);
        var classified = await db.Suggestions.CountAsync(s => s.Field != null, cancellationToken);
        var tasks = await db.UnitTasks.CountAsync(cancellationToken);
        var returned = await db.UnitTasks.CountAsync(t => t.Status == UnitTaskStatus.Returned, cancellationToken);
        var opinions = await db.PublicOpinions.CountAsync(cancellationToken);
        var forwarded = await db.PublicOpinions.CountAsync(o => o.ForwardedToUnitId != null, cancellationToken);
        var openOpinions = await db.PublicOpinions.CountAsync(o => o.Status == OpinionStatus.Closed || o.Status == OpinionStatus.ConvertedToSuggestion, cancellationToken);
        var units = await db.HandlingUnits.CountAsync(cancellationToken);
        var unitText = await db.HandlingUnits.SumAsync(u => (long)(u.Name.Length + (u.Responsibilities == null ? 0 : u.Responsibilities.Length)), cancellationToken);
        var fields = await db.FieldCategories.Where(f => f.Active).CountAsync(cancellationToken);
        var fieldsChanged = await db.FieldCategories.MaxAsync(f => (DateTimeOffset?)f.UpdatedAt, cancellationToken);
        var dictionary = await db.DictionaryTerms.CountAsync(cancellationToken);
        var dictionaryChanged = await db.DictionaryTerms.MaxAsync(t => (DateTimeOffset?)t.AddedAt, cancellationToken);
        return string.Join('|', suggestions, closed, classified, tasks, returned, opinions, forwarded, openOpinions, units, unitText, fields, fieldsChanged?.UtcTicks, dictionary, dictionaryChanged?.UtcTicks);
    }

    /// <summary>Forgets this database's index: an edit the fingerprint cannot see (same-length text) still counts at once here.</summary>
    public static void Invalidate(LiaisonDbContext db)
    {
        if (Entries.TryGetValue(db.Provider + "|" + db.Database.GetConnectionString(), out var entry))
        {
            entry.Current = null;
        }
    }

    private sealed record Snapshot(AnalysisIndex Index, string Fingerprint);

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        // One reference, swapped whole: a reader never pairs a new index with an old fingerprint.
        public volatile Snapshot? Current;
    }
}
