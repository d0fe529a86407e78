using Liaison.Workflows.Activities;
using Liaison.Workflows.Activities.BuiltIn;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Expressions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Time;

namespace Liaison.Workflows.Validation;

/// <summary>Checks a definition and returns every problem at once (an empty list means publishable).</summary>
public sealed class WorkflowValidator(ActivityRegistry registry)
{
    public WorkflowValidator()
        : this(ActivityRegistry.CreateDefault())
    {
    }

    /// <summary>Never throws: a definition too odd to check is itself a problem.</summary>
    public IReadOnlyList<ValidationProblem> Validate(WorkflowDefinition definition)
    {
        try
        {
            return ValidateCore(WorkflowDefinitionSerializer.Normalize(definition));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return [new(null, null, ValidationCodes.InvalidInput, $"the definition cannot be checked: {ex.Message}")];
        }
    }

    private List<ValidationProblem> ValidateCore(WorkflowDefinition definition)
    {
        var problems = new List<ValidationProblem>();
        var activities = definition.Root.Activities;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in activities)
        {
            if (string.IsNullOrWhiteSpace(node.Id))
            {
                problems.Add(new(null, null, ValidationCodes.MissingActivityId, $"an activity of type '{node.Type}' has no id; give every activity a unique id"));
            }
            else if (!ids.Add(node.Id))
            {
                problems.Add(new(node.Id, null, ValidationCodes.DuplicateActivityId, $"activity id {node.Id} is used more than once"));
            }
        }

