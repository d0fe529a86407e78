using Liaison.Domain.Analysis;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Opinions;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Liaison.Domain.Tests.Analysis;

public sealed class AnalysisTests
{
    private const string FuneralText = "城区公益性公墓不足，殡仪服务收费偏高，建议加快公益性公墓建设，规范殡葬服务收费，推进殡葬改革。";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_new_unit_with_a_responsibilities_text_is_proposed_for_matching_items_at_once(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "analysis-new-unit");
        var before = await s.Ask(new AnalyseText("关于加快公益性公墓建设的建议", FuneralText));
        Assert.DoesNotContain(before.Units, u => u.Name == "市民政局");

        Guid civil;
        await using (var db = s.Database.CreateContext())
        {
            var unit = new HandlingUnit
            {
                Name = "市民政局",
                HeadName = "局长",
                Responsibilities = "负责社会救助和最低生活保障；负责养老服务体系建设；负责婚姻登记、殡葬管理和公益性公墓建设，推进殡葬改革；负责社会组织登记管理。",
            };
            db.HandlingUnits.Add(unit);
            await db.SaveChangesAsync();
            civil = unit.Id;
        }

        var after = await s.Ask(new AnalyseText("关于加快公益性公墓建设的建议", FuneralText));
        var first = after.Units[0];
        Assert.Equal(civil, first.UnitId);
        Assert.Contains(first.Words, w => w.Contains("公墓", StringComparison.Ordinal) || w.Contains("殡葬", StringComparison.Ordinal));
        Assert.Contains("关键词", first.Reason, StringComparison.Ordinal);

