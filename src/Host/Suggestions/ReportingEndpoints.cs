using System.Security.Claims;
using Liaison.Domain.Reporting;
using Liaison.Host.Identity;
using Mediator;

namespace Liaison.Host.Suggestions;

/// <summary>What units and leadership wait on: a unit's inbox, the overdue list, a suggestion's timeline, the KPIs.</summary>
public static class ReportingEndpoints
{
    public static void MapReportingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Suggestions");
        group.MapGet("/units/{unitId:guid}/inbox", GetInboxAsync)
            .RequireAuthorization(Policies.UnitInbox)
            .WithSummary("A handling unit's open tasks with their deadlines and yellow/red lights. Another unit's inbox is 404.");
        group.MapGet("/reports/overdue", (Guid? unitId, Guid? leaderId, IMediator mediator, CancellationToken ct) => mediator.Send(new GetOverdueList(unitId, leaderId), ct))
            .RequireAuthorization(Policies.ReadReports)
            .WithSummary("Overdue items, optionally for one unit or one leader.");
        group.MapGet("/reports/kpis", (DateTimeOffset? from, DateTimeOffset? to, IMediator mediator, TimeProvider clock, CancellationToken ct) =>
        {
            var until = to ?? clock.GetUtcNow();
            return mediator.Send(new GetKpis(from ?? until.AddYears(-1), until), ct);
        }).RequireAuthorization(Policies.ReadReports)
            .WithSummary("On-time reply, consultation, resolution (A, A+B) and satisfaction rates for a period (default: the last year).");
        group.MapGet("/suggestions/{id:guid}/timeline", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetSuggestionTimeline(id), ct))
            .RequireAuthorization(Policies.ReadReports)
            .WithSummary("Every audited step of one suggestion, in order.");
    }

    /// <summary>Most urgent first; a page of at most 500 (default 200), as a unit with thousands of open tasks would otherwise send megabytes.</summary>
    private static async Task<IResult> GetInboxAsync(Guid unitId, int? skip, int? take, ClaimsPrincipal user, IMediator mediator, CancellationToken ct)
    {
        // A unit's users see their own unit only; answering 404 for others leaks nothing about them.
        var seesAll = Policies.SeeAllTasks.Any(user.IsInRole);
        if (!seesAll && user.FindFirstValue(LiaisonClaims.Unit) != unitId.ToString())
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"unit {unitId} has no inbox you can see");
        }

        return Results.Ok(await mediator.Send(new GetUnitInbox(unitId, Math.Max(0, skip ?? 0), Math.Clamp(take ?? 200, 1, 500)), ct));
    }
}
