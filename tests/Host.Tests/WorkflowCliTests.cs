namespace Liaison.Host.Tests;

/// <summary>
/// `workflow validate FILE` and `workflow run FILE` through the real Host executable: what an operator or
/// a CI script sees (stdout, stderr, exit code), on the Elsa samples and the shipped definitions.
/// </summary>
public sealed class WorkflowCliTests : IDisposable
{
    private readonly List<string> _tempFiles = [];

    public void Dispose()
    {
        foreach (var file in _tempFiles)
        {
            File.Delete(file);
        }
    }

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "ElsaSamples", name);

    [Fact]
    public async Task Run_prints_each_line_then_the_status()
    {
        var result = await RunHostAsync("workflow", "run", Sample("implicit-loop.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["Do something", "Retry", "Do something", "Done", "status: Finished"], Lines(result.Stdout));
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Run_fires_timers_on_a_virtual_clock_for_a_native_definition()
    {
        var result = await RunHostAsync("workflow", "run", Path.Combine(AppContext.BaseDirectory, "workflows-json", "hello-liaison.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["Hello from Liaison!", "One working day later.", "status: Finished"], Lines(result.Stdout));
    }

    [Fact]
    public async Task Run_of_a_workflow_that_faults_still_exits_zero_and_reports_the_status()
    {
        var result = await RunHostAsync("workflow", "run", Sample("fork-decision-join-waitall.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["A", "C", "B", "D", "status: Faulted"], Lines(result.Stdout));
    }

    [Fact]
    public async Task Validate_prints_valid_for_a_good_file()
    {
        var result = await RunHostAsync("workflow", "validate", Sample("timer-workflow.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["valid"], Lines(result.Stdout));
        Assert.Equal("", result.Stderr);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("run")]
    public async Task Invalid_definition_lists_its_single_problem_and_exits_one(string verb)
    {
        var result = await RunHostAsync("workflow", verb, Sample("bad-cron-expression.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var problem = Assert.Single(Lines(result.Stderr));
        Assert.Contains("InvalidCron", problem, StringComparison.Ordinal);
        Assert.Contains("BadCronExpression", problem, StringComparison.Ordinal);
        Assert.Contains("input cron", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_lists_every_problem_one_per_line()
    {
        var file = WriteTemp("""
            {
              "definitionId": "two-problems", "version": 1, "name": "Two problems",
              "root": {
                "activities": [
                  { "id": "start", "type": "Start" },
                  { "id": "say", "type": "WriteLine" },
                  { "id": "wait", "type": "Timer", "inputs": { "cron": { "kind": "literal", "value": "not a cron" } } }
                ],
                "connections": [
                  { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "say" } },
                  { "source": { "activity": "say", "port": "Done" }, "target": { "activity": "wait" } }
                ]
              }
            }
            """);

        var result = await RunHostAsync("workflow", "validate", file);

        Assert.Equal(1, result.ExitCode);
        var problems = Lines(result.Stderr);
        Assert.Equal(2, problems.Length);
        Assert.Contains(problems, p => p.Contains("activity say, input text: MissingRequiredInput", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("activity wait, input cron: InvalidCron", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("run")]
    public async Task Malformed_json_gives_one_clear_line(string verb)
    {
        var file = WriteTemp("{ \"root\": { \"activities\": [ ");

        var result = await RunHostAsync("workflow", verb, file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(Lines(result.Stderr));
        Assert.StartsWith($"{file}: not a valid workflow JSON file", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("run")]
    public async Task Invalid_utf8_and_elsa_2_files_give_one_clear_line(string verb)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("{\"definitionId\":\"x\",\"root\":{\"activities\":[]}}");
        bytes[5] = 0xC0;
        var invalid = WriteTemp("");
        await File.WriteAllBytesAsync(invalid, bytes);
        var elsa2 = WriteTemp("{\"activities\":[{\"activityId\":\"a\",\"type\":\"WriteLine\"}],\"connections\":[]}");

        foreach (var (file, prefix, expected) in new[]
        {
            (invalid, "cannot read the workflow file", "not UTF-8 text"),
            (elsa2, "not a valid workflow JSON file", "Elsa 2 workflow file"),
        })
        {
            var result = await RunHostAsync("workflow", verb, file);

            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(Lines(result.Stderr));
            Assert.StartsWith($"{file}: {prefix}", line, StringComparison.Ordinal);
            Assert.Contains(expected, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Missing_file_gives_one_clear_line()
    {
        var file = Path.Combine(Path.GetTempPath(), $"liaison-missing-{Guid.NewGuid():N}.json");

        var result = await RunHostAsync("workflow", "validate", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"{file}: cannot read the workflow file: file not found", Assert.Single(Lines(result.Stderr)));
    }

    [Fact]
    public async Task Missing_sub_command_is_a_usage_error()
    {
        var result = await RunHostAsync("workflow");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("workflow validate FILE", result.Stderr, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private string WriteTemp(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"liaison-cli-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        _tempFiles.Add(path);
        return path;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunHostAsync(params string[] args)
    {
        var result = await HostCli.RunAsync(args);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