        // Giving an existing unit a text does the same, through the admin command.
        var bus = "负责城市公共交通管理，优化公交线路、公交站台和公交场站布局；负责出租车、网约车行业管理；负责农村公路建设养护。";
        var question = new AnalyseText("关于增设公交站台的建议", "新建小区周边没有公交站台，建议优化公交线路，增设站台。");
        Assert.NotEqual(s.Unit, (await s.Ask(question)).Units.FirstOrDefault()?.UnitId);
        await s.Send(new SetUnitResponsibilities(s.Unit, bus, Scenario.Office));
        Assert.Equal(s.Unit, (await s.Ask(question)).Units[0].UnitId);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_changed_assignment_history_changes_the_proposals(DatabaseProvider provider)
    {
        // Neither unit has a responsibilities text: what they are proposed for comes from history alone.
        await using var s = await Scenario.CreateAsync(provider, "analysis-history");
        var tasks = new List<Guid>();
        foreach (var (title, text) in new[]
        {
            ("关于整治餐饮油烟扰民的建议", "居民楼下餐饮店油烟直排，影响住户生活，建议安装油烟净化设施。"),
            ("关于治理烧烤摊油烟污染的建议", "夜市烧烤摊油烟弥漫，建议加强餐饮油烟治理。"),
            ("关于餐饮油烟在线监测的建议", "建议对大型餐饮单位安装油烟在线监测设备。"),
        })
        {
            var id = await s.Send(new SubmitSuggestion(16, 2026, title, text, SuggestionSource.CongressSession, s.LeadDeputy, [], Scenario.Office));
            await s.Send(new ReceiveSuggestion(id, true, null, null, Scenario.Office));
            tasks.Add((await s.Send(new AssignSuggestion(id, AssignmentMode.Single, [s.Unit], Scenario.Office))).Single());
        }

        var question = new AnalyseText("关于解决小区餐饮油烟问题的建议", "小区底商餐饮油烟扰民，建议治理。");
        var first = (await s.Ask(question)).Units[0];
        Assert.Equal(s.Unit, first.UnitId);
        Assert.NotEmpty(first.PastItems);
        Assert.Contains("往例", first.Reason, StringComparison.Ordinal);

        // The unit returns them all and the office reassigns them: the history, and so the proposal, moves.
        s.Clock.Advance(TimeSpan.FromDays(1));
        foreach (var task in tasks)
        {
            await s.Send(new ReturnTask(task, "不属于本单位职责", Scenario.Handler));
            await s.Send(new ReassignTask(task, s.OtherUnit, Scenario.Office));
        }

        var moved = await s.Ask(question);
        Assert.Equal(s.OtherUnit, moved.Units[0].UnitId);
        Assert.DoesNotContain(moved.Units, u => u.UnitId == s.Unit);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Near_duplicates_are_found_across_suggestions_and_public_opinions(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "analysis-duplicates");
        const string text = "城东新建小区入住率已过半，但周边公交线路少、发车间隔长，居民早晚高峰出行困难，建议增开或调整公交线路，延长末班车时间。";
        var original = await s.Send(new SubmitSuggestion(16, 2026, "关于优化城东公交线路的建议", text, SuggestionSource.CongressSession, s.LeadDeputy, [], Scenario.Office));
        var unrelated = await s.Send(new SubmitSuggestion(16, 2026, "关于加快普惠性幼儿园建设的建议", "公办幼儿园入园难、民办幼儿园收费贵，建议加大普惠性幼儿园建设力度。", SuggestionSource.CongressSession, s.CoSigner, [], Scenario.Office));
        var opinion = await s.Send(new RecordPublicOpinion("市民", null, OpinionChannel.DeputyCode, null, s.LeadDeputy, "城东新建小区周边公交线路少、发车间隔长，居民出行困难，希望增开公交线路。", Scenario.Office));

        // The same text submitted again by another deputy, with a few words changed.
        var again = await s.Send(new SubmitSuggestion(16, 2026, "关于进一步优化城东公交线路的建议", "据群众反映，" + text.Replace("建议", "恳请", StringComparison.Ordinal), SuggestionSource.BetweenSessions, s.CoSigner, [], Scenario.Office));

        var analysis = await s.Ask(new GetSuggestionAnalysis(again));
        var best = analysis.Analysis.Similar[0];
        Assert.Equal(original, best.Id);
        Assert.True(best.NearDuplicate, $"score {best.Score}");
        Assert.True(best.Score >= AnalysisIndex.NearDuplicateThreshold);
        Assert.DoesNotContain(analysis.Analysis.Similar, x => x.Id == again);
        Assert.DoesNotContain(analysis.Analysis.Similar, x => x.Id == unrelated);
        var fromOpinion = Assert.Single(analysis.Analysis.Similar, x => x.Id == opinion);
        Assert.Equal(SimilarItemKind.Opinion, fromOpinion.Kind);
        Assert.False(fromOpinion.NearDuplicate, "the same subject in other words is similar, not a duplicate");
        Assert.InRange(fromOpinion.Score, AnalysisIndex.MinimumSimilarity, AnalysisIndex.NearDuplicateThreshold);

        await Scenario.Refused(ErrorCodes.NotFound, () => s.Ask(new GetSuggestionAnalysis(Guid.NewGuid())));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_offices_decision_is_stored_with_the_proposals_for_the_accuracy_kpi(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "analysis-decision");
        await s.Send(new SetUnitResponsibilities(s.Unit, "负责城市公共交通管理，优化公交线路和公交站台；负责出租车和网约车管理。", Scenario.Office));
        await s.Send(new SetUnitResponsibilities(s.OtherUnit, "负责义务教育和学前教育，负责学校布局和招生入学，负责教师队伍建设。", Scenario.Office));
        var bus = await s.Send(new SubmitSuggestion(16, 2026, "关于增开公交线路的建议", "新城区公交线路少，建议增开公交线路。", SuggestionSource.CongressSession, s.LeadDeputy, [], Scenario.Office));
        var school = await s.Send(new SubmitSuggestion(16, 2026, "关于增加学位供给的建议", "新城区小学学位紧张，建议新建学校。", SuggestionSource.CongressSession, s.LeadDeputy, [], Scenario.Office));

        var kept = await s.Send(new RecordAnalysisDecision(bus, [s.Unit], "交通运输", Scenario.Office));
        Assert.True(kept.FirstProposalKept);
        Assert.True(kept.ChosenInTopThree);
        Assert.Equal("transport", kept.ChosenField);
        Assert.Equal(s.Unit, kept.ProposedUnitIds[0]);

        // The office overrules the analysis for the school item: the first proposal was not kept.
        var overruled = await s.Send(new RecordAnalysisDecision(school, [s.Unit], "education", Scenario.Office));
        Assert.False(overruled.FirstProposalKept);
        Assert.Equal(s.OtherUnit, overruled.ProposedUnitIds[0]);

        var accuracy = await s.Ask(new GetAnalysisAccuracy(s.Clock.GetUtcNow().AddDays(-1), s.Clock.GetUtcNow().AddDays(1)));
        Assert.Equal((2, 1, 0.5), (accuracy.Decisions, accuracy.FirstProposalKept, accuracy.FirstProposalRate!.Value));

        // Deciding again keeps the first proposals and updates the choice; bad input changes nothing.
        var again = await s.Send(new RecordAnalysisDecision(school, [s.OtherUnit, s.Unit], null, Scenario.Office));
        Assert.True(again.FirstProposalKept);
        Assert.Equal(overruled.ProposedUnitIds, again.ProposedUnitIds);
        await Scenario.Refused(ErrorCodes.ValidationFailed, () => s.Send(new RecordAnalysisDecision(school, [], null, Scenario.Office)));
        await Scenario.Refused(ErrorCodes.ValidationFailed, () => s.Send(new RecordAnalysisDecision(school, [s.Unit], "no-such-field", Scenario.Office)));
        await Scenario.Refused(ErrorCodes.NotFound, () => s.Send(new RecordAnalysisDecision(school, [Guid.NewGuid()], null, Scenario.Office)));
        await using var db = s.Database.CreateContext();
        Assert.Equal(2, await db.AnalysisDecisions.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_field_is_chosen_from_the_taxonomy_that_administrators_edit(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "analysis-taxonomy");
        var fields = await s.Ask(new ListFieldCategories());
        Assert.Contains(fields, f => f.Code == "transport" && f.Name == "交通运输");
        Assert.True(fields.Count >= 20);

        var id = await s.SubmitAsync();
        await s.Send(new ReceiveSuggestion(id, true, null, null, Scenario.Office));
        await Scenario.Refused(ErrorCodes.ValidationFailed, () => s.Send(new ClassifySuggestion(id, "traffic jams", false, null, null, Scenario.Office)));
        await s.Send(new ClassifySuggestion(id, "交通运输", false, null, null, Scenario.Office));
        await using (var db = s.Database.CreateContext())
        {
            Assert.Equal("transport", (await db.Suggestions.SingleAsync(x => x.Id == id)).Field);
        }

        // A new field is usable at once; a retired one is no longer chosen.
        await s.Send(new SaveFieldCategory("veterans", "退役军人事务", "Veterans affairs", "退役军人 优抚 安置 双拥", 250, true, Scenario.Office));
        await s.Send(new ClassifySuggestion(id, "veterans", false, null, null, Scenario.Office));
        Assert.Equal("veterans", (await s.Ask(new AnalyseText("关于做好退役军人安置和优抚工作的建议", "退役军人安置就业难，建议落实优抚政策。"))).Field?.Code);
        await s.Send(new SaveFieldCategory("veterans", "退役军人事务", null, null, 250, false, Scenario.Office));
        await Scenario.Refused(ErrorCodes.ValidationFailed, () => s.Send(new ClassifySuggestion(id, "veterans", false, null, null, Scenario.Office)));
        await Scenario.Refused(ErrorCodes.ValidationFailed, () => s.Send(new SaveFieldCategory("Bad Code", "x", null, null, 0, true, Scenario.Office)));

        // The user dictionary: a place name is kept whole once the analysis has read the dictionary.
        Assert.Equal(2, await s.Send(new AddDictionaryTerms(["柳溪街道", "麒麟湾"], DictionaryTermKind.Place, Scenario.Office)));
        Assert.Equal(0, await s.Send(new AddDictionaryTerms(["麒麟湾"], DictionaryTermKind.Place, Scenario.Office)));
        await Scenario.Refused(ErrorCodes.ValidationFailed, () => s.Send(new AddDictionaryTerms(["有 空格"], DictionaryTermKind.Term, Scenario.Office)));
        Assert.Equal(2, (await s.Ask(new ListDictionaryTerms(DictionaryTermKind.Place))).Count);
        await s.Ask(new AnalyseText("关于修复麒麟湾道路的建议", null));
        Assert.Contains("麒麟湾", ChineseTokenizer.Shared.Words("麒麟湾小区门口的道路破损", new HashSet<string>()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_migration_maps_free_text_fields_onto_the_taxonomy(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "analysis-migration");
        await using var db = database.CreateContext();
        var migrator = db.GetService<IMigrator>();
        var analysis = db.Database.GetMigrations().Single(m => m.EndsWith("_Analysis", StringComparison.Ordinal));
        var previous = db.Database.GetMigrations().TakeWhile(m => m != analysis).Last();
        await migrator.MigrateAsync(previous);

        // Suggestions classified before the taxonomy existed, with a known name, a code and a free-text value.
        var deputy = Guid.CreateVersion7();
        await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO deputies (id, name, level, term) VALUES ({deputy}, {"王代表"}, {"City"}, {16})");
        var ids = new[] { Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7() };
        foreach (var (id, field) in ids.Zip(new[] { "交通", "education", "老干部工作" }))
        {
            var at = provider == DatabaseProvider.Sqlite ? (object)DateTimeOffset.UtcNow.UtcTicks : DateTimeOffset.UtcNow;
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO suggestions (id, term, year, title, text, field, source, lead_deputy_id, status, submitted_at, is_key) VALUES ({0}, 16, 2026, {1}, {2}, {3}, 'CongressSession', {4}, 'Admitted', {5}, FALSE)",
                id, "关于" + field + "的建议", "正文", field, deputy, at);
        }

        await migrator.MigrateAsync();
        var fields = await db.Suggestions.AsNoTracking().ToDictionaryAsync(x => x.Id, x => x.Field);
        Assert.Equal(["transport", "education", "老干部工作"], ids.Select(id => fields[id]));
        Assert.Contains(await db.FieldCategories.AsNoTracking().Select(f => f.Code).ToListAsync(), c => c == "老干部工作");
    }
}
