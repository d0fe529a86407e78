namespace Liaison.Host.Localization;

/// <summary>
/// Instants are stored in UTC; people read them in the locality's zone (Liaison:TimeZone, default
/// Asia/Shanghai), whatever zone the server runs in.
/// </summary>
public sealed class DisplayTime(IConfiguration configuration)
{
    public const string Setting = "Liaison:TimeZone";

    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(configuration[Setting] is { Length: > 0 } id ? id : "Asia/Shanghai");

    /// <summary>The wall-clock time people read for an instant (e.g. to pre-fill a date-and-time input).</summary>
    public DateTime ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, _zone).DateTime;

    /// <summary>The instant a wall-clock time typed into a form stands for, in the locality's zone.</summary>
    public DateTimeOffset FromLocal(DateTime local) => new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), _zone.GetUtcOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified)));

    public string Format(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, _zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
