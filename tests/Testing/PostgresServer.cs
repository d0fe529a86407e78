using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Liaison.Testing;

/// <summary>
/// One throwaway PostgreSQL cluster per test process, started from the machine's own binaries
/// (/usr/lib/postgresql/*/bin), or an existing server when LIAISON_TEST_POSTGRES holds a connection
/// string with the right to create databases. Each test class gets its own database on it.
/// </summary>
public sealed class PostgresServer
{
    public const string ConnectionStringVariable = "LIAISON_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int databaseCounter;

    private readonly string adminConnectionString;

    private PostgresServer(string adminConnectionString)
    {
        this.adminConnectionString = adminConnectionString;
    }

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>Creates an empty database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string hint)
    {
        var name = $"t_{Sanitize(hint)}_{Environment.ProcessId}_{Interlocked.Increment(ref databaseCounter)}";
        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 200 }.ConnectionString;
    }

    /// <summary>A connection string to a port where nothing listens, for "unreachable database" tests.</summary>
    public static string UnreachableConnectionString() =>
        $"Host=127.0.0.1;Port={FreePort()};Database=liaison;Username=liaison;Password=x;Timeout=3";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return new PostgresServer(given);
        }

        var cluster = await LocalCluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        return new PostgresServer(cluster.ConnectionString);
    }

    private static string Sanitize(string hint)
    {
        var chars = hint.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30).ToArray();
        return chars.Length == 0 ? "db" : new string(chars);
    }

    private sealed class LocalCluster
    {
        private readonly string binDirectory;
        private readonly string dataDirectory;
        private readonly bool asPostgresUser;

        private LocalCluster(string binDirectory, string dataDirectory, bool asPostgresUser, int port)
        {
            this.binDirectory = binDirectory;
            this.dataDirectory = dataDirectory;
            this.asPostgresUser = asPostgresUser;
            ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Timeout=15";
        }

        public string ConnectionString { get; }

        public static async Task<LocalCluster> StartAsync()
        {
            var bin = FindBinaries();
            var root = Path.Combine(Path.GetTempPath(), $"liaison-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(root);
            var data = Path.Combine(root, "data");

            // PostgreSQL refuses to run as root: hand the folder to the postgres user and run as them.
            var asPostgres = Environment.UserName == "root";
            if (asPostgres)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", root]);
            }

            var port = FreePort();
            var cluster = new LocalCluster(bin, data, asPostgres, port);
            await cluster.PgAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
            var options = string.Join(' ', [
                $"-p {port}", "-c listen_addresses=127.0.0.1", $"-k {root}", "-c max_connections=400",
                "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c shared_buffers=256MB"]);
            await cluster.PgAsync("pg_ctl", ["-D", data, "-o", options, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start"]);
            return cluster;
        }

        public void Stop()
        {
            try
            {
                PgAsync("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"]).GetAwaiter().GetResult();
                Directory.Delete(Path.GetDirectoryName(dataDirectory)!, recursive: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // Best effort at process exit; a leftover temp folder is harmless.
            }
        }

        private Task PgAsync(string tool, IReadOnlyList<string> args)
        {
            var path = Path.Combine(binDirectory, tool);
            return asPostgresUser
                ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args])
                : RunAsync(path, args);
        }

        private static string FindBinaries()
        {
            const string root = "/usr/lib/postgresql";
            var bin = Directory.Exists(root)
                ? Directory.GetDirectories(root)
                    .Select(d => Path.Combine(d, "bin"))
                    .Where(d => File.Exists(Path.Combine(d, "initdb")))
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                    .FirstOrDefault()
                : null;
            return bin ?? throw new InvalidOperationException(
                $"No PostgreSQL server binaries under {root}. Install PostgreSQL (apt-get install postgresql) or set {ConnectionStringVariable}.");
        }

        private static async Task RunAsync(string file, IReadOnlyList<string> args)
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

            using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {file}.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
            }
        }
    }
}
