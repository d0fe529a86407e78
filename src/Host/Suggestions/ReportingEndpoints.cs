using System.Security.Claims;
using Liaison.Domain.Audit;
using Liaison.Domain.Common;
using Liaison.Domain.Reporting;
using Liaison.Host.Api;
using Liaison.Host.Identity;
using Mediator;

namespace Liaison.Host.Suggestions;

/// <summary>What units and leadership wait on: a unit's inbox, the overdue list, a suggestion's timeline, the KPIs, the audit trail.</summary>
public static class ReportingEndpoints
{
    public static void MapReportingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Suggestions");
        group.MapGet("/units/{unitId:guid}/inbox", GetInboxAsync)
            .RequireAuthorization(Policies.UnitInbox)
            .WithSummary("A handling unit's open tasks with their deadlines and yellow/red lights. Another unit's inbox is 404.");
        group.MapGet("/reports/overdue", async (Guid? unitId, Guid? leaderId, string? after, int? take, IMediator mediator, ApiPages pages, CancellationToken ct) =>
                pages.Fit(await mediator.Send(new GetOverdueList(unitId, leaderId, after, Keyset.Size(take)), ct)))
            .RequireAuthorization(Policies.ReadReports)
            .WithSummary("Overdue items, optionally for one unit or one leader; longest overdue first, a page of at most 50 (default 20), after: the previous page's next.");
        group.MapGet("/reports/kpis", (DateTimeOffset? from, DateTimeOffset? to, IMediator mediator, TimeProvider clock, CancellationToken ct) =>
        {
            var until = to ?? clock.GetUtcNow();
            return mediator.Send(new GetKpis(from ?? until.AddYears(-1), until), ct);
        }).RequireAuthorization(Policies.ReadReports)
            .WithSummary("On-time reply, consultation, resolution (A, A+B) and satisfaction rates for a period (default: the last year).");
        group.MapGet("/suggestions/{id:guid}/timeline", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetSuggestionTimeline(id), ct))
            .RequireAuthorization(Policies.ReadReports)
            .WithSummary("Every audited step of one suggestion, in order.");
        group.MapGet("/audit", async (Guid? suggestionId, string? subjectType, Guid? subjectId, string? actorId, string? action, DateTimeOffset? from, DateTimeOffset? to, string? after, int? take, IMediator mediator, ApiPages pages, CancellationToken ct) =>
                pages.Fit(await mediator.Send(new GetAuditTrail(suggestionId, subjectType, subjectId, actorId, action, from, to, after, Keyset.Size(take)), ct)))
            .RequireAuthorization(Policies.ReadAudit)
            .WithTags("Audit")
            .WithSummary("The audit trail, newest first: optionally one suggestion, one subject (type and id), one actor, an action (exact, or a prefix ending in '.', e.g. 'reply.') and a period [from, to). A page of at most 50 (default 20) and 30 KB; after: the previous page's next.");
    }

    /// <summary>Most urgent first; a page of at most 50 (default 50) after the cursor <paramref name="after"/> (the previous page's next).</summary>
    private static async Task<IResult> GetInboxAsync(Guid unitId, string? after, int? take, ClaimsPrincipal user, IMediator mediator, ApiPages pages, CancellationToken ct)
    {
        // A unit's users see their own unit only; answering 404 for others leaks nothing about them.
        var seesAll = Policies.SeeAllTasks.Any(user.IsInRole);
        if (!seesAll && user.FindFirstValue(LiaisonClaims.Unit) != unitId.ToString())
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"unit {unitId} has no inbox you can see");
        }

        return Results.Ok(pages.Fit(await mediator.Send(new GetUnitInbox(unitId, after, Keyset.Size(take, Keyset.MaxPageSize)), ct)));
    }
}
