using System.Text.Json.Nodes;
using Liaison.Domain.Persistence;
using Liaison.Workflows.Durable;

namespace Liaison.Workflows.Suggestions;

/// <summary>The domain command's result and where the workflow went next.</summary>
public sealed record SuggestionStepResult<T>(T Value, BurstResult Workflow);

/// <summary>
/// Starts a workflow together with the domain item it is about (a submitted suggestion, a recorded opinion) in
/// one unit of work: no suggestion without its workflow, no workflow without its suggestion. Tasks are then
/// acted on through <see cref="Tasks.TaskCompletion"/>.
/// </summary>
public sealed class SuggestionWorkflowService(LiaisonDbContext domain, UnitOfWork unit, WorkflowEngine engine)
{
    /// <summary>
    /// Runs <paramref name="domainStep"/> (e.g. submitting a suggestion) and starts the published
    /// <paramref name="definitionId"/> with the inputs and correlation key it returns.
    /// </summary>
    public Task<SuggestionStepResult<T>> StartAsync<T>(
        string definitionId,
        Func<LiaisonDbContext, CancellationToken, ValueTask<(T Value, IReadOnlyDictionary<string, JsonNode?> Input, string CorrelationKey)>> domainStep,
        CancellationToken cancellationToken = default)
    {
        return unit.RunAsync(
            async ct =>
            {
                var (value, input, key) = await domainStep(domain, ct);
                var burst = await engine.StartAsync(definitionId, input, key, ct);
                return new SuggestionStepResult<T>(value, burst);
            },
            cancellationToken);
    }
}
