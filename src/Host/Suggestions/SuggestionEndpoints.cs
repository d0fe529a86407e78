using System.Security.Claims;
using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Opinions;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Domain.Suggestions;
using Liaison.Host.Deputies;
using Liaison.Host.Identity;
using Liaison.Host.Workflows;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Suggestions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Suggestions;

/// <summary>
/// A deputy's suggestion; the lead deputy is the caller. Year defaults to this year (Beijing time). Field: a code or
/// name from the field taxonomy (GET /api/analysis/fields), optional; the office's analysis confirms or changes it.
/// </summary>
public sealed record SubmitSuggestionRequest(int Term, int? Year, string Title, string? Text, SuggestionSource? Source, IReadOnlyList<Guid>? CoSignerIds, string? Field = null);

public sealed record SubmittedSuggestion(Guid Id, string? Number, Guid WorkflowInstanceId, InstanceStatus WorkflowStatus);

/// <summary>A citizen's opinion the calling deputy received.</summary>
public sealed record RecordOpinionRequest(string CitizenName, string? CitizenPhone, OpinionChannel Channel, Guid? StationId, string Content);

public sealed record RecordedOpinion(Guid Id, Guid WorkflowInstanceId, InstanceStatus WorkflowStatus);

public sealed record SuggestionDetail(SuggestionSummary Suggestion, Guid? WorkflowInstanceId, InstanceStatus? WorkflowStatus);

/// <summary>A deputy's evaluation of a sent reply; Result is required (no silent default to Satisfied).</summary>
public sealed record EvaluateReplyRequest(EvaluationResult? Result, string? Comment);

public sealed record RecordedEvaluation(Guid Id, Guid ReplyId, Guid SuggestionId, SuggestionStatus SuggestionStatus);

/// <summary>A co-signer's refusal; the reason is optional.</summary>
public sealed record RefuseCoSignatureRequest(string? Reason);


/// <summary>
/// Suggestions and public opinions over HTTP: submitting starts the workflow in the same transaction; their
/// tasks are acted on through the one task endpoint (<c>POST /api/workflows/tasks/{id}/complete</c>).
/// </summary>
public static class SuggestionEndpoints
{
    public const string SuggestionWorkflow = DeputySubmissions.SuggestionWorkflow;
    public const string OpinionWorkflow = DeputySubmissions.OpinionWorkflow;

