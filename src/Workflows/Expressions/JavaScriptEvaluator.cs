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
        try
        {
            var prepared = Prepare(script);
            var variables = Install(engine, scope);
            var result = engine.Evaluate(prepared);
            var value = ToJson(engine, result);
            CopyBackVariables(engine, scope, variables);
            return value;
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

    // Parsed scripts by source text: a loop evaluating the same condition parses it once, not twice per turn.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Prepared<Acornima.Ast.Script>> PreparedScripts = new(StringComparer.Ordinal);

    private static Prepared<Acornima.Ast.Script> Prepare(string script)
    {
        if (PreparedScripts.TryGetValue(script, out var known))
        {
            return known;
        }

        var prepared = Engine.PrepareScript(PrepareSource(script));
        if (PreparedScripts.Count > 2048)
        {
            PreparedScripts.Clear();
        }

        PreparedScripts.TryAdd(script, prepared);
        return prepared;
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

    /// <summary>
    /// The globals Elsa's JavaScript module defines (ConfigureEngineWithCommonFunctions,
    /// ConfigureEngineWithVariablesAndInputOutputAccessors, ConfigureEngineWithVariables). Returns the JSON of
    /// the <c>variables</c> object as installed, so changes made through it can be copied back.
    /// </summary>
    private static Dictionary<string, string> Install(Engine engine, IExpressionScope scope)
    {
        engine.SetValue("getVariable", new Func<string, JsValue>(name => FromJson(engine, scope.GetVariable(name))));
        engine.SetValue("setVariable", new Action<string, JsValue>((name, value) => SetAndSync(engine, scope, name, value)));
        engine.SetValue("getInput", new Func<string, JsValue>(name => FromJson(engine, scope.GetInput(name))));
        engine.SetValue("getLastResult", new Func<JsValue>(() => FromJson(engine, scope.LastResult)));
        engine.SetValue("input", FromJson(engine, new JsonObject(scope.Input.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())))));
        engine.SetValue("isNullOrWhiteSpace", new Func<JsValue, bool>(v => v.IsNull() || v.IsUndefined() || string.IsNullOrWhiteSpace(v.ToString())));
        engine.SetValue("isNullOrEmpty", new Func<JsValue, bool>(v => v.IsNull() || v.IsUndefined() || string.IsNullOrEmpty(v.ToString())));
        engine.SetValue("toJson", new Func<JsValue, string>(v => ToJson(engine, v)?.ToJsonString() ?? "null"));
        engine.SetValue("newGuidString", new Func<string>(() => Guid.NewGuid().ToString()));
        engine.SetValue("getGuidString", new Func<string>(() => Guid.NewGuid().ToString()));
        engine.SetValue("newGuid", new Func<string>(() => Guid.NewGuid().ToString()));
        engine.SetValue("parseGuid", new Func<string, string>(v => Guid.Parse(v).ToString()));
        engine.SetValue("newShortGuid", new Func<string>(ShortGuid));
        engine.SetValue("getShortGuid", new Func<string>(ShortGuid));
        engine.SetValue("stringToBase64", new Func<string, string>(v => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(v))));
        engine.SetValue("stringFromBase64", new Func<string, string>(v => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(v))));

        var names = scope.VariableNames.Where(IsIdentifier).ToList();
        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        var variables = new JsonObject();
        foreach (var name in names)
        {
            var value = scope.GetVariable(name);
            variables[name] = value;
            snapshot[name] = value?.ToJsonString() ?? "null";
        }

        var container = FromJson(engine, variables);
        engine.SetValue("variables", container);
        engine.SetValue("Variables", container);

        foreach (var name in names)
        {
            var captured = name;
            var getter = new Func<JsValue>(() => FromJson(engine, scope.GetVariable(captured)));
            var setter = new Action<JsValue>(value => SetAndSync(engine, scope, captured, value));
            foreach (var alias in new[] { name, Pascalize(name) }.Distinct(StringComparer.Ordinal))
            {
                engine.SetValue("get" + alias, getter);
                engine.SetValue("set" + alias, setter);
            }
        }

        if (scope is IWorkflowExpressionScope workflow)
        {
            engine.SetValue("getWorkflowInstanceId", new Func<string>(() => workflow.InstanceId));
            engine.SetValue("getWorkflowDefinitionId", new Func<string>(() => workflow.DefinitionId));
            engine.SetValue("getWorkflowDefinitionVersion", new Func<int>(() => workflow.DefinitionVersion));
            engine.SetValue("getCorrelationId", new Func<string?>(() => workflow.CorrelationKey));
            engine.SetValue("setCorrelationId", new Action<string?>(v => workflow.CorrelationKey = v));
            engine.SetValue("getOutputFrom", new Func<string, JsValue, JsValue>((activity, output) =>
                FromJson(engine, workflow.GetOutputFrom(activity, output is null || output.IsNull() || output.IsUndefined() ? null : output.ToString()))));

            // Elsa generates get<Input>() per workflow input and get<Output>From<ActivityName>() per activity output.
            foreach (var input in workflow.WorkflowInputNames.Where(IsIdentifier))
            {
                var captured = input;
                engine.SetValue("get" + input, new Func<JsValue>(() => FromJson(engine, scope.GetInput(captured))));
            }

            foreach (var (activityId, activityName, outputName) in workflow.ActivityOutputNames)
            {
                if (IsIdentifier(activityName) && IsIdentifier(outputName))
                {
                    var (id, output) = (activityId, outputName);
                    engine.SetValue($"get{outputName}From{activityName}", new Func<JsValue>(() => FromJson(engine, workflow.GetOutputFrom(id, output))));
                }
            }
        }

        return snapshot;
    }

    private static void SetAndSync(Engine engine, IExpressionScope scope, string name, JsValue value)
    {
        scope.SetVariable(name, ToJson(engine, value));
        if (engine.GetValue("variables") is Jint.Native.Object.ObjectInstance container)
        {
            container.Set(name, FromJson(engine, scope.GetVariable(name)));
        }
    }

    /// <summary>Assignments made through <c>variables.X = ...</c> become variable changes, as in Elsa.</summary>
    private static void CopyBackVariables(Engine engine, IExpressionScope scope, Dictionary<string, string> before)
    {
        if (engine.GetValue("variables") is not Jint.Native.Object.ObjectInstance container)
        {
            return;
        }

        foreach (var key in container.GetOwnPropertyKeys())
        {
            var name = key.ToString();
            var now = ToJson(engine, container.Get(key));
            var text = now?.ToJsonString() ?? "null";
            if (!before.TryGetValue(name, out var old) || old != text)
            {
                scope.SetVariable(name, now);
            }
        }
    }

    /// <summary>Humanizer's Pascalize as Elsa uses it for accessor names: "order_total" → "OrderTotal".</summary>
    internal static string Pascalize(string name) =>
        string.Concat(name.Split(['_', ' ', '-'], StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    private static string ShortGuid() =>
        Convert.ToBase64String(Guid.NewGuid().ToByteArray()).Replace("/", "", StringComparison.Ordinal).Replace("+", "", StringComparison.Ordinal).Replace("=", "", StringComparison.Ordinal);

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
