using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using static Liaison.Testing.Flowcharts;

namespace Liaison.Host.Tests;

/// <summary>Who may call what: the role matrix over the API, task visibility by unit/role/person, tokens.</summary>
public sealed class AuthorizationTests
{
    private static readonly string[] Readers = [Roles.Designer, Roles.LiaisonOffice, Roles.Admin, Roles.Leader];
    private static readonly string[] Designers = [Roles.Designer];
    private static readonly string[] Starters = [Roles.LiaisonOffice, Roles.Admin, Roles.Designer];
    private static readonly string[] InstanceReaders = [Roles.LiaisonOffice, Roles.Admin, Roles.Designer];
    private static readonly string[] Operators = [Roles.LiaisonOffice, Roles.Admin];
    private static readonly string[] Admins = [Roles.Admin];
    private static readonly string[] Everyone = Roles.All.Select(r => r.Name).ToArray();

    private static readonly string Unknown = Guid.NewGuid().ToString();

    /// <summary>Method, path, body, the roles allowed. Bodies and ids are such that an allowed call fails on its own merits (404, 409, 400) or succeeds.</summary>
    private static readonly (HttpMethod Method, string Path, string? Body, string[] Allowed)[] Matrix =
    [
        (HttpMethod.Get, "/api/workflows/definitions", null, Readers),
        (HttpMethod.Get, "/api/workflows/definitions/hello-liaison", null, Readers),
        (HttpMethod.Get, "/api/workflows/definitions/hello-liaison/versions", null, Readers),
        (HttpMethod.Get, "/api/workflows/definitions/hello-liaison/export", null, Readers),
        (HttpMethod.Post, "/api/workflows/definitions/validate", HumanTask("v", "Unit", "u1"), Readers),
        (HttpMethod.Get, "/api/workflows/activities", null, Readers),
        (HttpMethod.Put, "/api/workflows/definitions/matrix-{role}/draft", HumanTask("matrix-{role}", "Unit", "u1"), Designers),
        (HttpMethod.Post, "/api/workflows/definitions/nope/publish", null, Designers),
        (HttpMethod.Post, "/api/workflows/definitions/nope/retract", null, Designers),
        (HttpMethod.Post, "/api/workflows/definitions/nope/rollback?version=1", null, Designers),
        (HttpMethod.Post, "/api/workflows/definitions/import", "{}", Designers),
        (HttpMethod.Post, "/api/workflows/instances", "{\"definitionId\":\"nope\"}", Starters),
        (HttpMethod.Get, "/api/workflows/instances", null, InstanceReaders),
        (HttpMethod.Get, $"/api/workflows/instances/{Unknown}", null, InstanceReaders),
        (HttpMethod.Get, $"/api/workflows/instances/{Unknown}/journal", null, InstanceReaders),
        (HttpMethod.Post, $"/api/workflows/instances/{Unknown}/cancel", null, Operators),
        (HttpMethod.Post, $"/api/workflows/instances/{Unknown}/retry", null, Operators),
        (HttpMethod.Post, "/api/workflows/events", "{\"eventName\":\"nobody-waits\"}", Operators),
        (HttpMethod.Post, $"/api/workflows/bookmarks/{Unknown}/resume", "{}", Operators),
        (HttpMethod.Get, "/api/workflows/tasks", null, Everyone),
        (HttpMethod.Get, "/api/system/info", null, Everyone),
        (HttpMethod.Get, "/api/auth/me", null, Everyone),
        (HttpMethod.Get, "/api/admin/users", null, Admins),
    ];

    private static HttpRequestMessage Request((HttpMethod Method, string Path, string? Body, string[] Allowed) call, string role) =>
        new(call.Method, call.Path.Replace("{role}", role.ToLowerInvariant(), StringComparison.Ordinal))
        {
            Content = call.Body is null ? null : new StringContent(call.Body.Replace("{role}", role.ToLowerInvariant(), StringComparison.Ordinal), Encoding.UTF8, "application/json"),
        };

