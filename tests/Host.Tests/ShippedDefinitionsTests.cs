using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Host.Workflows;
using Liaison.Testing;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Tests;

/// <summary>
/// workflows-json seeds, it never overrides: what a designer published survives a restart of the Host
/// even when the shipped file changed meanwhile; a changed file nobody published over is loaded.
/// </summary>
public sealed class ShippedDefinitionsTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_designers_published_version_survives_a_restart_and_a_changed_shipped_file(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "seeds");
        var folder = Directory.CreateTempSubdirectory("liaison-seeds-").FullName;
        foreach (var file in Directory.EnumerateFiles(SourcePaths.WorkflowsJson, "*.json"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var settings = new Dictionary<string, string?> { [WorkflowStartup.DirectorySetting] = folder };
        string designerName;
        int designerVersion;
        await using (var first = await LiaisonWebApp.StartAsync(database, settings))
        {
            var designerUser = await first.CreateUserAsync([Roles.Designer]);
            designerName = designerUser.UserName;
            var designer = await first.TokenClientAsync(designerUser.UserName, designerUser.Password);
            var current = await designer.GetFromJsonAsync<JsonElement>(new Uri("/api/workflows/definitions/suggestion-handling", UriKind.Relative));
            Assert.Equal("Published", current.GetProperty("info").GetProperty("status").GetString());
            var edited = JsonNode.Parse(current.GetProperty("definition").GetRawText())!;
            edited["description"] = "设计人员修改：答复期限调整";
            var saved = await designer.PutAsJsonAsync("/api/workflows/definitions/suggestion-handling/draft", edited);
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            var published = await designer.PostAsync(new Uri("/api/workflows/definitions/suggestion-handling/publish?note=" + Uri.EscapeDataString("调整答复期限"), UriKind.Relative), null);
            var body = await published.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(published.IsSuccessStatusCode, body.ToString());
            designerVersion = body.GetProperty("version").GetInt32();
            Assert.Equal(designerName, body.GetProperty("publishedBy").GetString());
            Assert.Equal("调整答复期限", body.GetProperty("publishNote").GetString());
        }

        // Meanwhile the shipped files change: the one the designer published over, and one nobody touched.
        ChangeDescription(Path.Combine(folder, "suggestion-handling.json"), "shipped change");
        ChangeDescription(Path.Combine(folder, "hello-liaison.json"), "shipped change");

        await using (var second = await LiaisonWebApp.StartAsync(database, settings))
        {
            await using var db = WorkflowsDbContextFactory.Create(provider, database.ConnectionString);
            var handling = await db.Definitions.AsNoTracking().Where(d => d.DefinitionId == "suggestion-handling").OrderBy(d => d.Version).ToListAsync();
            var live = handling.Single(d => d.IsPublished);
            Assert.Equal(designerVersion, live.Version);
            Assert.True(live.IsLatest, "no version was added after the designer's");
            Assert.Equal(designerName, live.PublishedBy);
            Assert.Equal("设计人员修改：答复期限调整", live.Description);
            Assert.DoesNotContain(handling, d => d.Json.Contains("shipped change", StringComparison.Ordinal));

            var hello = await db.Definitions.AsNoTracking().SingleAsync(d => d.DefinitionId == "hello-liaison" && d.IsPublished);
            Assert.Equal(2, hello.Version);
            Assert.Contains("shipped change", hello.Json, StringComparison.Ordinal);
        }

        Directory.Delete(folder, recursive: true);
    }

    private static void ChangeDescription(string path, string description)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["description"] = description;
        File.WriteAllText(path, json.ToJsonString());
    }
}
