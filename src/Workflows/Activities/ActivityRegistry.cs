using Liaison.Workflows.Activities.BuiltIn;

namespace Liaison.Workflows.Activities;

/// <summary>
/// Known activity types by type name. Built-ins use short names ("WriteLine"); other modules
/// register with a dotted prefix ("Suggestions.Admit") so names never collide.
/// </summary>
public sealed class ActivityRegistry
{
    private readonly Dictionary<string, IActivity> _activities = new(StringComparer.Ordinal);

    /// <summary>A registry holding every generic built-in activity.</summary>
    public static ActivityRegistry CreateDefault()
    {
        var registry = new ActivityRegistry();
        BuiltInActivities.RegisterAll(registry);
        return registry;
    }

    public IEnumerable<ActivityDescriptor> Descriptors => _activities.Values.Select(a => a.Descriptor).OrderBy(d => d.Category).ThenBy(d => d.TypeName);

    public ActivityRegistry Register(IActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var name = activity.Descriptor.TypeName;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("An activity type needs a type name.", nameof(activity));
        }

        if (!_activities.TryAdd(name, activity))
        {
            throw new InvalidOperationException($"Activity type '{name}' is already registered.");
        }

        return this;
    }

    public bool TryGet(string typeName, out IActivity activity) => _activities.TryGetValue(typeName, out activity!);

    public IActivity Get(string typeName) => TryGet(typeName, out var a)
        ? a
        : throw new KeyNotFoundException($"activity type {typeName} is not registered");

    public bool Contains(string typeName) => _activities.ContainsKey(typeName);
}
