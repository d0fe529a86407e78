using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Liaison.Domain.Attachments;

/// <summary>
/// A file a unit attached to its reply (答复附件). Uploaded first (owned by the uploader and the unit task), then
/// linked to the reply when the reply is submitted; the bytes live on disk under <see cref="StorageKey"/>, never
/// under the name the user gave.
/// </summary>
public sealed class Attachment
{
    private Attachment()
    {
        FileName = ContentType = Sha256 = StorageKey = UploadedBy = UploadedByName = string.Empty;
    }

    public Attachment(Guid suggestionId, Guid taskId, Guid unitId, string fileName, string contentType, long size, string sha256, string storageKey, string uploadedBy, string uploadedByName, DateTimeOffset uploadedAt)
    {
        SuggestionId = suggestionId;
        TaskId = taskId;
        UnitId = unitId;
        FileName = fileName;
        ContentType = contentType;
        Size = size;
        Sha256 = sha256;
        StorageKey = storageKey;
        UploadedBy = uploadedBy;
        UploadedByName = uploadedByName;
        UploadedAt = uploadedAt;
    }

    public Guid Id { get; private set; } = Guid.CreateVersion7();

    /// <summary>The suggestion it belongs to: who may read the suggestion may read its reply's attachments.</summary>
    public Guid SuggestionId { get; private set; }

    /// <summary>The unit task it was uploaded for.</summary>
    public Guid TaskId { get; private set; }

    public Guid UnitId { get; private set; }

    /// <summary>The reply it belongs to; null until the reply is submitted.</summary>
    public Guid? ReplyId { get; private set; }

    /// <summary>The user's file name, cleaned for display (no folders, no control or reserved characters).</summary>
    public string FileName { get; private set; }

    /// <summary>The type the extension and content agreed on (not what the browser claimed).</summary>
    public string ContentType { get; private set; }

    public long Size { get; private set; }

    /// <summary>SHA-256 of the content, lower-case hex.</summary>
    public string Sha256 { get; private set; }

    /// <summary>The generated name of the stored file, relative to the attachments folder.</summary>
    public string StorageKey { get; private set; }

    /// <summary>The uploader's user id: only they may link it to a reply.</summary>
    public string UploadedBy { get; private set; }

    public string UploadedByName { get; private set; }

    public DateTimeOffset UploadedAt { get; private set; }

    internal void LinkTo(Reply reply) => ReplyId = reply.Id;
}

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> builder)
    {
        builder.ToTable("attachments");
        builder.Property(a => a.FileName).HasMaxLength(AttachmentTypes.MaxFileNameLength);
        builder.Property(a => a.ContentType).HasMaxLength(200);
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.Property(a => a.StorageKey).HasMaxLength(200);
        builder.Property(a => a.UploadedBy).HasMaxLength(200);
        builder.Property(a => a.UploadedByName).HasMaxLength(200);
        builder.HasOne<Suggestion>().WithMany().HasForeignKey(a => a.SuggestionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<UnitTask>().WithMany().HasForeignKey(a => a.TaskId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Reply>().WithMany().HasForeignKey(a => a.ReplyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => a.StorageKey).IsUnique();
        builder.HasIndex(a => a.ReplyId);

        // An uploader's pending files on a task (the per-reply limit, and linking).
        builder.HasIndex(a => new { a.TaskId, a.UploadedBy, a.ReplyId });
        builder.HasIndex(a => a.SuggestionId);
    }
}
