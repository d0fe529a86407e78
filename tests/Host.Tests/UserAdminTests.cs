using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>The Admin's user API, demo users, and the identity schema on both providers.</summary>
public sealed class UserAdminTests
{
    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Admin_creates_lists_changes_and_disables_users_with_every_invalid_field_reported()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "users");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var admin = await app.ClientForAsync(Roles.Admin);

        var invalid = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "", password = "short", roles = new[] { "UnitHandler", "Astronaut" } });
        var problem = await ReadAsync(invalid, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("userName", out _), problem.ToString());
        Assert.True(errors.TryGetProperty("displayName", out _), problem.ToString());
        Assert.Contains("Astronaut", errors.GetProperty("roles")[0].GetString(), StringComparison.Ordinal);

        var noUnit = await ReadAsync(await admin.PostAsJsonAsync("/api/admin/users", new { userName = "zhang", displayName = "张三", password = "Good-password-1", roles = new[] { "unithandler" } }), HttpStatusCode.BadRequest);
        Assert.True(noUnit.GetProperty("errors").TryGetProperty("unitId", out _));

        var weak = await ReadAsync(await admin.PostAsJsonAsync("/api/admin/users", new { userName = "zhang", displayName = "张三", password = "short", roles = new[] { "Leader" } }), HttpStatusCode.BadRequest);
        Assert.True(weak.GetProperty("errors").TryGetProperty("password", out _));

        var created = await ReadAsync(await admin.PostAsJsonAsync("/api/admin/users", new { userName = "zhang", displayName = "张三（交通局）", password = "Good-password-1", roles = new[] { "unithandler" }, unitId = "transport" }), HttpStatusCode.Created);
        Assert.Equal(["UnitHandler"], created.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("transport", created.GetProperty("unitId").GetString());
        var id = created.GetProperty("id").GetString();

        await ReadAsync(await admin.PostAsJsonAsync("/api/admin/users", new { userName = "zhang", displayName = "again", password = "Good-password-1", roles = new[] { "Leader" } }), HttpStatusCode.Conflict);

        var list = await ReadAsync(await admin.GetAsync(new Uri("/api/admin/users", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Contains(list.EnumerateArray(), u => u.GetProperty("userName").GetString() == "zhang" && u.GetProperty("displayName").GetString() == "张三（交通局）");

        var changed = await ReadAsync(await admin.PutAsJsonAsync($"/api/admin/users/{id}/roles", new { roles = new[] { "UnitHead" }, unitId = "transport" }), HttpStatusCode.OK);
        Assert.Equal(["UnitHead"], changed.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var zhang = await app.TokenClientAsync("zhang", "Good-password-1");
        var me = await zhang.GetFromJsonAsync<JsonElement>(new Uri("/api/auth/me", UriKind.Relative));
        Assert.Equal(["UnitHead"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("张三（交通局）", me.GetProperty("displayName").GetString());

        await ReadAsync(await admin.PutAsJsonAsync($"/api/admin/users/{id}/roles", new { roles = Array.Empty<string>() }), HttpStatusCode.BadRequest);
        await ReadAsync(await admin.PutAsJsonAsync($"/api/admin/users/{Guid.NewGuid()}/roles", new { roles = new[] { "Leader" } }), HttpStatusCode.NotFound);

        var disabled = await ReadAsync(await admin.PostAsync(new Uri($"/api/admin/users/{id}/disable", UriKind.Relative), null), HttpStatusCode.OK);
        Assert.True(disabled.GetProperty("disabled").GetBoolean());
        await ReadAsync(await app.Client.PostAsJsonAsync("/api/auth/token", new { userName = "zhang", password = "Good-password-1" }), HttpStatusCode.Unauthorized);

        var me2 = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/auth/me", UriKind.Relative));
        var self = await ReadAsync(await admin.PostAsync(new Uri($"/api/admin/users/{me2.GetProperty("id").GetString()}/disable", UriKind.Relative), null), HttpStatusCode.BadRequest);
        Assert.True(self.GetProperty("errors").TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Demo_users_are_created_once_per_role_and_a_second_start_creates_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "demo");
        var demo = new Dictionary<string, string?> { ["Liaison:Demo:Enabled"] = "true" };
        string adminPassword;
        await using (var first = await LiaisonWebApp.StartAsync(database, demo))
        {
            var created = first.Services.GetRequiredService<DemoSignIns>().Created;
            Assert.Equal(Roles.All.Select(r => r.Name), created.Select(c => c.Role));
            adminPassword = created.Single(c => c.Role == Roles.Admin).Password;
            var handler = await first.TokenClientAsync("handler", created.Single(c => c.Role == Roles.UnitHandler).Password);
            var me = await handler.GetFromJsonAsync<JsonElement>(new Uri("/api/auth/me", UriKind.Relative));
            // Demo users act for the demo city's unit (its id), not the placeholder used when there is no demo data.
            await using var scope = first.Services.CreateAsyncScope();
            var demoUnit = await scope.ServiceProvider.GetRequiredService<LiaisonDbContext>().HandlingUnits.SingleAsync(u => u.Name == Demo.DemoDataSeeder.DemoUnitName);
            Assert.Equal([demoUnit.Id.ToString()], me.GetProperty("units").EnumerateArray().Select(u => u.GetString()));
            Assert.Contains("admin", await File.ReadAllTextAsync(Path.Combine(database.Folder!, IdentitySeeder.DemoFileName)), StringComparison.Ordinal);
        }

        await using var second = await LiaisonWebApp.StartAsync(database, demo);
        Assert.Empty(second.Services.GetRequiredService<DemoSignIns>().Created);
        await second.TokenClientAsync("admin", adminPassword);
    }

    [Fact]
    public void Demo_users_are_off_by_default_except_on_the_embedded_database_in_development()
    {
        var sqlite = new Storage.StorageOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=x.db" };
        var postgres = new Storage.StorageOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = "Host=x" };
        var empty = new ConfigurationBuilder().Build();
        Assert.True(IdentitySeeder.DemoEnabled(empty, Environment("Development"), sqlite));
        Assert.False(IdentitySeeder.DemoEnabled(empty, Environment("Production"), sqlite));
        Assert.False(IdentitySeeder.DemoEnabled(empty, Environment("Development"), postgres));
        var on = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [IdentitySeeder.DemoSetting] = "true" }).Build();
        Assert.True(IdentitySeeder.DemoEnabled(on, Environment("Production"), postgres));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Identity_model_has_no_changes_without_a_migration_and_roles_are_seeded(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "identity-schema");
        await using (var app = await LiaisonWebApp.StartAsync(database))
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LiaisonIdentityDbContext>();
            Assert.False(db.Database.HasPendingModelChanges(), $"the {provider} identity model has changes without a migration: run dotnet ef migrations add");
            Assert.Equal(Roles.All.Select(r => r.Name).Order(StringComparer.Ordinal), (await db.Roles.Select(r => r.Name!).ToListAsync()).Order(StringComparer.Ordinal));
            Assert.Empty(await db.Users.ToListAsync());
        }
    }

    private static Microsoft.Extensions.Hosting.IHostEnvironment Environment(string name) => new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = name };
}
