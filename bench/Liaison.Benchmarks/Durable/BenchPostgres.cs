using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Liaison.Benchmarks.Durable;

/// <summary>
/// A throwaway PostgreSQL cluster for the durable benchmark, started from the machine's own binaries
/// (/usr/lib/postgresql/*/bin) as the <c>postgres</c> user when running as root. Unlike the tests'
/// cluster it keeps PostgreSQL's shipped defaults (fsync, synchronous_commit, full_page_writes,
/// shared_buffers, max_connections): only the port, the listen address and the socket folder are set.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    private readonly string root;
    private readonly string dataDirectory;
    private readonly bool asPostgresUser;

    private BenchPostgres(string binDirectory, string root, bool asPostgresUser, int port)
    {
        BinDirectory = binDirectory;
        this.root = root;
        dataDirectory = Path.Combine(root, "data");
        this.asPostgresUser = asPostgresUser;
        Port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=15";
    }

    public string BinDirectory { get; }

    public int Port { get; }

    /// <summary>Superuser connection string to the <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    /// <summary>The server settings this class passes on top of PostgreSQL's defaults, for the report.</summary>
    public static IReadOnlyList<string> SettingsSet => ["port (a free one)", "listen_addresses=127.0.0.1", "unix_socket_directories=<temp folder>"];

    public static async Task<BenchPostgres> StartAsync()
    {
        var bin = FindBinaries();
        var root = Path.Combine(Path.GetTempPath(), $"liaison-bench-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);

        // PostgreSQL refuses to run as root: hand the folder to the postgres user and run as them.
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", root]);
        }

        var cluster = new BenchPostgres(bin, root, asPostgres, FreePort());
        // --no-sync only skips initdb's own final flush of the new cluster; the server runs with fsync on.
        await cluster.PgAsync("initdb", ["-D", cluster.dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        var options = string.Create(CultureInfo.InvariantCulture, $"-p {cluster.Port} -c listen_addresses=127.0.0.1 -k {root}");
        await cluster.PgAsync("pg_ctl", ["-D", cluster.dataDirectory, "-o", options, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start"]);
        return cluster;
    }

    /// <summary>
    /// CPU time the whole server has used so far: the postmaster, its live backends and background
    /// processes, and the children it has reaped (closed connections). Linux only; USER_HZ = 100.
    /// </summary>
    public TimeSpan? ServerCpu()
    {
        try
        {
            var postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
            long ticks = 0;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }

                string stat;
                try
                {
                    stat = File.ReadAllText(Path.Combine(dir, "stat"));
                }
                catch (IOException)
                {
                    continue; // exited meanwhile
                }

                // Fields after "(comm) ": state ppid ... utime(11) stime(12) cutime(13) cstime(14).
                var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (pid == postmaster)
                {
                    ticks += long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)
                        + long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture);
                }
                else if (int.Parse(f[1], CultureInfo.InvariantCulture) == postmaster)
                {
                    ticks += long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
                }
            }

            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgAsync("pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"]);
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync($"Stopping the benchmark's PostgreSQL failed: {ex.Message}");
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Could not remove {root}: {ex.Message}");
        }
    }

    /// <summary>The newest /usr/lib/postgresql/N/bin that has <paramref name="tool"/>.</summary>
    public static string FindBinaries(string tool = "initdb")
    {
        const string parent = "/usr/lib/postgresql";
        var bin = Directory.Exists(parent)
            ? Directory.GetDirectories(parent)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, tool)))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"No PostgreSQL binaries with {tool} under {parent}. Install PostgreSQL (apt-get install postgresql) or set {DurableHarness.ConnectionStringVariable}.");
    }

    public static async Task<string> RunAsync(string file, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }

        return await stdout + await stderr;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task<string> PgAsync(string tool, IReadOnlyList<string> args)
    {
        var path = Path.Combine(BinDirectory, tool);
        return asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args])
            : RunAsync(path, args);
    }
}
