using Liaison.Domain.Attachments;
using Liaison.Domain.Persistence;
using Liaison.Host;
using Liaison.Host.Attachments;
using Liaison.Host.Storage;
using Microsoft.Extensions.Configuration;

namespace Liaison.Host.Tests;

/// <summary>The attachment settings: defaults, and the ones that stop start-up naming themselves (a folder inside wwwroot above all).</summary>
public sealed class AttachmentSettingsTests : IDisposable
{
    private readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"liaison-attach-settings-{Guid.NewGuid():N}")).FullName;

    private string WebRoot => Path.Combine(_root, "wwwroot");

    [Fact]
    public void Defaults_keep_files_in_the_data_folder_with_the_documented_limits()
    {
        var options = Read();

        Assert.Equal(Path.Combine(_root, "data", "attachments"), options.Path);
        Assert.True(Directory.Exists(options.Path));
        Assert.Equal(20L * 1024 * 1024, options.MaxFileBytes);
        Assert.Equal(10, options.MaxFilesPerReply);
        Assert.Contains(".pdf", options.AllowedExtensions);
        Assert.Contains(".ofd", options.AllowedExtensions);
        Assert.Null(options.Allowed(".exe"));
    }

    [Fact]
    public void Each_setting_overrides_its_default()
    {
        var options = Read(
            (AttachmentSetup.PathSetting, "files"),
            (AttachmentSetup.MaxFileBytesSetting, "1048576"),
            (AttachmentSetup.MaxFilesSetting, "3"),
            (AttachmentSetup.ExtensionsSetting, "pdf, .PNG"));

        Assert.Equal(Path.Combine(_root, "files"), options.Path);
        Assert.Equal(1048576, options.MaxFileBytes);
        Assert.Equal(3, options.MaxFilesPerReply);
        Assert.Equal([".pdf", ".png"], options.AllowedExtensions);
        Assert.Null(options.Allowed(".docx"));
    }

    [Theory]
    [InlineData(AttachmentSetup.PathSetting, "wwwroot/uploads")]
    [InlineData(AttachmentSetup.PathSetting, "wwwroot")]
    [InlineData(AttachmentSetup.MaxFileBytesSetting, "-1")]
    [InlineData(AttachmentSetup.MaxFileBytesSetting, "20MB")]
    [InlineData(AttachmentSetup.MaxFilesSetting, "0")]
    [InlineData(AttachmentSetup.ExtensionsSetting, ".pdf,.exe")]
    public void A_bad_setting_stops_start_up_naming_it(string key, string value)
    {
        var ex = Assert.Throws<StartupConfigurationException>(() => Read((key, value)));
        Assert.Equal(key, ex.Setting);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private AttachmentOptions Read(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var storage = new StorageOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=x.db", DataDirectory = Path.Combine(_root, "data") };
        return AttachmentSetup.FromConfiguration(configuration, _root, WebRoot, storage);
    }
}
