namespace Liaison.Host.Components.Pages.Tasks;

/// <summary>A component shown on the task page above the form of one step (e.g. the analysis proposals on the analyse step).</summary>
/// <remarks>The component receives the parameters TaskId (string) and SuggestionId (Guid?).</remarks>
public sealed record StepPanel(string ActivityType, Type Component);
