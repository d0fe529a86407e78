using System.Text.Json.Nodes;

namespace Liaison.Workflows.Definitions;

public enum ChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>
/// One difference between two versions: an activity, one of its settings, a connection, a variable or
/// an input. <see cref="ActivityId"/> lets a canvas mark the activity; Before/After are display text.
/// </summary>
public sealed record DefinitionChange(ChangeKind Kind, string Subject, string? ActivityId, string? Setting, string? Before, string? After)
{
    public override string ToString() => $"{Kind} {Subject}{(Setting is null ? "" : "." + Setting)}: {Before ?? "—"} → {After ?? "—"}";
}

/// <summary>What changed from one version of a workflow to another, for the Studio's compare view.</summary>
public static class DefinitionDiff
{
    public const string Activity = "activity";
    public const string ConnectionSubject = "connection";
    public const string Variable = "variable";
    public const string Input = "input";

    public static IReadOnlyList<DefinitionChange> Compare(WorkflowDefinition before, WorkflowDefinition after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<DefinitionChange>();
        var old = before.Root.Activities.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First());
        var now = after.Root.Activities.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First());

        foreach (var (id, activity) in now.Where(p => !old.ContainsKey(p.Key)))
        {
            changes.Add(new DefinitionChange(ChangeKind.Added, Activity, id, null, null, Describe(activity)));
        }

        foreach (var (id, activity) in old.Where(p => !now.ContainsKey(p.Key)))
        {
            changes.Add(new DefinitionChange(ChangeKind.Removed, Activity, id, null, Describe(activity), null));
        }

        foreach (var (id, was) in old.Where(p => now.ContainsKey(p.Key)))
        {
            var @is = now[id];
            if (was.Type != @is.Type)
            {
                changes.Add(new DefinitionChange(ChangeKind.Changed, Activity, id, "type", was.Type, @is.Type));
            }

            if ((was.DisplayName ?? "") != (@is.DisplayName ?? ""))
            {
                changes.Add(new DefinitionChange(ChangeKind.Changed, Activity, id, "displayName", was.DisplayName, @is.DisplayName));
            }

            if (was.MergeMode != @is.MergeMode)
            {
                changes.Add(new DefinitionChange(ChangeKind.Changed, Activity, id, "mergeMode", was.MergeMode?.ToString(), @is.MergeMode?.ToString()));
            }

            foreach (var name in was.Inputs.Keys.Union(@is.Inputs.Keys, StringComparer.OrdinalIgnoreCase).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
            {
                var a = Text(was.GetInput(name));
                var b = Text(@is.GetInput(name));
                if (a != b)
                {
                    var kind = a is null ? ChangeKind.Added : b is null ? ChangeKind.Removed : ChangeKind.Changed;
                    changes.Add(new DefinitionChange(kind, Activity, id, name, a, b));
                }
            }
        }

        var oldLinks = before.Root.Connections.Select(Key).ToHashSet(StringComparer.Ordinal);
        var newLinks = after.Root.Connections.Select(Key).ToHashSet(StringComparer.Ordinal);
        foreach (var connection in after.Root.Connections.Where(c => !oldLinks.Contains(Key(c))))
        {
            changes.Add(new DefinitionChange(ChangeKind.Added, ConnectionSubject, connection.Source.Activity, connection.Source.Port, null, Key(connection)));
        }

        foreach (var connection in before.Root.Connections.Where(c => !newLinks.Contains(Key(c))))
        {
            changes.Add(new DefinitionChange(ChangeKind.Removed, ConnectionSubject, connection.Source.Activity, connection.Source.Port, Key(connection), null));
        }

        CompareNamed(changes, Variable, before.Variables, after.Variables, v => v.Name, v => $"{v.Type} = {v.Default?.ToJsonString() ?? "null"}");
        CompareNamed(changes, Input, before.Inputs, after.Inputs, i => i.Name, i => $"{i.Type}{(i.Required ? " (required)" : "")}");
        return changes;
    }

    private static void CompareNamed<T>(List<DefinitionChange> changes, string subject, IEnumerable<T> before, IEnumerable<T> after, Func<T, string> name, Func<T, string> describe)
    {
        var old = before.GroupBy(name).ToDictionary(g => g.Key, g => describe(g.First()));
        var now = after.GroupBy(name).ToDictionary(g => g.Key, g => describe(g.First()));
        foreach (var key in old.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var a = old.GetValueOrDefault(key);
            var b = now.GetValueOrDefault(key);
            if (a != b)
            {
                changes.Add(new DefinitionChange(a is null ? ChangeKind.Added : b is null ? ChangeKind.Removed : ChangeKind.Changed, subject, null, key, a, b));
            }
        }
    }

    private static string Key(Connection c) => $"{c.Source.Activity}:{c.Source.Port ?? "Done"} → {c.Target.Activity}";

    private static string Describe(ActivityNode activity) => string.IsNullOrWhiteSpace(activity.DisplayName) ? activity.Type : $"{activity.DisplayName} ({activity.Type})";

    private static string? Text(InputValue? value) => value is null
        ? null
        : value.Kind is InputKind.Literal or InputKind.Object
            ? Show(value.Value)
            : $"{value.Kind.ToString().ToLowerInvariant()}: {value.Text}";

    /// <summary>A JSON value for display, without escaping Chinese.</summary>
    public static string Show(JsonNode? node) => node?.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null";
}
