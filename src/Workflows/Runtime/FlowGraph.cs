using Liaison.Workflows.Definitions;

namespace Liaison.Workflows.Runtime;

/// <summary>
/// The flowchart as a graph: adjacency by connection index, start activities, and back edges
/// (loop-closing connections found by depth-first search from the starts).
/// </summary>
public sealed class FlowGraph
{
    private readonly Dictionary<string, List<int>> _outgoing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _incoming = new(StringComparer.Ordinal);
    private readonly HashSet<int> _backEdges = [];
    private Dictionary<string, HashSet<string>>? _bodies;

    public FlowGraph(WorkflowDefinition definition)
    {
        Definition = definition;
        Connections = definition.Root.Connections;
        Nodes = new Dictionary<string, ActivityNode>(StringComparer.Ordinal);
        foreach (var node in definition.Root.Activities)
        {
            Nodes.TryAdd(node.Id, node);
            _outgoing[node.Id] = [];
            _incoming[node.Id] = [];
        }

        for (var i = 0; i < Connections.Count; i++)
        {
            var c = Connections[i];
            if (!Nodes.ContainsKey(c.Source.Activity) || !Nodes.ContainsKey(c.Target.Activity))
            {
                continue; // dangling: reported by validation, ignored at run time
            }

            _outgoing[c.Source.Activity].Add(i);
            _incoming[c.Target.Activity].Add(i);
        }

        Starts = FindStarts();
        FindBackEdges();
    }

    public WorkflowDefinition Definition { get; }
    public IReadOnlyList<Connection> Connections { get; }
    public Dictionary<string, ActivityNode> Nodes { get; }

    /// <summary>Explicit start id, else Start activities, else activities without inbound connections.</summary>
    public IReadOnlyList<string> Starts { get; }

    public IReadOnlyList<int> Outgoing(string id) => _outgoing.TryGetValue(id, out var l) ? l : [];
    public IReadOnlyList<int> Incoming(string id) => _incoming.TryGetValue(id, out var l) ? l : [];
    public bool IsBackEdge(int connection) => _backEdges.Contains(connection);
    public IReadOnlyList<int> ForwardIncoming(string id) => [.. Incoming(id).Where(c => !_backEdges.Contains(c))];

    /// <summary>
    /// A loop's body: every activity reachable from its "Body" port without passing through the loop itself
    /// (a body's last activities connect to nothing; the loop learns the body has ended when nothing in it can run).
    /// </summary>
    public HashSet<string> Body(string loopId)
    {
        _bodies ??= new(StringComparer.Ordinal);
        if (_bodies.TryGetValue(loopId, out var body))
        {
            return body;
        }

        body = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        foreach (var c in Outgoing(loopId))
        {
            if (string.Equals(Connections[c].Source.Port, Activities.BuiltIn.LoopPorts.Body, StringComparison.OrdinalIgnoreCase)
                && Connections[c].Target.Activity != loopId && body.Add(Connections[c].Target.Activity))
            {
                stack.Push(Connections[c].Target.Activity);
            }
        }

        while (stack.Count > 0)
        {
            foreach (var c in Outgoing(stack.Pop()))
            {
                var next = Connections[c].Target.Activity;
                if (next != loopId && body.Add(next))
                {
                    stack.Push(next);
                }
            }
        }

        return _bodies[loopId] = body;
    }

    /// <summary>Whether <paramref name="to"/> can be reached from <paramref name="from"/> without passing through <paramref name="avoid"/>.</summary>
    public bool Reaches(string from, string to, string? avoid = null)
    {
        if (from == to)
        {
            return true;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { from };
        var stack = new Stack<string>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            foreach (var c in Outgoing(stack.Pop()))
            {
                var next = Connections[c].Target.Activity;
                if (next == to)
                {
                    return true;
                }

                if (next != avoid && seen.Add(next))
                {
                    stack.Push(next);
                }
            }
        }

        return false;
    }

    public HashSet<string> ReachableFromStarts()
    {
        var seen = new HashSet<string>(Starts, StringComparer.Ordinal);
        var stack = new Stack<string>(Starts);
        while (stack.Count > 0)
        {
            foreach (var c in Outgoing(stack.Pop()))
            {
                var next = Connections[c].Target.Activity;
                if (seen.Add(next))
                {
                    stack.Push(next);
                }
            }
        }

        return seen;
    }

    private List<string> FindStarts()
    {
        var root = Definition.Root;
        if (root.StartActivityId is { } explicitId && Nodes.ContainsKey(explicitId))
        {
            return [explicitId];
        }

        var startActivities = root.Activities.Where(a => a.Type == "Start").Select(a => a.Id).ToList();
        if (startActivities.Count > 0)
        {
            return startActivities;
        }

        return [.. root.Activities.Where(a => _incoming[a.Id].Count == 0).Select(a => a.Id).Distinct()];
    }

    private void FindBackEdges()
    {
        // Iterative DFS; an edge into a node still on the stack closes a loop.
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on stack, 2 = done
        var roots = Starts.Concat(Nodes.Keys);
        foreach (var root in roots)
        {
            if (state.ContainsKey(root))
            {
                continue;
            }

            var stack = new Stack<(string Node, int Next)>();
            stack.Push((root, 0));
            state[root] = 1;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var outs = Outgoing(node);
                if (next < outs.Count)
                {
                    stack.Push((node, next + 1));
                    var c = outs[next];
                    var target = Connections[c].Target.Activity;
                    if (!state.TryGetValue(target, out var s))
                    {
                        state[target] = 1;
                        stack.Push((target, 0));
                    }
                    else if (s == 1)
                    {
                        _backEdges.Add(c);
                    }
                }
                else
                {
                    state[node] = 2;
                }
            }
        }
    }
}