    [Fact]
    public async Task Every_role_gets_exactly_what_the_policies_say_and_strangers_get_401_problem_details()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "matrix");
        await using var app = await LiaisonWebApp.StartAsync(database);

        var failures = new List<string>();
        foreach (var call in Matrix)
        {
            using var response = await app.Client.SendAsync(Request(call, "anonymous"));
            if (response.StatusCode != HttpStatusCode.Unauthorized || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"anonymous {call.Method} {call.Path}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
            }
        }

        foreach (var role in Everyone)
        {
            var client = await app.ClientForAsync(role);
            foreach (var call in Matrix)
            {
                using var response = await client.SendAsync(Request(call, role));
                var allowed = call.Allowed.Contains(role);
                var status = (int)response.StatusCode;
                var ok = allowed ? status is not (401 or 403) and < 500 : status == 403;
                if (!ok)
                {
                    failures.Add($"{role} {call.Method} {call.Path}: expected {(allowed ? "allowed" : "403")}, got {status} {await response.Content.ReadAsStringAsync()}");
                }
                else if (!allowed && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{role} {call.Method} {call.Path}: 403 without problem details");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Unit_handlers_see_and_complete_only_their_units_tasks(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "tasks");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var designer = await app.ClientForAsync(Roles.Designer);
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var handler1User = await app.CreateUserAsync([Roles.UnitHandler], unitId: "u1");
        var handler1 = await app.TokenClientAsync(handler1User.UserName, handler1User.Password);
        var head2 = await app.ClientForAsync(Roles.UnitHead, unitId: "u2");
        var leader = await app.ClientForAsync(Roles.Leader);

        async Task<Guid> StartAsync(string definitionId, string kind, string assignee)
        {
            (await designer.PutAsync(new Uri($"/api/workflows/definitions/{definitionId}/draft", UriKind.Relative), new StringContent(HumanTask(definitionId, kind, assignee), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            (await designer.PostAsync(new Uri($"/api/workflows/definitions/{definitionId}/publish", UriKind.Relative), null)).EnsureSuccessStatusCode();
            (await office.PostAsJsonAsync("/api/workflows/instances", new { definitionId })).EnsureSuccessStatusCode();
            var tasks = await office.GetFromJsonAsync<JsonElement>(new Uri("/api/workflows/tasks?take=500", UriKind.Relative));
            return tasks.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("assigneeId").GetString() == assignee).GetProperty("id").GetGuid();
        }

        var unit1 = await StartAsync("for-u1", "Unit", "u1");
        var unit2 = await StartAsync("for-u2", "Unit", "u2");
        var heads = await StartAsync("for-heads", "Role", Roles.UnitHead);
        var person = await StartAsync("for-person", "Person", handler1User.UserName);

        async Task<HashSet<Guid>> VisibleAsync(HttpClient client)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/workflows/tasks", UriKind.Relative));
            return page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToHashSet();
        }

        Assert.Equal([unit1, person], await VisibleAsync(handler1));
        Assert.Equal([unit2, heads], await VisibleAsync(head2));
        Assert.Equal([unit1, unit2, heads, person], await VisibleAsync(office));
        Assert.Equal([unit1, unit2, heads, person], await VisibleAsync(leader));

        // Another unit's task does not exist for the handler: reading and completing it are both 404.
        Assert.Equal(HttpStatusCode.NotFound, (await handler1.GetAsync(new Uri($"/api/workflows/tasks/{unit2}", UriKind.Relative))).StatusCode);
        var foreign = await handler1.PostAsJsonAsync($"/api/workflows/tasks/{unit2}/complete", new { outcome = "Sign" });
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain("u2", await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A leader, and the office, see every task but act only on their own: overseeing is not acting.
        Assert.Equal(HttpStatusCode.Forbidden, (await leader.PostAsJsonAsync($"/api/workflows/tasks/{unit2}/complete", new { outcome = "Sign" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsJsonAsync($"/api/workflows/tasks/{unit2}/complete", new { outcome = "Sign" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await handler1.PostAsJsonAsync($"/api/workflows/tasks/{unit1}/complete", new { outcome = "Sign" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await handler1.PostAsJsonAsync($"/api/workflows/tasks/{person}/complete", new { outcome = "Return" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await head2.PostAsJsonAsync($"/api/workflows/tasks/{heads}/complete", new { outcome = "Sign" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await head2.PostAsJsonAsync($"/api/workflows/tasks/{unit2}/complete", new { outcome = "Sign" })).StatusCode);
        var open = await office.GetFromJsonAsync<JsonElement>(new Uri("/api/workflows/tasks?status=Open", UriKind.Relative));
        Assert.Equal(0, open.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Tokens_refresh_until_the_user_is_disabled_and_a_wrong_password_is_a_401_problem()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "tokens");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var user = await app.CreateUserAsync([Roles.UnitHandler], unitId: "u7");

        var wrong = await app.Client.PostAsJsonAsync("/api/auth/token", new { userName = user.UserName, password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);

        var issued = await app.Client.PostAsJsonAsync("/api/auth/token", new { userName = user.UserName, password = user.Password });
        var tokens = await issued.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", tokens.GetProperty("tokenType").GetString());
        var refreshToken = tokens.GetProperty("refreshToken").GetString();

        var client = app.NewClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("accessToken").GetString());
        var me = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/auth/me", UriKind.Relative));
        Assert.Equal(user.UserName, me.GetProperty("userName").GetString());
        Assert.Equal(["UnitHandler"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["u7"], me.GetProperty("units").EnumerateArray().Select(r => r.GetString()));

        var refreshed = await app.Client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);

        var admin = await app.ClientForAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(new Uri($"/api/admin/users/{user.Id}/disable", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.PostAsJsonAsync("/api/auth/token", new { userName = user.UserName, password = user.Password })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(new Uri($"/api/admin/users/{user.Id}/enable", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsJsonAsync("/api/auth/token", new { userName = user.UserName, password = user.Password })).StatusCode);
    }

    [Fact]
    public async Task Browsers_without_a_cookie_are_sent_to_the_sign_in_page_but_api_calls_are_not()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "redirects");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var browser = app.NewClient(followRedirects: false);

        var dashboard = await browser.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.StartsWith("/account/login", dashboard.Headers.Location?.PathAndQuery ?? dashboard.Headers.Location?.OriginalString, StringComparison.Ordinal);

        var api = await browser.GetAsync(new Uri("/api/workflows/definitions", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/account/login", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Hangfire_dashboard_is_refused_to_non_admins_and_served_to_admins()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "dashboard");
        await using var app = await LiaisonWebApp.StartAsync(database);

        var officeUser = await app.CreateUserAsync([Roles.LiaisonOffice, Roles.Designer, Roles.Leader]);
        var office = await app.CookieClientAsync(officeUser.UserName, officeUser.Password);
        var refused = await office.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/denied", refused.Headers.Location?.OriginalString.Replace(app.Address.ToString().TrimEnd('/'), string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        var officeToken = await app.TokenClientAsync(officeUser.UserName, officeUser.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await officeToken.GetAsync(new Uri("/hangfire", UriKind.Relative))).StatusCode);

        var adminUser = await app.CreateUserAsync([Roles.Admin]);
        var admin = await app.CookieClientAsync(adminUser.UserName, adminUser.Password);
        var served = await admin.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Contains("Liaison · Hangfire", await served.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The app bar says who is signed in.
        var page = await admin.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("data-testid=\"signed-in-user\"", page, StringComparison.Ordinal);
    }
}
