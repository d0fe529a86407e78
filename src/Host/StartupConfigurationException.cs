namespace Liaison.Host;

/// <summary>
/// A setting that stops Liaison from starting. Caught at the top of the program and printed as one
/// line naming the setting, never as a stack trace.
/// </summary>
public sealed class StartupConfigurationException(string setting, string problem, Exception? inner = null)
    : Exception($"Configuration error in '{setting}': {problem}", inner)
{
    public string Setting { get; } = setting;
}
