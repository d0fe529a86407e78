using Liaison.Domain.Analysis;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Liaison.Domain.Suggestions;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Demo;

/// <summary>
/// Demo data for the embedded default: a fictional city (青川市) with its handling units, deputies in
/// groups and stations, committee-member links, and suggestions in every state of the loop. The
/// suggestions are replayed through the real domain commands on a clock that starts months ago, so
/// deadlines, lights and the audit trail are what real use would have produced.
/// </summary>
public sealed partial class DemoDataSeeder(IServiceScopeFactory scopes, ReplayableClock clock, ILogger<DemoDataSeeder> logger)
{
    /// <summary>The unit and the deputy the demo users act for.</summary>
    public const string DemoUnitName = Transport;
    private const string Transport = "市交通运输局";

    public const string DemoDeputyCode = "QC-DP-0001";

    /// <summary>The leader the demo leader user is: the leading and supervising leader of the demo's key suggestions.</summary>
    public const string DemoLeaderName = "刘副市长";


    // Each topic goes to the unit a city would give it, so the assignment history the analysis learns from is realistic.
    private static readonly (string Field, string Title, string Unit)[] Topics =
    [
        ("transport", "关于优化城区公交线路的建议", Transport), ("transport", "关于推进城乡公交一体化的建议", Transport),
        ("transport", "关于增设公交港湾式停靠站的建议", Transport), ("transport", "关于加快农村公路提档升级的建议", Transport),
        ("transport", "关于整治货车超限超载的建议", Transport), ("transport", "关于增加农村客运班线班次的建议", Transport),
        ("education", "关于缓解中小学课后托管压力的建议", "市教育局"), ("education", "关于改善乡村学校教师住房条件的建议", "市教育局"),
        ("health", "关于推进社区医院家庭医生签约的建议", "市卫生健康委员会"), ("health", "关于建设区域急救中心的建议", "市卫生健康委员会"),
        ("water", "关于加快老旧小区供水管网改造的建议", "市水务局"), ("urban-construction", "关于加装既有住宅电梯的建议", "市住房和城乡建设局"),
        ("agriculture", "关于扶持高标准农田建设的建议", "市农业农村局"), ("environment", "关于治理城郊河道黑臭水体的建议", "市生态环境局"),
        ("social-security", "关于提高城乡居民基础养老金的建议", "市人力资源和社会保障局"), ("public-security", "关于增设学校周边停车接送区的建议", "市公安局"),
        ("city-management", "关于规范共享单车停放的建议", "市城市管理局"),
    ];