    public static void MapSuggestionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Suggestions");
        group.MapPost("/suggestions", SubmitAsync)
            .RequireAuthorization(Policies.SubmitSuggestions)
            .WithSummary("A deputy submits a suggestion (lead deputy: the caller; co-signers by id); starts suggestion-handling in the same transaction.");
        group.MapGet("/suggestions", ListAsync)
            .RequireAuthorization(Policies.ReadSuggestions)
            .WithSummary("Suggestions, newest first: all for the liaison office, leaders and admins; a deputy's own (led or co-signed) for deputies.");
        group.MapGet("/suggestions/{id:guid}", GetAsync)
            .RequireAuthorization(Policies.ReadSuggestions)
            .WithSummary("One suggestion with its workflow instance; a suggestion the caller may not see is 404.");
        group.MapPost("/opinions", RecordOpinionAsync)
            .RequireAuthorization(Policies.SubmitSuggestions)
            .WithSummary("A deputy records a citizen's opinion; starts public-opinion in the same transaction.");
        group.MapGet("/opinions", ListOpinionsAsync)
            .RequireAuthorization(Policies.ReadOpinions)
            .WithSummary("群众意见, newest first: a deputy's own, a unit's forwarded to it, all for the office and leaders; filters status, channel, deputyId, unitId. The citizen's name only for the receiving deputy and the office, never the contact. A page of at most 50 (default 20); after: the previous page's next.");
        group.MapPost("/replies/{replyId:guid}/evaluations", EvaluateAsync)
            .RequireAuthorization(Policies.SubmitSuggestions)
            .WithSummary("The calling deputy (lead or co-signer) evaluates a sent reply: Satisfied, BasicallySatisfied or Dissatisfied (with a comment). Each signer's evaluation completes their own workflow evaluation task; once every signer has answered, a dissatisfied one starts re-handling. After the window closes it is refused. A reply to a suggestion the caller did not sign is 404.");
        group.MapGet("/replies/{replyId:guid}/survey", GetSurveyAsync)
            .RequireAuthorization(Policies.SubmitSuggestions)
            .WithSummary("征询意见表: the reply, when the evaluation window closes and the caller's evaluation, for a deputy who signed the suggestion (others: 404).");
        group.MapPost("/suggestions/{id:guid}/co-signature/confirm", ConfirmCoSignatureAsync)
            .RequireAuthorization(Policies.SubmitSuggestions)
            .WithSummary("联名确认: the calling deputy, asked to co-sign, confirms; only before the office decides on admission (409 co-signature.closed), once (409 co-signature.already-answered). The lead is not a co-signer (409 co-signature.not-a-co-signer); a suggestion the caller neither leads nor was asked to sign is 404.");
        group.MapPost("/suggestions/{id:guid}/co-signature/refuse", RefuseCoSignatureAsync)
            .RequireAuthorization(Policies.SubmitSuggestions)
            .WithSummary("The calling deputy, asked to co-sign, declines (optional reason, at most 500 characters): they are no longer a signer, so neither listed nor asked to evaluate. Same rules as confirm.");
        app.MapPost("/survey/{replyId:guid}/answer", SubmitSurveyFormAsync).RequireAuthorization(Policies.SubmitSuggestions).ExcludeFromDescription();
    }

    private static async Task<IResult> SubmitAsync(SubmitSuggestionRequest request, ClaimsPrincipal user, HttpContext http, DeputySubmissions submissions, TimeProvider clock, CancellationToken ct)
    {
        if (DeputyOf(user) is not { } deputy)
        {
            return NotADeputy();
        }

        var command = new SubmitSuggestion(
            request.Term, request.Year ?? DeputySubmissions.ThisYear(clock), request.Title ?? string.Empty, request.Text ?? string.Empty,
            request.Source ?? SuggestionSource.BetweenSessions, deputy, request.CoSignerIds ?? [], ActorOf(user, http), request.Field);
        var started = await submissions.SubmitSuggestionAsync(command, ct);
        var body = new SubmittedSuggestion(started.Value, null, started.Workflow.Instance.Id, started.Workflow.Instance.Status);
        return Results.Created($"/api/suggestions/{started.Value}", body);
    }

    private static async Task<IResult> RecordOpinionAsync(RecordOpinionRequest request, ClaimsPrincipal user, HttpContext http, DeputySubmissions submissions, CancellationToken ct)
    {
        if (DeputyOf(user) is not { } deputy)
        {
            return NotADeputy();
        }

        var command = new RecordPublicOpinion(request.CitizenName ?? string.Empty, request.CitizenPhone, request.Channel, request.StationId, deputy, request.Content ?? string.Empty, ActorOf(user, http));
        var started = await submissions.RecordOpinionAsync(command, ct);
        return Results.Created($"/api/opinions/{started.Value}", new RecordedOpinion(started.Value, started.Workflow.Instance.Id, started.Workflow.Instance.Status));
    }

    /// <summary>Newest first, a page of at most 50 (default 50); <paramref name="after"/> is the previous page's <c>next</c>.</summary>
    private static async Task<KeysetPage<SuggestionSummary>> ListAsync(string? after, int? take, ClaimsPrincipal user, ISender sender, Api.ApiPages pages, CancellationToken ct) =>
        pages.Fit(await sender.Send(new GetSuggestions(VisibleDeputies(user), null, after, Keyset.Size(take, Keyset.MaxPageSize)), ct));

    private static async Task<KeysetPage<OpinionSummary>> ListOpinionsAsync(
        OpinionStatus? status, OpinionChannel? channel, Guid? deputyId, Guid? unitId, string? after, int? take, ClaimsPrincipal user, ISender sender, Api.ApiPages pages, CancellationToken ct)
    {
        var own = SignedDeputies(user);
        var seesAll = Policies.SeeAllTasks.Any(user.IsInRole);
        var units = seesAll ? null : user.Units().Select(u => Guid.TryParse(u, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();

        // The citizen may be contacted by the deputy who received the opinion and by the office that checks it.
        var contactsAll = user.IsInRole(Roles.LiaisonOffice) || user.IsInRole(Roles.Admin);
        var query = new GetOpinions(seesAll ? null : own, units, status, channel, deputyId, unitId, contactsAll ? null : own, after, Keyset.Size(take));
        return pages.Fit(await sender.Send(query, ct));
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, ISender sender, WorkflowsDbContext workflows, CancellationToken ct)
    {
        var found = (await sender.Send(new GetSuggestions(VisibleDeputies(user), id), ct)).Items;
        if (found.Count == 0)
        {
            return NotFound($"suggestion {id} does not exist");
        }

        var key = id.ToString();
        var instance = await workflows.Instances.AsNoTracking()
            .Where(i => i.DefinitionId == SuggestionWorkflow && i.CorrelationKey == key)
            .OrderByDescending(i => i.CreatedAt).Select(i => new { i.Id, i.Status }).FirstOrDefaultAsync(ct);
        return Results.Ok(new SuggestionDetail(found[0], instance?.Id, instance?.Status));
    }

    private static async Task<IResult> EvaluateAsync(
        Guid replyId, EvaluateReplyRequest request, ClaimsPrincipal user, HttpContext http, LiaisonDbContext db, ReplySurvey survey, CancellationToken ct)
    {
        // The caller evaluates as whichever of their deputies signed; a reply they did not sign does not exist for them.
        if (await survey.GetAsync(replyId, SignedDeputies(user), ct) is not { } view)
        {
            return NotFound($"reply {replyId} does not exist");
        }

        if (request.Result is not { } result)
        {
            throw new ValidationFailedException([new FieldError("result", $"must be one of {string.Join(", ", ReplySurvey.Choices)}")]);
        }

        var id = await survey.EvaluateAsync(replyId, view.DeputyId, result, request.Comment, TaskAccess.ActingUserOf(user, http), ct);
        var status = await db.Suggestions.AsNoTracking().Where(x => x.Id == view.SuggestionId).Select(x => x.Status).SingleAsync(ct);
        return Results.Ok(new RecordedEvaluation(id, replyId, view.SuggestionId, status));
    }

    private static Task<IResult> ConfirmCoSignatureAsync(Guid id, ClaimsPrincipal user, HttpContext http, CoSignatures coSignatures, CancellationToken ct) =>
        AnswerAsync(id, true, null, user, http, coSignatures, ct);

    private static Task<IResult> RefuseCoSignatureAsync(Guid id, RefuseCoSignatureRequest? request, ClaimsPrincipal user, HttpContext http, CoSignatures coSignatures, CancellationToken ct) =>
        AnswerAsync(id, false, request?.Reason, user, http, coSignatures, ct);

    private static async Task<IResult> AnswerAsync(Guid id, bool confirm, string? reason, ClaimsPrincipal user, HttpContext http, CoSignatures coSignatures, CancellationToken ct)
    {
        var mine = SignedDeputies(user);
        if (mine.Count == 0)
        {
            return NotADeputy();
        }

        return await coSignatures.AnswerAsync(id, mine, confirm, reason, ActorOf(user, http), ct) is { } answer
            ? Results.Ok(answer)
            : NotFound($"suggestion {id} does not exist");
    }

    private static async Task<IResult> GetSurveyAsync(Guid replyId, ClaimsPrincipal user, ReplySurvey survey, CancellationToken ct) =>
        await survey.GetAsync(replyId, SignedDeputies(user), ct) is { } view ? Results.Ok(view) : NotFound($"reply {replyId} does not exist");

    /// <summary>The survey page's form: evaluates, then shows the page again with the outcome (or the refusal's code).</summary>
    private static async Task<IResult> SubmitSurveyFormAsync(Guid replyId, HttpContext http, ReplySurvey survey, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, CancellationToken ct)
    {
        // The form is read by hand, so antiforgery is checked by hand (a bad token is a 400).
        await antiforgery.ValidateRequestAsync(http);
        var user = http.User;
        var form = await http.Request.ReadFormAsync(ct);
        var page = $"/survey/{replyId}";
        if (await survey.GetAsync(replyId, SignedDeputies(user), ct) is not { } view)
        {
            return Results.LocalRedirect(page);
        }

        if (!Enum.TryParse<EvaluationResult>(form["result"], out var result) || !ReplySurvey.Choices.Contains(result))
        {
            return Results.LocalRedirect($"{page}?error=result");
        }

        var comment = form["comment"].ToString() is { Length: > 0 } text ? text.Trim() : null;
        if (result == EvaluationResult.Dissatisfied && string.IsNullOrEmpty(comment))
        {
            return Results.LocalRedirect($"{page}?error=comment");
        }

        try
        {
            await survey.EvaluateAsync(replyId, view.DeputyId, result, comment, TaskAccess.ActingUserOf(user, http), ct);
        }
        catch (DomainException ex)
        {
            return Results.LocalRedirect($"{page}?error={Uri.EscapeDataString(ex.Code)}");
        }

        return Results.LocalRedirect($"{page}?done=1");
    }

    private static List<Guid> SignedDeputies(ClaimsPrincipal user) =>
        user.Deputies().Select(d => Guid.TryParse(d, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();

    /// <summary>Null: every suggestion. Deputies see the ones they lead or co-signed.</summary>
    private static List<Guid>? VisibleDeputies(ClaimsPrincipal user) =>
        Policies.SeeAllTasks.Any(user.IsInRole)
            ? null
            : user.Deputies().Select(d => Guid.TryParse(d, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();

    private static Guid? DeputyOf(ClaimsPrincipal user) =>
        user.Deputies().Select(d => Guid.TryParse(d, out var g) ? g : (Guid?)null).FirstOrDefault(g => g is not null);

    private static Actor ActorOf(ClaimsPrincipal user, HttpContext http) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity?.Name ?? "unknown",
        user.DisplayName(),
        http.Connection.RemoteIpAddress?.ToString(),
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);

    private static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: detail);

    private static IResult NotADeputy() =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.", detail: "your account does not act for a deputy");
}
