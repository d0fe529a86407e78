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
public sealed partial class DemoDataSeeder(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DemoDataSeeder> logger)
{
    /// <summary>The unit and the deputy the demo users act for.</summary>
    public const string DemoUnitName = "市交通运输局";
    public const string DemoDeputyCode = "QC-DP-0001";

    private static readonly Actor Office = new("demo-office", "代表工委 · 演示");
    private static readonly Actor Handler = new("demo-handler", "承办单位经办人 · 演示");

    // Each topic goes to the unit a city would give it, so the assignment history the analysis learns from is realistic.
    private static readonly (string Field, string Title, string Unit)[] Topics =
    [
        ("transport", "关于优化城区公交线路的建议", "市交通运输局"), ("education", "关于缓解中小学课后托管压力的建议", "市教育局"),
        ("health", "关于推进社区医院家庭医生签约的建议", "市卫生健康委员会"), ("water", "关于加快老旧小区供水管网改造的建议", "市水务局"),
        ("urban-construction", "关于加装既有住宅电梯的建议", "市住房和城乡建设局"), ("agriculture", "关于扶持高标准农田建设的建议", "市农业农村局"),
        ("environment", "关于治理城郊河道黑臭水体的建议", "市生态环境局"), ("social-security", "关于提高城乡居民基础养老金的建议", "市人力资源和社会保障局"),
        ("transport", "关于增设学校周边停车接送区的建议", "市公安局"), ("education", "关于改善乡村学校教师住房条件的建议", "市教育局"),
        ("health", "关于建设区域急救中心的建议", "市卫生健康委员会"), ("city-management", "关于规范共享单车停放的建议", "市城市管理局"),
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

        var count = await SeedSuggestionsAsync(scope.ServiceProvider, units, deputies, leaders, random, cancellationToken);
        LogSeeded(logger, units.Count, deputies.Count, count);
        return true;
    }

    private async Task<int> SeedSuggestionsAsync(IServiceProvider services, List<HandlingUnit> units, List<Deputy> deputies, Leader[] leaders, Random random, CancellationToken ct)
    {
        // Each suggestion's history starts four months ago, a day apart, and stops at a different step.
        var stages = new[] { 0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 6, 6, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 10, 10, 11, 11, 11, 4, 8, 9, 3, 7 };
        var now = clock.GetUtcNow();
        for (var i = 0; i < stages.Length; i++)
        {
            var history = new ReplayClock(now.AddDays(-130 + i));
            var (field, title, unit) = Topics[i % Topics.Length];
            var lead = deputies[random.Next(deputies.Count)];
            var coSigners = Enumerable.Range(0, random.Next(0, 3)).Select(_ => deputies[random.Next(deputies.Count)].Id).Where(d => d != lead.Id).Distinct().ToList();
            await ReplayAsync(services, history, now, stages[i], title + (i >= Topics.Length ? $"（{i / Topics.Length + 1}）" : string.Empty), field, units.Single(u => u.Name == unit), lead.Id, coSigners, units, leaders, random, ct);
        }

        return stages.Length;
    }

