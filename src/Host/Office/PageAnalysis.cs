using System.Collections.Concurrent;
using Liaison.Domain.Analysis;
using Mediator;

namespace Liaison.Host.Office;

/// <summary>
/// One page's analysis of a suggestion, computed at most once however many parts of the page ask for it (the
/// analysis panel and the form's hints on the analyse and assign tasks). A page makes a new one on each load,
/// so what it holds is never older than the page's own data. Each computation runs in its own scope: the
/// parts may ask at the same time and a DbContext must not be shared.
/// </summary>
public sealed class PageAnalysis(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<SuggestionAnalysis>>> results = new();

    /// <summary>The analysis of <paramref name="suggestionId"/>; a missing suggestion throws the domain's not-found error to every caller.</summary>
    public Task<SuggestionAnalysis> GetAsync(Guid suggestionId) =>
        results.GetOrAdd(suggestionId, id => new Lazy<Task<SuggestionAnalysis>>(() => ComputeAsync(id))).Value;

    private async Task<SuggestionAnalysis> ComputeAsync(Guid suggestionId)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new GetSuggestionAnalysis(suggestionId));
    }
}