        var variables = definition.Variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var v in definition.Variables)
        {
            if (v.Default is not null && ValueConversion.CheckLiteral(v.Default, ToInputType(v.Type)) is { } reason)
            {
                problems.Add(new(null, v.Name, ValidationCodes.LiteralTypeMismatch, $"default of variable {v.Name} ({v.Type}): {reason}"));
            }
        }

        foreach (var node in activities)
        {
            foreach (var (name, input) in node.Inputs)
            {
                if (input.Kind is InputKind.CSharp or InputKind.Python or InputKind.Unknown)
                {
                    problems.Add(new(node.Id, name, ValidationCodes.UnsupportedExpression, ActivityContext.UnsupportedExpressionMessage(name, input)));
                }
            }

            if (node.Type == BuiltInActivities.Unsupported)
            {
                continue; // reported once per type below
            }

            if (!registry.TryGet(node.Type, out var activity))
            {
                problems.Add(new(node.Id, null, ValidationCodes.UnknownActivityType, $"activity type {node.Type} is not known"));
                continue;
            }

            ValidateInputs(node, activity.Descriptor, variables, problems);
            problems.AddRange(activity.Validate(node));
        }

        // One problem per unsupported type, naming every activity of that type and what to do.
        foreach (var group in activities.Where(a => a.Type == BuiltInActivities.Unsupported).GroupBy(UnsupportedActivity.OriginalType, StringComparer.Ordinal))
        {
            var nodes = group.ToList();
            var where = nodes.Count == 1 ? $"activity {nodes[0].Id}" : $"{nodes.Count} activities ({string.Join(", ", nodes.Select(n => n.Id))})";
            problems.Add(new(nodes[0].Id, null, ValidationCodes.UnsupportedActivity, $"activity type {group.Key} is not supported ({where}): {UnsupportedActivity.Reason(nodes[0])}"));
        }

        ValidateConnections(definition, problems);

        var graph = new FlowGraph(definition);
        if (activities.Count == 0)
        {
            problems.Add(new(null, null, ValidationCodes.NoStart, "the workflow has no activities: add at least a Start activity"));
        }
        else if (graph.Starts.Count == 0)
        {
            problems.Add(new(null, null, ValidationCodes.NoStart, "the workflow has no start: add a Start activity or an activity without inbound connections"));
        }
        else if (definition.Root.StartActivityId is { } startId && !graph.Nodes.ContainsKey(startId))
        {
            problems.Add(new(startId, null, ValidationCodes.NoStart, $"the start activity {startId} does not exist"));
        }

        // Elsa never runs activities no path reaches and does not complain about them; only native definitions are held to it.
        if (graph.Starts.Count > 0 && !IsElsaImport(definition))
        {
            var reachable = graph.ReachableFromStarts();
            foreach (var node in activities.Where(a => !reachable.Contains(a.Id)))
            {
                problems.Add(new(node.Id, null, ValidationCodes.UnreachableActivity, $"activity {node.Id} can never run: no path leads to it from the start"));
            }
        }

        return problems;
    }

    private static void ValidateInputs(ActivityNode node, ActivityDescriptor descriptor, HashSet<string> variables, List<ValidationProblem> problems)
    {
        foreach (var input in descriptor.Inputs)
        {
            var value = node.GetInput(input.Name);
            if (value is null || (value.Kind == InputKind.Literal && value.Value is null))
            {
                if (input.Required && input.Default is null)
                {
                    problems.Add(new(node.Id, input.Name, ValidationCodes.MissingRequiredInput, $"input {input.Name} of {descriptor.TypeName} is required"));
                }

                continue;
            }

            switch (value.Kind)
            {
                case InputKind.JavaScript when JavaScriptEvaluator.CheckSyntax(value.Text ?? "") is { } error:
                    problems.Add(new(node.Id, input.Name, ValidationCodes.JavaScriptSyntax, $"JavaScript in {input.Name} does not parse: {error}"));
                    break;
                case InputKind.Liquid when LiquidRenderer.CheckSyntax(value.Text ?? "") is { } error:
                    problems.Add(new(node.Id, input.Name, ValidationCodes.LiquidSyntax, $"Liquid template in {input.Name} does not parse: {error}"));
                    break;
                case InputKind.Variable when !variables.Contains(value.Text ?? ""):
                    problems.Add(new(node.Id, input.Name, ValidationCodes.UnknownVariable, $"variable {value.Text} is not declared"));
                    break;
                case InputKind.Literal or InputKind.Object:
                    ValidateLiteral(node, input, value, variables, problems);
                    break;
            }
        }
    }

    private static void ValidateLiteral(ActivityNode node, InputDescriptor input, InputValue value, HashSet<string> variables, List<ValidationProblem> problems)
    {
        switch (input.Type)
        {
            case InputTypes.Cron:
                if (!CronSchedule.TryParse(value.Text, out _, out var cronError))
                {
                    problems.Add(new(node.Id, input.Name, ValidationCodes.InvalidCron, cronError!));
                }

                break;
            case InputTypes.Duration when !Duration.TryParse(StaticInputs.Value(node, input.Name), out _, out var durationError):
                problems.Add(new(node.Id, input.Name, ValidationCodes.InvalidDuration, $"input {input.Name}: {durationError}"));
                break;
            case InputTypes.Script when JavaScriptEvaluator.CheckSyntax(value.Text ?? "") is { } jsError:
                problems.Add(new(node.Id, input.Name, ValidationCodes.JavaScriptSyntax, $"JavaScript in {input.Name} does not parse: {jsError}"));
                break;
            case InputTypes.Template when LiquidRenderer.CheckSyntax(value.Text ?? "") is { } liquidError:
                problems.Add(new(node.Id, input.Name, ValidationCodes.LiquidSyntax, $"Liquid template in {input.Name} does not parse: {liquidError}"));
                break;
            case InputTypes.VariableName when !variables.Contains(value.Text ?? ""):
                problems.Add(new(node.Id, input.Name, ValidationCodes.UnknownVariable, $"variable {value.Text} is not declared"));
                break;
            default:
                if (ValueConversion.CheckLiteral(StaticInputs.Value(node, input.Name), input.Type) is { } reason)
                {
                    problems.Add(new(node.Id, input.Name, ValidationCodes.LiteralTypeMismatch, $"input {input.Name} expects {input.Type}: {reason}"));
                }
                else if (input.Options is { Count: > 0 } options && ValueConversion.AsString(StaticInputs.Value(node, input.Name)) is { } text
                    && !options.Contains(text, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add(new(node.Id, input.Name, ValidationCodes.LiteralTypeMismatch, $"input {input.Name} must be one of {string.Join(", ", options)}, not '{text}'"));
                }

                break;
        }
    }

    private void ValidateConnections(WorkflowDefinition definition, List<ValidationProblem> problems)
    {
        var nodes = definition.Root.Activities.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var seen = new HashSet<(string, string, string, string)>();
        var reportedPorts = new HashSet<(string, string)>();
        foreach (var c in definition.Root.Connections)
        {
            var sourcePort = c.Source.Port ?? "Done";
            var key = (c.Source.Activity, sourcePort.ToUpperInvariant(), c.Target.Activity, (c.Target.Port ?? "In").ToUpperInvariant());
            if (!seen.Add(key))
            {
                problems.Add(new(c.Source.Activity, null, ValidationCodes.DuplicateConnection, $"connection {c} appears more than once"));
                continue;
            }

            var sourceKnown = nodes.TryGetValue(c.Source.Activity, out var source);
            if (!sourceKnown)
            {
                problems.Add(new(c.Source.Activity, null, ValidationCodes.DanglingConnection, $"connection {c} starts at unknown activity {c.Source.Activity}"));
            }

            if (!nodes.ContainsKey(c.Target.Activity))
            {
                problems.Add(new(c.Source.Activity, null, ValidationCodes.DanglingConnection, $"connection {c} ends at unknown activity {c.Target.Activity}"));
            }

            if (source is not null && registry.TryGet(source.Type, out var activity))
            {
                var ports = activity.Descriptor.GetPorts(source);
                if (sourcePort != ElsaImport.ElsaImporter.AnyPort && !ports.Contains(sourcePort, StringComparer.OrdinalIgnoreCase)
                    && reportedPorts.Add((source.Id, sourcePort.ToUpperInvariant())))
                {
                    var known = ports.Count == 0 ? "none" : string.Join(", ", ports);
                    problems.Add(new(source.Id, null, ValidationCodes.UnknownPort, $"activity {source.Id} ({source.Type}) has no port {sourcePort} (ports: {known})"));
                }
            }

            if (c.Target.Port is { Length: > 0 } targetPort && !string.Equals(targetPort, "In", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new(c.Target.Activity, null, ValidationCodes.UnknownPort, $"connection {c} targets port {targetPort}; activities have a single inbound port 'In'"));
            }
        }
    }

    private static bool IsElsaImport(WorkflowDefinition definition) =>
        definition.Metadata.TryGetValue("importedFrom", out var from) && ValueConversion.AsString(from) == "Elsa";

    private static string ToInputType(VariableType type) => type switch
    {
        VariableType.Int32 or VariableType.Int64 => InputTypes.Int32,
        VariableType.Double => InputTypes.Double,
        VariableType.Boolean => InputTypes.Boolean,
        VariableType.DateTime => InputTypes.DateTime,
        VariableType.TimeSpan => InputTypes.Duration,
        _ => InputTypes.Object,
    };
}
