using Liaison.Workflows.Definitions;

namespace Liaison.Host.Studio;

/// <summary>Left-to-right layers by the longest forward path from the entry activities; loops do not push layers.</summary>
public static class AutoLayout
{
    public const double ColumnWidth = 240;
    public const double RowHeight = 140;

    public static void Apply(WorkflowDefinition definition)
    {
        var activities = definition.Root.Activities;
        var outgoing = definition.Root.Connections.GroupBy(c => c.Source.Activity).ToDictionary(g => g.Key, g => g.Select(c => c.Target.Activity).ToList());
        var inbound = definition.Root.Connections.Select(c => c.Target.Activity).ToHashSet(StringComparer.Ordinal);
        var entries = activities.Where(a => a.Type == "Start" || !inbound.Contains(a.Id)).Select(a => a.Id).ToList();
        var layer = new Dictionary<string, int>(StringComparer.Ordinal);
        var onPath = new HashSet<string>(StringComparer.Ordinal);

        void Visit(string id, int depth)
        {
            if (onPath.Contains(id) || (layer.TryGetValue(id, out var known) && known >= depth))
            {
                return; // a back edge (loop) or a shorter path: keep the deeper layer
            }

            layer[id] = depth;
            onPath.Add(id);
            foreach (var next in outgoing.GetValueOrDefault(id) ?? [])
            {
                Visit(next, depth + 1);
            }

            onPath.Remove(id);
        }

        foreach (var entry in entries)
        {
            Visit(entry, 0);
        }

        var unplaced = layer.Count == 0 ? 0 : layer.Values.Max() + 1;
        foreach (var activity in activities.Where(a => !layer.ContainsKey(a.Id)))
        {
            layer[activity.Id] = unplaced;
        }

        foreach (var column in activities.GroupBy(a => layer[a.Id]))
        {
            var row = 0;
            foreach (var activity in column)
            {
                activity.Position = new Position(40 + (column.Key * ColumnWidth), 40 + (row++ * RowHeight));
            }
        }
    }
}
