namespace Liaison.Workflows.Durable;

/// <summary>
/// Told after a commit that wrote outbox messages, so the host can deliver them at once instead of at
/// its next periodic run. A spurious signal is harmless: delivery is idempotent.
/// </summary>
public interface IOutboxSignal
{
    void MessagesWritten();
}

/// <summary>Leaves delivery to the periodic run; for tools and tests without a dispatcher.</summary>
public sealed class PeriodicOnlyOutboxSignal : IOutboxSignal
{
    public void MessagesWritten()
    {
    }
}
