namespace Liaison.Host.Localization;

/// <summary>Marker type for the deputy portal's and the suggestion page's strings (DeputyText.resx is Chinese, DeputyText.en.resx English).</summary>
public sealed class DeputyText;
