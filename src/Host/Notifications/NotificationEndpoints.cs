using System.Security.Claims;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Notifications;

public sealed record NotificationItem(Guid Id, string? Subject, string Message, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

public sealed record NotificationList(int Unread, IReadOnlyList<NotificationItem> Items);

public static class NotificationEndpoints
{
    public static void MapNotificationEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/notifications").RequireAuthorization().WithTags("Notifications");

        group.MapGet("/", async (ClaimsPrincipal user, MessagingDbContext db, int? take, CancellationToken cancellationToken) =>
        {
            var userId = UserId(user);
            var mine = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
            var unread = await mine.CountAsync(n => n.ReadAt == null, cancellationToken);
            var items = await mine.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
                .Take(Math.Clamp(take ?? 50, 1, 500))
                .Select(n => new NotificationItem(n.Id, n.Subject, n.Message, n.CreatedAt, n.ReadAt))
                .ToListAsync(cancellationToken);
            return new NotificationList(unread, items);
        }).WithSummary("我的通知（最新在前）与未读数 · My notifications, newest first, with the unread count");

        group.MapPost("/{id:guid}/read", async (Guid id, ClaimsPrincipal user, MessagingDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var userId = UserId(user);
            // Another user's notification is as absent as a missing one.
            var notification = await db.Notifications.FirstOrDefaultAsync(n => n.Id == id && n.UserId == userId, cancellationToken);
            if (notification is null)
            {
                return Results.NotFound();
            }

            notification.ReadAt ??= clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            return Results.NoContent();
        }).WithSummary("标记为已读 · Mark as read");
    }

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty;
}
