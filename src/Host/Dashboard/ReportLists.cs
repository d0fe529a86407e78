using System.Globalization;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Reporting;
using Liaison.Host.Localization;
using Mediator;
using Microsoft.Extensions.Localization;

namespace Liaison.Host.Dashboard;

/// <summary>One column of a dashboard list: its header (a DashboardText key) and its cell, the same on screen and in the .xlsx.</summary>
/// <param name="Link">Where the cell links to on screen (the item's page).</param>
/// <param name="Rate">The cell's rate (0..1), drawn as a bar beside the text on screen.</param>
public sealed record ReportColumn<T>(string Header, Func<T, ReportFormat, object?> Value, Func<T, string>? Link = null, Func<T, double?>? Rate = null);

/// <summary>What narrows a list: the period, and for the overdue lists a unit or a leader.</summary>
public sealed record ReportFilter(DashboardPeriod Period, Guid? UnitId = null, Guid? LeaderId = null);

/// <summary>How cells read in the user's language: rates, times, enum names.</summary>
public sealed class ReportFormat(IStringLocalizer<DashboardText> text, DisplayTime time)
{
    public bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public string Text(string key) => text[key];

    public string Time(DateTimeOffset instant) => time.Format(instant);

    public static string Rate(double? rate) => rate is { } r ? r.ToString("0.0%", CultureInfo.InvariantCulture) : "—";
}

/// <summary>A list as the export sees it: headers and rows of cells.</summary>
public interface IReportList
{
    string Name { get; }

    string TitleKey { get; }

    IReadOnlyList<string> Headers { get; }

    /// <summary>One page of cells after the cursor <paramref name="after"/> (null: the first), with the next page's cursor.</summary>
    Task<(int Total, IReadOnlyList<object?[]> Rows, string? Next)> LoadCellsAsync(IMediator mediator, ReportFilter filter, ReportFormat format, string? after, int take, CancellationToken cancellationToken);
}

public sealed class ReportList<T>(
    string name, string titleKey, IReadOnlyList<ReportColumn<T>> columns,
    Func<IMediator, ReportFilter, string?, int, CancellationToken, Task<ReportPage<T>>> load) : IReportList
{
    public string Name => name;

    public string TitleKey => titleKey;

    public IReadOnlyList<ReportColumn<T>> Columns => columns;

    public IReadOnlyList<string> Headers { get; } = columns.Select(c => c.Header).ToList();

    public Task<ReportPage<T>> LoadAsync(IMediator mediator, ReportFilter filter, string? after, int take, CancellationToken cancellationToken) =>
        load(mediator, filter, after, take, cancellationToken);

    public async Task<(int Total, IReadOnlyList<object?[]> Rows, string? Next)> LoadCellsAsync(IMediator mediator, ReportFilter filter, ReportFormat format, string? after, int take, CancellationToken cancellationToken)
    {
        var page = await load(mediator, filter, after, take, cancellationToken);
        return (page.Total, page.Items.Select(item => columns.Select(c => c.Value(item, format)).ToArray()).ToList(), page.Next);
    }
}

/// <summary>The dashboard's lists, declared once for the page and the .xlsx export.</summary>
public static class ReportLists
{
    private static string SuggestionLink(Guid id) => $"/suggestions/{id}";

    private static string RoleText(TaskRole role, ReportFormat f) => f.Text($"Role{role}");

    public static readonly ReportList<OverdueRow> OverdueByUnit = new(
        "overdue-by-unit", "OverdueByUnit",
        [
            new("ColUnit", (r, _) => r.UnitName),
            new("ColNumber", (r, _) => r.Number ?? "—"),
            new("ColTitle", (r, _) => r.Title, r => SuggestionLink(r.SuggestionId)),
            new("ColRole", (r, f) => RoleText(r.Role, f)),
            new("ColDue", (r, f) => f.Time(r.DueAt)),
            new("ColDaysOverdue", (r, _) => r.WorkingDaysOverdue),
            new("ColSupervisingLeader", (r, _) => r.SupervisingLeaderName ?? "—"),
        ],
        (m, filter, after, take, ct) => m.Send(new GetOverduePage(OverdueGrouping.Unit, filter.UnitId, filter.LeaderId, after, take), ct).AsTask());

