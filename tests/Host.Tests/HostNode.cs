using System.Diagnostics;
using System.Text;

namespace Liaison.Host.Tests;

/// <summary>
/// The built Host (Liaison.Host.dll) as a child process, configured by environment variables; its
/// output is kept (the last lines) for the failure message. Disposing kills it if it still runs.
/// </summary>
internal sealed class HostNode : IDisposable
{
    private readonly Process process;
    private readonly Queue<string> tail = new();

    private HostNode(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public string Name { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    public static HostNode Start(string name, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Liaison.Host.dll"));
        info.ArgumentList.Add("--urls=http://127.0.0.1:0");
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Liaison__Hangfire__ServerName"] = name;
        info.Environment["Liaison__Demo__Enabled"] = "false";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var node = new HostNode(name, Process.Start(info) ?? throw new InvalidOperationException($"cannot start {name}"));
        node.process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        node.process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        node.process.BeginOutputReadLine();
        node.process.BeginErrorReadLine();
        return node;
    }

    /// <summary>SIGSTOP / SIGCONT: freezes the process (its sockets stay open) or lets it go on.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("cannot run kill");
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGKILL, no chance to finish anything, as a node dies when its machine does.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public string Output()
    {
        lock (tail)
        {
            var text = new StringBuilder();
            foreach (var line in tail)
            {
                text.AppendLine(line);
            }

            return $"--- {Name} (pid {process.Id}{(process.HasExited ? $", exited {process.ExitCode}" : string.Empty)}) ---\n{text}";
        }
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (tail)
        {
            tail.Enqueue(line);
            while (tail.Count > 60)
            {
                tail.Dequeue();
            }
        }
    }
}
