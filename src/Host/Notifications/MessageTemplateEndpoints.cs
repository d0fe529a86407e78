using System.Security.Claims;
using Liaison.Host.Identity;

namespace Liaison.Host.Notifications;

public sealed record MessageTemplateUpdate(string? Subject, string? Body);

/// <summary>The texts of reminders, escalations and surveys, editable by administrators without a release.</summary>
public static class MessageTemplateEndpoints
{
    public static void MapMessageTemplateEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/message-templates").RequireAuthorization(Policies.Admin).WithTags("Notifications");

        group.MapGet("/", (MessageTemplates templates, CancellationToken ct) => templates.ListAsync(ct))
            .WithSummary("提醒、督办与征询意见的消息模板（Liquid）· Message templates (Liquid), defaults and overrides");

        group.MapGet("/{key}", async (string key, MessageTemplates templates, CancellationToken ct) =>
            await templates.GetAsync(key, ct) is { } template ? Results.Ok(template) : NotFound(key));

        group.MapPut("/{key}", async (string key, MessageTemplateUpdate update, ClaimsPrincipal user, MessageTemplates templates, CancellationToken ct) =>
        {
            try
            {
                return Results.Ok(await templates.SaveAsync(key, update.Subject ?? string.Empty, update.Body ?? string.Empty, user.Identity?.Name, ct));
            }
            catch (KeyNotFoundException)
            {
                return NotFound(key);
            }
            catch (MessageTemplateException ex)
            {
                return Results.Problem(
                    title: "消息模板无效 · The message template is not valid",
                    detail: string.Join("; ", ex.Problems),
                    statusCode: StatusCodes.Status400BadRequest,
                    extensions: new Dictionary<string, object?> { ["problems"] = ex.Problems, ["errors"] = ex.Errors });
            }
        }).WithSummary("修改模板（保存前校验 Liquid 语法）· Change a template (its Liquid is checked first; a bad one changes nothing)");

        group.MapDelete("/{key}", async (string key, MessageTemplates templates, CancellationToken ct) =>
        {
            if (await templates.GetAsync(key, ct) is null)
            {
                return NotFound(key);
            }

            await templates.ResetAsync(key, ct);
            return Results.NoContent();
        }).WithSummary("恢复默认文本 · Restore the shipped text");
    }

    private static IResult NotFound(string key) =>
        Results.Problem(title: "没有该消息模板 · No such message template", detail: $"there is no message template '{key}'", statusCode: StatusCodes.Status404NotFound);
}