    private static async Task ReplayAsync(
        IServiceProvider services, ReplayClock history, DateTimeOffset now, int stage, string title, string field, HandlingUnit leadUnit, Guid lead, List<Guid> coSigners,
        List<HandlingUnit> units, Leader[] leaders, Random random, CancellationToken ct)
    {
        async Task<T> Send<T>(Mediator.ICommand<T> command)
        {
            await using var scope = services.CreateAsyncScope();
            var result = await DirectDispatch.SendAsync(scope.ServiceProvider.GetRequiredService<LiaisonDbContext>(), history, command, ct);
            history.Advance(TimeSpan.FromHours(random.Next(2, 30)), now);
            return result;
        }

        var id = await Send(new SubmitSuggestion(16, history.GetUtcNow().Year, title, $"{title}。具体内容：群众反映较多，建议有关部门研究解决。", stage % 2 == 0 ? SuggestionSource.CongressSession : SuggestionSource.BetweenSessions, lead, coSigners, Office));
        if (stage == 0)
        {
            return;
        }

        if (stage == 1)
        {
            await Send(new ReceiveSuggestion(id, false, AdmissibilityReason.PersonalOrRelativesMatter, "属于个人诉求，已转有关部门", Office));
            return;
        }

        await Send(new ReceiveSuggestion(id, true, null, null, Office));
        var isKey = random.Next(5) == 0;
        await Send(new ClassifySuggestion(id, field, isKey, isKey ? leaders[1].Id : null, isKey ? leaders[2].Id : null, Office));
        if (stage == 2)
        {
            return;
        }

        // Districts co-handle what happens on their ground, as they usually do.
        var district = random.Next(2) == 0 ? "东城区人民政府" : "西城区人民政府";
        var coUnit = units.First(u => u.Name == district);
        var withCo = stage is 4 or 8 && coUnit.Id != leadUnit.Id;
        var tasks = await Send(new AssignSuggestion(id, withCo ? AssignmentMode.LeadWithCoHandling : AssignmentMode.Single, withCo ? [leadUnit.Id, coUnit.Id] : [leadUnit.Id], Office));
        if (stage == 3)
        {
            return;
        }

        if (stage == 5)
        {
            await Send(new ReturnTask(tasks[0], "不属于本单位职责范围，建议改由其他单位办理", Handler));
            return;
        }

        await Send(new SignForTask(tasks[0], Handler));
        if (withCo)
        {
            await Send(new SignForTask(tasks[1], Handler));
            await Send(new SendCoOpinion(tasks[1], "同意主办单位意见，将配合做好相关工作", Handler));
        }

        history.Advance(TimeSpan.FromDays(random.Next(5, 20)), now);
        await Send(new RecordConsultation(tasks[0], history.GetUtcNow(), ConsultationMethod.Visit, ConsultationStage.Before, "代表、承办单位分管负责人", "实地查看并听取意见", Handler));
        if (stage == 4)
        {
            return;
        }

        if (stage == 6)
        {
            var extension = await Send(new RequestExtension(tasks[0], DateOnly.FromDateTime(history.GetUtcNow().AddDays(120).Date), "涉及多部门协调，需要延期办理", "已电话向代表说明情况", Handler));
            if (random.Next(2) == 0)
            {
                await Send(new DecideExtension(extension, true, "同意延期", Office));
            }

            return;
        }

        history.Advance(TimeSpan.FromDays(random.Next(10, 40)), now);
        var category = stage == 11 ? ReplyCategory.B : random.Next(4) == 0 ? ReplyCategory.C : ReplyCategory.A;
        var reply = await Send(new SubmitReply(tasks[0], category, "经研究，我单位已制定工作方案并推进落实，具体情况答复如下……", stage is 9, Handler));
        if (stage == 7)
        {
            return;
        }

        await Send(new ApproveReply(reply, new Actor("demo-head", "承办单位负责人 · 演示")));
        await Send(new SendReply(reply, Handler));
        if (stage is 8 or 11)
        {
            return;
        }

        var result = stage == 10 ? EvaluationResult.Dissatisfied : random.Next(3) == 0 ? EvaluationResult.BasicallySatisfied : EvaluationResult.Satisfied;
        await Send(new EvaluateReply(reply, lead, result, result == EvaluationResult.Dissatisfied ? "措施不够具体" : "满意", Office));
        if (stage == 10)
        {
            await Send(new RehandleTask(tasks[0], "代表不满意，重新办理", Office));
            return;
        }

        foreach (var deputy in coSigners)
        {
            await Send(new EvaluateReply(reply, deputy, EvaluationResult.Satisfied, null, Office));
        }

        await Send(new PublishReply(reply, Office));
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

    /// <summary>A clock that replays history: it starts in the past and never passes the real now.</summary>
    private sealed class ReplayClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by, DateTimeOffset limit) => _now = _now + by < limit ? _now + by : limit;
    }
}
