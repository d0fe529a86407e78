using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Cli;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

public sealed class AnalysisApiTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_office_analyses_and_admins_edit_the_taxonomy_the_dictionary_and_responsibilities(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "analysis-api");
        await using var app = await LiaisonWebApp.StartAsync(database);
        Guid transport;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            var unit = new HandlingUnit { Name = "市交通运输局", HeadName = "局长" };
            db.HandlingUnits.AddRange(unit, new HandlingUnit { Name = "市教育局", HeadName = "局长", Responsibilities = "负责义务教育、学前教育和学校招生入学。" });
            await db.SaveChangesAsync();
            transport = unit.Id;
        }

        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var admin = await app.ClientForAsync(Roles.Admin);
        var handler = await app.ClientForAsync(Roles.UnitHandler, transport.ToString());
        var question = new { title = "关于增开公交线路的建议", text = "新城区公交线路少，建议增开公交线路，增设公交站台。" };

        // The unit has no responsibilities yet; once an admin sets them it is proposed first.
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PutAsJsonAsync($"/api/admin/units/{transport}/responsibilities", new { responsibilities = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/admin/units/{transport}/responsibilities", new { responsibilities = "负责城市公共交通管理，优化公交线路和公交站台布局；负责出租车、网约车管理。" })).StatusCode);
        var analysis = await Read(await office.PostAsJsonAsync("/api/analysis/analyse", question), HttpStatusCode.OK);
        var first = analysis.GetProperty("units")[0];
        Assert.Equal("市交通运输局", first.GetProperty("name").GetString());
        Assert.Contains("公交", first.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("transport", analysis.GetProperty("field").GetProperty("code").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await handler.PostAsJsonAsync("/api/analysis/analyse", question)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.PostAsJsonAsync("/api/analysis/analyse", question)).StatusCode);
        var bad = await Read(await office.PostAsJsonAsync("/api/analysis/analyse", new { title = " ", text = "" }), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("title", out _), bad.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/suggestions/{Guid.NewGuid()}/analysis")).StatusCode);

        // The taxonomy: everyone signed in reads it, only admins change it; a bad code changes nothing.
        var fields = await Read(await handler.GetAsync("/api/analysis/fields"), HttpStatusCode.OK);
        Assert.Contains(fields.EnumerateArray(), f => f.GetProperty("code").GetString() == "water");
        var field = new { name = "退役军人事务", englishName = "Veterans affairs", keywords = "退役军人 优抚 安置", sortOrder = 250, active = true };
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PutAsJsonAsync("/api/analysis/fields/veterans", field)).StatusCode);
        await Read(await admin.PutAsJsonAsync("/api/analysis/fields/veterans", field), HttpStatusCode.OK);
        await Read(await admin.PutAsJsonAsync("/api/analysis/fields/Not%20A%20Code", field), HttpStatusCode.BadRequest);
        var after = await Read(await handler.GetAsync("/api/analysis/fields"), HttpStatusCode.OK);
        Assert.Equal(fields.GetArrayLength() + 1, after.GetArrayLength());

        // The dictionary.
        var added = await Read(await admin.PostAsJsonAsync("/api/analysis/dictionary", new { words = new[] { "麒麟湾", "清河镇" }, kind = "Place" }), HttpStatusCode.OK);
        Assert.Equal(2, added.GetProperty("added").GetInt32());
        await Read(await admin.PostAsJsonAsync("/api/analysis/dictionary", new { words = Array.Empty<string>(), kind = "Place" }), HttpStatusCode.BadRequest);
        var terms = await Read(await admin.GetAsync("/api/analysis/dictionary?kind=Place"), HttpStatusCode.OK);
        Assert.Equal(2, terms.GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await office.GetAsync("/api/analysis/dictionary")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/analysis/dictionary/{terms[0].GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(1, (await Read(await admin.GetAsync("/api/analysis/dictionary"), HttpStatusCode.OK)).GetArrayLength());

        var accuracy = await Read(await office.GetAsync("/api/analysis/accuracy"), HttpStatusCode.OK);
        Assert.Equal(0, accuracy.GetProperty("decisions").GetInt32());
    }

    [Fact]
    public async Task The_analyse_verb_prints_units_then_field_and_similar_items_and_answers_json_lines_on_the_demo_city()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "analysis-cli");
        string[] settings = [.. database.HostSettings().Select(s => $"--{s.Key}={s.Value}"), "--Liaison:Demo:Enabled=true"];
        var input = Path.Combine(database.Folder!, "input.jsonl");
        await File.WriteAllLinesAsync(input,
        [
            """{"title":"关于增开城东公交线路的建议","summary":"城东新区公交班次少，居民出行难，建议增开公交线路。"}""",
            "not json",
            """{"title":"关于规范殡葬服务收费的建议","summary":"殡仪服务收费高，公益性公墓不足，建议规范殡葬收费。"}""",
        ]);
        var (output, error) = (new StringWriter(), new StringWriter());
        Assert.Equal(1, await AnalyseCommand.RunJsonLinesAsync(input, settings, output, error));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal("市交通运输局", lines[0].GetProperty("units")[0].GetString());
        Assert.Equal("transport", lines[0].GetProperty("field").GetString());
        Assert.Contains(lines[0].GetProperty("similar").EnumerateArray(), s => s.GetProperty("title").GetString()!.Contains("公交线路", StringComparison.Ordinal));
        Assert.True(lines[1].TryGetProperty("error", out _));
        Assert.Equal("市民政局", lines[2].GetProperty("units")[0].GetString());
        Assert.Contains("input.jsonl:2", error.ToString(), StringComparison.Ordinal);

        var text = new StringWriter();
        Assert.Equal(0, await AnalyseCommand.RunTextAsync("关于加快老旧小区加装电梯的建议。老旧小区老人上下楼难，建议简化加装电梯审批，提高补贴。", settings, text, new StringWriter()));
        var printed = text.ToString().Split('\n');
        Assert.StartsWith("市住房和城乡建设局\t", printed[0], StringComparison.Ordinal);
        Assert.Contains(printed, l => l.StartsWith("领域 field: 住房和城乡建设", StringComparison.Ordinal));
        Assert.Contains(printed, l => l.StartsWith("相似件 similar:", StringComparison.Ordinal) && l.Contains("电梯", StringComparison.Ordinal));
        Assert.Equal(2, await AnalyseCommand.RunJsonLinesAsync(Path.Combine(database.Folder!, "missing.jsonl"), settings, new StringWriter(), new StringWriter()));
    }

    [Fact]
    public async Task The_evaluation_harness_meets_its_goals_on_the_held_out_part()
    {
        var result = AnalysisEvaluation.Evaluate(AnalysisEvaluation.Read(Path.Combine(SourcePaths.Repository, AnalysisEvaluation.DefaultFile)));
        Assert.True(result.HeldOut >= 90 && result.Train + result.HeldOut >= 300, $"{result.Train} + {result.HeldOut}");
        Assert.True(result.Top3Rate >= 0.9, $"top-3 {result.Top3Rate:P1}");
        Assert.True(result.Top1Rate >= 0.75, $"top-1 {result.Top1Rate:P1}");
        Assert.True(result.Precision >= 0.9 && result.Recall >= 0.9, $"duplicates: precision {result.Precision:P1}, recall {result.Recall:P1}");

        var output = new StringWriter();
        Assert.Equal(0, await AnalyseCommand.RunEvaluationAsync(Path.Combine(SourcePaths.Repository, AnalysisEvaluation.DefaultFile), false, output, new StringWriter()));
        Assert.Contains("unit top-3 accuracy (held out)", output.ToString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> Read(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
