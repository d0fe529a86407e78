using Liaison.Domain.Audit;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Attachments;

/// <summary>
/// Why a file is refused. Each is a field error on "file" (400 in the API); the message starts with a stable phrase
/// the pages translate.
/// </summary>
public static class AttachmentRefusals
{
    public const string Field = "file";

    public static ValidationFailedException TypeNotAllowed(string extension, IEnumerable<string> allowed) =>
        new([new FieldError(Field, $"type not allowed: '{extension}' is not one of {string.Join(", ", allowed)}")]);

    public static ValidationFailedException ContentMismatch(string extension) =>
        new([new FieldError(Field, $"content does not match its type: the file is named {extension} but its content is not")]);

    public static ValidationFailedException TooLarge(long maxBytes) =>
        new([new FieldError(Field, $"too large: at most {maxBytes} bytes")]);

    public static ValidationFailedException TooMany(int max) =>
        new([new FieldError(Field, $"too many files: at most {max} per reply")]);

    public static ValidationFailedException Empty() =>
        new([new FieldError(Field, "empty: the file has no content")]);
}

/// <summary>
/// Uploading a reply's attachment: the caller's unit must have an open replying task on the suggestion; the file must
/// be of an allowed type (by extension and by its first bytes), within the size limit, and the uploader may hold at
/// most the per-reply number of files not yet linked. A refused file leaves nothing behind.
/// </summary>
public sealed class AttachmentUploads(LiaisonDbContext db, TimeProvider clock, AttachmentStore store, AttachmentOptions options)
{
    public async Task<Attachment> UploadAsync(
        Guid suggestionId, IReadOnlyCollection<Guid> actorUnits, string? fileName, long? declaredLength, Stream content, Actor actor, CancellationToken cancellationToken)
    {
        var name = AttachmentTypes.CleanFileName(fileName);
        var extension = Path.GetExtension(name);
        var type = options.Allowed(extension) ?? throw AttachmentRefusals.TypeNotAllowed(extension, options.AllowedExtensions);
        if (declaredLength > options.MaxFileBytes)
        {
            throw AttachmentRefusals.TooLarge(options.MaxFileBytes);
        }

        // Another unit's (or an unknown) suggestion does not exist for the caller.
        var task = await db.UnitTasks.AsNoTracking()
            .Where(t => t.SuggestionId == suggestionId && actorUnits.Contains(t.UnitId)
                && (t.Role == TaskRole.Lead || t.Role == TaskRole.Separate)
                && (t.Status == UnitTaskStatus.Assigned || t.Status == UnitTaskStatus.SignedFor || t.Status == UnitTaskStatus.Rehandling))
            .FirstOrDefaultAsync(cancellationToken) ?? throw NotFound.For<Suggestion>(suggestionId);
        if (await db.Attachments.CountAsync(a => a.TaskId == task.Id && a.UploadedBy == actor.UserId && a.ReplyId == null, cancellationToken) >= options.MaxFilesPerReply)
        {
            throw AttachmentRefusals.TooMany(options.MaxFilesPerReply);
        }

        var file = await store.WriteTempAsync(content, options.MaxFileBytes, cancellationToken);
        try
        {
            if (file.Size == 0)
            {
                throw AttachmentRefusals.Empty();
            }

            if (!type.Matches(file.Head))
            {
                throw AttachmentRefusals.ContentMismatch(extension);
            }
        }
        catch
        {
            AttachmentStore.Discard(file);
            throw;
        }

        var now = clock.GetUtcNow();
        var attachment = new Attachment(task.SuggestionId, task.Id, task.UnitId, name, type.ContentType, file.Size, file.Sha256, file.Key, actor.UserId, actor.Name, now);
        db.Attachments.Add(attachment);
        db.Audit(now, actor, "attachment.uploaded", nameof(Attachment), attachment.Id, task.SuggestionId, $"{name} ({file.Size} bytes, sha256 {file.Sha256})");
        store.Commit(file);
        try
        {
            await db.CommitAsync(cancellationToken);
        }
        catch
        {
            store.Delete(file.Key);
            throw;
        }

        return attachment;
    }

    /// <summary>The uploader takes back a file not yet linked to a reply; anything else is not found.</summary>
    public async Task DiscardAsync(Guid attachmentId, Actor actor, CancellationToken cancellationToken)
    {
        var attachment = await db.Attachments.FirstOrDefaultAsync(a => a.Id == attachmentId && a.UploadedBy == actor.UserId && a.ReplyId == null, cancellationToken)
            ?? throw NotFound.For<Attachment>(attachmentId);
        db.Attachments.Remove(attachment);
        db.Audit(clock.GetUtcNow(), actor, "attachment.discarded", nameof(Attachment), attachment.Id, attachment.SuggestionId, attachment.FileName);
        await db.CommitAsync(cancellationToken);
        store.Delete(attachment.StorageKey);
    }

    /// <summary>
    /// Links the uploader's files to the reply being submitted (inside the reply's unit of work). A file that is not
    /// theirs, of another task, already linked or unknown is refused, naming it: ids reveal nothing.
    /// </summary>
    internal static async Task LinkAsync(LiaisonDbContext db, Reply reply, IReadOnlyList<Guid> ids, Actor actor, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var wanted = ids.Distinct().ToList();
        var found = await db.Attachments.Where(a => wanted.Contains(a.Id) && a.TaskId == reply.TaskId && a.UploadedBy == actor.UserId && a.ReplyId == null)
            .ToListAsync(cancellationToken);
        var refused = wanted.Where(id => found.All(a => a.Id != id)).ToList();
        if (refused.Count > 0)
        {
            throw new ValidationFailedException(refused.Select(id => new FieldError("attachments", $"attachment {id} is not one you uploaded for this task")).ToList());
        }

        foreach (var attachment in found)
        {
            attachment.LinkTo(reply);
        }
    }
}

/// <summary>What a page shows of an attachment: its name, size and where to download it.</summary>
public sealed record AttachmentInfo(Guid Id, Guid? ReplyId, string FileName, string ContentType, long Size)
{
    public string DownloadUrl => $"/api/attachments/{Id}";
}

/// <summary>The attachments of some replies, in upload order.</summary>
public sealed record GetReplyAttachments(IReadOnlyList<Guid> ReplyIds) : IQuery<IReadOnlyList<AttachmentInfo>>;

public sealed class GetReplyAttachmentsHandler(LiaisonDbContext db) : IQueryHandler<GetReplyAttachments, IReadOnlyList<AttachmentInfo>>
{
    public async ValueTask<IReadOnlyList<AttachmentInfo>> Handle(GetReplyAttachments query, CancellationToken cancellationToken)
    {
        if (query.ReplyIds.Count == 0)
        {
            return [];
        }

        var ids = query.ReplyIds.Cast<Guid?>().ToList();
        return await db.Attachments.AsNoTracking().Where(a => ids.Contains(a.ReplyId)).OrderBy(a => a.UploadedAt).ThenBy(a => a.Id)
            .Select(a => new AttachmentInfo(a.Id, a.ReplyId, a.FileName, a.ContentType, a.Size)).ToListAsync(cancellationToken);
    }
}
