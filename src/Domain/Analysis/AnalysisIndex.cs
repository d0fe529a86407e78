using System.Globalization;

namespace Liaison.Domain.Analysis;

/// <summary>
/// An immutable snapshot of everything the analysis knows: TF-IDF vectors of past items (with an inverted
/// index for the similar-item search), of each unit's responsibilities and of its history of final
/// assignments, and of each field's keywords and history. Built in one pass; a changed corpus builds a
/// new snapshot (see <see cref="AnalysisEngine"/>), which is how proposals follow changed assignments.
///
/// A unit's score adds three views, each scaled to its best unit: the responsibilities text (works from
/// the first day), the centroid of the items it finally handled, and the votes of the nearest past items.
/// The two learned views weigh in as history accumulates, so a new unit is proposed from its text at once
/// and a city's own practice takes over where it differs from the function statements.
/// </summary>
public sealed class AnalysisIndex
{
    public const double NearDuplicateThreshold = 0.8;
    public const double MinimumSimilarity = 0.2;
    private const float BigramWeight = 0.5f;
    private const int Neighbours = 12;

    // A query reads at most this many items of each term's list, the ones where the term weighs most (the lists are
    // impact-ordered): a word shared by tens of thousands of items says little about any one of them, and a million-item
    // history would otherwise make every analysis walk most of it.
    private const int MaxPostingsPerTerm = 2048;

    // How many assigned items make the history count as much as the responsibilities text
    // (about a year of a city's suggestions); before that the function statements lead and history refines.
    private const double HistoryHalfWeight = 200;

    // The learned views: the unit's centroid of past items, and the votes of the nearest past items.
    private const double CentroidWeight = 1;
    private const double VoteWeight = 1;

    private readonly ChineseTokenizer _tokenizer;
    private readonly HashSet<string> _stopWords;
    private readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
    private readonly List<string> _terms = [];
    private readonly float[] _idf;
    private readonly List<CorpusItem> _items;
    private readonly SparseVector[] _itemVectors;
    private readonly Posting[][] _postings;
    private readonly List<CorpusUnit> _units;
    private readonly Dictionary<int, float>[] _unitText;
    private readonly Dictionary<int, float>[][] _unitDuties;
    private readonly Dictionary<int, float>[] _unitHistory;
    private readonly List<CorpusField> _fields;
    private readonly Dictionary<int, float>[] _fieldText;
    private readonly Dictionary<int, float>[] _fieldHistory;
    private readonly Dictionary<Guid, int> _unitIndex;
    private readonly Dictionary<string, int> _fieldIndex;
    private readonly double _historyWeight;

