namespace Liaison.Workflows.Validation;

/// <summary>Stable problem codes so the Studio and API can react to them.</summary>
public static class ValidationCodes
{
    public const string UnknownActivityType = "UnknownActivityType";
    public const string UnsupportedActivity = "UnsupportedActivity";
    public const string DuplicateActivityId = "DuplicateActivityId";
    public const string MissingRequiredInput = "MissingRequiredInput";
    public const string DanglingConnection = "DanglingConnection";
    public const string DuplicateConnection = "DuplicateConnection";
    public const string UnknownPort = "UnknownPort";
    public const string UnreachableActivity = "UnreachableActivity";
    public const string NoStart = "NoStart";
    public const string LiteralTypeMismatch = "LiteralTypeMismatch";
    public const string JavaScriptSyntax = "JavaScriptSyntax";
    public const string LiquidSyntax = "LiquidSyntax";
    public const string InvalidCron = "InvalidCron";
    public const string InvalidDuration = "InvalidDuration";
    public const string UnknownVariable = "UnknownVariable";
    public const string InvalidInput = "InvalidInput";
    public const string UnsupportedExpression = "UnsupportedExpression";
    public const string MissingActivityId = "MissingActivityId";
}

/// <summary>One thing wrong with a definition. ActivityId/InputName are null when the problem is definition-wide.</summary>
public sealed record ValidationProblem(string? ActivityId, string? InputName, string Code, string Message)
{
    public override string ToString() =>
        $"{Code}{(ActivityId is null ? "" : $" [{ActivityId}{(InputName is null ? "" : "." + InputName)}]")}: {Message}";
}
