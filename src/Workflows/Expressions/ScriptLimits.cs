namespace Liaison.Workflows.Expressions;

/// <summary>Sandbox limits for every JavaScript evaluation.</summary>
public sealed record ScriptLimits
{
    public static ScriptLimits Default { get; } = new();

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>A backstop above what the time limit allows, so endless loops report the time limit.</summary>
    public int MaxStatements { get; init; } = 50_000_000;
    public long MemoryBytes { get; init; } = 32 * 1024 * 1024;
    public int MaxRecursion { get; init; } = 256;
}

/// <summary>An expression could not be evaluated; the message is meant for the designer.</summary>
public sealed class ExpressionException(string message, Exception? inner = null) : Exception(message, inner);
