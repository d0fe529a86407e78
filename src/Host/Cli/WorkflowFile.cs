using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Liaison.Host.Cli;

/// <summary>
/// Reads a workflow file given on the command line as strict UTF-8 text, with a reason a person can act on
/// when it cannot: missing, a directory, unreadable, empty, too large or not UTF-8 text.
/// </summary>
internal static class WorkflowFile
{
    /// <summary>Far above any real definition; stops a mistyped /dev/zero or a disk image from filling memory.</summary>
    internal const int MaxBytes = 16 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryRead(string path, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out string? problem)
    {
        text = null;
        problem = Check(path, out var bytes);
        if (problem is not null)
        {
            return false;
        }

        try
        {
            var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            problem = "not UTF-8 text (a workflow file is JSON in UTF-8)";
            return false;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "the file is empty";
            return false;
        }

        return true;
    }

    private static string? Check(string path, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrWhiteSpace(path))
        {
            return "no file name given";
        }

        try
        {
            if (Directory.Exists(path))
            {
                return "it is a directory, not a file";
            }

            // Read at most one byte past the limit: a device or a huge file never has to fit in memory.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBytes)
                {
                    return $"larger than {MaxBytes / 1024 / 1024} MB, not a workflow file";
                }
            }

            bytes = buffer.ToArray();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ex switch
            {
                FileNotFoundException => "file not found",
                DirectoryNotFoundException => "directory not found",
                UnauthorizedAccessException => "permission denied",
                _ => WorkflowCommand.OneLine(ex.Message),
            };
        }
    }
}
