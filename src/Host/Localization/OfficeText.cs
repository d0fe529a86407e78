namespace Liaison.Host.Localization;

/// <summary>Marker type for the office console's strings (OfficeText.resx is Chinese, OfficeText.en.resx English).</summary>
public sealed class OfficeText;
