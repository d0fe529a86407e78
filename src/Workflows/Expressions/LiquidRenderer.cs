using System.Text.Json;
using System.Text.Json.Nodes;

using Fluid;

using Liaison.Workflows.Activities;

namespace Liaison.Workflows.Expressions;

/// <summary>Renders Liquid templates with Fluid; variables are visible by name and under Variables, input under Input.</summary>
public sealed class LiquidRenderer
{
    private static readonly FluidParser Parser = new();

    public string Render(string template, IExpressionScope scope)
    {
        if (!Parser.TryParse(template, out var parsed, out var error))
        {
            throw new ExpressionException($"Liquid template error: {error}");
        }

        var context = new TemplateContext();
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in scope.VariableNames)
        {
            var value = ToPlain(scope.GetVariable(name));
            variables[name] = value;
            context.SetValue(name, value);
        }

        var input = scope.Input.ToDictionary(p => p.Key, p => ToPlain(p.Value), StringComparer.OrdinalIgnoreCase);
        context.SetValue("Variables", variables);
        context.SetValue("variables", variables);
        context.SetValue("Input", input);
        context.SetValue("input", input);
        context.SetValue("LastResult", ToPlain(scope.LastResult));
        return parsed.Render(context);
    }

    /// <summary>Renders a template against a plain model (dictionaries, lists, primitives; JsonNode values are converted).</summary>
    public static string RenderModel(string template, IReadOnlyDictionary<string, object?> model)
    {
        if (!Parser.TryParse(template, out var parsed, out var error))
        {
            throw new ExpressionException($"Liquid template error: {error}");
        }

        var context = new TemplateContext();
        foreach (var (name, value) in model)
        {
            context.SetValue(name, value is JsonNode node ? ToPlain(node) : value);
        }

        return parsed.Render(context);
    }

    public static string? CheckSyntax(string template) => Parser.TryParse(template, out _, out var error) ? null : error;

    /// <summary>Fluid understands dictionaries, lists and primitives, not JsonNode.</summary>
    internal static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => v.TryGetValue<long>(out var l) ? l : ValueConversion.Number(v),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => v.ToString(),
        },
        _ => null,
    };
}
