using BenchmarkDotNet.Running;

using Liaison.Benchmarks;
using Liaison.Benchmarks.Analysis;
using Liaison.Benchmarks.Durable;
using Liaison.Benchmarks.Reminders;
using Liaison.Benchmarks.Scale;

// dotnet run -c Release --project bench/Liaison.Benchmarks -- quick [--no-workflowcore] [--scale N]
// dotnet run -c Release --project bench/Liaison.Benchmarks -- durable [--seconds N] [--warmup S] [--clients 1,8,32] [--synchronous-commit on|off] [--no-pgbench] [--no-loop]
// dotnet run -c Release --project bench/Liaison.Benchmarks -- scale|http|all [--rows 1000000] [--iterations 200] [--connections 16,64] [--report docs/benchmarks/DATE.md]
// dotnet run -c Release --project bench/Liaison.Benchmarks -- reminders [--count 1000] [--servers 1|3]
// dotnet run -c Release --project bench/Liaison.Benchmarks -- analysis [--items 100000] [--file eval/analysis/suggestions.jsonl]
// dotnet run -c Release --project bench/Liaison.Benchmarks -- bdn [BenchmarkDotNet arguments, e.g. --filter *Engine*]
var mode = args.Length > 0 ? args[0] : "quick";
switch (mode)
{
    case "quick":
        var scale = args.SkipWhile(a => a != "--scale").Skip(1).Select(int.Parse).DefaultIfEmpty(1).First();
        return await QuickHarness.RunAsync(includeWorkflowCore: !args.Contains("--no-workflowcore"), scale);
    case "durable":
        return await DurableHarness.RunAsync(args);
    case "scale" or "http" or "all":
        return await ScaleHarness.RunAsync(args);
    case "reminders":
        return await ReminderHarness.RunAsync(args);
    case "analysis":
        return await AnalysisHarness.RunAsync(args);
    case "bdn":
        var bdnArgs = args[1..];
        if (bdnArgs.Length == 0)
        {
            bdnArgs = ["--filter", "*"];
        }

        BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly).Run(bdnArgs);
        return 0;
    default:
        await Console.Error.WriteLineAsync($"Unknown mode '{mode}'. Use: quick [--no-workflowcore] [--scale N] | durable [--seconds N] [--clients 1,8,32] | scale|http|all [--rows N] [--report FILE] | reminders [--count N] [--servers 1|3] | analysis [--items N] | bdn [BenchmarkDotNet arguments]");
        return 2;
}
