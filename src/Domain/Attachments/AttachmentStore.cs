using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Liaison.Domain.Attachments;

/// <summary>A file written to the store's temporary folder, checked before it is moved into place.</summary>
public sealed record PendingFile(string TempPath, string Key, long Size, string Sha256, byte[] Head);

/// <summary>
/// The attachments folder on disk. Files are named by a generated key (two-character shard, then the key), never by the
/// user's name, so no name can reach another path; they are written to <c>tmp/</c> and moved into place once checked.
/// </summary>
public sealed partial class AttachmentStore(AttachmentOptions options)
{
    public string Root => options.Path;

    /// <summary>Copies the content to a temporary file, counting, hashing and keeping its first bytes; refuses it past <paramref name="maxBytes"/>.</summary>
    public async Task<PendingFile> WriteTempAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(folder);
        var key = Guid.NewGuid().ToString("N");
        var temp = Path.Combine(folder, key + ".part");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var head = new MemoryStream();
            long size = 0;
            var buffer = new byte[81920];
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw AttachmentRefusals.TooLarge(maxBytes);
                    }

                    hash.AppendData(buffer, 0, read);
                    if (head.Length < AttachmentTypes.SniffLength)
                    {
                        head.Write(buffer, 0, (int)Math.Min(read, AttachmentTypes.SniffLength - head.Length));
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            return new PendingFile(temp, $"{key[..2]}/{key}", size, Convert.ToHexStringLower(hash.GetHashAndReset()), head.ToArray());
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Moves a checked file to its final place.</summary>
    public void Commit(PendingFile file)
    {
        var target = PathOf(file.Key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(file.TempPath, target);
    }

    public static void Discard(PendingFile file) => File.Delete(file.TempPath);

    public Stream OpenRead(string key) =>
        new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);

    public void Delete(string key) => File.Delete(PathOf(key));

    /// <summary>The full path of a stored key; anything but a generated key is refused, so a row cannot point elsewhere.</summary>
    public string PathOf(string key)
    {
        if (!KeyPattern().IsMatch(key))
        {
            throw new ArgumentException($"'{key}' is not an attachment key", nameof(key));
        }

        return Path.Combine(Root, key[..2], key[3..]);
    }

    [GeneratedRegex("^[0-9a-f]{2}/[0-9a-f]{32}$")]
    private static partial Regex KeyPattern();
}
