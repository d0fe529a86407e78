using System.Text.Json;
using System.Text.Json.Nodes;

using Jint;
using Jint.Native;
using Jint.Runtime;

namespace Liaison.Workflows.Expressions;

/// <summary>
/// Runs JavaScript with Jint in a sandbox: no CLR access, time, statement, memory and recursion limits.
/// Values cross the boundary as JSON only, so scripts never touch .NET objects.
/// </summary>
public sealed class JavaScriptEvaluator(ScriptLimits? limits = null)
{
    public ScriptLimits Limits { get; } = limits ?? ScriptLimits.Default;

    /// <summary>Evaluates an expression or a function body (with top-level <c>return</c>) and returns its value as JSON.</summary>
    public JsonNode? Evaluate(string script, IExpressionScope scope)
    {
        var engine = CreateEngine();
        Install(engine, scope);
        var source = PrepareSource(script);
        try
        {
            var result = engine.Evaluate(source);
            return ToJson(engine, result);
        }
        catch (TimeoutException ex)
        {
            throw new ExpressionException($"script exceeded the {FormatSeconds(Limits.Timeout)} time limit", ex);
        }
        catch (StatementsCountOverflowException ex)
        {
            throw new ExpressionException($"script exceeded the limit of {Limits.MaxStatements} statements", ex);
        }
        catch (MemoryLimitExceededException ex)
        {
            throw new ExpressionException($"script exceeded the memory limit of {Limits.MemoryBytes / (1024 * 1024)} MB", ex);
        }
        catch (RecursionDepthOverflowException ex)
        {
            throw new ExpressionException($"script exceeded the recursion limit of {Limits.MaxRecursion} calls", ex);
        }
        catch (JavaScriptException ex)
        {
            throw new ExpressionException($"script error: {ex.Message}", ex);
        }
        catch (Acornima.ParseErrorException ex)
        {
            throw new ExpressionException($"script syntax error: {ex.Message}", ex);
        }
        catch (ScriptPreparationException ex)
        {
            throw new ExpressionException($"script syntax error: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new ExpressionException($"script error: {ex.Message}", ex);
        }
    }

    /// <summary>Evaluates and converts the result to a boolean with JavaScript truthiness.</summary>
    public bool EvaluateBoolean(string script, IExpressionScope scope) => IsTruthy(Evaluate(script, scope));

    /// <summary>Parses without running; returns null when the script is valid, else the parser's message.</summary>
    public static string? CheckSyntax(string script)
    {
        try
        {
            Engine.PrepareScript(PrepareSource(script));
            return null;
        }
        catch (Acornima.ParseErrorException ex)
        {
            return ex.Message;
        }
        catch (JavaScriptException ex)
        {
            return ex.Message;
        }
        catch (ScriptPreparationException ex)
        {
            return ex.InnerException?.Message ?? ex.Message;
        }
    }

    public static bool IsTruthy(JsonNode? value) => value switch
    {
        null => false,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => Liaison.Workflows.Activities.ValueConversion.Number(v) is var d && d != 0 && !double.IsNaN(d),
            JsonValueKind.String => !string.IsNullOrEmpty(v.GetValue<string>()) && !string.Equals(v.GetValue<string>(), "false", StringComparison.OrdinalIgnoreCase),
            _ => false,
        },
        _ => true,
    };

    /// <summary>Elsa scripts are often function bodies ("return false;"); wrap those so top-level return is legal.</summary>
    internal static string PrepareSource(string script)
    {
        try
        {
            Engine.PrepareScript(script);
            return script;
        }
        catch (Exception ex) when (ex is Acornima.ParseErrorException or JavaScriptException or ScriptPreparationException)
        {
            var wrapped = "(function () {\n" + script + "\n})()";
            try
            {
                Engine.PrepareScript(wrapped);
                return wrapped;
            }
            catch (Exception ex2) when (ex2 is Acornima.ParseErrorException or JavaScriptException or ScriptPreparationException)
            {
                return script; // report the original error
            }
        }
    }

    private Engine CreateEngine() => new(o =>
    {
        o.TimeoutInterval(Limits.Timeout);
        o.MaxStatements(Limits.MaxStatements);
        o.LimitMemory(Limits.MemoryBytes);
        o.LimitRecursion(Limits.MaxRecursion);
        o.Strict = false;

        // AllowClr is deliberately never called: scripts get no access to .NET types or assemblies.
    });

    private static void Install(Engine engine, IExpressionScope scope)
    {
        engine.SetValue("getVariable", new Func<string, JsValue>(name => FromJson(engine, scope.GetVariable(name))));
        engine.SetValue("setVariable", new Action<string, JsValue>((name, value) => scope.SetVariable(name, ToJson(engine, value))));
        engine.SetValue("getInput", new Func<string, JsValue>(name => FromJson(engine, scope.GetInput(name))));
        engine.SetValue("getLastResult", new Func<JsValue>(() => FromJson(engine, scope.LastResult)));
        engine.SetValue("input", FromJson(engine, new JsonObject(scope.Input.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())))));

        foreach (var name in scope.VariableNames)
        {
            if (!IsIdentifier(name))
            {
                continue;
            }

            var captured = name;
            var getter = new Func<JsValue>(() => FromJson(engine, scope.GetVariable(captured)));
            var setter = new Action<JsValue>(value => scope.SetVariable(captured, ToJson(engine, value)));
            engine.SetValue("get" + name, getter);
            engine.SetValue("set" + name, setter);
            var pascal = char.ToUpperInvariant(name[0]) + name[1..];
            if (pascal != name)
            {
                engine.SetValue("get" + pascal, getter);
                engine.SetValue("set" + pascal, setter);
            }
        }
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_' || name[0] == '$') && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '$');

    internal static JsValue FromJson(Engine engine, JsonNode? node) =>
        node is null ? JsValue.Null : new Jint.Native.Json.JsonParser(engine).Parse(node.ToJsonString());

    internal static JsonNode? ToJson(Engine engine, JsValue value)
    {
        if (value.IsUndefined() || value.IsNull())
        {
            return null;
        }

        if (value.IsDate())
        {
            return JsonValue.Create(value.AsDate().ToDateTime());
        }

        var text = new Jint.Native.Json.JsonSerializer(engine).Serialize(value);
        return text.IsUndefined() ? null : JsonNode.Parse(text.AsString());
    }

    private static string FormatSeconds(TimeSpan t) =>
        t.TotalSeconds >= 1 && t.TotalSeconds == Math.Floor(t.TotalSeconds) ? $"{t.TotalSeconds:0} s" : $"{t.TotalMilliseconds:0} ms";
}
