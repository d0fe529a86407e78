using Liaison.Host.Background;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;

namespace Liaison.Host.Notifications;

/// <summary>
/// Delivers outbox messages right after the commits that wrote them. Signals coalesce: a burst of a
/// thousand reminders wakes one loop that drains the outbox in batches, instead of a thousand dispatch
/// jobs racing each other for the same rows. The minutely Hangfire dispatch stays as the safety net
/// (a node that dies with a signal pending, a node whose pump is off).
/// </summary>
public sealed partial class OutboxPump(IServiceScopeFactory scopes, BackgroundJobOptions options, ILogger<OutboxPump> logger) : BackgroundService, IOutboxSignal
{
    /// <summary>How long the pump waits after a signal so the commits of one burst go out together.</summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(50);

    private const int BatchSize = 500;

    private const int Lanes = 4;

    private readonly SemaphoreSlim _signal = new(0, 1);

    public void MessagesWritten()
    {
        // One pending wake-up is enough: the loop reads everything undispatched when it runs.
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another signal got there first.
            }
        }
    }

    public override void Dispose()
    {
        _signal.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunServer)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(stoppingToken);
                await Task.Delay(Gather, stoppingToken);
                await DrainAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The rows are committed; the next signal or the minutely dispatch delivers them.
                LogFailed(logger, ex);
            }
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            List<OutboxRecord> items;
            await using (var scope = scopes.CreateAsyncScope())
            {
                items = await scope.ServiceProvider.GetRequiredService<NotificationDispatcher>().PendingAsync(BatchSize, cancellationToken, shuffled: true);
            }

            // A few lanes at once, each with its own scope and connection; a delivery's claim keeps each send single.
            var results = await Task.WhenAll(items.Chunk(Math.Max(1, (items.Count + Lanes - 1) / Lanes)).Select(async chunk =>
            {
                await using var scope = scopes.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<NotificationDispatcher>().DeliverAsync(chunk, cancellationToken);
            }));
            if (items.Count < BatchSize || results.Sum(r => r.Sent) == 0)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox pump run failed; the next signal or the minutely dispatch delivers the messages")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
