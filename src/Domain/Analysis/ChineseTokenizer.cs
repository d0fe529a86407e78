using System.Globalization;
using System.Text;
using JiebaNet.Segmenter;

namespace Liaison.Domain.Analysis;

/// <summary>
/// Turns Chinese text into the terms the analysis counts: jieba.NET words (with the user dictionary of
/// government terms, place names and units' names) minus stop words, plus character bigrams of the Han
/// runs. Words carry the meaning and make readable reasons; bigrams keep recall when jieba splits an
/// unseen compound differently in two texts (a place or a project name) and make near-duplicates score
/// close to 1.
/// </summary>
public sealed class ChineseTokenizer
{
    /// <summary>Bigram features are kept apart from words by this prefix (never shown as a reason).</summary>
    public const char BigramMark = '\u0001';

    private static readonly Lazy<ChineseTokenizer> SharedInstance = new(() => new ChineseTokenizer(), LazyThreadSafetyMode.ExecutionAndPublication);

    // jieba's word dictionary is one process-wide table; adding a word while another thread segments is unsafe.
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly JiebaSegmenter _segmenter;
    private readonly HashSet<string> _added = new(StringComparer.Ordinal);

    private ChineseTokenizer()
    {
        var resources = Path.Combine(AppContext.BaseDirectory, "Resources", "dict.txt");
        if (!File.Exists(resources))
        {
            throw new InvalidOperationException(
                $"jieba.NET's dictionary is missing: {resources}. It is copied from the jieba.NET package by Liaison.Domain.csproj; rebuild or republish.");
        }

        _segmenter = new JiebaSegmenter();
    }

    /// <summary>The process-wide tokenizer (jieba's dictionary loads once, about a second).</summary>
    public static ChineseTokenizer Shared => SharedInstance.Value;

    /// <summary>Adds words of the user dictionary so jieba keeps them whole; words already known are skipped.</summary>
    public void AddWords(IEnumerable<string> words)
    {
        var fresh = words.Select(w => w.Trim()).Where(w => w.Length >= 2 && w.Length <= 40).Distinct(StringComparer.Ordinal).ToList();
        _lock.EnterWriteLock();
        try
        {
            foreach (var word in fresh.Where(_added.Add))
            {
                // A high frequency makes the whole word win over the pieces the general dictionary knows.
                _segmenter.AddWord(word, 20000);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The words of a text in order (jieba, accurate mode with HMM for unknown words), stop words removed.</summary>
    public List<string> Words(string text, IReadOnlySet<string> stopWords) => Words(text, stopWords, forSearch: false);

    /// <summary>
    /// The words of a text; <paramref name="forSearch"/> adds the shorter words inside long ones (jieba's search
    /// mode: 加装电梯 also gives 加装 and 电梯), so a compound in one text still meets its parts in another.
    /// </summary>
    public List<string> Words(string text, IReadOnlySet<string> stopWords, bool forSearch)
    {
        IEnumerable<string> pieces;
        _lock.EnterReadLock();
        try
        {
            pieces = forSearch ? _segmenter.CutForSearch(Normalise(text), hmm: true).ToList() : _segmenter.Cut(Normalise(text), cutAll: false, hmm: true).ToList();
        }
        finally
        {
            _lock.ExitReadLock();
        }

        var words = new List<string>();
        foreach (var piece in pieces)
        {
            var word = piece.Trim();
            if (word.Length < 2 || stopWords.Contains(word) || !word.Any(char.IsLetterOrDigit) || word.All(char.IsDigit))
            {
                continue;
            }

            words.Add(word);
        }

        return words;
    }

    /// <summary>Words and Han bigrams (marked with <see cref="BigramMark"/>), with their counts.</summary>
    public Dictionary<string, int> Terms(string text, IReadOnlySet<string> stopWords)
    {
        var terms = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in Words(text, stopWords, forSearch: true))
        {
            terms[word] = terms.GetValueOrDefault(word) + 1;
        }

        var normalised = Normalise(text);
        for (var i = 0; i + 1 < normalised.Length; i++)
        {
            if (IsHan(normalised[i]) && IsHan(normalised[i + 1]))
            {
                var bigram = string.Concat(BigramMark.ToString(), normalised.AsSpan(i, 2));
                terms[bigram] = terms.GetValueOrDefault(bigram) + 1;
            }
        }

        return terms;
    }

    public static bool IsHan(char c) => c is >= '\u4e00' and <= '\u9fff';

    // Full-width letters and digits (ｂｕｓ, １２３４５) become half-width, so both spellings are the same term.
    private static string Normalise(string text) => text.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture);
}
