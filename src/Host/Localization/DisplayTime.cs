namespace Liaison.Host.Localization;

/// <summary>
/// Instants are stored in UTC; people read them in the locality's zone (Liaison:TimeZone, default
/// Asia/Shanghai), whatever zone the server runs in.
/// </summary>
public sealed class DisplayTime(IConfiguration configuration)
{
    public const string Setting = "Liaison:TimeZone";

    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(configuration[Setting] is { Length: > 0 } id ? id : "Asia/Shanghai");

    public string Format(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, _zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