    /// <summary>
    /// Where each demo suggestion waits, so that every demo user has work: the office (intake, analysis,
    /// assignment, returns, extensions, publication), the demo unit's handler (sign for, co-opinion, consult,
    /// reply — some overdue — re-handle, follow up) and head (approvals), the demo deputy (replies to evaluate),
    /// the demo leader (key suggestions to review and supervise); the closed ones feed the dashboard.
    /// </summary>
    private static readonly DemoScenario[] Scenarios =
    [
        new(DemoStop.Receive, 1, "市教育局", ByDemoDeputy: true), new(DemoStop.Receive, 2, "市卫生健康委员会"), new(DemoStop.Receive, 3, Transport),
        new(DemoStop.TurnedAway, 20, "市公安局"),
        new(DemoStop.Analyse, 4, "市水务局"), new(DemoStop.Analyse, 6, Transport),
        new(DemoStop.Assign, 5, "市住房和城乡建设局"), new(DemoStop.Assign, 8, Transport, ByDemoDeputy: true),
        new(DemoStop.LeaderReview, 6, "市生态环境局", Key: true), new(DemoStop.LeaderReview, 9, Transport, Key: true),
        new(DemoStop.SignFor, 2, Transport), new(DemoStop.SignFor, 3, Transport, CoUnit: "东城区人民政府"), new(DemoStop.SignFor, 12, Transport),
        new(DemoStop.SignFor, 4, "市农业农村局"), new(DemoStop.SignFor, 5, "市城市管理局"),
        new(DemoStop.Reassign, 10, Transport), new(DemoStop.Reassign, 12, "市教育局"),
        new(DemoStop.Consult, 15, Transport, ByDemoDeputy: true), new(DemoStop.CoOpinion, 20, "市住房和城乡建设局", CoUnit: Transport),
        new(DemoStop.Reply, 110, Transport), new(DemoStop.Reply, 85, Transport, Key: true), new(DemoStop.Reply, 45, Transport),
        new(DemoStop.Reply, 120, "市人力资源和社会保障局"), new(DemoStop.Reply, 60, "市卫生健康委员会", Key: true),
        new(DemoStop.DecideExtension, 70, Transport), new(DemoStop.DecideExtension, 95, "市水务局"),
        new(DemoStop.Approve, 40, Transport, ReplyAfterDays: 30), new(DemoStop.Approve, 50, Transport, Category: ReplyCategory.B, ReplyAfterDays: 40),
        new(DemoStop.Approve, 35, "市教育局", ReplyAfterDays: 25),
        new(DemoStop.Evaluate, 40, Transport, ByDemoDeputy: true), new(DemoStop.Evaluate, 35, "市卫生健康委员会", ByDemoDeputy: true, ReplyAfterDays: 15),
        new(DemoStop.Evaluate, 30, "市城市管理局", ReplyAfterDays: 12),
        new(DemoStop.Rehandle, 60, Transport, RehandledFirst: true, ReplyAfterDays: 25),
        new(DemoStop.FollowUp, 90, Transport, Category: ReplyCategory.B, ReplyAfterDays: 30),
        new(DemoStop.Publish, 70, "市生态环境局", PublicInterest: true, ReplyAfterDays: 30),
        new(DemoStop.Closed, 130, Transport, PublicInterest: true, ReplyAfterDays: 40), new(DemoStop.Closed, 125, "市教育局", ReplyAfterDays: 100),
        new(DemoStop.Closed, 120, "市农业农村局", Evaluation: EvaluationResult.BasicallySatisfied), new(DemoStop.Closed, 115, "市水务局", Category: ReplyCategory.B, ReplyAfterDays: 30),
        new(DemoStop.Closed, 100, "市卫生健康委员会", RehandledFirst: true, ReplyAfterDays: 30),
    ];

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];
    private static readonly string[] GivenNames = ["建国", "秀英", "志强", "丽华", "海燕", "伟", "敏", "静", "磊", "洋", "艳", "军", "勇", "杰", "娟", "涛", "明", "超", "霞", "平"];

    /// <summary>Seeds once: does nothing when the database already holds handling units.</summary>
    public async Task<bool> SeedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
        if (await db.HandlingUnits.AnyAsync(cancellationToken))
        {
            await FillResponsibilitiesAsync(db, cancellationToken);
            return false;
        }

        var random = new Random(20260302);
        var units = DemoCity.Units.Select((unit, i) => new HandlingUnit
        {
            Name = unit.Name,
            Kind = unit.Kind,
            HeadName = $"{Surnames[i % Surnames.Length]}{(unit.Name.EndsWith("局", StringComparison.Ordinal) ? "局长" : unit.Kind is HandlingUnitKind.District or HandlingUnitKind.Township ? "区（县、镇）长" : "主任")}",
            Responsibilities = unit.Responsibilities,
        }).ToList();
        foreach (var (unit, spec) in units.Zip(DemoCity.Units))
        {
            unit.ParentId = spec.Parent is { } parent ? units.Single(u => u.Name == parent).Id : null;
        }

        var now = clock.GetUtcNow();
        db.DictionaryTerms.AddRange(DemoCity.PlaceNames.Select(p => new DictionaryTerm { Word = p, Kind = DictionaryTermKind.Place, AddedAt = now, AddedBy = "demo" }));
        var groups = Enumerable.Range(1, 8).Select(i => new DeputyGroup { Name = $"第{i}代表小组" }).ToList();
        var stations = Enumerable.Range(1, 6).Select(i => new Station
        {
            Name = $"{(i % 2 == 0 ? "东城" : "西城")}第{i}代表联络站",
            Kind = i == 1 ? StationKind.Home : i % 3 == 0 ? StationKind.Room : StationKind.Station,
            Address = $"青川市{(i % 2 == 0 ? "东城区" : "西城区")}人民路{i * 12}号",
            PublicCode = $"QC-ST-{i:D3}",
        }).ToList();
        var deputies = Enumerable.Range(0, 120).Select(i => new Deputy
        {
            Name = Surnames[i % Surnames.Length] + GivenNames[(i / Surnames.Length + i) % GivenNames.Length],
            Level = i < 90 ? DeputyLevel.City : DeputyLevel.County,
            Term = 16,
            DeputyGroupId = groups[i % groups.Count].Id,
            StationId = stations[i % stations.Count].Id,
            PublicCode = $"QC-DP-{i + 1:D4}",
            Contact = new ContactDetails { Phone = $"1390000{i + 1:D4}" },
        }).ToList();
        var members = Enumerable.Range(0, 10).Select(i => new CommitteeMember { Name = $"{Surnames[(i + 5) % Surnames.Length]}委员" }).ToList();
        for (var i = 0; i < members.Count; i++)
        {
            members[i].LinkedDeputies.AddRange(Enumerable.Range(i * 5, 5).Select(d => new CommitteeMemberDeputy { CommitteeMemberId = members[i].Id, DeputyId = deputies[d].Id }));
        }

        var committees = new[]
        {
            new SpecialCommittee { Name = "财政经济委员会", Fields = ["agriculture", "social-security"] },
            new SpecialCommittee { Name = "教育科学文化卫生委员会", Fields = ["education", "health"] },
            new SpecialCommittee { Name = "城乡建设环境保护委员会", Fields = ["urban-construction", "environment", "water", "transport"] },
        };
        var leaders = new[]
        {
            new Leader { Name = "陈市长", Title = "市长", Kind = LeaderKind.Government },
            new Leader { Name = "刘副市长", Title = "副市长", Kind = LeaderKind.Government },
            new Leader { Name = "周主任", Title = "常委会主任", Kind = LeaderKind.StandingCommittee },
        };
        db.AddRange(units);
        db.AddRange(groups);
        db.AddRange(stations);
        db.AddRange(deputies);
        db.AddRange(members);
        db.AddRange(committees);
        db.AddRange(leaders);
        await db.SaveChangesAsync(cancellationToken);

        var count = await SeedSuggestionsAsync(units, deputies, stations, leaders.Single(l => l.Name == DemoLeaderName), random, cancellationToken);
        LogSeeded(logger, units.Count, deputies.Count, count);
        return true;
    }

    private async Task<int> SeedSuggestionsAsync(List<HandlingUnit> units, List<Deputy> deputies, List<Station> stations, Leader leader, Random random, CancellationToken ct)
    {
        var history = new DemoHistory(scopes, clock, new DemoCast(units.ToDictionary(u => u.Name, u => u.Id, StringComparer.Ordinal), leader.Id), random);
        var demoDeputy = deputies.Single(d => d.PublicCode == DemoDeputyCode).Id;
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var scenario in Scenarios)
        {
            var topics = Topics.Where(t => t.Unit == scenario.Unit).ToList();
            var (field, title, _) = topics.Count > 0 ? topics[random.Next(topics.Count)] : Topics[random.Next(Topics.Length)];
            var count = used[title] = used.GetValueOrDefault(title) + 1;
            var lead = scenario.ByDemoDeputy ? demoDeputy : deputies[random.Next(1, deputies.Count)].Id;
            var coSigners = Enumerable.Range(0, random.Next(0, 3)).Select(_ => deputies[random.Next(deputies.Count)].Id).Where(d => d != lead).Distinct().ToList();
            var numbered = count > 1 ? $"{title}（{count}）" : title;
            await history.ReplayAsync(scenario, numbered, $"{title[2..^3]}，群众反映较多。建议有关部门深入调研，制定切实可行的措施，明确时间表和责任单位，及时向代表反馈办理进展。", field, lead, coSigners, ct);
        }

        // Citizens' opinions the demo deputy took at a station: two wait for the deputy, one was forwarded to the demo unit.
        await history.ReplayOpinionAsync(2, demoDeputy, stations[0].Id, "市民张女士", "小区门口公交站台没有遮雨棚，雨天候车很不方便，希望加装。", null, ct);
        await history.ReplayOpinionAsync(5, demoDeputy, stations[0].Id, "市民刘先生", "村里到镇上的客运班车每天只有两班，希望增加班次。", null, ct);
        await history.ReplayOpinionAsync(9, demoDeputy, stations[0].Id, "市民陈先生", "人民路与建设路交叉口红绿灯时间太短，老人过马路困难。", units.Single(u => u.Name == DemoUnitName).Id, ct);
        return Scenarios.Length;
    }

    /// <summary>A database seeded before units had responsibilities gets the demo city's texts for the units it knows by name.</summary>
    private static async Task FillResponsibilitiesAsync(LiaisonDbContext db, CancellationToken cancellationToken)
    {
        var texts = DemoCity.Units.ToDictionary(u => u.Name, u => u.Responsibilities, StringComparer.Ordinal);
        foreach (var unit in await db.HandlingUnits.Where(u => u.Responsibilities == null).ToListAsync(cancellationToken))
        {
            unit.Responsibilities = texts.GetValueOrDefault(unit.Name);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data created: {Units} handling units, {Deputies} deputies, {Suggestions} suggestions")]
    private static partial void LogSeeded(ILogger logger, int units, int deputies, int suggestions);
}
