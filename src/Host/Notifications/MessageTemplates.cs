using Liaison.Domain.Common;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Notifications;

public sealed record MessageTemplate(string Key, string Subject, string Body, bool Customised, DateTimeOffset? UpdatedAt, string? UpdatedBy);

public sealed class MessageTemplateException(IReadOnlyList<string> problems)
    : Exception("the message template is not valid: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>The problems by field ("subject", "body"), for problem details' <c>errors</c>.</summary>
    public IReadOnlyDictionary<string, string[]> Errors =>
        Problems.Select(p => p.Split(": ", 2)).GroupBy(p => p[0], p => p.Length > 1 ? p[1] : p[0]).ToDictionary(g => g.Key, g => g.ToArray());
}

/// <summary>
/// The texts of reminders, escalations and surveys: Liquid templates in Chinese, shipped as defaults and
/// editable as data (a row overrides its default; deleting the row restores it). A step may have its own
/// text under "kind:step" (e.g. the evaluation request), else the kind's text is used. The engine reaches
/// them through <see cref="IMessageRenderer"/>; only an administrator's edit writes a row, so a start or an
/// upgrade never overwrites an edited text.
/// </summary>
public sealed class MessageTemplates(MessagingDbContext db, TimeProvider clock) : IMessageRenderer
{
    public static IReadOnlyDictionary<string, (string Subject, string Body)> Defaults { get; } = new Dictionary<string, (string, string)>
    {
        [DueItemKinds.TaskAssigned] = (
            "【新任务】{{ task.title }}",
            "您有一项新任务：{{ task.title }}{% if subject.title %}（{{ subject.number }} {{ subject.title }}）{% endif %}。{% if task.due %}请于 {{ task.due }} 前办理。{% endif %}\n{{ site }}/tasks/{{ task.id }}"),
        [DueItemKinds.TaskReminder] = (
            "【办理提醒】{{ task.title }} 将于 {{ task.due }} 到期",
            "{{ task.title }}{% if subject.title %}（{{ subject.number }} {{ subject.title }}）{% endif %}将于 {{ task.due }} 到期，还有 {{ task.daysLeft }} 天，请抓紧办理。\n{{ site }}/tasks/{{ task.id }}"),
        [DueItemKinds.TaskOverdue] = (
            "【逾期·红灯】{{ task.title }}",
            "{{ task.title }}{% if subject.title %}（{{ subject.number }} {{ subject.title }}）{% endif %}已于 {{ task.due }} 到期仍未办结，已亮红灯并报{{ escalatedTo }}。请尽快办理。\n{{ site }}/tasks/{{ task.id }}"),
        [DueItemKinds.TaskAssigned + ":Suggestions.RequestEvaluation"] = (
            "【征询意见表】请评价《{{ subject.title }}》的办理答复",
            "尊敬的代表：您领衔（或附议）的建议《{{ subject.title }}》（{{ subject.number }}）已收到承办单位的答复。请于 {{ task.due }} 前填写征询意见表（满意、基本满意或不满意）：\n{{ site }}/survey/{{ task.data.replyId }}"),
        [DueItemKinds.TaskReminder + ":Suggestions.RequestEvaluation"] = (
            "【评价提醒】《{{ subject.title }}》的答复尚待您评价",
            "尊敬的代表：建议《{{ subject.title }}》（{{ subject.number }}）的答复尚未评价，评价将于 {{ task.due }} 截止，逾期视为“未评价”。\n{{ site }}/survey/{{ task.data.replyId }}"),
        [DueItemKinds.TaskAssigned + ":Suggestions.DecideExtension"] = (
            "【延期申请】{{ subject.number }} 待审批",
            "承办单位申请延期办理《{{ subject.title }}》（{{ subject.number }}），请于 {{ task.due }} 前审批。\n{{ site }}/tasks/{{ task.id }}"),
        [DueItemKinds.TaskAssigned + ":Opinions.CallBack"] = (
            "【回访】请回访群众意见办理情况",
            "群众意见已办结，请于 {{ task.due }} 前电话回访，记录群众是否满意。\n{{ site }}/tasks/{{ task.id }}"),
        [DueItemKinds.OverdueDigest] = (
            "【逾期督办】{{ date }}：{{ count }} 项建议逾期未办复",
            "截至 {{ date }}，共有 {{ count }} 项办理任务逾期未办复：\n{% for item in items %}{{ forloop.index }}. {{ item.number }} {{ item.title }} — {{ item.unit }}，{{ item.due }} 到期，已逾期 {{ item.workingDaysOverdue }} 个工作日{% if item.isKey %}（重点建议）{% endif %}\n{% endfor %}{{ site }}/reports/overdue"),
        [DueItemKinds.WeeklySummary] = (
            "【每周办理情况】{{ week }}",
            "{{ year }} 年以来：交办 {{ kpis.assigned }} 项，已办复 {{ kpis.replied }} 项，按时办复率 {{ kpis.onTimeRate }}，面商率 {{ kpis.consultationRate }}，代表满意率 {{ kpis.satisfactionRate }}（未评价 {{ kpis.notEvaluated }} 件不计入满意）。\n当前逾期 {{ overdue }} 项，本周新交办 {{ assignedThisWeek }} 项。\n{{ site }}/reports"),
    };

