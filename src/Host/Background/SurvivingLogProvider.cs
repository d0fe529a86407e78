using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Liaison.Host.Background;

/// <summary>
/// Hangfire keeps its log provider in a process-wide static. When several Liaison apps share a process
/// (tests, in-process servers) the last one configured may already be disposed while another resolves
/// Hangfire services; logging must then go quiet instead of failing that app's start.
/// </summary>
internal sealed class SurvivingLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new SurvivingLog(inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return SilentLog.Instance;
        }
    }

    private sealed class SurvivingLog(ILog inner) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return inner.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    private sealed class SilentLog : ILog
    {
        public static readonly SilentLog Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
