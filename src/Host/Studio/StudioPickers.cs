namespace Liaison.Host.Studio;

/// <summary>The domain's units, roles and leaders for the property panel's assignee pickers.</summary>
public sealed record StudioPickers(IReadOnlyList<PickerOption> Units, IReadOnlyList<PickerOption> Roles, IReadOnlyList<PickerOption> Leaders)
{
    public static readonly StudioPickers Empty = new([], [], []);

    public static StudioPickers From((IReadOnlyList<PickerOption> Units, IReadOnlyList<PickerOption> Roles, IReadOnlyList<PickerOption> Leaders) lists) =>
        new(lists.Units, lists.Roles, lists.Leaders);

    /// <summary>The list that fits an assignee kind ("Unit", "Role", "Person"), or null for free text.</summary>
    public IReadOnlyList<PickerOption>? For(string? assigneeKind) => assigneeKind switch
    {
        "Unit" => Units,
        "Role" => Roles,
        "Person" => Leaders,
        _ => null,
    };
}
