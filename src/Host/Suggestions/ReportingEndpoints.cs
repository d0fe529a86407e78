using Liaison.Domain.Reporting;
using Mediator;

namespace Liaison.Host.Suggestions;

/// <summary>What units and leadership wait on: a unit's inbox, the overdue list, a suggestion's timeline, the KPIs.</summary>
public static class ReportingEndpoints
{
    public static void MapReportingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Suggestions");
        group.MapGet("/units/{unitId:guid}/inbox", (Guid unitId, IMediator mediator, CancellationToken ct) => mediator.Send(new GetUnitInbox(unitId), ct))
            .WithSummary("A handling unit's open tasks with their deadlines and yellow/red lights.");
        group.MapGet("/reports/overdue", (Guid? unitId, Guid? leaderId, IMediator mediator, CancellationToken ct) => mediator.Send(new GetOverdueList(unitId, leaderId), ct))
            .WithSummary("Overdue items, optionally for one unit or one leader.");
        group.MapGet("/reports/kpis", (DateTimeOffset? from, DateTimeOffset? to, IMediator mediator, TimeProvider clock, CancellationToken ct) =>
        {
            var until = to ?? clock.GetUtcNow();
            return mediator.Send(new GetKpis(from ?? until.AddYears(-1), until), ct);
        }).WithSummary("On-time reply, consultation, resolution (A, A+B) and satisfaction rates for a period (default: the last year).");
        group.MapGet("/suggestions/{id:guid}/timeline", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetSuggestionTimeline(id), ct))
            .WithSummary("Every audited step of one suggestion, in order.");
    }
}
