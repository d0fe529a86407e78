using System.Globalization;
using Liaison.Domain.Attachments;
using Liaison.Host.Storage;

namespace Liaison.Host.Attachments;

/// <summary>Reply attachments: settings from <c>Liaison:Attachments</c>, the store on disk and the upload operation.</summary>
public static class AttachmentSetup
{
    public const string PathSetting = AttachmentOptions.Section + ":Path";
    public const string MaxFileBytesSetting = AttachmentOptions.Section + ":MaxFileBytes";
    public const string MaxFilesSetting = AttachmentOptions.Section + ":MaxFilesPerReply";
    public const string ExtensionsSetting = AttachmentOptions.Section + ":AllowedExtensions";

    public static IServiceCollection AddReplyAttachments(this IServiceCollection services, IConfiguration configuration, IWebHostEnvironment environment, StorageOptions storage)
    {
        var options = FromConfiguration(configuration, environment.ContentRootPath, environment.WebRootPath, storage);
        services.AddSingleton(options);
        services.AddSingleton<AttachmentStore>();
        services.AddScoped<AttachmentUploads>();
        return services;
    }

    /// <summary>Reads and checks the settings; the folder must not be inside the web root (files are served only through the checked endpoint).</summary>
    public static AttachmentOptions FromConfiguration(IConfiguration configuration, string contentRoot, string? webRoot, StorageOptions storage)
    {
        // By default next to the embedded database; on PostgreSQL in the configured data folder, else App_Data.
        var dataFolder = storage.DataDirectory
            ?? (configuration[StorageOptions.DataDirectorySetting] is { Length: > 0 } data ? Path.GetFullPath(data, contentRoot) : Path.Combine(contentRoot, "App_Data"));
        var folder = configuration[PathSetting] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, contentRoot)
            : Path.Combine(dataFolder, "attachments");
        var web = Path.GetFullPath(string.IsNullOrEmpty(webRoot) ? Path.Combine(contentRoot, "wwwroot") : webRoot);
        if (IsWithin(folder, web))
        {
            throw new StartupConfigurationException(PathSetting, $"'{folder}' is inside the web root ({web}); attachments must be kept outside it.");
        }

        var maxBytes = AttachmentOptions.DefaultMaxFileBytes;
        if (configuration[MaxFileBytesSetting] is { Length: > 0 } bytes
            && (!long.TryParse(bytes, NumberStyles.None, CultureInfo.InvariantCulture, out maxBytes) || maxBytes <= 0))
        {
            throw new StartupConfigurationException(MaxFileBytesSetting, $"'{bytes}' is not a positive number of bytes.");
        }

        var maxFiles = AttachmentOptions.DefaultMaxFilesPerReply;
        if (configuration[MaxFilesSetting] is { Length: > 0 } files
            && (!int.TryParse(files, NumberStyles.None, CultureInfo.InvariantCulture, out maxFiles) || maxFiles <= 0))
        {
            throw new StartupConfigurationException(MaxFilesSetting, $"'{files}' is not a positive number of files.");
        }

        var extensions = AttachmentOptions.DefaultExtensions;
        if (configuration[ExtensionsSetting] is { Length: > 0 } list)
        {
            extensions = list.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(e => e.StartsWith('.') ? e.ToLowerInvariant() : "." + e.ToLowerInvariant()).Distinct().ToList();
            if (extensions.FirstOrDefault(e => AttachmentTypes.ByExtension(e) is null) is { } unknown)
            {
                throw new StartupConfigurationException(
                    ExtensionsSetting, $"'{unknown}' is not a file type Liaison checks. Use some of: {string.Join(", ", AttachmentTypes.Known.Select(t => t.Extension))}.");
            }
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupConfigurationException(PathSetting, $"cannot create the attachments folder: {ex.Message}");
        }

        return new AttachmentOptions { Path = folder, MaxFileBytes = maxBytes, MaxFilesPerReply = maxFiles, AllowedExtensions = extensions };
    }

    private static bool IsWithin(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
