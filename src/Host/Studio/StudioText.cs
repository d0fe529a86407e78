namespace Liaison.Host.Studio;

/// <summary>Marker type for the Studio's strings (StudioText.resx is Chinese, StudioText.en.resx English), apart from UiText so the Studio's words stay together.</summary>
public sealed class StudioText
{
}
