using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Domain.Opinions;
using Liaison.Domain.Suggestions;
using Liaison.Workflows.Suggestions;
using Mediator;

namespace Liaison.Host.Deputies;

/// <summary>
/// What a deputy starts: a suggestion (with suggestion-handling) or a citizen's opinion (with public-opinion), each
/// with its workflow in one unit of work. The API and the deputy portal both submit through here.
/// </summary>
public sealed class DeputySubmissions(SuggestionWorkflowService bridge, ISender sender, CoSignatures coSignatures)
{
    public const string SuggestionWorkflow = SuggestionWorkflows.SuggestionHandling;
    public const string OpinionWorkflow = SuggestionWorkflows.PublicOpinion;

    public Task<SuggestionStepResult<Guid>> SubmitSuggestionAsync(SubmitSuggestion command, CancellationToken cancellationToken) =>
        bridge.StartAsync<Guid>(SuggestionWorkflow, async (db, token) =>
        {
            var id = await sender.Send(command, token);

            // The co-signers are asked in the same unit of work: no suggestion without its requests, no request without it.
            await coSignatures.AskAsync(db, id, token);
            return (id, new Dictionary<string, JsonNode?> { ["suggestionId"] = id.ToString(), ["leadDeputyId"] = command.LeadDeputyId.ToString() }, id.ToString());
        }, cancellationToken);

    public Task<SuggestionStepResult<Guid>> RecordOpinionAsync(RecordPublicOpinion command, CancellationToken cancellationToken) =>
        bridge.StartAsync<Guid>(OpinionWorkflow, async (_, token) =>
        {
            var id = await sender.Send(command, token);
            return (id, new Dictionary<string, JsonNode?> { ["opinionId"] = id.ToString(), ["deputyId"] = command.DeputyId.ToString() }, id.ToString());
        }, cancellationToken);

    /// <summary>This year in Beijing time: a suggestion's default year.</summary>
    public static int ThisYear(TimeProvider clock) => clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).Year;

    /// <summary>The actor of the audit trail for a signed-in user, when no request (a Blazor circuit) carries address and agent.</summary>
    public static Actor ActorOf(System.Security.Claims.ClaimsPrincipal user) => new(
        user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? user.Identity?.Name ?? "unknown",
        Identity.ClaimsPrincipalExtensions.DisplayName(user),
        null,
        null);
}
