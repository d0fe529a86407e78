using Liaison.Host;
using Liaison.Host.Cli;

return await CommandLine.RunAsync(args);

/// <summary>Entry point; public so that tests and tools can find the application's assembly.</summary>
public partial class Program
{
}
