using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;

namespace Liaison.Host.Studio;

/// <summary>An activity drawn on the canvas: one inbound port on the left, one port per outcome on the right.</summary>
public sealed class ActivityNodeModel(string activityId, Point position) : NodeModel(activityId, position)
{
    public string ActivityId { get; } = activityId;

    public string TypeName { get; set; } = "";

    public string Heading { get; set; } = "";

    public string Category { get; set; } = "";

    /// <summary>How many validation problems name this activity; the node turns red when any.</summary>
    public int Problems { get; set; }

    /// <summary>A CSS class that marks the activity: diff-added/removed/changed, executed/waiting/faulted.</summary>
    public string? Mark { get; set; }

    public InPortModel? InPort { get; set; }

    public List<OutcomePortModel> OutPorts { get; } = [];
}

/// <summary>Where connections arrive; nothing starts from it.</summary>
public sealed class InPortModel(NodeModel parent) : PortModel(parent, PortAlignment.Left)
{
    public override bool CanAttachTo(ILinkable other) => false;
}

/// <summary>One outcome of an activity ("Done", "True", "Approved"); a connection from it carries that label.</summary>
public sealed class OutcomePortModel(NodeModel parent, string outcome) : PortModel(parent, PortAlignment.Right)
{
    public string Outcome { get; } = outcome;

    public override bool CanAttachTo(ILinkable other) => other is InPortModel port && port.Parent != Parent;
}
