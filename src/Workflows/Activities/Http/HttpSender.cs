using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Liaison.Workflows.Activities.Http;

/// <summary>
/// Sends the request a SendHttpRequest bookmark holds and returns the payload that resumes it: the response
/// ({statusCode, headers, content, contentType}) or the failure ({error: "Failed to connect" | "Timeout", message}).
/// Each attempt has the activity's timeout; failed connections and timeouts are tried again up to its retries,
/// waiting a little longer each time. An answer, whatever its status, is never retried.
/// </summary>
public static class HttpSender
{
    /// <summary>Clients come from IHttpClientFactory under this name (the Host can configure it).</summary>
    public const string ClientName = "Liaison.Workflows.SendHttpRequest";

    /// <summary>Response bodies larger than this are cut (they live in the instance's state).</summary>
    public const int MaxContentChars = 1_000_000;

    public static async Task<JsonObject> SendAsync(HttpClient client, JsonObject request, CancellationToken cancellationToken = default, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        delay ??= Task.Delay;
        var timeout = TimeSpan.FromMilliseconds(Math.Clamp(ValueConversion.AsDouble(request["timeoutMs"]) ?? 30_000, 1, SendHttpRequestActivity.MaxTimeout.TotalMilliseconds));
        var retries = (int)Math.Clamp(ValueConversion.AsDouble(request["retries"]) ?? 0, 0, SendHttpRequestActivity.MaxRetries);
        JsonObject failure = new();
        for (var attempt = 0; attempt <= retries; attempt++)
        {
            if (attempt > 0)
            {
                await delay(TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 1)), cancellationToken);
            }

            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(timeout);
            try
            {
                using var message = Build(request);
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token);
                var content = await ReadAsync(response.Content, attemptTimeout.Token);
                var headers = new JsonObject();
                foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
                {
                    headers[name] = string.Join(",", values);
                }

                return new JsonObject
                {
                    ["statusCode"] = (int)response.StatusCode,
                    ["headers"] = headers,
                    ["content"] = content,
                    ["contentType"] = response.Content.Headers.ContentType?.MediaType,
                    ["attempts"] = attempt + 1,
                };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new JsonObject { ["error"] = HttpActivities.Timeout, ["message"] = $"no answer within {timeout}", ["attempts"] = attempt + 1 };
            }
            catch (HttpRequestException ex)
            {
                failure = new JsonObject { ["error"] = HttpActivities.FailedToConnect, ["message"] = ex.Message, ["attempts"] = attempt + 1 };
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
            {
                // A request that cannot be built (a bad method or header) will not get better by trying again.
                return new JsonObject { ["error"] = HttpActivities.FailedToConnect, ["message"] = ex.Message, ["attempts"] = attempt + 1 };
            }
        }

        return failure;
    }

    private static HttpRequestMessage Build(JsonObject request)
    {
        var method = new HttpMethod(ValueConversion.AsString(request["method"]) is { Length: > 0 } m ? m : "GET");
        var message = new HttpRequestMessage(method, new Uri(ValueConversion.AsString(request["url"]) ?? "", UriKind.Absolute));
        if (ValueConversion.AsString(request["authorization"]) is { Length: > 0 } authorization)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (ValueConversion.AsString(request["content"]) is { } content)
        {
            var type = ValueConversion.AsString(request["contentType"]) is { Length: > 0 } t ? t : "text/plain";
            message.Content = new StringContent(content, Encoding.UTF8);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.TryParse(type, out var parsed) ? parsed : new MediaTypeHeaderValue("text/plain");
            if (parsed is not null && parsed.CharSet is null && type.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
            {
                parsed.CharSet = "utf-8";
            }
        }

        foreach (var (name, value) in request["headers"] as JsonObject ?? [])
        {
            var text = ValueConversion.AsString(value) ?? "";
            if (!message.Headers.TryAddWithoutValidation(name, text))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, text);
            }
        }

        return message;
    }

    private static async Task<string?> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[8192];
        var text = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            text.Append(buffer, 0, Math.Min(read, MaxContentChars - text.Length));
            if (text.Length >= MaxContentChars)
            {
                break;
            }
        }

        return text.Length == 0 ? null : text.ToString();
    }
}