    public static readonly ReportList<OverdueRow> OverdueByLeader = new(
        "overdue-by-leader", "OverdueByLeader",
        [
            new("ColSupervisingLeader", (r, _) => r.SupervisingLeaderName ?? "—"),
            new("ColNumber", (r, _) => r.Number ?? "—"),
            new("ColTitle", (r, _) => r.Title, r => SuggestionLink(r.SuggestionId)),
            new("ColUnit", (r, _) => r.UnitName),
            new("ColRole", (r, f) => RoleText(r.Role, f)),
            new("ColDue", (r, f) => f.Time(r.DueAt)),
            new("ColDaysOverdue", (r, _) => r.WorkingDaysOverdue),
        ],
        (m, filter, after, take, ct) => m.Send(new GetOverduePage(OverdueGrouping.Leader, filter.UnitId, filter.LeaderId, after, take), ct).AsTask());

    public static readonly ReportList<KeySuggestionRow> KeySuggestions = new(
        "key-suggestions", "KeySuggestions",
        [
            new("ColNumber", (r, _) => r.Number ?? "—"),
            new("ColTitle", (r, _) => r.Title, r => SuggestionLink(r.Id)),
            new("ColField", (r, f) => (f.English ? r.FieldEnglishName ?? r.FieldName : r.FieldName) ?? r.Field ?? "—"),
            new("ColLeadingLeader", (r, _) => r.LeadingLeaderName ?? "—"),
            new("ColSupervisingLeader", (r, _) => r.SupervisingLeaderName ?? "—"),
            new("ColState", (r, f) => f.Text($"Status{r.Status}")),
            new("ColOpenTasks", (r, _) => r.OpenTasks),
            new("ColOverdueTasks", (r, _) => r.OverdueTasks),
            new("ColSubmitted", (r, f) => f.Time(r.SubmittedAt)),
        ],
        (m, filter, after, take, ct) => m.Send(new GetKeySuggestions(filter.Period.Start, filter.Period.End, after, take), ct).AsTask());

    public static readonly ReportList<BreakdownRow> ByUnit = Breakdown("by-unit", "ByUnit", "ColUnit", BreakdownDimension.Unit);

    public static readonly ReportList<BreakdownRow> ByField = Breakdown("by-field", "ByField", "ColField", BreakdownDimension.Field);

    public static readonly ReportList<BreakdownRow> ByLeader = Breakdown("by-leader", "ByLeader", "ColSupervisingLeader", BreakdownDimension.Leader);

    public static readonly ReportList<BreakdownRow> ByMonth = Breakdown("by-month", "ByMonth", "ColMonth", BreakdownDimension.Month);

    public static readonly IReadOnlyDictionary<string, IReportList> All =
        new IReportList[] { OverdueByUnit, OverdueByLeader, KeySuggestions, ByUnit, ByField, ByLeader, ByMonth }.ToDictionary(l => l.Name, StringComparer.Ordinal);

    /// <summary>
    /// A breakdown: its groups are few (aggregated from the rollups), so a page of them is cut here; the cursor holds the
    /// position in the list (validated like any other), as the groups have no stable key order of their own.
    /// </summary>
    private static ReportList<BreakdownRow> Breakdown(string name, string titleKey, string groupHeader, BreakdownDimension by) => new(
        name, titleKey,
        [
            new(groupHeader, (r, f) => f.English ? r.EnglishLabel : r.Label),
            new("ColRepliesSent", (r, _) => r.RepliesSent),
            new("ColRepliesOnTime", (r, _) => r.RepliesOnTime),
            new("ColOnTimeRate", (r, _) => ReportFormat.Rate(r.OnTimeReplyRate), Rate: r => r.OnTimeReplyRate),
            new("ColResolutionA", (r, _) => ReportFormat.Rate(r.ResolutionRateA), Rate: r => r.ResolutionRateA),
            new("ColResolutionAB", (r, _) => ReportFormat.Rate(r.ResolutionRateAB), Rate: r => r.ResolutionRateAB),
            new("ColEvaluations", (r, _) => r.Evaluations),
            new("ColSatisfactionRate", (r, _) => ReportFormat.Rate(r.SatisfactionRate), Rate: r => r.SatisfactionRate),
            new("ColOverdue", (r, _) => r.OverdueTasks),
        ],
        async (m, filter, after, take, ct) =>
        {
            var rows = await m.Send(new GetBreakdown(filter.Period.Start, filter.Period.End, by), ct);
            var start = Keyset.Decode(name, after, 1) is { } key ? Math.Max(0, key.Int(0)) : 0;
            var end = Math.Min(rows.Count, start + Math.Max(1, take));
            return new ReportPage<BreakdownRow>(rows.Count, rows.Take(new Range(Math.Min(start, end), end)).ToList(), end < rows.Count ? Keyset.Encode(name, end) : null);
        });
}
