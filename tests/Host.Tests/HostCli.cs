using System.Diagnostics;

namespace Liaison.Host.Tests;

/// <summary>
/// Runs the built Host executable (Liaison.Host.dll next to the tests) as a user would, in a chosen working
/// directory, and returns what they see: exit code, stdout, stderr.
/// </summary>
internal static class HostCli
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "Liaison.Host.dll");

    public static Task<CliResult> RunAsync(params string[] args) => RunInAsync(AppContext.BaseDirectory, args);

    public static Task<CliResult> RunInAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), args);

    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(Executable);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return await CompleteAsync(info);
    }

    /// <summary>A shell line, run by bash in <paramref name="workingDirectory"/>: globs expand as in a terminal.</summary>
    public static Task<CliResult> RunShellAsync(string workingDirectory, string commandLine) =>
        CompleteAsync(new ProcessStartInfo("bash", ["-c", commandLine])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        });

    private static async Task<CliResult> CompleteAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not exit within 90 s.");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Lines(Stdout);

    public string[] StderrLines => Lines(Stderr);

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
