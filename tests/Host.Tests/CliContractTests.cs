using System.Reflection;
using System.Text.RegularExpressions;

using Liaison.Testing;

namespace Liaison.Host.Tests;

/// <summary>
/// The command-line contract, through the real Host executable: help and usage errors start nothing, paths are
/// relative to the caller's working directory, bad arguments are one line and an exit code, never a stack
/// trace, and the README's shell lines print what the README says.
/// </summary>
public sealed partial class CliContractTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("liaison-cli-contract-");

    public void Dispose() => _temp.Delete(recursive: true);

    /// <summary>A data folder that does not exist yet: if anything built the web app or a database, it would.</summary>
    private string DataDirectory => Path.Combine(_temp.FullName, "data");

    private Dictionary<string, string> UntouchedData => new() { ["Liaison__DataDirectory"] = DataDirectory };

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--urls http://127.0.0.1:0 --Liaison:Demo:Enabled=false --help")]
    [InlineData("workflow --help")]
    [InlineData("workflow validate --help")]
    [InlineData("workflow run -h")]
    [InlineData("migrate --help")]
    public async Task Help_at_every_level_prints_usage_exits_zero_and_starts_nothing(string commandLine)
    {
        var result = await HostCli.RunAsync(_temp.FullName, UntouchedData, commandLine.Split(' '));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("", result.Stderr);
        Assert.DoesNotContain("is running at", result.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDirectory), "help created the data folder: it built the web application");
    }

    [Fact]
    public async Task Top_level_help_names_every_verb()
    {
        var result = await HostCli.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("migrate", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("workflow", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--urls", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_version_of_the_host()
    {
        var expected = typeof(LiaisonApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var result = await HostCli.RunAsync(_temp.FullName, UntouchedData, "--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([expected], result.StdoutLines);
        Assert.False(Directory.Exists(DataDirectory));
    }

    [Fact]
    public async Task Unknown_command_exits_two_with_usage_on_stderr_and_starts_nothing()
    {
        var result = await HostCli.RunAsync(_temp.FullName, UntouchedData, "frobnicate", "--urls=http://127.0.0.1:0");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("Unknown command 'frobnicate'.", result.StderrLines[0]);
        Assert.Contains("Usage:", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDirectory));
    }

    [Theory]
    [InlineData("workflow", "Required command was not provided.")]
    [InlineData("workflow frob x.json", "Unrecognized command or argument 'frob'.")]
    [InlineData("workflow validate", "Required argument 'FILE' missing for command: 'validate'.")]
    [InlineData("workflow run", "Required argument 'FILE' missing for command: 'run'.")]
    [InlineData("workflow run a.json b.json", "Unrecognized command or argument 'b.json'.")]
    [InlineData("workflow validate --bogus a.json", "Unrecognized option '--bogus' (a file name that starts with '-' is written ./-name).")]
    [InlineData("workflow run -x", "Unrecognized option '-x' (a file name that starts with '-' is written ./-name).")]
    public async Task Usage_errors_exit_two_with_the_problem_and_the_usage_on_stderr(string commandLine, string problem)
    {
        var result = await HostCli.RunAsync(_temp.FullName, UntouchedData, commandLine.Split(' '));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Equal(problem, result.StderrLines[0]);
        Assert.Contains("Usage:", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDirectory));
    }

    [Fact]
    public async Task Relative_paths_are_resolved_against_the_repository_root_when_run_from_there()
    {
        var result = await HostCli.RunInAsync(SourcePaths.Repository, "workflow", "validate", "workflows-json/suggestion-handling.json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["valid"], result.StdoutLines);
    }

    [Fact]
    public async Task Relative_paths_are_resolved_against_any_other_working_directory()
    {
        var definitions = Directory.CreateDirectory(Path.Combine(_temp.FullName, "defs"));
        File.Copy(Path.Combine(SourcePaths.WorkflowsJson, "hello-liaison.json"), Path.Combine(definitions.FullName, "mine.json"));

        var run = await HostCli.RunInAsync(_temp.FullName, "workflow", "run", "defs/mine.json");
        var fromInside = await HostCli.RunInAsync(definitions.FullName, "workflow", "validate", "mine.json", "../defs/mine.json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["Hello from Liaison!", "One working day later.", "status: Finished"], run.StdoutLines);
        Assert.True(fromInside.ExitCode == 0, fromInside.ToString());
        Assert.Equal(["mine.json: valid", "../defs/mine.json: valid"], fromInside.StdoutLines);
    }

    [Fact]
    public async Task A_relative_path_is_not_looked_up_next_to_the_binaries()
    {
        // The binaries' folder has a workflows-json/ copy; the caller's directory does not.
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "workflows-json", "hello-liaison.json")));

        var result = await HostCli.RunInAsync(_temp.FullName, "workflow", "validate", "workflows-json/hello-liaison.json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["workflows-json/hello-liaison.json: cannot read the workflow file: directory not found"], result.StderrLines);
    }

    [Fact]
    public async Task Dotnet_run_keeps_the_callers_working_directory()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
        var definitions = Directory.CreateDirectory(Path.Combine(_temp.FullName, "defs"));
        File.Copy(Path.Combine(SourcePaths.WorkflowsJson, "public-opinion.json"), Path.Combine(definitions.FullName, "opinion.json"));

        var fromRoot = await HostCli.RunShellAsync(SourcePaths.Repository,
            $"dotnet run --no-build -c {configuration} --project src/Host -- workflow validate workflows-json/suggestion-handling.json");
        var fromElsewhere = await HostCli.RunShellAsync(_temp.FullName,
            $"dotnet run --no-build -c {configuration} --project '{SourcePaths.HostProject}' -- workflow validate defs/opinion.json");

        Assert.True(fromRoot.ExitCode == 0, fromRoot.ToString());
        Assert.Equal("valid", fromRoot.StdoutLines[^1]);
        Assert.True(fromElsewhere.ExitCode == 0, fromElsewhere.ToString());
        Assert.Equal("valid", fromElsewhere.StdoutLines[^1]);
    }

    [Fact]
    public async Task Every_shell_line_of_the_readme_prints_what_the_readme_says()
    {
        var lines = ReadmeShellBlock();
        Assert.Contains(lines, l => l.StartsWith(ReadmePrefix, StringComparison.Ordinal));

        for (var i = 0; i < lines.Count; i++)
        {
            if (!lines[i].StartsWith(ReadmePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var expected = lines.Skip(i + 1).TakeWhile(l => l.StartsWith("# ", StringComparison.Ordinal)).Select(l => l[2..]).ToList();
            var command = $"dotnet '{HostCli.Executable}' {lines[i][ReadmePrefix.Length..]}";
            var result = await HostCli.RunShellAsync(SourcePaths.Repository, command);

            Assert.True(result.ExitCode == 0, $"{lines[i]}\n{result}");
            Assert.True(result.Stderr.Length == 0, $"{lines[i]}\n{result}");
            if (expected.Count > 0)
            {
                Assert.Equal(expected, result.StdoutLines);
            }
        }
    }

    [Fact]
    public void The_readme_validates_every_shipped_workflow_file()
    {
        var lines = ReadmeShellBlock();
        var all = lines.FindIndex(l => l == $"{ReadmePrefix}workflow validate workflows-json/*.json");
        Assert.True(all >= 0, "the README validates workflows-json/*.json");
        var documented = lines.Skip(all + 1).TakeWhile(l => l.StartsWith("# ", StringComparison.Ordinal)).Select(l => l[2..]);
        var shipped = Directory.GetFiles(SourcePaths.WorkflowsJson, "*.json").Order(StringComparer.Ordinal).Select(f => $"workflows-json/{Path.GetFileName(f)}: valid");

        Assert.Equal(shipped, documented);
    }

    [Fact]
    public async Task Validate_gives_each_of_several_files_its_verdict()
    {
        var good = Path.Combine(_temp.FullName, "good.json");
        File.Copy(Path.Combine(SourcePaths.WorkflowsJson, "hello-liaison.json"), good);
        await File.WriteAllTextAsync(Path.Combine(_temp.FullName, "broken.json"), "{ \"root\": ");

        var result = await HostCli.RunInAsync(_temp.FullName, "workflow", "validate", "good.json", "missing.json", "broken.json", "good.json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["good.json: valid", "good.json: valid"], result.StdoutLines);
        Assert.Equal(2, result.StderrLines.Length);
        Assert.Equal("missing.json: cannot read the workflow file: file not found", result.StderrLines[0]);
        Assert.StartsWith("broken.json: not a valid workflow JSON file: ", result.StderrLines[1], StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "missing", "cannot read the workflow file: file not found" },
        { "missing-folder", "cannot read the workflow file: directory not found" },
        { "directory", "cannot read the workflow file: it is a directory, not a file" },
        { "unreadable", "cannot read the workflow file: " },
        { "empty", "cannot read the workflow file: the file is empty" },
        { "blank", "cannot read the workflow file: the file is empty" },
        { "binary", "cannot read the workflow file: not UTF-8 text" },
        { "invalid-utf8", "cannot read the workflow file: not UTF-8 text" },
        { "endless-device", "cannot read the workflow file: larger than 16 MB" },
        { "not-json", "not a valid workflow JSON file: " },
        { "json-array", "not a valid workflow JSON file: " },
        { "json-null", "not a valid workflow JSON file: " },
        { "wrong-shape", "not a valid workflow JSON file: " },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_one_clear_line_and_exit_one_for_both_verbs(string kind, string reason)
    {
        var path = MakeBadFile(kind);

        foreach (var verb in new[] { "validate", "run" })
        {
            var result = await HostCli.RunInAsync(_temp.FullName, "workflow", verb, path);

            Assert.True(result.ExitCode == 1, $"{kind} {verb}: {result}");
            Assert.Equal("", result.Stdout);
            var line = Assert.Single(result.StderrLines);
            Assert.StartsWith($"{path}: {reason}", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task With_no_command_the_web_app_gets_every_setting_untouched()
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _temp.FullName,
        };
        foreach (var arg in new[]
        {
            HostCli.Executable, "--urls", "http://127.0.0.1:0", $"--Liaison:DataDirectory={DataDirectory}",
            "--Liaison:Demo:Enabled=false", "--Logging:LogLevel:Default=Warning",
        })
        {
            info.ArgumentList.Add(arg);
        }

        var serving = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = new System.Diagnostics.Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                output.Enqueue(line);
                if (line.Contains("is running at", StringComparison.Ordinal))
                {
                    serving.TrySetResult(line);
                }
            }
        };
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.Exited += (_, _) => serving.TrySetException(new InvalidOperationException("the Host exited before serving"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var line = await serving.Task.WaitAsync(TimeSpan.FromSeconds(120));

            Assert.Matches(@"is running at http://127\.0\.0\.1:\d+$", line);
            Assert.True(File.Exists(Path.Combine(DataDirectory, "liaison.db")), string.Join('\n', output));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private const string ReadmePrefix = "dotnet run --project src/Host -- ";

    /// <summary>The bash block of the README section "Trying a workflow file from the shell".</summary>
    private static List<string> ReadmeShellBlock()
    {
        var readme = File.ReadAllText(Path.Combine(SourcePaths.Repository, "README.md"));
        var match = ShellBlock().Match(readme);
        Assert.True(match.Success, "README has the section \"Trying a workflow file from the shell\" with a bash block");
        return [.. match.Groups["block"].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
    }

    [GeneratedRegex(@"### Trying a workflow file from the shell\n.*?```bash\n(?<block>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    private string MakeBadFile(string kind)
    {
        var path = Path.Combine(_temp.FullName, $"{kind}.json");
        switch (kind)
        {
            case "missing":
                break;
            case "missing-folder":
                path = Path.Combine(_temp.FullName, "no-such-folder", "x.json");
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            case "unreadable":
                // Root reads any file whatever its mode; reading a process's memory at address 0 fails for everyone.
                path = "/proc/self/mem";
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "blank":
                File.WriteAllText(path, " \n\t\n");
                break;
            case "binary":
                var garbage = new byte[4096];
                new Random(11).NextBytes(garbage);
                garbage[0] = 0xFF;
                File.WriteAllBytes(path, garbage);
                break;
            case "invalid-utf8":
                File.WriteAllBytes(path, [.. "{\"name\": \""u8, 0xC3, 0x28, .. "\"}"u8]);
                break;
            case "endless-device":
                path = "/dev/zero";
                break;
            case "not-json":
                File.WriteAllText(path, "definitionId: hello\nroot: []\n");
                break;
            case "json-array":
                File.WriteAllText(path, "[1, 2, 3]");
                break;
            case "json-null":
                File.WriteAllText(path, "null");
                break;
            case "wrong-shape":
                File.WriteAllText(path, "{\"root\": 5}");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }

        return path;
    }
}
