using Liaison.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Liaison.Testing;

/// <summary>
/// The real Liaison Host running in the test process on a free loopback port, against the given
/// database, with optional extra settings and service overrides (a fake clock, for instance).
/// </summary>
public sealed class LiaisonWebApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private LiaisonWebApp(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<LiaisonWebApp> StartAsync(
        TestDatabase database,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var app = LiaisonApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Environment.ContentRootPath = SourcePaths.HostProject;
            builder.Environment.WebRootPath = Path.Combine(SourcePaths.HostProject, "wwwroot");
            builder.Environment.EnvironmentName = "Development";
            builder.WebHost.UseStaticWebAssets();
            builder.Configuration.AddInMemoryCollection(database.HostSettings());
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                ["Liaison:Hangfire:WorkerCount"] = "2",
                ["Liaison:Demo:Enabled"] = "false",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            services?.Invoke(builder.Services);
        });

        await LiaisonApp.PrepareAsync(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LiaisonWebApp(app, new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
