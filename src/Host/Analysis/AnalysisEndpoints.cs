using System.Security.Claims;
using Liaison.Domain.Analysis;
using Liaison.Domain.Common;
using Liaison.Host.Identity;
using Mediator;

namespace Liaison.Host.Analysis;

/// <summary>
/// The analysis over HTTP: proposals and similar items for a text or a suggestion, the office's decision
/// (for the accuracy KPI), and the administration of the field taxonomy, the user dictionary and the
/// units' responsibilities. Refusals are problem details like everywhere else (400 with the fields at fault).
/// </summary>
public static class AnalysisEndpoints
{
    public sealed record AnalyseRequest(string? Title, string? Text);

    public sealed record DecisionRequest(IReadOnlyList<Guid>? UnitIds, string? Field);

    public sealed record FieldRequest(string? Name, string? EnglishName, string? Keywords, int? SortOrder, bool? Active);

    public sealed record DictionaryRequest(IReadOnlyList<string>? Words, DictionaryTermKind? Kind);

    public sealed record ResponsibilitiesRequest(string? Responsibilities);

    public static void MapAnalysisEndpoints(this IEndpointRouteBuilder app)
    {
        var analysis = app.MapGroup("/api").WithTags("Analysis");
        analysis.MapPost("/analysis/analyse", (AnalyseRequest body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new AnalyseText(body.Title ?? string.Empty, body.Text), ct))
            .RequireAuthorization(Policies.Analyse)
            .WithSummary("Proposed handling units (best first, with reasons), the field and similar items for a title and text.");
        analysis.MapGet("/suggestions/{id:guid}/analysis", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetSuggestionAnalysis(id), ct))
            .RequireAuthorization(Policies.Analyse)
            .WithSummary("The analysis of a suggestion: proposed units with reasons, field, 并案 candidates (itself excluded) and the office's decision if made.");
        analysis.MapPost("/suggestions/{id:guid}/analysis/decision", (Guid id, DecisionRequest body, ClaimsPrincipal user, HttpContext http, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new RecordAnalysisDecision(id, body.UnitIds ?? [], body.Field, ActorOf(user, http)), ct))
            .RequireAuthorization(Policies.Analyse)
            .WithSummary("Records the office's final units (lead first) and field next to the proposals, for the accuracy KPI.");
        analysis.MapGet("/analysis/accuracy", (DateTimeOffset? from, DateTimeOffset? to, IMediator mediator, TimeProvider clock, CancellationToken ct) =>
            {
                var until = to ?? clock.GetUtcNow();
                return mediator.Send(new GetAnalysisAccuracy(from ?? until.AddYears(-1), until), ct);
            })
            .RequireAuthorization(Policies.ReadReports)
            .WithSummary("How often the first proposed unit was kept, and the chosen lead unit was among the first three (default: the last year).");

        analysis.MapGet("/analysis/fields", (bool? includeInactive, IMediator mediator, CancellationToken ct) => mediator.Send(new ListFieldCategories(includeInactive ?? false), ct))
            .RequireAuthorization()
            .WithSummary("The field taxonomy a suggestion's field is chosen from.");
        analysis.MapPut("/analysis/fields/{code}", (string code, FieldRequest body, ClaimsPrincipal user, HttpContext http, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new SaveFieldCategory(code, body.Name ?? string.Empty, body.EnglishName, body.Keywords, body.SortOrder ?? 0, body.Active ?? true, ActorOf(user, http)), ct))
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Adds or changes a field (name, English name, keywords, order; active=false retires it).");
        analysis.MapGet("/analysis/dictionary", (DictionaryTermKind? kind, IMediator mediator, CancellationToken ct) => mediator.Send(new ListDictionaryTerms(kind), ct))
            .RequireAuthorization(Policies.Admin)
            .WithSummary("The user dictionary: government terms, place names and stop words added by administrators.");
        analysis.MapPost("/analysis/dictionary", async (DictionaryRequest body, ClaimsPrincipal user, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Results.Ok(new { added = await mediator.Send(new AddDictionaryTerms(body.Words ?? [], body.Kind ?? DictionaryTermKind.Term, ActorOf(user, http)), ct) }))
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Adds words (kind Term, Place or StopWord); words already there are skipped.");
        analysis.MapDelete("/analysis/dictionary/{id:guid}", async (Guid id, ClaimsPrincipal user, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new RemoveDictionaryTerm(id, ActorOf(user, http)), ct);
                return Results.NoContent();
            })
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Removes a word from the user dictionary.");
        analysis.MapPut("/admin/units/{id:guid}/responsibilities", async (Guid id, ResponsibilitiesRequest body, ClaimsPrincipal user, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new SetUnitResponsibilities(id, body.Responsibilities, ActorOf(user, http)), ct);
                return Results.NoContent();
            })
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Sets a unit's responsibilities text (职责); the unit is proposed for matching items from the next analysis on.");
    }

    private static Actor ActorOf(ClaimsPrincipal user, HttpContext http) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity?.Name ?? "unknown",
        user.DisplayName(),
        http.Connection.RemoteIpAddress?.ToString(),
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
}
