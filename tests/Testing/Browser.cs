using Microsoft.Playwright;
using Xunit;

namespace Liaison.Testing;

/// <summary>
/// Debian's Chromium driven by Playwright (Playwright cannot download its own browsers here): headless,
/// without the background traffic that the closed network refuses, in a fresh profile.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ExecutableVariable = "LIAISON_CHROMIUM";

    private IPlaywright? playwright;
    private string? profile;

    public IBrowserContext Context { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } custom ? custom : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium not found at {executable}: install Debian's chromium (apt-get install chromium) or set {ExecutableVariable}.");
        }

        profile = Path.Combine(Path.GetTempPath(), $"liaison-chromium-{Guid.NewGuid():N}");
        playwright = await Playwright.CreateAsync();
        Context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Locale = "zh-CN",
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
            ],
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var page = await Context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Context is not null)
        {
            await Context.CloseAsync();
        }

        playwright?.Dispose();
        if (profile is not null && Directory.Exists(profile))
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be flushing its profile; the temp folder is disposable.
            }
        }
    }
}
