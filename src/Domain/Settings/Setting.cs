namespace Liaison.Domain.Settings;

/// <summary>
/// A named configuration value kept as data, so that an administrator can change a rule's number
/// (a deadline, a reminder offset) without a deployment.
/// </summary>
public sealed class Setting
{
    private Setting()
    {
        Key = string.Empty;
        Value = string.Empty;
    }

    public Setting(string key, string value, DateTimeOffset updatedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        Key = key;
        Value = value;
        UpdatedAt = updatedAt;
    }

    public string Key { get; private set; }

    public string Value { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public void Change(string value, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
        UpdatedAt = at;
    }
}
