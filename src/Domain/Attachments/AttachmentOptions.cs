namespace Liaison.Domain.Attachments;

/// <summary>Where reply attachments are kept and what they may be; bound from <c>Liaison:Attachments</c> by the Host.</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Liaison:Attachments";

    public const long DefaultMaxFileBytes = 20L * 1024 * 1024;

    public const int DefaultMaxFilesPerReply = 10;

    public static readonly IReadOnlyList<string> DefaultExtensions = [".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".ofd", ".jpg", ".jpeg", ".png", ".txt"];

    /// <summary>The folder the files are stored in (full path; outside the web root).</summary>
    public required string Path { get; init; }

    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    public int MaxFilesPerReply { get; init; } = DefaultMaxFilesPerReply;

    /// <summary>Allowed extensions with their dot, each one of <see cref="AttachmentTypes.Known"/>.</summary>
    public IReadOnlyList<string> AllowedExtensions { get; init; } = DefaultExtensions;

    public AttachmentType? Allowed(string extension) =>
        AllowedExtensions.Any(e => string.Equals(e, extension, StringComparison.OrdinalIgnoreCase)) ? AttachmentTypes.ByExtension(extension) : null;
}