    private AnalysisIndex(AnalysisCorpus corpus, ChineseTokenizer tokenizer)
    {
        _tokenizer = tokenizer;
        tokenizer.AddWords(corpus.UserWords.Concat(corpus.Units.Select(u => u.Name)));
        _stopWords = new HashSet<string>(AnalysisDefaults.StopWords.Concat(corpus.StopWords), StringComparer.Ordinal);
        _items = [.. corpus.Items];
        _units = [.. corpus.Units];
        _fields = [.. corpus.Fields];
        _unitIndex = _units.Select((u, i) => (u.Id, i)).ToDictionary(x => x.Id, x => x.i);
        _fieldIndex = _fields.Select((f, i) => (f.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);

        // Count every document's terms once; document frequencies come from items, units and fields together,
        // so a word common to every responsibilities text (负责, 组织) weighs little from the first day.
        var itemTerms = _items.Select(i => Count(ItemText(i.Title, i.Text))).ToList();
        var unitTerms = _units.Select(u => Count(u.Name + "。" + u.Responsibilities)).ToList();
        var fieldTerms = _fields.Select(f => Count(f.Name + "。" + f.Keywords)).ToList();
        var df = new List<int>();
        foreach (var doc in itemTerms.Concat(unitTerms).Concat(fieldTerms))
        {
            foreach (var term in doc.Keys)
            {
                while (df.Count <= term)
                {
                    df.Add(0);
                }

                df[term]++;
            }
        }

        var documents = itemTerms.Count + unitTerms.Count + fieldTerms.Count;
        _idf = df.Select(d => (float)(Math.Log((documents + 1.0) / (d + 1.0)) + 1.0)).ToArray();
        _itemVectors = itemTerms.Select(Vector).ToArray();

        var postings = new List<Posting>[_terms.Count];
        for (var doc = 0; doc < _itemVectors.Length; doc++)
        {
            var v = _itemVectors[doc];
            for (var k = 0; k < v.Terms.Length; k++)
            {
                (postings[v.Terms[k]] ??= []).Add(new Posting(doc, v.Weights[k]));
            }
        }

        _postings = postings.Select(p => p is null ? [] : p.OrderByDescending(x => x.Weight).ThenBy(x => x.Doc).ToArray()).ToArray();
        _unitText = unitTerms.Select(t => Vector(t).ToDictionary()).ToArray();

        // Each duty (one clause of the function statement) on its own: an item is usually about one duty, and
        // against the whole statement its few matching words are diluted by all the others.
        _unitDuties = _units.Select(u => Duties(u.Responsibilities).Select(d => Vector(Count(u.Name + "。" + d)).ToDictionary()).ToArray()).ToArray();
        _fieldText = fieldTerms.Select(t => Vector(t).ToDictionary()).ToArray();
        _unitHistory = _units.Select(_ => new Dictionary<int, float>()).ToArray();
        _fieldHistory = _fields.Select(_ => new Dictionary<int, float>()).ToArray();
        var assigned = 0;
        for (var doc = 0; doc < _items.Count; doc++)
        {
            var item = _items[doc];
            var any = false;
            foreach (var share in item.Units)
            {
                if (_unitIndex.TryGetValue(share.UnitId, out var u))
                {
                    Accumulate(_unitHistory[u], _itemVectors[doc], share.Lead ? 1f : 0.5f);
                    any = true;
                }
            }

            if (item.Field is { } field && _fieldIndex.TryGetValue(field, out var f))
            {
                Accumulate(_fieldHistory[f], _itemVectors[doc], 1f);
            }

            assigned += any ? 1 : 0;
        }

        foreach (var centroid in _unitHistory.Concat(_fieldHistory))
        {
            Normalise(centroid);
        }

        _historyWeight = assigned / (assigned + HistoryHalfWeight);
    }

    public int ItemCount => _items.Count;

    public static AnalysisIndex Build(AnalysisCorpus corpus, ChineseTokenizer? tokenizer = null) => new(corpus, tokenizer ?? ChineseTokenizer.Shared);

    /// <summary>Proposes units (best first) and a field, and lists similar items; <paramref name="exclude"/> is the item itself.</summary>
    public TextAnalysis Analyse(string title, string text, Guid? exclude = null, int units = 5, int similar = 10)
    {
        var query = Query(ItemText(title, text));
        var neighbours = Nearest(query, Math.Max(Neighbours, similar), exclude);
        var similarItems = neighbours.Where(n => n.Score >= MinimumSimilarity).Take(similar).Select(n => Similar(n.Doc, n.Score)).ToList();
        var knn = neighbours.Take(Neighbours).ToList();
        var fields = ProposeFields(query, knn).Take(3).ToList();
        return new TextAnalysis(ProposeUnits(query, knn, units), fields.FirstOrDefault(), fields, similarItems);
    }

    /// <summary>Only the similar items (并案 candidates), best first.</summary>
    public IReadOnlyList<SimilarItem> FindSimilar(string title, string text, Guid? exclude = null, int take = 10) =>
        Nearest(Query(ItemText(title, text)), take, exclude).Where(n => n.Score >= MinimumSimilarity).Select(n => Similar(n.Doc, n.Score)).ToList();

    private static string ItemText(string title, string text) =>

        // The title says what the item is about in a dozen characters; it counts twice against a long text.
        string.Concat(title, "。", title, "。", text);

    private List<UnitProposal> ProposeUnits(SparseVector query, List<(int Doc, double Score)> knn, int take)
    {
        var text = _unitText.Select((u, i) => (0.5 * Dot(query, u)) + (0.5 * _unitDuties[i].Select(d => Dot(query, d)).DefaultIfEmpty(0).Max())).ToArray();
        var history = _unitHistory.Select(u => Dot(query, u)).ToArray();
        var votes = new double[_units.Count];
        var total = knn.Sum(n => n.Score);
        foreach (var (doc, score) in knn)
        {
            foreach (var share in _items[doc].Units)
            {
                if (_unitIndex.TryGetValue(share.UnitId, out var u))
                {
                    votes[u] += score * (share.Lead ? 1 : 0.5) / total;
                }
            }
        }

        var (maxText, maxHistory) = (Max(text), Max(history));
        var scale = 1 + ((CentroidWeight + VoteWeight) * _historyWeight);
        var ranked = Enumerable.Range(0, _units.Count)
            .Select(u => (Unit: u, Score: ((text[u] / maxText) + (_historyWeight * ((CentroidWeight * history[u] / maxHistory) + (VoteWeight * votes[u])))) / scale))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .Take(take)
            .ToList();

        // Three proposals always (the office picks among them); beyond that only units that are real contenders.
        ranked = ranked.Where((r, i) => i < 3 || r.Score >= 0.25 * ranked[0].Score).ToList();
        return ranked.Select(r =>
        {
            var unit = _units[r.Unit];
            var words = SharedWords(query, _unitText[r.Unit], _unitHistory[r.Unit]);
            var past = knn.Where(n => n.Score >= MinimumSimilarity && _items[n.Doc].Units.Any(s => s.UnitId == unit.Id)).Take(2).Select(n => Similar(n.Doc, n.Score)).ToList();
            return new UnitProposal(unit.Id, unit.Name, Math.Round(r.Score, 3), words, past, Reason(words, past));
        }).ToList();
    }

    private IEnumerable<FieldProposal> ProposeFields(SparseVector query, List<(int Doc, double Score)> knn)
    {
        var text = _fieldText.Select(f => Dot(query, f)).ToArray();
        var history = _fieldHistory.Select(f => Dot(query, f)).ToArray();
        var votes = new double[_fields.Count];
        var total = knn.Sum(n => n.Score);
        foreach (var (doc, score) in knn)
        {
            if (_items[doc].Field is { } field && _fieldIndex.TryGetValue(field, out var f))
            {
                votes[f] += score / total;
            }
        }

        var (maxText, maxHistory) = (Max(text), Max(history));
        var scale = 1 + ((CentroidWeight + VoteWeight) * _historyWeight);
        return Enumerable.Range(0, _fields.Count)
            .Select(f => (Field: f, Score: ((text[f] / maxText) + (_historyWeight * ((CentroidWeight * history[f] / maxHistory) + (VoteWeight * votes[f])))) / scale))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .Select(x => new FieldProposal(_fields[x.Field].Code, _fields[x.Field].Name, Math.Round(x.Score, 3)));
    }

    private static string Reason(IReadOnlyList<string> words, IReadOnlyList<SimilarItem> past)
    {
        var parts = new List<string>();
        if (words.Count > 0)
        {
            parts.Add("关键词：" + string.Join("、", words));
        }

        if (past.Count > 0)
        {
            parts.Add("往例：" + string.Join("；", past.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Number ?? ""}《{p.Title}》{p.Score:0.00}"))));
        }

        return parts.Count == 0 ? "职责相近" : string.Join("；", parts);
    }

    private List<string> SharedWords(SparseVector query, Dictionary<int, float> text, Dictionary<int, float> history)
    {
        var shared = new List<(string Word, double Weight)>();
        for (var k = 0; k < query.Terms.Length; k++)
        {
            var term = _terms[query.Terms[k]];
            if (term[0] == ChineseTokenizer.BigramMark)
            {
                continue;
            }

            var weight = query.Weights[k] * (text.GetValueOrDefault(query.Terms[k]) + history.GetValueOrDefault(query.Terms[k]));
            if (weight > 0)
            {
                shared.Add((term, weight));
            }
        }

        // Search mode gives a compound and its parts; a reason names each idea once.
        var words = new List<string>();
        foreach (var (word, _) in shared.OrderByDescending(s => s.Weight))
        {
            if (words.Count < 4 && !words.Any(w => w.Contains(word, StringComparison.Ordinal) || word.Contains(w, StringComparison.Ordinal)))
            {
                words.Add(word);
            }
        }

        return words;
    }

    private SimilarItem Similar(int doc, double score)
    {
        var item = _items[doc];
        return new SimilarItem(item.Kind, item.Id, item.Number, item.Title, Math.Round(score, 3), score >= NearDuplicateThreshold, item.Open);
    }

    /// <summary>The most similar items by cosine, through the inverted index: only items sharing a term are touched.</summary>
    private List<(int Doc, double Score)> Nearest(SparseVector query, int take, Guid? exclude)
    {
        var scores = System.Buffers.ArrayPool<float>.Shared.Rent(_items.Count);
        Array.Clear(scores, 0, _items.Count);
        var touched = new List<int>();
        for (var k = 0; k < query.Terms.Length; k++)
        {
            var weight = query.Weights[k];
            var list = _postings[query.Terms[k]];
            foreach (var posting in list.AsSpan(0, Math.Min(list.Length, MaxPostingsPerTerm)))
            {
                if (scores[posting.Doc] == 0)
                {
                    touched.Add(posting.Doc);
                }

                scores[posting.Doc] += weight * posting.Weight;
            }
        }

        // A bounded min-heap keeps the best few without sorting every touched item; twice as many as asked, because the
        // truncated lists make these scores a little short, and the exact cosine below settles the order.
        var candidates = take * 2;
        var best = new PriorityQueue<int, float>(candidates + 1);
        foreach (var doc in touched)
        {
            if (exclude is { } id && _items[doc].Id == id)
            {
                continue;
            }

            best.Enqueue(doc, scores[doc]);
            if (best.Count > candidates)
            {
                best.Dequeue();
            }
        }

        System.Buffers.ArrayPool<float>.Shared.Return(scores);
        var terms = query.ToDictionary();
        var result = new List<(int Doc, double Score)>(best.Count);
        while (best.TryDequeue(out var doc, out _))
        {
            result.Add((doc, Math.Min(1.0, Dot(_itemVectors[doc], terms))));
        }

        return result.OrderByDescending(r => r.Score).ThenBy(r => r.Doc).Take(take).ToList();
    }

    // Terms unknown to the index are dropped from a query: they match nothing anyway.
    private SparseVector Query(string text)
    {
        var counts = new Dictionary<int, int>();
        foreach (var (term, count) in _tokenizer.Terms(text, _stopWords))
        {
            if (_termIds.TryGetValue(term, out var id))
            {
                counts[id] = count;
            }
        }

        return Vector(counts);
    }

    private Dictionary<int, int> Count(string text)
    {
        var counts = new Dictionary<int, int>();
        foreach (var (term, count) in _tokenizer.Terms(text, _stopWords))
        {
            if (!_termIds.TryGetValue(term, out var id))
            {
                id = _terms.Count;
                _termIds[term] = id;
                _terms.Add(term);
            }

            counts[id] = count;
        }

        return counts;
    }

    /// <summary>Sublinear term frequency times IDF, bigrams at half weight, unit length.</summary>
    private SparseVector Vector(Dictionary<int, int> counts)
    {
        var terms = counts.Keys.Order().ToArray();
        var weights = new float[terms.Length];
        var norm = 0.0;
        for (var k = 0; k < terms.Length; k++)
        {
            var w = (float)(1 + Math.Log(counts[terms[k]])) * _idf[terms[k]] * (_terms[terms[k]][0] == ChineseTokenizer.BigramMark ? BigramWeight : 1f);
            weights[k] = w;
            norm += w * w;
        }

        norm = Math.Sqrt(norm);
        for (var k = 0; k < weights.Length && norm > 0; k++)
        {
            weights[k] = (float)(weights[k] / norm);
        }

        return new SparseVector(terms, weights);
    }

    private static void Accumulate(Dictionary<int, float> into, SparseVector v, float factor)
    {
        for (var k = 0; k < v.Terms.Length; k++)
        {
            into[v.Terms[k]] = into.GetValueOrDefault(v.Terms[k]) + (v.Weights[k] * factor);
        }
    }

    private static void Normalise(Dictionary<int, float> v)
    {
        var norm = Math.Sqrt(v.Values.Sum(w => (double)w * w));
        if (norm == 0)
        {
            return;
        }

        foreach (var key in v.Keys.ToList())
        {
            v[key] = (float)(v[key] / norm);
        }
    }

    private static double Dot(SparseVector q, Dictionary<int, float> v)
    {
        var sum = 0.0;
        for (var k = 0; k < q.Terms.Length; k++)
        {
            if (v.TryGetValue(q.Terms[k], out var w))
            {
                sum += q.Weights[k] * w;
            }
        }

        return sum;
    }

    private static IEnumerable<string> Duties(string? responsibilities) =>
        (responsibilities ?? string.Empty).Split(['；', ';', '。', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(d => d.Length >= 4);

    private static double Max(double[] values) => values.Length == 0 || values.Max() <= 0 ? 1 : values.Max();

    private readonly record struct Posting(int Doc, float Weight);

    private sealed record SparseVector(int[] Terms, float[] Weights)
    {
        public Dictionary<int, float> ToDictionary() => Terms.Select((t, k) => (t, Weights[k])).ToDictionary(x => x.t, x => x.Item2);
    }
}
