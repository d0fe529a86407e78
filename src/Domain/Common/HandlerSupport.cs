using Liaison.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Common;

internal static class HandlerSupport
{
    public static async Task<T> GetAsync<T>(this LiaisonDbContext db, Guid id, CancellationToken cancellationToken)
        where T : class =>
        await db.Set<T>().FindAsync([id], cancellationToken) ?? throw NotFound.For<T>(id);

    /// <summary>
    /// Commits the command's changes and its audit lines in one transaction (SaveChanges is atomic).
    /// A lost race is reported as a refusal, not as a crash.
    /// </summary>
    public static async Task CommitAsync(this LiaisonDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new DomainException(ErrorCodes.Concurrency, "someone changed this item at the same time; reload and try again: " + ex.Message);
        }
    }
}
