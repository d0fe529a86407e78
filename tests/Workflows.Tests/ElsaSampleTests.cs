using Liaison.Workflows.Harness;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Validation;

namespace Liaison.Workflows.Tests;

/// <summary>Every shared Elsa sample gives the result its EXPECTED.md states.</summary>
public sealed class ElsaSampleTests
{
    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "ElsaSamples", name);

    public static TheoryData<string, string[], WorkflowStatus?> Runs => new()
    {
        { "writeline.json", ["Dummy Text"], WorkflowStatus.Finished },
        { "implicit-loop.json", ["Do something", "Retry", "Do something", "Done"], WorkflowStatus.Finished },
        { "fork-decision-join-none.json", ["A", "C"], null },
        { "fork-decision-join-waitall.json", ["A", "C", "B", "D"], null },
        { "join-all-1.json", ["Start", "Line 1", "Line 2", "End"], WorkflowStatus.Finished },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Sample_prints_the_expected_lines(string file, string[] lines, WorkflowStatus? status)
    {
        var result = WorkflowHarness.RunFile(Sample(file));

        Assert.Equal(WorkflowFileFormat.Elsa, result.Format);
        Assert.Empty(result.Problems);
        Assert.Equal(lines, result.Lines);
        if (status is not null)
        {
            Assert.Equal(status, result.Status);
        }
    }

    [Theory]
    [InlineData("flowchart-completion-1.json")]
    [InlineData("flowchart-completion-2.json")]
    [InlineData("fork.json")]
    [InlineData("hello-world.json")]
    public void Sample_finishes(string file)
    {
        var result = WorkflowHarness.RunFile(Sample(file));

        Assert.Empty(result.Problems);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.NotEmpty(result.Lines);
    }

    [Fact]
    public void Join_none_does_not_run_the_untaken_branch_and_finishes()
    {
        var result = WorkflowHarness.RunFile(Sample("fork-decision-join-none.json"));

        Assert.DoesNotContain("B", result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
    }

    [Fact]
    public void Join_waitall_stops_at_the_fault_and_never_passes_the_join()
    {
        var result = WorkflowHarness.RunFile(Sample("fork-decision-join-waitall.json"));

        Assert.Equal(WorkflowStatus.Faulted, result.Status);
        Assert.Equal("that went south", result.State!.Fault!.Message);
        Assert.DoesNotContain("F", result.Lines);
    }

    [Fact]
    public void Fork_sample_runs_every_branch_of_the_object_expression()
    {
        var result = WorkflowHarness.RunFile(Sample("fork.json"));

        Assert.Equal(["One", "Two", "Three"], result.Lines);
    }

    [Fact]
    public void Timer_workflow_with_bom_imports_without_problems_and_fires_on_the_virtual_clock()
    {
        var bytes = File.ReadAllBytes(Sample("timer-workflow.json"));
        Assert.Equal(0xEF, bytes[0]); // the copy kept its byte-order mark

        var result = WorkflowHarness.RunFile(Sample("timer-workflow.json"));

        Assert.Empty(result.Problems);
        Assert.Equal(["Hello from timer"], result.Lines);
        Assert.Equal(WorkflowStatus.Finished, result.Status);
        Assert.Equal(new HarnessOptions().StartTime.AddMinutes(1), result.EndTime);
    }

    [Fact]
    public void Bad_cron_expression_gives_exactly_one_problem_naming_the_expression()
    {
        var result = WorkflowHarness.RunFile(Sample("bad-cron-expression.json"));

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ValidationCodes.InvalidCron, problem.Code);
        Assert.Contains("BadCronExpression", problem.Message);
        Assert.Equal("13658e4b3bfafaaf", problem.ActivityId);
        Assert.Null(result.Status);
    }
}