    public async Task<IReadOnlyList<MessageTemplate>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await db.MessageTemplates.AsNoTracking().ToDictionaryAsync(t => t.Key, cancellationToken);
        return Defaults.Keys.Order(StringComparer.Ordinal).Select(key => rows.TryGetValue(key, out var row)
            ? new MessageTemplate(key, row.Subject, row.Body, true, row.UpdatedAt, row.UpdatedBy)
            : new MessageTemplate(key, Defaults[key].Subject, Defaults[key].Body, false, null, null)).ToList();
    }

    public async Task<MessageTemplate?> GetAsync(string key, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(t => t.Key == key);

    /// <summary>Saves an administrator's text after checking both parts parse; a bad template changes nothing.</summary>
    public async Task<MessageTemplate> SaveAsync(string key, string subject, string body, string? by, CancellationToken cancellationToken)
    {
        if (!Defaults.ContainsKey(key))
        {
            throw new KeyNotFoundException($"there is no message template '{key}'");
        }

        var problems = new List<string>();
        Check("subject", subject, 400);
        Check("body", body, 20_000);
        if (problems.Count > 0)
        {
            throw new MessageTemplateException(problems);
        }

        var row = await db.MessageTemplates.FirstOrDefaultAsync(t => t.Key == key, cancellationToken);
        if (row is null)
        {
            row = new MessageTemplateRecord { Key = key, Subject = subject, Body = body };
            db.MessageTemplates.Add(row);
        }

        row.Subject = subject;
        row.Body = body;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedBy = by;
        await db.SaveChangesAsync(cancellationToken);
        return new MessageTemplate(key, subject, body, true, row.UpdatedAt, by);

        void Check(string part, string text, int max)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                problems.Add($"{part}: must not be empty");
            }
            else if (text.Length > max)
            {
                problems.Add($"{part}: at most {max} characters");
            }
            else if (new Validator().CleanText(part, text).Errors.Count > 0)
            {
                problems.Add($"{part}: contains control characters");
            }
            else if (LiquidRenderer.CheckSyntax(text) is { } error)
            {
                problems.Add($"{part}: {error}");
            }
        }
    }

    /// <summary>Drops an override; the shipped default applies again. False when there was none.</summary>
    public async Task<bool> ResetAsync(string key, CancellationToken cancellationToken) =>
        await db.MessageTemplates.Where(t => t.Key == key).ExecuteDeleteAsync(cancellationToken) > 0;

    /// <summary>The subject and body for <paramref name="kind"/> (and <paramref name="step"/>, when it has its own text), rendered.</summary>
    public async Task<(string Subject, string Body)> RenderAsync(string kind, string? step, IReadOnlyDictionary<string, object?> model, CancellationToken cancellationToken)
    {
        var key = step is not null && Defaults.ContainsKey($"{kind}:{step}") ? $"{kind}:{step}" : kind;
        var row = await db.MessageTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, cancellationToken);
        var (subject, body) = row is null ? Defaults[key] : (row.Subject, row.Body);
        return (LiquidRenderer.RenderModel(subject, model).Trim(), LiquidRenderer.RenderModel(body, model).Trim());
    }
}
