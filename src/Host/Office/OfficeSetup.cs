using System.Security.Claims;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Reporting;
using Liaison.Host.Components.Pages.Office;
using Liaison.Host.Components.Pages.Tasks;
using Liaison.Host.Identity;
using Liaison.Host.Tasks;
using Mediator;

namespace Liaison.Host.Office;

/// <summary>The reminder's request: the unit to remind of the item.</summary>
public sealed record ReminderRequest(Guid? UnitId);

/// <summary>The liaison office's console (/office): its services, the analysis panel on the task page, and its API.</summary>
public static class OfficeSetup
{
    public static IServiceCollection AddOfficeConsole(this IServiceCollection services)
    {
        services.AddScoped<OfficeQueues>();
        services.AddScoped<UnitReminderService>();

        // The analysis (proposals, similar items, unit loads; on assigning, the rules' deadlines) above the form of these steps.
        services.AddSingleton(new StepPanel(OfficeQueues.AnalyseStep, typeof(AnalysisPanel)));
        services.AddSingleton(new StepPanel(OfficeQueues.AssignStep, typeof(AnalysisPanel)));

        // ... and fills in their forms with what it proposes.
        services.AddSingleton<ITaskFormHints, AnalysisFormHints>();
        return services;
    }

    public static void MapOfficeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Liaison office").RequireAuthorization(Policies.Office);
        group.MapPost("/suggestions/{id:guid}/reminders", RemindAsync)
            .WithSummary("催办: reminds a unit of a suggestion it has open (a message to the unit's users, written to the audit trail). Once per item, unit and day (China time): a second reminder that day is 409 with code reminder.already-sent-today; a unit without an open task for the item is 409 reminder.no-open-task.");
        group.MapGet("/office/board", async (Guid? unitId, string? field, Guid? leaderId, DeadlineLight? light, string? after, int? take, ISender sender, Api.ApiPages pages, CancellationToken ct) =>
                pages.Fit(await sender.Send(new GetSupervisionBoard(unitId, field, leaderId, light, after, take ?? 20), ct)))
            .WithSummary("督办: every suggestion with an open unit task, most urgent first, with its units and their last reminders; filters by unit, field code, supervising leader and light (Green, Yellow, Red).");
        group.MapGet("/office/queues", async (OfficeQueues queues, CancellationToken ct) => await queues.CountsAsync(ct))
            .WithSummary("How many open tasks wait in each of the office's queues (Intake, Analyse, Assign, Returns, Extensions).");
    }

    private static async Task<IResult> RemindAsync(Guid id, ReminderRequest? request, ClaimsPrincipal user, HttpContext http, UnitReminderService reminders, CancellationToken ct)
    {
        if (request?.UnitId is not { } unitId || unitId == Guid.Empty)
        {
            throw new ValidationFailedException([new FieldError("unitId", "is required (the unit to remind)")]);
        }

        var sent = await reminders.SendAsync(id, unitId, ActorOf(user, http), ct);
        return Results.Created($"/api/suggestions/{id}", sent);
    }

    public static Actor ActorOf(ClaimsPrincipal user, HttpContext? http) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity?.Name ?? "unknown",
        user.DisplayName(),
        http?.Connection.RemoteIpAddress?.ToString(),
        http?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
}
