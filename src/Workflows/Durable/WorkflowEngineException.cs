using Liaison.Workflows.Validation;

namespace Liaison.Workflows.Durable;

public enum EngineErrorKind
{
    /// <summary>No such definition, version, instance, bookmark or task.</summary>
    NotFound,

    /// <summary>The request lost a race or came too late: already resumed, completed, published, ended.</summary>
    Conflict,

    /// <summary>The definition has validation problems; see <see cref="WorkflowEngineException.Problems"/>.</summary>
    Invalid,

    /// <summary>The request itself is wrong (an outcome the task does not allow, a missing input).</summary>
    BadRequest,

    /// <summary>The caller may see it but the rules say it is not theirs to do.</summary>
    Forbidden,
}

/// <summary>A refusal with a clear reason; nothing was changed. The API maps the kind to a status code.</summary>
public sealed class WorkflowEngineException(EngineErrorKind kind, string message, IReadOnlyList<ValidationProblem>? problems = null, Exception? inner = null)
    : Exception(message, inner)
{
    public EngineErrorKind Kind { get; } = kind;

    public IReadOnlyList<ValidationProblem> Problems { get; } = problems ?? [];
}
