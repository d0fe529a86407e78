using Liaison.Host.Identity;
using Liaison.Host.Localization;
using Mediator;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;

namespace Liaison.Host.Dashboard;

/// <summary>Every dashboard list as an .xlsx with the columns the page shows, under the dashboard's own policy.</summary>
public static class DashboardEndpoints
{
    /// <summary>An export is one sheet; beyond this many rows it is refused rather than cut silently.</summary>
    public const int MaxExportRows = 100_000;

    private const int Batch = 1000;

    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reports/{list}.xlsx", ExportAsync)
            .RequireAuthorization(Policies.Dashboard)
            .WithTags("Suggestions")
            .WithSummary("A dashboard list (overdue-by-unit, overdue-by-leader, key-suggestions, by-unit, by-field, by-leader, by-month) as .xlsx, for the period from–to (yyyy-MM-dd, both included; default this year).");
    }

    private static async Task<IResult> ExportAsync(
        string list, string? from, string? to, Guid? unitId, Guid? leaderId,
        IMediator mediator, IStringLocalizer<DashboardText> text, DisplayTime time, TimeProvider clock, CancellationToken ct)
    {
        if (!ReportLists.All.TryGetValue(list, out var report))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"there is no list '{list}'; the lists are {string.Join(", ", ReportLists.All.Keys)}");
        }

        var (period, field, problem) = DashboardPeriod.Parse(from, to, clock.GetUtcNow());
        if (period is null)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [field!] = [problem!] }, detail: problem);
        }

        var filter = new ReportFilter(period, unitId, leaderId);
        var format = new ReportFormat(text, time);
        // A DataTable keeps the columns (and their order) even when the list is empty.
        var table = new System.Data.DataTable(text[report.TitleKey].Value);
        foreach (var header in report.Headers)
        {
            table.Columns.Add(text[header].Value, typeof(object));
        }

        for (string? after = null; ;)
        {
            var (total, cells, next) = await report.LoadCellsAsync(mediator, filter, format, after, Batch, ct);
            if (total > MaxExportRows)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Too many rows.", detail: $"the list holds {total} rows; an export holds at most {MaxExportRows}: choose a shorter period or a unit");
            }

            foreach (var row in cells)
            {
                table.Rows.Add(row);
            }

            if (next is null)
            {
                break;
            }

            after = next;
        }

        var stream = new MemoryStream();
        await stream.SaveAsAsync(table, sheetName: table.TableName, cancellationToken: ct);
        stream.Position = 0;
        return Results.File(stream, XlsxContentType, $"{list}-{period.From:yyyyMMdd}-{period.To:yyyyMMdd}.xlsx");
    }
}
