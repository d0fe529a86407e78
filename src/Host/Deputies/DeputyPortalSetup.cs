using Liaison.Domain.Suggestions;
using Liaison.Host.Identity;
using Mediator;

namespace Liaison.Host.Deputies;

/// <summary>The deputy portal's services and its lookup: submitting (shared with the API) and the deputies search for co-signers.</summary>
public static class DeputyPortalSetup
{
    public static IServiceCollection AddDeputyPortal(this IServiceCollection services)
    {
        services.AddScoped<DeputySubmissions>();
        services.AddScoped<CoSignatures>();
        return services;
    }

    public static void MapDeputyLookups(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/lookups/deputies", async (string? q, string? after, int? take, ISender sender, CancellationToken ct) =>
                await sender.Send(new SearchDeputies(q, after, take ?? 20), ct))
            .RequireAuthorization(Policies.Tasks)
            .WithTags("Lookups")
            .WithSummary("Deputies whose name contains q or whose public code starts with q (co-signers, forwarding), by name, paged by key: take (at most 50), after (the previous page's next). Contact details are never returned.");
    }
}
