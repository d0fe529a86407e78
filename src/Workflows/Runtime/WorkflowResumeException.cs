namespace Liaison.Workflows.Runtime;

/// <summary>A resume request was refused (unknown/consumed bookmark, disallowed outcome); the state is unchanged.</summary>
public sealed class WorkflowResumeException(string message) : Exception(message);
