using System.Security.Claims;
using Liaison.Domain.Attachments;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Host.Deputies;
using Liaison.Host.Identity;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Attachments;

public sealed record UploadedAttachment(Guid Id, string FileName, string ContentType, long Size, string Sha256);

/// <summary>
/// Reply attachments over HTTP: a unit's staff upload files for their open reply (their ids then go in the reply form's
/// <c>attachments</c>); anyone who may read the suggestion downloads them. Another unit's or deputy's request is 404.
/// </summary>
public static class AttachmentEndpoints
{
    public static void MapAttachmentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Attachments");

        // A request a little larger than the largest file (the multipart framing); beyond it the server stops reading.
        var limit = app.ServiceProvider.GetRequiredService<AttachmentOptions>().MaxFileBytes + (1024 * 1024);
        group.MapPost("/suggestions/{id:guid}/attachments", UploadAsync)
            .RequireAuthorization(Policies.Tasks)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(limit))
            .WithSummary("A unit's handler or head uploads one file (multipart, field \"file\") for their unit's open reply to the suggestion; refused types, sizes or counts are 400 naming \"file\". Put the returned id in the reply form's \"attachments\".");
        group.MapGet("/attachments/{id:guid}", DownloadAsync)
            .RequireAuthorization(Policies.Tasks)
            .WithSummary("Downloads an attachment (Content-Disposition: attachment, its checked content type) for whoever may read its suggestion; a file not yet linked to a reply only for its uploader, a reply not yet sent not for deputies. Others: 404.");
        group.MapDelete("/attachments/{id:guid}", DiscardAsync)
            .RequireAuthorization(Policies.Tasks)
            .WithSummary("The uploader takes back a file not yet linked to a reply; 404 otherwise.");
    }

    private static async Task<IResult> UploadAsync(Guid id, HttpRequest request, ClaimsPrincipal user, AttachmentUploads uploads, CancellationToken ct)
    {
        var missing = new ValidationFailedException([new FieldError(AttachmentRefusals.Field, "is required: send multipart/form-data with one file in \"file\"")]);
        if (!request.HasFormContentType)
        {
            throw missing;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            // A malformed or empty multipart body is the caller's mistake, not a fault.
            throw missing;
        }
        catch (IOException)
        {
            throw missing;
        }

        if (form.Files.GetFile(AttachmentRefusals.Field) is not { } file)
        {
            throw missing;
        }

        await using var content = file.OpenReadStream();
        var stored = await uploads.UploadAsync(id, UnitsOf(user), file.FileName, file.Length, content, ActorOf(user, request.HttpContext), ct);
        return Results.Created($"/api/attachments/{stored.Id}", new UploadedAttachment(stored.Id, stored.FileName, stored.ContentType, stored.Size, stored.Sha256));
    }

    private static async Task<IResult> DownloadAsync(Guid id, HttpContext http, ClaimsPrincipal user, LiaisonDbContext db, ISender sender, AttachmentStore store, CancellationToken ct)
    {
        var attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (attachment is null || !await MayReadAsync(user, attachment, db, sender, ct))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"attachment {id} does not exist");
        }

        // Served as a download only, with the type the checks agreed on, never sniffed into something else by the browser.
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(store.OpenRead(attachment.StorageKey), attachment.ContentType, attachment.FileName);
    }

    private static async Task<IResult> DiscardAsync(Guid id, HttpContext http, ClaimsPrincipal user, AttachmentUploads uploads, CancellationToken ct)
    {
        await uploads.DiscardAsync(id, ActorOf(user, http), ct);
        return Results.NoContent();
    }

    /// <summary>
    /// As reading the suggestion (its units, the office, leaders, admins, its deputies); a file not yet on a reply only for
    /// its uploader; a draft reply's files for the staff, not yet for the deputies.
    /// </summary>
    public static async Task<bool> MayReadAsync(ClaimsPrincipal user, Attachment attachment, LiaisonDbContext db, ISender sender, CancellationToken ct)
    {
        if (attachment.ReplyId is not { } replyId)
        {
            return attachment.UploadedBy == UserIdOf(user);
        }

        if (await sender.Send(new GetSuggestionFile(attachment.SuggestionId), ct) is not { } file || !SuggestionAccess.MayOpen(user, file))
        {
            return false;
        }

        var units = user.Units();
        var staff = Policies.SeeAllTasks.Any(user.IsInRole) || file.Units.Any(u => units.Contains(u.UnitId.ToString()));
        return staff || await db.Replies.AnyAsync(r => r.Id == replyId && r.Status == ReplyStatus.Sent, ct);
    }

    public static IReadOnlyCollection<Guid> UnitsOf(ClaimsPrincipal user) =>
        user.IsInRole(Roles.UnitHandler) || user.IsInRole(Roles.UnitHead)
            ? user.Units().Select(u => Guid.TryParse(u, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList()
            : [];

    public static string UserIdOf(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity?.Name ?? "unknown";

    public static Actor ActorOf(ClaimsPrincipal user, HttpContext? http) => new(
        UserIdOf(user),
        user.Identity?.Name ?? UserIdOf(user),
        http?.Connection.RemoteIpAddress?.ToString(),
        http?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
}
