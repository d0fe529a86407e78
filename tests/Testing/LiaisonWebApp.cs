using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Liaison.Host;
using Liaison.Host.Identity;
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
/// Demo users are off unless a test sets Liaison:Demo:Enabled; <see cref="ClientForAsync(string, string?)"/>
/// gives an HttpClient signed in (bearer token) as a new user with the given role.
/// </summary>
public sealed partial class LiaisonWebApp : IAsyncDisposable
{
    /// <summary>Fits the password rules; test users are throwaway.</summary>
    public const string TestPassword = "Test-password-1";

    private readonly WebApplication app;
    private readonly List<HttpClient> clients = [];
    private int userCount;

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

    /// <summary>Creates a user through the application's services; UnitHandler/UnitHead get unit "unit-1" and Deputy "deputy-1" unless told.</summary>
    public async Task<TestUser> CreateUserAsync(IReadOnlyList<string> roles, string? unitId = null, string? deputyId = null, string? userName = null, string? leaderId = null)
    {
        var number = Interlocked.Increment(ref userCount);
        userName ??= $"u{number}-{string.Join('-', roles)}".ToLowerInvariant();
        unitId ??= roles.Contains(Roles.UnitHandler) || roles.Contains(Roles.UnitHead) ? "unit-1" : null;
        deputyId ??= roles.Contains(Roles.Deputy) ? "deputy-1" : null;
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var user = await accounts.CreateAsync(new CreateUserRequest(userName, $"测试用户 {number}", TestPassword, roles, unitId, deputyId, leaderId), CancellationToken.None);
        return new TestUser(user.Id, userName, TestPassword);
    }

    /// <summary>An HttpClient with a bearer token of a new user holding <paramref name="role"/>.</summary>
    public Task<HttpClient> ClientForAsync(string role, string? unitId = null) => ClientForAsync([role], unitId);

    public async Task<HttpClient> ClientForAsync(IReadOnlyList<string> roles, string? unitId = null, string? deputyId = null)
    {
        var user = await CreateUserAsync(roles, unitId, deputyId);
        return await TokenClientAsync(user.UserName, user.Password);
    }

    /// <summary>Gets a token from POST /api/auth/token and returns a client that sends it.</summary>
    public async Task<HttpClient> TokenClientAsync(string userName, string password)
    {
        var response = await Client.PostAsJsonAsync("/api/auth/token", new { userName, password });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"token for {userName}: {response.StatusCode} {body}");
        }

        var token = JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString();
        var client = NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Signs in through the browser form (antiforgery token and all) and returns a client holding the cookie; redirects are not followed.</summary>
    public async Task<HttpClient> CookieClientAsync(string userName, string password)
    {
        var client = NewClient(followRedirects: false);
        var page = await client.GetStringAsync(new Uri("/account/login", UriKind.Relative));
        var input = AntiforgeryInput().Match(page);
        if (!input.Success)
        {
            throw new InvalidOperationException("the sign-in page has no antiforgery token");
        }

        var token = WebUtility.HtmlDecode(ValueAttribute().Match(input.Value).Groups[1].Value);
        var response = await client.PostAsync(new Uri("/account/signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = userName,
            ["password"] = password,
            ["returnUrl"] = "/",
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != "/")
        {
            throw new InvalidOperationException($"cookie sign-in for {userName}: {response.StatusCode} → {response.Headers.Location}");
        }

        return client;
    }

    /// <summary>A client without credentials, disposed with the app.</summary>
    public HttpClient NewClient(bool followRedirects = true)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = followRedirects, CookieContainer = new CookieContainer(), UseCookies = true };
        var client = new HttpClient(handler) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        lock (clients)
        {
            clients.Add(client);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        lock (clients)
        {
            clients.ForEach(c => c.Dispose());
        }

        try
        {
            await app.StopAsync();
        }
        catch (OperationCanceledException)
        {
            // Hangfire's server did not finish its running jobs within the shutdown timeout: the app is going away
            // anyway, and throwing here would hide why a test failed.
        }

        await app.DisposeAsync();
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();
}

public sealed record TestUser(string Id, string UserName, string Password);
