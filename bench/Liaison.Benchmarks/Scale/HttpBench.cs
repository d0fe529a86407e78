using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Liaison.Benchmarks.Durable;

namespace Liaison.Benchmarks.Scale;

public sealed record HttpResult(string Endpoint, int Connections, long Requests, long Errors, string? FirstError, double Seconds, Percentiles Latency, long ResponseBytes)
{
    public double PerSecond => Requests / Seconds;
}

/// <summary>
/// The Host (src/Host, Release build) as a child process on loopback against the scale database; this
/// process drives it with HttpClient, at a fixed number of connections, for a fixed time.
/// </summary>
public static partial class HttpBench
{
    public static async Task<IReadOnlyList<HttpResult>> RunAsync(string connectionString, Guid busyUnit, IReadOnlyList<int> connections, double seconds, double warmUpSeconds, Action<string> log)
    {
        var repository = RepositoryRoot();
        var hostProject = Path.Combine(repository, "src", "Host");
        log("building src/Host (Release)");
        await BenchPostgres.RunAsync("dotnet", ["build", Path.Combine(hostProject, "Liaison.Host.csproj"), "-c", "Release", "--nologo", "-v", "q"]);
        var dll = Path.Combine(hostProject, "bin", "Release", "net10.0", "Liaison.Host.dll");
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = hostProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Liaison__Database__Provider"] = "PostgreSql";
        info.Environment["ConnectionStrings__Liaison"] = connectionString;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Warning";
        // Only for one sign-in per role (printed once on stdout). The demo city is not seeded: DemoDataSeeder
        // skips a database that already has handling units, and the scale data has 200.
        info.Environment["Liaison__Demo__Enabled"] = "true";

        using var host = Process.Start(info) ?? throw new InvalidOperationException("cannot start the Host");
        var output = new List<string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(e.Data);
            }

            if (e.Data.Contains("is running at", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        host.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Add(e.Data);
                }
            }
        };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            var started = await Task.WhenAny(ready.Task, host.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(3)));
            if (started != ready.Task)
            {
                throw new InvalidOperationException($"the Host did not start:\n{string.Join('\n', output)}");
            }

            string password;
            lock (output)
            {
                var line = output.Select(l => OfficeSignIn().Match(l)).FirstOrDefault(m => m.Success)
                    ?? throw new InvalidOperationException("the Host printed no LiaisonOffice sign-in (were users created before? use a fresh database)");
                password = line.Groups[1].Value;
            }

            var address = new Uri($"http://127.0.0.1:{port}");
            string token;
            using (var client = new HttpClient { BaseAddress = address })
            {
                var response = await client.PostAsJsonAsync("/api/auth/token", new { userName = "office", password });
                response.EnsureSuccessStatusCode();
                token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;
            }

            log($"Host (pid {host.Id}) on {address}, signed in as the liaison office");
            var results = new List<HttpResult>();
            (string Name, string Path)[] endpoints =
            [
                ("GET /api/units/{busiest}/inbox", $"/api/units/{busyUnit}/inbox"),
                ("GET /api/reports/kpis (last year)", "/api/reports/kpis"),
            ];
            foreach (var (name, path) in endpoints)
            {
                foreach (var c in connections)
                {
                    var result = await LoadAsync(address, token, name, path, c, seconds, warmUpSeconds);
                    log(string.Create(CultureInfo.InvariantCulture,
                        $"  {name} × {c}: {result.PerSecond:F0} req/s, p50 {result.Latency.P50:F1} ms, p95 {result.Latency.P95:F1} ms, p99 {result.Latency.P99:F1} ms, errors {result.Errors}{(result.FirstError is null ? "" : " (" + result.FirstError + ")")}"));
                    results.Add(result);
                }
            }

            return results;
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
                await host.WaitForExitAsync();
            }
        }
    }

    private static async Task<HttpResult> LoadAsync(Uri address, string token, string name, string path, int connections, double seconds, double warmUpSeconds)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
        };
        using var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var uri = new Uri(path, UriKind.Relative);
        var total = Stopwatch.StartNew();
        var measureFrom = TimeSpan.FromSeconds(warmUpSeconds);
        var measureTo = measureFrom + TimeSpan.FromSeconds(seconds);
        var latencies = new List<double>[connections];
        long errors = 0;
        long bytes = 0;
        string? firstError = null;

        async Task Worker(int index)
        {
            var mine = latencies[index] = [];
            var buffer = new byte[64 * 1024];
            while (total.Elapsed < measureTo)
            {
                var began = total.Elapsed;
                try
                {
                    using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
                    await using var body = await response.Content.ReadAsStreamAsync();
                    long read = 0;
                    int n;
                    while ((n = await body.ReadAsync(buffer)) > 0)
                    {
                        read += n;
                    }

                    if (began >= measureFrom && total.Elapsed <= measureTo)
                    {
                        if (response.IsSuccessStatusCode)
                        {
                            mine.Add((total.Elapsed - began).TotalMilliseconds);
                            Interlocked.Add(ref bytes, read);
                        }
                        else
                        {
                            Interlocked.Increment(ref errors);
                            Interlocked.CompareExchange(ref firstError, $"HTTP {(int)response.StatusCode}", null);
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(i => Task.Run(() => Worker(i))));
        var all = latencies.SelectMany(l => l).ToList();
        return new HttpResult(name, connections, all.Count, errors, firstError, seconds, Percentiles.Of(all), all.Count == 0 ? 0 : bytes / all.Count);
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Liaison.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find Liaison.sln above the benchmark's folder");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^\s*LiaisonOffice\s+office\s+(\S+)\s*$")]
    private static partial Regex OfficeSignIn();
}
