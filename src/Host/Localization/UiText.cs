namespace Liaison.Host.Localization;

/// <summary>Marker type for the UI's string resources (Resources/UiText.resx is Chinese, UiText.en.resx English).</summary>
public sealed class UiText
{
}
