using System.Text;

namespace Liaison.Domain.Attachments;

/// <summary>One kind of file a reply may carry: its extension, the content type it is served with, and how its first bytes look.</summary>
public sealed record AttachmentType(string Extension, string ContentType, string Description, Func<ReadOnlySpan<byte>, bool> Matches);

/// <summary>
/// The file kinds Liaison knows, and the checks an upload passes: the extension must be allowed and the first bytes
/// must look like that kind (a renamed .exe is not a PDF). Names are cleaned for display; the stored name is generated.
/// </summary>
public static class AttachmentTypes
{
    public const int MaxFileNameLength = 200;

    /// <summary>How many leading bytes the content checks read.</summary>
    public const int SniffLength = 8192;

    private static readonly byte[] Pdf = "%PDF-"u8.ToArray();
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] Ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Executable = "MZ"u8.ToArray();

    /// <summary>Every kind Liaison can accept; settings choose among them (<see cref="AttachmentOptions.AllowedExtensions"/>).</summary>
    public static IReadOnlyList<AttachmentType> Known { get; } =
    [
        new(".pdf", "application/pdf", "PDF", b => b.StartsWith(Pdf)),
        new(".doc", "application/msword", "Word 97–2003", b => b.StartsWith(Ole)),
        new(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", b => b.StartsWith(Zip)),
        new(".xls", "application/vnd.ms-excel", "Excel 97–2003", b => b.StartsWith(Ole)),
        new(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", b => b.StartsWith(Zip)),

        // WPS Office documents are OLE compound files like .doc; OFD (GB/T 33190, China's fixed-layout format) is a zip package.
        new(".wps", "application/vnd.ms-works", "WPS", b => b.StartsWith(Ole)),
        new(".ofd", "application/ofd", "OFD", b => b.StartsWith(Zip)),
        new(".jpg", "image/jpeg", "JPEG", b => b.StartsWith(Jpeg)),
        new(".jpeg", "image/jpeg", "JPEG", b => b.StartsWith(Jpeg)),
        new(".png", "image/png", "PNG", b => b.StartsWith(Png)),
        new(".txt", "text/plain", "text", LooksLikeText),
    ];

    public static AttachmentType? ByExtension(string extension) =>
        Known.FirstOrDefault(t => string.Equals(t.Extension, extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The name to show and offer on download: the last path segment only (no folders, whichever slash), without control
    /// or reserved characters, shortened with its extension kept. Never used as a path.
    /// </summary>
    public static string CleanFileName(string? name)
    {
        var last = (name ?? string.Empty).Replace('\\', '/').Split('/').LastOrDefault() ?? string.Empty;
        var builder = new StringBuilder(last.Length);
        foreach (var c in last)
        {
            if (!char.IsControl(c) && c is not ('<' or '>' or ':' or '"' or '|' or '?' or '*') && !char.IsSurrogate(c))
            {
                builder.Append(c);
            }
        }

        var clean = builder.ToString().Trim().Trim('.').Trim();
        if (clean.Length > MaxFileNameLength)
        {
            var extension = Path.GetExtension(clean);
            extension = extension.Length > 20 ? string.Empty : extension;
            clean = clean[..(MaxFileNameLength - extension.Length)] + extension;
        }

        return clean;
    }

    /// <summary>Text has no NUL bytes (binary formats have them early) and none of the signatures above, nor an executable's.</summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> head) =>
        !head.Contains((byte)0) && !head.StartsWith(Pdf) && !head.StartsWith(Zip) && !head.StartsWith(Ole) && !head.StartsWith(Executable);
}
