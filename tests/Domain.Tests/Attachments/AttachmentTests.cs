using System.Security.Cryptography;
using Liaison.Domain.Attachments;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Tests.Attachments;

/// <summary>
/// A reply's attachments on both providers: what the upload accepts and refuses (nothing stored when refused), where the
/// bytes go, and that only the uploader's own pending files for the task are linked to the reply.
/// </summary>
public sealed class AttachmentTests
{
    private static readonly byte[] Pdf = [.. "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"u8];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_pdf_is_stored_under_a_generated_name_and_a_traversal_name_is_only_a_label(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "attach-store");
        using var folder = new TempFolder();
        var (suggestion, task) = await s.AssignedAsync();

        var stored = await UploadAsync(s, folder, suggestion, "../../../etc/cron.d/答复函 <final>.pdf", Pdf);

        Assert.Equal("答复函 final.pdf", stored.FileName);
        Assert.Equal("application/pdf", stored.ContentType);
        Assert.Equal(Pdf.Length, stored.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Pdf)), stored.Sha256);
        Assert.Equal(task, stored.TaskId);
        Assert.Null(stored.ReplyId);

        // The bytes sit inside the attachments folder under the generated key; nothing was written where the name pointed.
        var path = new AttachmentStore(folder.Options()).PathOf(stored.StorageKey);
        Assert.StartsWith(folder.Path + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(path));
        Assert.DoesNotContain("cron", path, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, "tmp")));
        Assert.Equal([path], Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Refused_files_leave_nothing_behind(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "attach-refused");
        using var folder = new TempFolder();
        var (suggestion, _) = await s.AssignedAsync();

        await Refused("type not allowed", () => UploadAsync(s, folder, suggestion, "setup.exe", [0x4D, 0x5A, 0x90, 0x00]));
        await Refused("type not allowed", () => UploadAsync(s, folder, suggestion, "noextension", Pdf));
        await Refused("content does not match", () => UploadAsync(s, folder, suggestion, "invoice.pdf", [0x4D, 0x5A, 0x90, 0x00, 0x03]));
        await Refused("content does not match", () => UploadAsync(s, folder, suggestion, "photo.png", Pdf));
        await Refused("empty", () => UploadAsync(s, folder, suggestion, "empty.txt", []));
        await Refused("too large", () => UploadAsync(s, folder, suggestion, "big.pdf", [.. Pdf, .. new byte[200]], folder.Options(maxBytes: 100)));

        await using var db = s.Database.CreateContext();
        Assert.Equal(0, await db.Attachments.CountAsync());
        Assert.Empty(Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Another_unit_cannot_upload_and_the_per_reply_count_is_kept(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "attach-limits");
        using var folder = new TempFolder();
        var (suggestion, _) = await s.AssignedAsync();

        // Another unit: the suggestion does not exist for it.
        await Scenario.Refused(ErrorCodes.NotFound, () => UploadAsync(s, folder, suggestion, "a.pdf", Pdf, units: [s.OtherUnit]));

        var two = folder.Options(maxFiles: 2);
        await UploadAsync(s, folder, suggestion, "a.pdf", Pdf, two);
        await UploadAsync(s, folder, suggestion, "b.txt", "说明文字"u8.ToArray(), two);
        await Refused("too many files", () => UploadAsync(s, folder, suggestion, "c.pdf", Pdf, two));
        await using var db = s.Database.CreateContext();
        Assert.Equal(2, await db.Attachments.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_reply_links_only_the_handlers_own_pending_files_and_a_forged_id_changes_nothing(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "attach-link");
        using var folder = new TempFolder();
        var (suggestion, task) = await s.AssignedAsync();
        var (otherSuggestion, _) = await s.AssignedAsync("关于增加停车位的建议");
        await s.Send(new SignForTask(task, Scenario.Handler));

        var mine = await UploadAsync(s, folder, suggestion, "答复函.pdf", Pdf);
        var colleagues = await UploadAsync(s, folder, suggestion, "草稿.pdf", Pdf, actor: new Actor("unit-handler-2", "Another handler"));
        var otherTask = await UploadAsync(s, folder, otherSuggestion, "别件.pdf", Pdf);

        // Someone else's file, a file of another task or an unknown id: refused, naming the field, and no reply is stored.
        foreach (var forged in new[] { colleagues.Id, otherTask.Id, Guid.NewGuid() })
        {
            var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => s.Send(new SubmitReply(task, ReplyCategory.A, "答复正文", false, Scenario.Handler, [mine.Id, forged])));
            Assert.Equal("attachments", Assert.Single(ex.Errors).Field);
        }

        await using (var db = s.Database.CreateContext())
        {
            Assert.Equal(0, await db.Replies.CountAsync());
            Assert.Equal(0, await db.Attachments.CountAsync(a => a.ReplyId != null));
        }

        var reply = await s.Send(new SubmitReply(task, ReplyCategory.A, "答复正文", false, Scenario.Handler, [mine.Id]));
        var listed = await s.Ask(new GetReplyAttachments([reply]));
        Assert.Equal("答复函.pdf", Assert.Single(listed).FileName);

        // Once linked it cannot be linked again (the head sends the draft back; the next round needs its own files).
        await s.Send(new ReturnReplyDraft(reply, "请补充数据", Scenario.Head));
        var again = await Assert.ThrowsAsync<ValidationFailedException>(() => s.Send(new SubmitReply(task, ReplyCategory.A, "第二稿", false, Scenario.Handler, [mine.Id])));
        Assert.Equal("attachments", Assert.Single(again.Errors).Field);
    }

    [Fact]
    public void Names_are_cleaned_for_display()
    {
        Assert.Equal("passwd.txt", AttachmentTypes.CleanFileName(@"..\..\windows\passwd.txt"));
        Assert.Equal("report.pdf", AttachmentTypes.CleanFileName("re\u0001port\r\n.pdf"));
        Assert.Equal("ab.pdf", AttachmentTypes.CleanFileName("a<|>b?*.pdf"));
        Assert.Equal(string.Empty, AttachmentTypes.CleanFileName("../.."));
        var longName = new string('长', 300) + ".docx";
        var clean = AttachmentTypes.CleanFileName(longName);
        Assert.Equal(AttachmentTypes.MaxFileNameLength, clean.Length);
        Assert.EndsWith(".docx", clean, StringComparison.Ordinal);
    }

    private static async Task<Attachment> UploadAsync(
        Scenario s, TempFolder folder, Guid suggestion, string name, byte[] content, AttachmentOptions? options = null, Guid[]? units = null, Actor? actor = null)
    {
        options ??= folder.Options();
        await using var db = s.Database.CreateContext();
        var uploads = new AttachmentUploads(db, s.Clock, new AttachmentStore(options), options);
        using var stream = new MemoryStream(content);
        return await uploads.UploadAsync(suggestion, units ?? [s.Unit], name, content.Length, stream, actor ?? Scenario.Handler, CancellationToken.None);
    }

    private static async Task Refused(string phrase, Func<Task> upload)
    {
        var ex = await Assert.ThrowsAsync<ValidationFailedException>(upload);
        var error = Assert.Single(ex.Errors);
        Assert.Equal("file", error.Field);
        Assert.StartsWith(phrase, error.Message, StringComparison.Ordinal);
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "liaison-attach-" + Guid.NewGuid().ToString("N"))).FullName;

        public AttachmentOptions Options(long maxBytes = AttachmentOptions.DefaultMaxFileBytes, int maxFiles = AttachmentOptions.DefaultMaxFilesPerReply) =>
            new() { Path = Path, MaxFileBytes = maxBytes, MaxFilesPerReply = maxFiles };

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
