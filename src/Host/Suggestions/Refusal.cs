using Liaison.Domain.Common;
using Liaison.Workflows.Durable;

namespace Liaison.Host.Suggestions;

/// <summary>
/// A refused request as both the API and the browser pages present it: its HTTP status, a short title, the stable
/// code (the domain's, or the engine's kind), the English detail, and the fields at fault (camelCase, as sent).
/// The problem-details handlers and the task page read this one mapping, so a rule refuses alike everywhere.
/// </summary>
public sealed record Refusal(int Status, string Title, string Code, string Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>The refusal an exception stands for, or null when it is a fault (not the caller's doing).</summary>
    public static Refusal? From(Exception exception) => exception switch
    {
        ValidationFailedException invalid => new(
            StatusCodes.Status400BadRequest,
            "The request is not valid.",
            invalid.Code,
            invalid.Message,
            invalid.Errors.GroupBy(e => FieldName(e.Field)).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray())),
        DomainException refused when refused.Code == ErrorCodes.NotFound => new(StatusCodes.Status404NotFound, "Not found.", refused.Code, refused.Message, NoErrors),
        DomainException refused => new(StatusCodes.Status409Conflict, "The rules do not allow this now.", refused.Code, refused.Message, NoErrors),
        WorkflowEngineException engine => engine.Kind switch
        {
            EngineErrorKind.NotFound => new(StatusCodes.Status404NotFound, "Not found.", "engine.not-found", engine.Message, NoErrors),
            EngineErrorKind.Conflict => new(StatusCodes.Status409Conflict, "The request conflicts with the current state.", "engine.conflict", engine.Message, NoErrors),
            EngineErrorKind.Forbidden => new(StatusCodes.Status403Forbidden, "Not yours to do.", "engine.forbidden", engine.Message, NoErrors),
            EngineErrorKind.Invalid => new(StatusCodes.Status422UnprocessableEntity, "The workflow definition is not valid.", "engine.invalid", engine.Message, NoErrors),
            _ => new(StatusCodes.Status400BadRequest, "The request is not valid.", "engine.bad-request", engine.Message, NoErrors),
        },
        _ => null,
    };

    /// <summary>Commands name fields in C# (<c>CoSignerIds</c>); the client sent them in camelCase (<c>coSignerIds</c>).</summary>
    public static string FieldName(string field) =>
        string.Join('.', field.Split('.').Select(part => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(part)));

    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();
}
