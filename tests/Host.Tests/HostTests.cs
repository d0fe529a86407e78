using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Liaison.Host.Tests;

/// <summary>The whole Host on each provider: health, API, problem details, restart keeps the data.</summary>
public sealed class HostTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Starts_reports_healthy_and_keeps_data_across_a_restart(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "restart");

        DateTimeOffset installedAt;
        await using (var first = await LiaisonWebApp.StartAsync(database))
        {
            var health = await first.Client.GetAsync(new Uri("/health", UriKind.Relative));
            var body = await health.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            using var json = JsonDocument.Parse(body);
            Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
            Assert.True(json.RootElement.GetProperty("checks").TryGetProperty("hangfire", out _), body);

            var user = await first.CreateUserAsync([Roles.Leader], userName: "leader-1");
            var signedIn = await first.TokenClientAsync(user.UserName, user.Password);
            var info = await signedIn.GetFromJsonAsync<JsonElement>(new Uri("/api/system/info", UriKind.Relative));
            Assert.Equal(provider.ToString(), info.GetProperty("databaseProvider").GetString());
            Assert.Equal(1, info.GetProperty("startCount").GetInt64());
            installedAt = info.GetProperty("installedAt").GetDateTimeOffset();
        }

        await using var second = await LiaisonWebApp.StartAsync(database);
        // Users survive the restart too.
        var leader = await second.TokenClientAsync("leader-1", LiaisonWebApp.TestPassword);
        var again = await leader.GetFromJsonAsync<JsonElement>(new Uri("/api/system/info", UriKind.Relative));
        Assert.Equal(2, again.GetProperty("startCount").GetInt64());
        Assert.Equal(installedAt, again.GetProperty("installedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Postgres_creates_hangfire_tables_and_the_dashboard_lists_the_server()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "hangfire");
        await using var app = await LiaisonWebApp.StartAsync(database, new Dictionary<string, string?>
        {
            ["Liaison:Hangfire:ServerName"] = "liaison-test-server",
        });

        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select count(*) from information_schema.tables where table_schema = 'hangfire'", connection);
            Assert.True((long)(await command.ExecuteScalarAsync())! >= 10, "Hangfire's schema is created");
        }

        var adminUser = await app.CreateUserAsync([Roles.Admin]);
        var admin = await app.CookieClientAsync(adminUser.UserName, adminUser.Password);

        // The server registers its heartbeat asynchronously after start.
        string page = string.Empty;
        for (var attempt = 0; attempt < 50 && !page.Contains("liaison-test-server", StringComparison.Ordinal); attempt++)
        {
            page = await admin.GetStringAsync(new Uri("/hangfire/servers", UriKind.Relative));
            await Task.Delay(200);
        }

        Assert.Contains("liaison-test-server", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_are_problem_details()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "problems");
        await using var app = await LiaisonWebApp.StartAsync(database);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/does-not-exist");
        request.Headers.Accept.ParseAdd("application/json");
        var missing = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        var problem = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());

        var badCulture = await app.Client.GetAsync(new Uri("/culture/fr", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badCulture.StatusCode);
        Assert.Equal("application/problem+json", badCulture.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Serves_the_openapi_document_and_its_reference_page()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "openapi");
        await using var app = await LiaisonWebApp.StartAsync(database);

        var document = await app.Client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal("Liaison API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/system/info", out _));

        var reference = await app.Client.GetAsync(new Uri("/scalar/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
    }

    [Fact]
    public async Task Links_in_messages_use_the_listening_address_unless_a_site_address_is_configured()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "siteurl");
        await using (var app = await LiaisonWebApp.StartAsync(database))
        {
            var options = app.Services.GetRequiredService<Liaison.Workflows.DueItems.DueItemOptions>();
            Assert.Equal(app.Address.ToString().TrimEnd('/'), options.SiteUrl);
        }

        await using var configured = await LiaisonWebApp.StartAsync(database, new Dictionary<string, string?> { ["Liaison:SiteUrl"] = "https://jianyi.example.gov.cn" });
        Assert.Equal("https://jianyi.example.gov.cn", configured.Services.GetRequiredService<Liaison.Workflows.DueItems.DueItemOptions>().SiteUrl);
    }
}
